"""The JSON API, under /api (see docs/api.md): its routes, and `install(app)`.

`install(app)` adds the routes, the problem-details error handlers (problems.py), the body guard
(middleware.py) and the OpenAPI refinements (openapi.py).
"""

from __future__ import annotations

import logging
import uuid
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

import heelpath
from heelpath import __version__
from heelpath.interfaces.http import auth, problems
from heelpath.interfaces.http.api_models import (
    ConditionInfo,
    FindingInfo,
    Health,
    KBInfo,
    ParsedText,
    ParseTextRequest,
    SavedExport,
    SavedList,
    SavedRecord,
    SaveRequest,
)
from heelpath.interfaces.http.middleware import BodyGuard
from heelpath.interfaces.http.openapi import refine_openapi
from heelpath.interfaces.http.problems import PREFIX, ApiProblem, Problem
from heelpath.knowledge import KnowledgeBase
from heelpath.services.case import Case
from heelpath.services.interview import InterviewState, InterviewStep
from heelpath.services.result import AssessmentResult, TextMention
from heelpath.services.storage import AssessmentStore, SavedAssessment, export_document

log = logging.getLogger("heelpath.api")


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "The body is not valid JSON.",
        401: "No valid credentials: send `Authorization: Bearer <API token>` (or, for one record, its "
             "`X-Owner-Key`). The answer says `WWW-Authenticate: Bearer`.",
        403: "The token is valid but lacks the scope this needs (`read`, `export` or `delete`).",
        404: "No such saved assessment.",
        413: "The body is larger than 256 KiB.",
        422: "The request is well-formed JSON but invalid: wrong shape or types, unknown finding id, "
             "an answer out of range, or contradictory answers. `detail` names the problem.",
        500: "A fault in the server or its knowledge base; the message is safe, the log has the details.",
        503: "A part of the server is unavailable: saved assessments (the database cannot be opened or "
             "written) or, for a case with `text`, the free-text intake (the nlp extra is not installed).",
    }
    return {code: {"model": Problem, "description": descriptions[code]} for code in codes}


BODY_ERRORS = _responses(400, 413, 422, 500, 503)
READ_ERRORS = _responses(422, 500)
SAVED_ERRORS = _responses(401, 403, 422, 500, 503)
RECORD_ERRORS = _responses(401, 403, 404, 422, 500, 503)


# -- routes ------------------------------------------------------------------------------------

router = APIRouter(prefix=PREFIX, tags=["api"], generate_unique_id_function=lambda route: route.name)


def store_of(request: Request) -> AssessmentStore:
    """The application's store of saved assessments (opened lazily, shared by API and web app)."""
    return request.app.state.assessment_store


def assess_case(case: Case) -> AssessmentResult:
    """The full result of a validated case (text intake only when there is text)."""
    try:
        return heelpath.load().assess(case)
    except ImportError as exc:
        log.error("text intake unavailable: %s", exc)
        raise ApiProblem(503, "text-intake-unavailable", "Text intake unavailable",
                         "this server cannot read free text (the nlp extra is not installed); "
                         "send the findings instead of text") from None


def _json(model: BaseModel, status_code: int = 200) -> Response:
    """A model as its JSON body (serialised by pydantic, already valid: not validated again)."""
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


@router.get("/health", response_model=Health, responses=_responses(500), summary="Liveness and versions")
def health() -> dict[str, Any]:
    kb = _kb()
    return {"status": "ok", "version": __version__, "kb_version": kb.version, "kb_hash": kb.content_hash}


@router.post("/assess", response_model=AssessmentResult, responses=BODY_ERRORS, summary="Assess a case")
def assess(case: Case) -> Response:
    """Ranked causes, origin, coexisting causes, explanation, localisation, triage and next steps.

    The body is a case as in docs/case-format.md. With `text`, the free-text intake fills in
    findings the case does not answer, and the result has a `text_intake` section.
    """
    return _json(assess_case(case))


@router.post("/interview/step", response_model=InterviewStep, responses=BODY_ERRORS,
             summary="One step of the adaptive interview (stateless)")
def interview_step(state: InterviewState) -> Response:
    """Send everything answered so far; get the next question(s), the current result and whether to stop.

    The server keeps nothing between steps: add the new answers to `answers` (or set `age`, `sex`,
    `side`) and send the whole state again. `"unknown"` records a question asked but not known.
    """
    return _json(heelpath.load().step(state))


