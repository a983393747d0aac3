"""Helpers shared by the API and storage tests: the real application on a temporary database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from heelpath.examples import example_paths
from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings


def make_client(database: Path) -> TestClient:
    """A client on a fresh application whose saved assessments go to `database`."""
    return TestClient(create_app(Settings(database_path=database)), raise_server_exceptions=False,
                      base_url="http://127.0.0.1")


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
