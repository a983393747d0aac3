"""Helpers shared by the API and storage tests: the real application on a temporary database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from heelpath.examples import example_paths
from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings

CLINICIAN, PASSWORD = "dr.test", "correct horse battery"


def make_client(database: Path, token_scopes: tuple[str, ...] | None = ("read", "export", "delete")) -> TestClient:
    """A client on a fresh application whose saved assessments go to `database`; with `token_scopes`,
    it sends an API token of a clinician account with those scopes (None: no credentials)."""
    client = TestClient(create_app(Settings(database_path=database)), raise_server_exceptions=False,
                        base_url="http://127.0.0.1")
    if token_scopes is not None:
        client.headers["Authorization"] = f"Bearer {api_token(client, token_scopes)}"
    return client


def api_token(client: TestClient, scopes: tuple[str, ...]) -> str:
    """A new token with `scopes` for the test clinician (added on first use) of the client's app."""
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    if not any(u["name"] == CLINICIAN for u in accounts.users()):
        accounts.add_user(CLINICIAN, PASSWORD, "admin")
    return accounts.create_token(CLINICIAN, list(scopes), "tests")


def example_case(stem: str = "s1_radiculopathy_clinician") -> dict[str, Any]:
    path = next(p for p in example_paths() if p.stem == stem)
    return json.loads(path.read_text(encoding="utf-8"))


def assert_problem(response, status: int, kind: str, *phrases: str) -> dict[str, Any]:
    """The response is a problem-details error of this status and kind whose detail says each phrase."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["type"] == f"urn:heelpath:problem:{kind}", body
    for phrase in phrases:
        assert phrase in body["detail"], (phrase, body["detail"])
    return body


def sign_in(client: TestClient) -> TestClient:
    """Sign the test clinician in on the web app (the session cookie stays in the client)."""
    accounts = client.app.state.accounts  # type: ignore[attr-defined]
    if not any(u["name"] == CLINICIAN for u in accounts.users()):
        accounts.add_user(CLINICIAN, PASSWORD, "admin")
    response = client.post("/login", data={"name": CLINICIAN, "password": PASSWORD, "next": "/saved"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client