@router.post("/parse-text", response_model=ParsedText, responses=BODY_ERRORS,
             summary="Read findings from free text (negation, uncertainty, family history, sides)")
def parse_text(body: ParseTextRequest) -> JSONResponse:
    """The findings the text intake reads from a description or note, each with its words and context.

    Nothing is assessed or stored; show the findings to the person to confirm, then assess.
    """
    context = heelpath.load()
    try:
        intake = context.read_text(body.text)
    except ImportError as exc:
        log.error("text intake unavailable: %s", exc)
        raise ApiProblem(503, "text-intake-unavailable", "Text intake unavailable",
                         "this server cannot read free text (the nlp extra is not installed)") from None
    except ValueError as exc:
        raise ApiProblem(422, "invalid-request", "Invalid request", f"text: {exc}") from None
    return JSONResponse({
        "findings": [TextMention.of(f).model_dump(mode="json") for f in intake.findings],
        "to_confirm": context.to_confirm(intake),
        "case": intake.to_case(),
        "age": intake.age,
        "sex": intake.sex,
        "side": intake.side,
        "duration_weeks": intake.duration_weeks,
        "morning_stiffness_minutes": intake.morning_stiffness_minutes,
        "unmatched": intake.unmatched,
        "message": intake.message,
    })


@router.get("/kb", response_model=KBInfo, responses=_responses(500), summary="Knowledge-base version, hash and size")
def kb_info() -> dict[str, Any]:
    kb = _kb()
    return {
        "name": kb.header.name,
        "version": kb.version,
        "hash": kb.content_hash,
        "counts": {
            "conditions": len(kb.conditions),
            "findings": len(kb.findings),
            "evidence_rows": len(kb.evidence),
            "priors": len(kb.priors),
            "references": len(kb.references),
            "groups": len(kb.groups),
        },
    }


@router.get("/kb/conditions", response_model=list[ConditionInfo], responses=_responses(500),
            summary="Conditions the knowledge base covers")
def kb_conditions() -> list[dict[str, Any]]:
    return _conditions()


@router.get("/kb/findings", response_model=list[FindingInfo], responses=READ_ERRORS,
            summary="Findings (questions, examinations, tests) and their ids")
def kb_findings(
    answered_by: Annotated[Literal["patient", "clinician", "test"] | None,
                           Query(description="only findings answered by the patient, a clinician, or a test")] = None,
) -> list[dict[str, Any]]:
    findings = _findings()
    return [f for f in findings if answered_by is None or f["answered_by"] == answered_by]


@router.post(
    "/assessments",
    status_code=201,
    response_model=SavedRecord,
    responses=BODY_ERRORS,
    summary="Assess a case and save it (only with consent)",
)
def save_assessment(body: SaveRequest, request: Request) -> JSONResponse:
    """Assess the case and store case, result and knowledge-base version.

    Nothing is stored unless `consent` is `true`. When this answers 201, the record is on disk.
    No account is needed: the answer's `owner_key` (given once, never stored) reads, exports or
    deletes this record alone, sent as the `X-Owner-Key` header.
    """
    result = assess_case(body.case)
    saved = store_of(request).save(body.case.model_dump(mode="json", exclude_unset=True), result.to_json(),
                                   kb_version=result.kb_version, kb_hash=result.kb_hash)
    return JSONResponse({**saved.to_dict(), "owner_key": saved.owner_key}, status_code=201,
                        headers={"Location": f"{PREFIX}/assessments/{saved.id}"})


def _allow(request: Request, scope: Literal["read", "export", "delete"], action: str,
           record_id: uuid.UUID | None = None) -> None:
    """Let the request through when its credentials allow `scope` (audited), else 401 or 403."""
    outcome = auth.check(request, scope, action, None if record_id is None else str(record_id))
    if outcome == "unauthenticated":
        raise ApiProblem(401, "unauthenticated", "Sign-in needed",
                         "saved assessments need an API token (Authorization: Bearer ...) or, for one "
                         "record, its owner key (X-Owner-Key)", headers={"WWW-Authenticate": "Bearer"})
    if outcome == "forbidden":
        raise ApiProblem(403, "forbidden", "Not allowed", f"these credentials do not have the {scope!r} scope")


