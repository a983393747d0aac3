"""Hypothesis fuzzing, bounded: every web form handler and the case parser answer any input with a
result or a clear refusal, never a 5xx or an exception of the wrong kind.

The forms get arbitrary fields, and the fields the pages really write (state, history, screen,
case, pending, keep, ids, ...) with arbitrary text, JSON-looking text and real JSON values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import heelpath
from heelpath.errors import InputError
from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings

from .api_support import sign_in

FORMS = ["/self", "/clinician", "/clinician/panel", "/clinician/results", "/saved", "/report", "/login", "/logout"]
FIELDS = ["state", "history", "screen", "case", "pending", "keep", "ids", "text", "describe", "action", "age",
          "sex", "side", "consent", "format", "regions", "name", "password", "next", "setting", "offset"]
FINDINGS = [f.id for f in heelpath.load().kb.findings]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from(FINDINGS),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FINDINGS) | st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
field_values = st.one_of(st.text(max_size=60), json_values.map(json.dumps), st.sampled_from(FINDINGS))
forms = st.dictionaries(st.sampled_from(FIELDS) | st.text(min_size=1, max_size=10), field_values, max_size=8)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    app = create_app(Settings(database_path=Path(tmp_path_factory.mktemp("fuzz")) / "f.sqlite3"))
    return sign_in(TestClient(app, raise_server_exceptions=False, base_url="http://127.0.0.1"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(FORMS), data=forms)
def test_no_form_answers_with_a_server_error(client: TestClient, path: str, data: dict[str, str]) -> None:
    response = client.post(path, data=data, follow_redirects=False)
    assert response.status_code < 500, (path, data, response.text[:300])


case_documents = st.dictionaries(
    st.sampled_from(["age", "sex", "side", "setting", "findings", "text", "extra"]),
    json_values | st.dictionaries(st.sampled_from(FINDINGS), json_values, max_size=5),
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(document=case_documents)
def test_the_case_parser_gives_a_result_or_an_input_error(document: dict[str, Any]) -> None:
    context = heelpath.load()
    try:
        result = context.assess(document)
    except InputError:
        return
    assert result.disclaimer and result.triage.level
