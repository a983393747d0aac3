"""Saved assessments: stored only with consent, then listed, reopened, exported or deleted.

=====================================  =======================================================
route                                  page
=====================================  =======================================================
``GET /saved``, ``POST /saved``        saved assessments: list; save one (consent required)
``GET /saved/{id}``                    a saved assessment, reopened
``GET /saved/{id}/report.pdf|html``    its report
``GET /saved/{id}/export``             its JSON export (``/saved/export``: all of them)
``GET|POST /saved/{id}/delete``        delete it (asks first)
=====================================  =======================================================
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

import heelpath
from heelpath.errors import InputError, StorageError
from heelpath.interfaces.http.report import result_view
from heelpath.interfaces.http.web.shared import attachment, case_field, dumps, error_page, page, report_response
from heelpath.services.result import AssessmentResult
from heelpath.services.storage import AssessmentStore, SavedAssessment

log = logging.getLogger("heelpath.web")

router = APIRouter(include_in_schema=False)


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(UTC).strftime("%d %b %Y, %H:%M UTC")
    except (TypeError, ValueError):
        return str(iso)


def _store(request: Request) -> AssessmentStore:
    store = getattr(request.app.state, "assessment_store", None)
    if store is None:
        from heelpath.services.storage import AssessmentStore

        store = request.app.state.assessment_store = AssessmentStore(request.app.state.settings.database_path)
    return store


def _storage_error(request: Request, exc: StorageError) -> HTMLResponse:
    log.error("assessment store: %s", exc)
    return error_page(request, "Saved assessments are unavailable",
                      "Saved assessments cannot be read or written right now; the server log has the details.", 503)


@router.post("/saved", response_class=HTMLResponse)
async def save(request: Request) -> Response:
    form = await request.form()
    try:
        case_data = case_field(form)
    except InputError as exc:
        return error_page(request, "Nothing was saved", str(exc), 400)
    result = heelpath.load().assess(case_data)
    if form.get("consent") != "yes":
        audience = "patient" if case_data.get("setting") == "self_assessment" else "clinician"
        return page(request, "results.html", {
            "nav": "saved", "v": result_view(result, case_data, audience), "case_json": dumps(case_data),
            "notice": "Nothing was saved: tick the box to agree to storing the assessment on this computer.",
        }, 422)
    try:
        saved = _store(request).save(case_data, result.to_json(), kb_version=result.kb_version, kb_hash=result.kb_hash)
    except StorageError as exc:
        return _storage_error(request, exc)
    return RedirectResponse(f"/saved/{saved.id}?saved=1", status_code=303)


@router.get("/saved", response_class=HTMLResponse)
def saved_list(request: Request, offset: int = 0, deleted: int = 0) -> HTMLResponse:
    limit = 50
    offset = min(max(0, offset), 2**31)  # a page far past the end is empty, not an overflow
    try:
        records, total = _store(request).list(limit=limit, offset=offset)
    except StorageError as exc:
        log.error("assessment store: %s", exc)
        return page(request, "saved_list.html", {"nav": "saved", "items": [], "unavailable": "the store cannot be opened"}, 503)
    items = []
    for record in records:
        summary = record.summary()
        summary["created_words"] = _when(record.created)
        items.append(summary)
    pages = None
    if total > limit:
        pages = {"prev": max(0, offset - limit) if offset > 0 else None,
                 "next": offset + limit if offset + limit < total else None}
    return page(request, "saved_list.html", {
        "nav": "saved", "items": items, "total": total, "pages": pages,
        "notice": "The saved assessment was deleted." if deleted else None,
    })


@router.get("/saved/export")
def saved_export_all(request: Request) -> Response:
    from heelpath.services.storage import export_document

    try:
        document = export_document(list(_store(request).all()))
    except StorageError as exc:
        return _storage_error(request, exc)
    return attachment(dumps(document), "application/json", "heelpath-assessments.json")


def _record(request: Request, assessment_id: str) -> SavedAssessment | HTMLResponse:
    """The saved record, or the error page to answer with (store unavailable, or no such id)."""
    try:
        record = _store(request).get(assessment_id)
    except StorageError as exc:
        return _storage_error(request, exc)
    return record if record is not None else _not_found(request)


def _record_and_result(request: Request, assessment_id: str) -> tuple[SavedAssessment, AssessmentResult] | HTMLResponse:
    """The saved record and its result read back into the result model, or the page to answer with."""
    record = _record(request, assessment_id)
    if isinstance(record, HTMLResponse):
        return record
    try:
        return record, AssessmentResult.model_validate(record.result)
    except ValidationError:
        return error_page(request, "This saved assessment cannot be shown",
                          "Its stored result does not have the shape this version reads; "
                          "export it to keep the data.", 422, "/saved", "Back to saved assessments")


def _not_found(request: Request) -> HTMLResponse:
    return error_page(request, "No such saved assessment",
                      "It may have been deleted, or it was saved on another computer.", 404, "/saved",
                      "Back to saved assessments")


@router.get("/saved/{assessment_id}", response_class=HTMLResponse)
def saved_open(request: Request, assessment_id: str, saved: int = 0) -> HTMLResponse:
    found = _record_and_result(request, assessment_id)
    if isinstance(found, HTMLResponse):
        return found
    record, result = found
    audience = "patient" if result.case.setting == "self_assessment" else "clinician"
    return page(request, "results.html", {
        "nav": "saved",
        "v": result_view(result, record.case, audience),
        "saved": {"id": record.id, "created_words": _when(record.created)},
        "notice": "Saved on this computer. You can reopen, export or delete it from Saved assessments." if saved else None,
    })


@router.get("/saved/{assessment_id}/report.{fmt}")
def saved_report(request: Request, assessment_id: str, fmt: str) -> Response:
    if fmt not in ("pdf", "html"):
        return _not_found(request)
    found = _record_and_result(request, assessment_id)
    if isinstance(found, HTMLResponse):
        return found
    record, result = found
    return report_response(result, record.case, fmt, created=record.created)


@router.get("/saved/{assessment_id}/export")
def saved_export(request: Request, assessment_id: str) -> Response:
    from heelpath.services.storage import export_document

    record = _record(request, assessment_id)
    if isinstance(record, HTMLResponse):
        return record
    return attachment(dumps(export_document([record])), "application/json",
                      f"heelpath-assessment-{record.id}.json")


@router.get("/saved/{assessment_id}/delete", response_class=HTMLResponse)
def saved_delete_ask(request: Request, assessment_id: str) -> HTMLResponse:
    record = _record(request, assessment_id)
    if isinstance(record, HTMLResponse):
        return record
    top = (record.summary().get("top_condition") or {}).get("name")
    return page(request, "saved_delete.html", {"nav": "saved", "record": {
        "id": record.id, "created_words": _when(record.created), "top": top}})


@router.post("/saved/{assessment_id}/delete")
def saved_delete(request: Request, assessment_id: str) -> Response:
    try:
        deleted = _store(request).delete(assessment_id)
    except StorageError as exc:
        return _storage_error(request, exc)
    if not deleted:
        return _not_found(request)
    return RedirectResponse("/saved?deleted=1", status_code=303)
