"""CDS Hooks 2.0 over HTTP: discovery at ``GET /cds-services``, the services at
``POST /cds-services/{id}`` and their feedback at ``POST /cds-services/{id}/feedback``.

Every service call carries a signed JWT (cds_trust.py); without a trust file no call is accepted.
Browser-based EHRs may call from another origin (CORS: any origin, no cookies). An error answers
an OperationOutcome: 400 for a request that is not a valid hook call, 401 for a missing or
unacceptable JWT, 412 when required prefetch is missing and the FHIR server cannot be asked.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.cors import CORSMiddleware

import heelpath
from heelpath.errors import HeelpathError, InputError, InteroperabilityError
from heelpath.interfaces.http.cds_trust import CdsTrust, CdsUnauthorized
from heelpath.services import cds
from heelpath.services.cds_records import CdsRecords
from heelpath.services.fhir.resources import operation_outcome
from heelpath.services.jsonio import parse_json

PREFIX = "/cds-services"
FETCH_TIMEOUT = 5.0
log = logging.getLogger("heelpath.cds")
router = APIRouter(prefix=PREFIX, tags=["cds-hooks"])


def _outcome(status: int, message: str, code: str = "invalid", headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(operation_outcome(message, code), status_code=status, headers=headers)


@lru_cache(maxsize=4)
def _trust(path: Path, mtime: float) -> CdsTrust:
    return CdsTrust.load(path)


def _authorised(request: Request, service_id: str) -> JSONResponse | None:
    settings = request.app.state.settings
    unauthorised = {"WWW-Authenticate": "Bearer"}
    if settings.cds_trust is None:
        return _outcome(401, "no CDS Hooks clients are trusted: start the server with --cds-trust FILE", "security",
                        unauthorised)
    try:
        trust = _trust(settings.cds_trust, settings.cds_trust.stat().st_mtime)
    except (OSError, HeelpathError) as exc:
        log.error("CDS Hooks trust file: %s", exc)
        return _outcome(503, "the CDS Hooks trust file cannot be read; the server log has the details", "exception")
    base = settings.public_url or str(request.base_url).rstrip("/")
    try:
        trust.verify(request.headers.get("authorization"), f"{base}{PREFIX}/{service_id}",
                     CdsRecords(request.app.state.assessment_store).first_use)
    except CdsUnauthorized as exc:
        return _outcome(401, str(exc), "security", unauthorised)
    return None


async def _body(request: Request) -> Any:
    return parse_json((await request.body()).decode("utf-8", errors="strict"), "the request")


def _fetch(server: str, query: str, authorization: dict[str, Any] | None) -> Any:
    """GET one query from the EHR's FHIR server, with its access token; any failure is a 412."""
    import httpx

    if not server.startswith(("https://", "http://")):
        raise cds.PrefetchMissing(f"fhirServer {server[:100]!r} is not an http(s) URL")
    headers = {"Accept": "application/fhir+json"}
    if authorization and authorization.get("access_token"):
        headers["Authorization"] = f"Bearer {authorization['access_token']}"
    try:
        response = httpx.get(f"{server.rstrip('/')}/{query}", headers=headers, timeout=FETCH_TIMEOUT,
                             follow_redirects=False)
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise cds.PrefetchMissing(f"the FHIR server could not be asked for {query.split('?')[0]}: {exc}") from None


def _links(request: Request) -> list[dict[str, str]]:
    base = request.app.state.settings.public_url or str(request.base_url).rstrip("/")
    return [{"label": "Open heelpath (clinician view)", "url": f"{base}/clinician", "type": "absolute"}]


@router.get("")
def discovery() -> dict[str, Any]:
    """The services this server offers (CDS Hooks discovery; no token needed)."""
    return cds.discovery(heelpath.load())


@router.post("/{service_id}")
async def call_service(service_id: str, request: Request) -> JSONResponse:
    if service_id not in cds.HOOKS:
        return _outcome(404, f"no CDS service {service_id[:100]!r}", "not-found")
    refused = _authorised(request, service_id)
    if refused is not None:
        return refused
    hp = heelpath.load()
    try:
        hook = cds.parse_request(service_id, await _body(request))
        if service_id == cds.PATIENT_VIEW:
            answer = cds.patient_view(hp, hook, _fetch, _links(request))
        else:
            answer = cds.order_cards(hp, service_id, hook, _fetch, _links(request))
    except cds.PrefetchMissing as exc:
        return _outcome(412, str(exc), "incomplete")
    except (InputError, InteroperabilityError, UnicodeDecodeError) as exc:
        return _outcome(400, str(exc))
    return JSONResponse(answer)


@router.post("/{service_id}/feedback")
async def feedback(service_id: str, request: Request) -> JSONResponse:
    if service_id not in cds.HOOKS:
        return _outcome(404, f"no CDS service {service_id[:100]!r}", "not-found")
    refused = _authorised(request, service_id + "/feedback")
    if refused is not None:
        return refused
    try:
        items = cds.FeedbackRequest.model_validate(await _body(request)).feedback
    except (InputError, UnicodeDecodeError, ValueError) as exc:
        return _outcome(400, f"not a CDS Hooks feedback request: {str(exc)[:500]}")
    stored = CdsRecords(request.app.state.assessment_store).add_feedback(service_id, items)
    return JSONResponse({"stored": stored})


class ScopedCORS:
    """CORS for the CDS Hooks paths only (browser EHRs call them from their own origin); the web app
    and the JSON API stay same-origin."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.cors = CORSMiddleware(app, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                                   allow_headers=["Authorization", "Content-Type"], max_age=600)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        target = self.cors if path == PREFIX or path.startswith(PREFIX + "/") else self.app
        await target(scope, receive, send)


def install(app: FastAPI) -> None:
    app.include_router(router)