@router.get("/assessments", response_model=SavedList, responses=SAVED_ERRORS,
            summary="List saved assessments, newest first (scope: read)")
def list_assessments(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> dict[str, Any]:
    _allow(request, "read", "list")
    records, total = store_of(request).list(limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [r.summary() for r in records]}


@router.get("/assessments/export", response_model=SavedExport, responses=SAVED_ERRORS,
            summary="Export every saved assessment as one JSON file (scope: export)")
def export_all(request: Request) -> JSONResponse:
    _allow(request, "export", "export-all")
    document = export_document(list(store_of(request).all()))
    return JSONResponse(document, headers=_attachment("heelpath-assessments.json"))


@router.get("/assessments/{assessment_id}", response_model=SavedRecord,
            responses=RECORD_ERRORS, summary="One saved assessment (scope: read, or its owner key)")
def get_assessment(assessment_id: uuid.UUID, request: Request) -> JSONResponse:
    _allow(request, "read", "read", assessment_id)
    return JSONResponse(_saved(request, assessment_id).to_dict())


@router.get("/assessments/{assessment_id}/export", response_model=SavedExport,
            responses=RECORD_ERRORS, summary="Export one saved assessment as a JSON file (scope: export, or its owner key)")
def export_one(assessment_id: uuid.UUID, request: Request) -> JSONResponse:
    _allow(request, "export", "export", assessment_id)
    record = _saved(request, assessment_id)
    return JSONResponse(export_document([record]), headers=_attachment(f"heelpath-assessment-{record.id}.json"))


@router.delete("/assessments/{assessment_id}", status_code=204, response_class=Response,
               responses=RECORD_ERRORS, summary="Delete a saved assessment (scope: delete, or its owner key)")
def delete_assessment(assessment_id: uuid.UUID, request: Request) -> Response:
    _allow(request, "delete", "delete", assessment_id)
    if not store_of(request).delete(str(assessment_id)):
        raise _not_found(assessment_id)
    return Response(status_code=204)


def _saved(request: Request, assessment_id: uuid.UUID) -> SavedAssessment:
    record = store_of(request).get(str(assessment_id))
    if record is None:
        raise _not_found(assessment_id)
    return record


def _not_found(assessment_id: uuid.UUID) -> ApiProblem:
    return ApiProblem(404, "not-found", "Not found", f"no saved assessment with id {assessment_id}")


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _kb() -> KnowledgeBase:
    return heelpath.load().kb


@lru_cache(maxsize=1)
def _conditions() -> list[dict[str, Any]]:
    return [
        {"id": c.id, "name": c.name, "lay_name": c.lay_name, "description": c.description,
         "lay_description": c.lay_description, "origin": c.origin, "serious": c.serious,
         "lateralised": c.lateralised, "icd10cm": list(c.icd10cm), "snomed": c.snomed}
        for c in _kb().conditions
    ]


@lru_cache(maxsize=1)
def _findings() -> list[dict[str, Any]]:
    return [
        {"id": f.id, "type": f.type, "label": f.label, "lay_question": f.lay_question,
         "clinician_question": f.clinician_question, "answered_by": f.answered_by, "region": f.region,
         "lateralised": f.lateralised, "derived": f.derived, "unit": f.unit,
         "range": None if f.range is None else list(f.range), "group": f.group,
         "how_to_examine": f.how_to_examine, "options": [{"value": o.value, "label": o.label} for o in f.options]}
        for f in _kb().findings
    ]


# -- installation ------------------------------------------------------------------------------


def install(app: FastAPI) -> None:
    """Add the API routes, the error handlers, the body guard and the OpenAPI refinements to `app`."""
    settings = getattr(app.state, "settings", None)
    if settings is None:
        from heelpath.interfaces.http.config import Settings

        settings = app.state.settings = Settings.from_env()
    app.state.assessment_store = AssessmentStore(settings.database)
    auth.install(app, app.state.assessment_store)
    app.router.on_shutdown.append(app.state.assessment_store.close)  # empties the write-ahead log
    app.include_router(router)
    problems.add_handlers(app)
    app.add_middleware(BodyGuard)
    refine_openapi(app)
