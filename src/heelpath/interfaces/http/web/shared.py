"""What the web app's pages share: the templates, page and error helpers, reading back the form
fields a page wrote (hidden JSON, numbers), the start page and the report download.

=====================================  =======================================================
route                                  page
=====================================  =======================================================
``GET /``                              start page
``POST /report``                       the report (``format`` = ``pdf`` or ``html``) of a case
=====================================  =======================================================
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import FormData

import heelpath
from heelpath.errors import CaseFormatError, InputError
from heelpath.interfaces.http import report
from heelpath.knowledge import KnowledgeBase
from heelpath.services.case import Case
from heelpath.services.interview.described import ABOUT_YOU_FINDINGS
from heelpath.services.jsonio import parse_json
from heelpath.services.result import AssessmentResult

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(env=report.environment())

#: largest hidden-field document accepted (state, history, case)
MAX_HIDDEN = 200_000
SIDES = ("left", "right", "both", "unknown")
#: findings the forms leave out: set from the painful side, not asked
FORM_SKIPS = ABOUT_YOU_FINDINGS


def knowledge_base() -> KnowledgeBase:
    return heelpath.load().kb


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, title: str, message: str, status: int, back: str = "/",
               back_text: str | None = None) -> HTMLResponse:
    return page(request, "error.html", {"title": title, "message": message, "back_href": back,
                                        "back_text": back_text}, status)


def json_field(form: FormData, name: str, default: Any, shape: TypeAdapter[Any] | None = None) -> Any:
    """A hidden JSON field a page wrote, read back with limits (size, nesting, numbers) and, given `shape`,
    checked against it and returned as plain data.

    Raises
    ------
    InputError
        The field is not something heelpath wrote: too large, not JSON, nested too deeply, or not of `shape`.
    """
    raw = form.get(name)
    if raw is None or raw == "":
        return default
    if not isinstance(raw, str) or len(raw) > MAX_HIDDEN:
        raise InputError(f"{name}: not a form value heelpath wrote")
    try:
        value = parse_json(raw)
    except CaseFormatError as exc:  # not JSON, nested too deeply, a number too long, a key twice
        raise InputError(f"{name}: not a form value heelpath wrote ({exc})") from None
    if shape is None:
        return value
    try:
        return shape.dump_python(shape.validate_python(value), exclude_none=True)
    except ValidationError:
        raise InputError(f"{name}: not a form value heelpath wrote (wrong shape)") from None


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def attachment(body: bytes | str, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def parse_number(raw: str) -> float | None:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def case_field(form: FormData) -> dict[str, Any]:
    data = json_field(form, "case", None)
    if not isinstance(data, dict):
        raise InputError("case: missing")
    Case.from_data(data)
    return data


def report_response(result: AssessmentResult, case_data: dict[str, Any], fmt: str, created: str | None = None) -> Response:
    stamp = (created or datetime.now(UTC).isoformat())[:10].replace("-", "")
    if fmt == "pdf":
        return attachment(report.render_report_pdf(result, case_data, created=created), "application/pdf",
                          f"heelpath-report-{stamp}.pdf")
    return attachment(report.render_report_html(result, case_data, created=created), "text/html; charset=utf-8",
                      f"heelpath-report-{stamp}.html")


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return page(request, "index.html", {"nav": "home"})


@router.post("/report")
async def report_download(request: Request) -> Response:
    form = await request.form()
    fmt = "html" if form.get("format") == "html" else "pdf"
    try:
        case_data = case_field(form)
        result = heelpath.load().assess(case_data)
    except InputError as exc:
        return error_page(request, "The report could not be made", str(exc), 400)
    return report_response(result, case_data, fmt)
