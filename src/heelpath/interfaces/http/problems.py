"""Problem details (RFC 9457): how the JSON API answers an error.

Every error under /api is a problem-details object (``application/problem+json``) with a stable
``type``, a ``title``, the ``status`` and a ``detail`` that names the problem. The exception
handlers here are the one place where heelpath's errors become HTTP responses; elsewhere than /api
they leave the answer to FastAPI. The body guard (middleware.py) answers ``too-large`` and
``duplicate-key`` itself, before a route runs.

=====================================  ======  ===========================================
error                                  status  type (``urn:heelpath:problem:...``)
=====================================  ======  ===========================================
body is not valid JSON                 400     ``malformed-json``
body has the wrong shape or types      422     ``invalid-request``
a JSON object names a key twice        422     ``duplicate-key``
unknown finding id                     422     ``unknown-finding``
wrong or contradictory answer          422     ``invalid-answer``
invalid case (other)                   422     ``invalid-case``
saving without ``"consent": true``     422     ``consent-required``
no such saved assessment / path        404     ``not-found``
body too large                         413     ``too-large``
saved assessments unavailable          503     ``storage-unavailable``
knowledge base broken, other faults    500     ``server-error`` (safe message; details in the log)
=====================================  ======  ===========================================
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from heelpath.errors import (
    CaseFormatError,
    HeelpathError,
    InputError,
    InteroperabilityError,
    InvalidAnswerError,
    KnowledgeBaseError,
    StorageError,
    UnknownFindingError,
)
from heelpath.services.case import SidedAnswer

log = logging.getLogger("heelpath.api")

PREFIX = "/api"
PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE = "urn:heelpath:problem:"


class ProblemItem(BaseModel):
    """One problem with one part of the request."""

    location: str = Field(description="where: a dotted path into the body (e.g. `findings.age`), or `query.limit`")
    message: str


class Problem(BaseModel):
    """An error, as problem details (RFC 9457)."""

    type: str = Field(description="stable id of the kind of problem, e.g. `urn:heelpath:problem:unknown-finding`")
    title: str = Field(description="short, human-readable summary of the kind of problem")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what exactly is wrong, naming the field or value")
    errors: list[ProblemItem] = Field(default=[], description="each problem found in the request, when there are several")


class ApiProblem(Exception):
    """Raised by a route to answer with a problem (e.g. 404)."""

    def __init__(self, status: int, kind: str, title: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail, self.headers = status, kind, title, detail, headers


def problem(status: int, kind: str, title: str, detail: str, errors: list[dict[str, str]] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"type": PROBLEM_TYPE + kind, "title": title, "status": status, "detail": detail, "errors": errors or []}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


# -- exception handlers ------------------------------------------------------------------------

_INPUT_KINDS: tuple[tuple[type[InputError], str, str], ...] = (
    (UnknownFindingError, "unknown-finding", "Unknown finding"),
    (InvalidAnswerError, "invalid-answer", "Invalid answer"),
    (CaseFormatError, "invalid-case", "Invalid case"),
    (InputError, "invalid-input", "Invalid input"),
)
# Pydantic names the member of a union it tried in the error location; these are not fields.
_UNION_TAGS = {"bool", "int", "float", "str", "none", SidedAnswer.__name__, "SidedReply"}
_CUSTOM_MESSAGES = {
    ("body", "consent"): ("consent-required", "nothing was stored: saving an assessment needs \"consent\": true"),
}


def _is_api(request: Request) -> bool:
    path = request.url.path
    return path == PREFIX or path.startswith(PREFIX + "/")


async def _on_validation_error(request: Request, exc: RequestValidationError) -> Response:
    if not _is_api(request):
        return await request_validation_exception_handler(request, exc)
    errors = list(exc.errors())
    for err in errors:
        if err.get("type") == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "JSON decode error")
            position = err["loc"][1] if len(err.get("loc", ())) > 1 else None
            where = f" at character {position}" if isinstance(position, int) else ""
            detail = f"the body is not valid JSON: {reason}{where}"
            return problem(400, "malformed-json", "Malformed JSON", detail, [{"location": "body", "message": detail}])
    for err in errors:
        custom = _CUSTOM_MESSAGES.get(tuple(err.get("loc", ())))
        if custom:
            kind, message = custom
            return problem(422, kind, "Consent required", message, [{"location": "consent", "message": message}])
    items = _describe(errors, request)
    detail = "; ".join(f"{item['location']}: {item['message']}" for item in items)
    return problem(422, "invalid-request", "Invalid request", detail, items)


def _describe(errors: list[dict[str, Any]], request: Request) -> list[dict[str, str]]:
    grouped: dict[str, list[str]] = {}
    for err in errors:
        loc = [str(part) for part in err.get("loc", ())]
        source, parts = (loc[0], loc[1:]) if loc else ("body", [])
        parts = [p for p in parts if p not in _UNION_TAGS and not p.endswith("]")]
        if source == "body":
            location = ".".join(parts) or "body"
        else:
            location = ".".join([source, *parts])
        answer = _answer_expected(parts)
        if answer:
            grouped[location] = [answer]
            continue
        grouped.setdefault(location, [])
        message = _message(err, location, request)
        if message not in grouped[location]:
            grouped[location].append(message)
    items = []
    for location, messages in grouped.items():
        first, rest = messages[0], [m.removeprefix("Input should be ") for m in messages[1:]]
        items.append({"location": location, "message": " or ".join([first, *rest])})
    return items


def _answer_expected(parts: list[str]) -> str | None:
    """For an answer of the wrong type: what this finding takes, from the knowledge base."""
    if len(parts) != 2 or parts[0] not in ("findings", "answers"):
        return None
    import heelpath

    kb = heelpath.load().kb
    if not kb.has_finding(parts[1]):
        return f"unknown finding id {parts[1]!r} (see GET /api/kb/findings)"
    finding = kb.finding(parts[1])
    unknown = ', "unknown"' if parts[0] == "answers" else ""
    if finding.type == "number":
        low, high = finding.range or (0, 0)
        return f"expected a number of {finding.unit} ({low:g}-{high:g}){unknown} or null"
    if finding.lateralised:
        return f'expected true, false{unknown}, null or {{"present": true|false, "side": "left"|"right"|"both"}}'
    return f"expected true, false{unknown} or null"


def _message(err: dict[str, Any], location: str, request: Request) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "a JSON body is required" if location == "body" else "required"
    if kind == "extra_forbidden":
        return "unknown field: not allowed here"
    if location == "body" and kind in ("model_attributes_type", "dict_type", "model_type"):
        content_type = request.headers.get("content-type", "")
        hint = "" if "json" in content_type else " sent with Content-Type: application/json"
        return f"the body must be a JSON object{hint}"
    return str(err.get("msg", "invalid"))


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if not _is_api(request):
        return await http_exception_handler(request, exc)
    kinds = {400: ("malformed-json", "Malformed JSON"), 404: ("not-found", "Not found"),
             405: ("method-not-allowed", "Method not allowed"), 413: ("too-large", "Body too large")}
    kind, title = kinds.get(exc.status_code, ("http-error", "HTTP error"))
    detail = exc.detail if isinstance(exc.detail, str) else title
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no API endpoint at {request.url.path}"
    if exc.status_code == 400 and detail == "There was an error parsing the body":
        detail = "the body could not be read as JSON (nested too deeply, or a number too long?)"
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    return problem(exc.status_code, kind, title, detail, headers=getattr(exc, "headers", None))


async def _on_api_problem(request: Request, exc: ApiProblem) -> Response:
    return problem(exc.status, exc.kind, exc.title, exc.detail, headers=exc.headers)


async def _on_heelpath_error(request: Request, exc: HeelpathError) -> Response:
    if isinstance(exc, InputError):
        for cls, kind, title in _INPUT_KINDS:
            if isinstance(exc, cls):
                return problem(422, kind, title, str(exc))
    if isinstance(exc, InteroperabilityError):
        return problem(422, "not-mappable", "Cannot be mapped", str(exc))
    if isinstance(exc, StorageError):
        log.error("assessment store: %s", exc)
        return problem(503, "storage-unavailable", "Saved assessments unavailable",
                       "saved assessments cannot be read or written right now; the server log has the details")
    if isinstance(exc, KnowledgeBaseError):
        log.error("knowledge base: %s", exc)
        return problem(500, "server-error", "Knowledge base unavailable",
                       "the knowledge base failed to load or validate; the server log has the details")
    log.error("unexpected heelpath error: %r", exc)
    return problem(500, "server-error", "Server error", "an internal error occurred; the server log has the details")


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if not _is_api(request):
        return Response("Internal Server Error", status_code=500, media_type="text/plain")
    return problem(500, "server-error", "Server error", "an internal error occurred; the server log has the details")


def add_handlers(app: FastAPI) -> None:
    """Register the handlers on `app`: errors under /api become problems, others get FastAPI's answers."""
    # Starlette types a handler as taking any Exception; each of these takes the class it is registered for
    app.add_exception_handler(RequestValidationError, _on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(ApiProblem, _on_api_problem)  # type: ignore[arg-type]
    app.add_exception_handler(HeelpathError, _on_heelpath_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _on_unexpected)
