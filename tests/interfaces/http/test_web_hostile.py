"""Tampered web forms: every hidden field a page writes, replaced by hostile values, gets a 4xx page
(never a 5xx or a reset connection); query parameters out of range too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings
from tests.interfaces.http.test_web import answer, example, hidden_fields, screen_of, start

from .api_support import sign_in

DEEP_LIST = "[" * 20_000 + "]" * 20_000
DEEP_OBJECT = '{"a":' * 5_000 + "1" + "}" * 5_000
HUGE_NUMBER = "1" + "0" * 5_000
HOSTILE = [
    DEEP_LIST, DEEP_OBJECT, HUGE_NUMBER, "1e400", "-1", "null", "true", '"text"', "[]", "{}", "[1, 2]",
    '[[["x"]]]', '{"kind": 5, "ids": "abc"}', '{"kind": "checklist", "ids": [["fever"]]}',
    '{"kind": "confirm", "ids": {}}', '{"answers": [1]}', '{"answers": {"fever": [[[]]]}}',
    '{"age": "x", "answers": {}}', '{"age": 1e400}', '{"mode": "lay", "confirm_first": "fever"}',
    '[{"kind": "where", "regions": 5}]', '[{"kind": "confirm", "ids": 5, "keep": "x"}]', '[5]',
    '[{"finding": "fever", "value": [1]}]', '[{"finding": ["x"], "value": true}]',
    '{"age": 40, "findings": {"fever": {"present": {"a": 1}}}}', '{"age": 40, "findings": []}',
    "x" * 300_000,
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    app = create_app(Settings(database_path=Path(tmp_path_factory.mktemp("hostile")) / "web.sqlite3"))
    return sign_in(TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1"))


@pytest.fixture(scope="module")
def pages(client: TestClient) -> dict[str, str]:
    """One real page of each self-assessment screen kind, to tamper with."""
    found: dict[str, str] = {"about_you": client.get("/self").text}
    page = start(client)
    for _ in range(30):
        kind = screen_of(page)[0]
        if kind is None:
            break
        found.setdefault(kind, page)
        page = answer(client, page, yes={"pain_under_heel"}, regions=["under_heel"]).text
    return found


def _assert_4xx(response: Any, what: str) -> None:
    assert 400 <= response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    assert "Traceback" not in response.text


def test_every_hidden_field_of_every_screen_refuses_hostile_values(client: TestClient, pages: dict[str, str]) -> None:
    assert {"about_you", "where", "checklist"} <= set(pages)
    for kind, page in pages.items():
        fields = {**hidden_fields(page), "action": "next"}
        for name in [*(n for n in fields if n != "action"), "pending", "keep", "region", "ids"]:
            for value in HOSTILE:
                tampered = {**fields, name: value}
                response = client.post("/self", data=tampered)
                if response.status_code == 200:  # ignored as it should be (e.g. an unknown region name)
                    continue
                _assert_4xx(response, f"{kind} screen, {name}={value[:40]!r}")


@pytest.mark.parametrize("path", ["/self", "/saved", "/report", "/clinician/results", "/saved/x/delete"])
def test_undecodable_form_bytes_are_refused(client: TestClient, path: str) -> None:
    body = b"state=%ff%fe%fa&history=%c3%28&case=%ff&screen=%80&age=%ff"
    response = client.post(path, content=body, headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code < 500, (path, response.status_code)


@pytest.mark.parametrize("path", ["/saved", "/report", "/clinician/results", "/clinician", "/clinician/panel"])
def test_a_tampered_case_field_is_refused(client: TestClient, path: str) -> None:
    case = json.dumps(example("plantar_fasciitis_self_assessment"))
    for value in [*HOSTILE, case]:
        data = {"case": value, "consent": "yes", "age": value[:50], "f.fever": value[:10], "s.fever": value[:10],
                "n.duration_weeks": value[:50]}
        response = client.post(path, data=data, follow_redirects=False)
        if value == case or response.status_code in (200, 303):
            continue
        _assert_4xx(response, f"{path} case={value[:40]!r}")


@pytest.mark.parametrize("query", ["offset=99999999999999999999999", "offset=-5", "offset=x", "deleted=1e999",
                                   "offset=9223372036854775808"])
def test_saved_list_query_out_of_range(client: TestClient, query: str) -> None:
    response = client.get(f"/saved?{query}")
    assert response.status_code < 500, (query, response.status_code)


def test_a_stored_row_whose_result_is_not_an_object_is_skipped_not_a_500(client: TestClient) -> None:
    import sqlite3

    saved = client.post("/saved", data={"case": json.dumps(example("plantar_fasciitis_self_assessment")),
                                        "consent": "yes"}, follow_redirects=False)
    assert saved.status_code == 303
    database = client.app.state.settings.database_path
    with sqlite3.connect(database) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(assessments)")]
        assert "result_json" in columns, columns
        ids = [row[0] for row in db.execute("SELECT id FROM assessments")]
        db.execute("UPDATE assessments SET result_json = ? WHERE id = ?", ("null", ids[0]))
    for path in ["/saved", "/saved/export", "/api/assessments", "/api/assessments/export"]:
        response = client.get(path)  # lists and exports skip the damaged row
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        assert ids[0] not in response.text
    for path in [f"/saved/{ids[0]}", f"/saved/{ids[0]}/export", f"/api/assessments/{ids[0]}"]:
        response = client.get(path)  # the damaged record itself: reported as unreadable storage
        assert response.status_code == 503, (path, response.status_code, response.text[:300])
        assert "damaged" not in response.text or "Traceback" not in response.text
