"""Web hygiene: security headers on every page, trusted hosts, cross-origin writes refused, /docs offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings
from tests.interfaces.http.test_web import example

from .api_support import sign_in

PAGES = ["/", "/self", "/clinician", "/saved", "/api/health", "/api/kb", "/openapi.json", "/docs", "/nowhere"]


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    return sign_in(TestClient(create_app(Settings(database_path=tmp_path / "s.sqlite3")),
                              base_url="http://127.0.0.1:8000", raise_server_exceptions=False))


def _save(client: TestClient, **headers: str):
    case = json.dumps(example("plantar_fasciitis_self_assessment"))
    return client.post("/saved", data={"case": case, "consent": "yes"}, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_security_headers_and_is_not_cached(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(client: TestClient) -> None:
    response = client.get("/static/heelpath.css")
    assert response.status_code == 200
    assert response.headers.get("cache-control") != "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_same_origin_form_post_is_accepted(client: TestClient) -> None:
    assert _save(client, origin="http://127.0.0.1:8000").status_code == 303
    assert _save(client).status_code == 303  # no Origin: not a browser's cross-site request


@pytest.mark.parametrize("headers", [
    {"origin": "https://evil.example"},
    {"origin": "null"},
    {"origin": "http://127.0.0.1:9999"},
    {"referer": "https://evil.example/page"},
    {"sec-fetch-site": "cross-site"},
])
def test_a_cross_origin_write_is_refused_and_stores_nothing(client: TestClient, headers: dict[str, str]) -> None:
    response = _save(client, **headers)
    assert response.status_code == 403
    assert client.get("/api/assessments").json()["total"] == 0


def test_a_cross_origin_delete_through_the_api_or_the_web_is_refused(client: TestClient) -> None:
    saved = client.post("/api/assessments", json={"consent": True, "case": example("plantar_fasciitis_self_assessment")})
    record = saved.json()["id"]
    evil = {"origin": "https://evil.example"}
    refused = client.delete(f"/api/assessments/{record}", headers=evil)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert client.post(f"/saved/{record}/delete", headers=evil).status_code == 403
    assert client.get(f"/api/assessments/{record}").status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "attacker.test:8000", "127.0.0.1.evil.example"])
def test_an_untrusted_host_header_is_refused(client: TestClient, host: str) -> None:
    response = client.get("/saved", headers={"host": host})
    assert response.status_code == 400
    assert "host" in response.text.lower()


def test_configured_hosts_are_answered(tmp_path: Path) -> None:
    app = create_app(Settings(database_path=tmp_path / "h.sqlite3", allowed_hosts=("heel.clinic.example",)))
    client = TestClient(app, base_url="http://heel.clinic.example")
    assert client.get("/api/health").status_code == 200
    assert client.get("/api/health", headers={"host": "[::1]:8000"}).status_code == 200
    assert client.get("/api/health", headers={"host": "other.example"}).status_code == 400


def test_docs_load_swagger_ui_from_this_server(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "cdn" not in page.lower() and "http" not in page.split("<body>")[0].replace("http-equiv", "")
    for asset in ["/static/swagger/swagger-ui-bundle.js", "/static/swagger/swagger-ui.css", "/static/swagger-init.js"]:
        assert asset in page
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 50, asset
