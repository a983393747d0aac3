"""Contract tests generated from the API's own OpenAPI document (Schemathesis, in-process ASGI).

For every /api operation, Schemathesis generates valid requests (from the schema) and invalid
ones (schema violations) and checks that no response is a server error, every status code and
content type is documented, every body matches its documented schema, and invalid data is
rejected with a 4xx. The number of examples is bounded so the suite stays fast.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _app():
    folder = Path(tempfile.mkdtemp(prefix="heelpath-contract-"))
    # schemathesis's in-process client sends "Host: testserver"
    return create_app(Settings(database_path=folder / "contract.sqlite3", allowed_hosts=("testserver",)))


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=EXAMPLES,
                                deterministic=True)
api_schema = schema.include(path_regex=r"^/api/")


def _text_intake_installed() -> bool:
    try:
        import heelpath

        heelpath.load().read_text("pain under the heel")
    except ImportError:
        return False
    return True


TEXT_INTAKE = _text_intake_installed()


@api_schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_contract(case):
    positive = case.meta is None or case.meta.generation.mode.is_positive
    if not TEXT_INTAKE and positive:  # without the nlp extra, valid text gets a documented 503: leave it out
        body = case.body if isinstance(case.body, dict) else None
        for holder in (body, body.get("case") if body else None):
            if isinstance(holder, dict) and holder.get("text"):
                del holder["text"]
    case.call_and_validate(checks=CHECKS)
