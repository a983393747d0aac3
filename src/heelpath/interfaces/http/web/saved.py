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

The list and the export of everything need a clinician signed in (signin.py); one record also
opens with the owner key given when it was saved (``?key=...``, kept in that record's links).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

import heelpath
from heelpath.errors import InputError, StorageError
from heelpath.interfaces.http import auth
from heelpath.interfaces.http.report import result_view
from heelpath.interfaces.http.web.shared import attachment, case_field, dumps, error_page, page, report_response
from heelpath.interfaces.http.web.signin import login_redirect
from heelpath.services.accounts import Scope
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

        store = request.app.state.assessment_store = AssessmentStore(request.app.state.settings.database)
    return store


def _denied(request: Request, scope: Scope, action: str, record_id: str | None = None) -> Response | None:
    """None when the visitor may do this (audited); else the sign-in page, or a refusal."""
    try:
        outcome = auth.check(request, scope, action, record_id)
    except StorageError as exc:
        return _storage_error(request, exc)
    if outcome == "unauthenticated":
        if record_id is not None and auth.owner_key(request):
            return _not_found(request)  # a wrong key says nothing about whether the record exists
        return login_redirect(request)
    if outcome == "forbidden":
        return error_page(request, "Not allowed", "This account may not do that.", 403, "/saved")
    return None


def _key_query(request: Request) -> str:
    """The owner key as a query string, for the links of a record opened with it."""
    key = auth.owner_key(request)
    return f"?{urlencode({'key': key})}" if key and not auth.principal(request) else ""


def _may_delete(request: Request, record_id: str | None) -> bool:
    """Whether to offer deleting: an admin, or whoever holds this record's owner key."""
    who = auth.principal(request, record_id)
    return who is not None and who.may("delete")


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
    return RedirectResponse(f"/saved/{saved.id}?{urlencode({'key': saved.owner_key, 'saved': 1})}", status_code=303)


@router.get("/saved", response_class=HTMLResponse)
def saved_list(request: Request, offset: int = 0, deleted: int = 0) -> Response:
    if (denied := _denied(request, "read", "list")) is not None:
        return denied
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
        "nav": "saved", "items": items, "total": total, "pages": pages, "can_delete": _may_delete(request, None),
        "notice": "The saved assessment was deleted." if deleted else None,
    })


@router.get("/saved/export")
def saved_export_all(request: Request) -> Response:
    from heelpath.services.storage import export_document

    if (denied := _denied(request, "export", "export-all")) is not None:
        return denied
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
def saved_open(request: Request, assessment_id: str, saved: int = 0) -> Response:
    if (denied := _denied(request, "read", "read", assessment_id)) is not None:
        return denied
    found = _record_and_result(request, assessment_id)
    if isinstance(found, HTMLResponse):
        return found
    record, result = found
    audience = "patient" if result.case.setting == "self_assessment" else "clinician"
    return page(request, "results.html", {
        "nav": "saved",
        "v": result_view(result, record.case, audience),
        "saved": {"id": record.id, "created_words": _when(record.created), "key_query": _key_query(request),
                  "can_delete": _may_delete(request, record.id)},
        "notice": ("Saved. Keep the address of this page (bookmark it): it is the only way to open, export or "
                   "delete this assessment without a clinician's account." if saved else None),
    })


@router.get("/saved/{assessment_id}/report.{fmt}")
def saved_report(request: Request, assessment_id: str, fmt: str) -> Response:
    if fmt not in ("pdf", "html"):
        return _not_found(request)
    if (denied := _denied(request, "read", "report", assessment_id)) is not None:
        return denied
    found = _record_and_result(request, assessment_id)
    if isinstance(found, HTMLResponse):
        return found
    record, result = found
    return report_response(result, record.case, fmt, created=record.created)


@router.get("/saved/{assessment_id}/export")
def saved_export(request: Request, assessment_id: str) -> Response:
    from heelpath.services.storage import export_document

    if (denied := _denied(request, "export", "export", assessment_id)) is not None:
        return denied
    record = _record(request, assessment_id)
    if isinstance(record, HTMLResponse):
        return record
    return attachment(dumps(export_document([record])), "application/json",
                      f"heelpath-assessment-{record.id}.json")


@router.get("/saved/{assessment_id}/delete", response_class=HTMLResponse)
def saved_delete_ask(request: Request, assessment_id: str) -> Response:
    if (denied := _denied(request, "read", "read", assessment_id)) is not None:
        return denied
    record = _record(request, assessment_id)
    if isinstance(record, HTMLResponse):
        return record
    top = (record.summary().get("top_condition") or {}).get("name")
    return page(request, "saved_delete.html", {"nav": "saved", "record": {
        "id": record.id, "created_words": _when(record.created), "top": top, "key_query": _key_query(request)}})


@router.post("/saved/{assessment_id}/delete")
def saved_delete(request: Request, assessment_id: str) -> Response:
    if (denied := _denied(request, "delete", "delete", assessment_id)) is not None:
        return denied
    signed_in = auth.principal(request) is not None  # a clinician's token or session, not an owner key
    try:
        deleted = _store(request).delete(assessment_id)
    except StorageError as exc:
        return _storage_error(request, exc)
    if not deleted:
        return _not_found(request)
    if not signed_in:  # an owner has no list to go back to
        return page(request, "error.html", {"title": "Deleted", "message": "The saved assessment was deleted.",
                                            "back_href": "/", "back_text": "Back to the start"})
    return RedirectResponse("/saved?deleted=1", status_code=303)
