"""FHIR R4 over HTTP, under /api/fhir (docs/fhir.md):

- ``GET  /api/fhir/Questionnaire/heel-pain``: the Questionnaire generated from the knowledge base;
- ``POST /api/fhir/Questionnaire/heel-pain/$next-question``: the SDC adaptive interview;
- ``POST /api/fhir/$assess``: a Bundle of a patient's records or a QuestionnaireResponse in, the
  result Bundle out.

Answers are ``application/fhir+json``; an error is an OperationOutcome (400 for a body that is not
JSON, 422 for one that is not a resource heelpath can read), never a 500 for bad input.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

import heelpath
from heelpath.errors import CaseFormatError, HeelpathError, InputError, InteroperabilityError
from heelpath.interfaces.http.problems import PROBLEM_MEDIA_TYPE, Problem
from heelpath.services.jsonio import decode, parse_json

FHIR_JSON = "application/fhir+json"
_RESOURCE = {"type": "object", "required": ["resourceType"], "properties": {"resourceType": {"type": "string"}},
             "description": "A FHIR R4 resource"}
_OUTCOME = {"content": {FHIR_JSON: {"schema": _RESOURCE}}}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {**_OUTCOME, "description": "The body is not UTF-8 JSON (an OperationOutcome)."},
    413: {"model": Problem, "description": "The body is larger than 256 KiB."},
    422: {"content": {FHIR_JSON: {"schema": _RESOURCE}, PROBLEM_MEDIA_TYPE: {"schema": Problem.model_json_schema()}},
          "description": "The body is not a resource heelpath can read (an OperationOutcome naming the problem), or "
                         "a JSON object names a key twice (a problem)."},
}
_BODY = {"requestBody": {"required": True, "content": {FHIR_JSON: {"schema": _RESOURCE},
                                                       "application/json": {"schema": _RESOURCE}}}}
router = APIRouter(prefix="/api/fhir", tags=["fhir"])


class FhirResponse(JSONResponse):
    media_type = FHIR_JSON


def _fhir(resource: dict[str, Any], status: int = 200) -> JSONResponse:
    return FhirResponse(resource, status_code=status)


def _failed(exc: HeelpathError, status: int = 422) -> JSONResponse:
    from heelpath.services.fhir.resources import operation_outcome

    return _fhir(operation_outcome(str(exc), "structure" if status == 400 else "invalid"), status)


async def _resource(request: Request) -> Any:
    """The body as JSON; a body that is not UTF-8 JSON within the limits raises CaseFormatError (a 400)."""
    return parse_json(decode(await request.body(), "the body"), "the body")


@router.get("/Questionnaire/heel-pain", response_class=FhirResponse,
            responses={200: {"content": {FHIR_JSON: {"schema": _RESOURCE}}}})
def get_questionnaire() -> Response:
    """The Questionnaire generated from the knowledge base (versioned and hashed with it)."""
    return Response(_questionnaire(heelpath.load()), media_type=FHIR_JSON)


@lru_cache(maxsize=2)
def _questionnaire(hp: heelpath.Heelpath) -> bytes:
    """Generated and validated once per knowledge base (it takes about half a second)."""
    from heelpath.services.fhir.questionnaire import questionnaire

    return json.dumps(questionnaire(hp), ensure_ascii=False).encode()


@router.post("/Questionnaire/heel-pain/$next-question", response_class=FhirResponse, responses=_RESPONSES,
             openapi_extra=_BODY)
@router.post("/Questionnaire/$next-question", response_class=FhirResponse, responses=_RESPONSES, openapi_extra=_BODY)
async def next_question(request: Request) -> JSONResponse:
    """SDC $next-question: a QuestionnaireResponse (or Parameters) in, the next one out."""
    from heelpath.services.fhir.sdc import next_question as advance

    return await _operation(request, lambda data: advance(heelpath.load(), data)[0])


@router.post("/$assess", response_class=FhirResponse, responses=_RESPONSES, openapi_extra=_BODY)
async def assess(request: Request) -> JSONResponse:
    """Assess a Bundle of a patient's records or a QuestionnaireResponse; the result as a Bundle."""
    return await _operation(request, _assess)


async def _operation(request: Request, work: Callable[[Any], dict[str, Any]]) -> JSONResponse:
    """Read the body (400 if it is not UTF-8 JSON), then do `work` on it off the event loop (422 for
    what heelpath cannot read)."""
    try:
        data = await _resource(request)
    except CaseFormatError as exc:
        return _failed(exc, 400)
    try:
        return _fhir(await run_in_threadpool(work, data))
    except (InputError, InteroperabilityError) as exc:
        return _failed(exc)


def _assess(data: Any) -> dict[str, Any]:
    from heelpath.services.fhir.questionnaire import case_from_response
    from heelpath.services.fhir.records import assess_records
    from heelpath.services.fhir.result_bundle import result_bundle

    hp = heelpath.load()
    patient = None
    if isinstance(data, dict) and data.get("resourceType") == "QuestionnaireResponse":
        case, notes = case_from_response(hp, data)
        result = hp.assess(case)
        issues = [("information", note) for note in notes]
    else:
        result, records = assess_records(hp, data)
        patient = f"Patient/{records.patient_id}" if records.patient_id else None
        issues = records.issues()
    return result_bundle(hp, result, patient, issues)
