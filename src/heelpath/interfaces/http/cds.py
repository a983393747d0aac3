"""CDS Hooks 2.0 over HTTP: discovery at ``GET /cds-services``, the services at
``POST /cds-services/{id}`` and their feedback at ``POST /cds-services/{id}/feedback``.

Every service call carries a signed JWT (cds_trust.py); without a trust file no call is accepted.
Browser-based EHRs may call from another origin (CORS: any origin, no cookies). An error answers
an OperationOutcome: 400 for a request that is not a valid hook call, 401 for a missing or
unacceptable JWT, 412 when required prefetch is missing and the FHIR server cannot be asked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.middleware.cors import CORSMiddleware

import heelpath
from heelpath.errors import HeelpathError, InputError, InteroperabilityError
from heelpath.interfaces.http.cds_trust import CdsTrust, CdsUnauthorized, TrustedIssuer
from heelpath.services import cds
from heelpath.services.cds_records import CdsRecords
from heelpath.services.fhir.resources import operation_outcome
from heelpath.services.jsonio import MAX_BYTES, decode, parse_json

PREFIX = "/cds-services"
FETCH_TIMEOUT = 5.0  # connect and each read
FETCH_DEADLINE = 10.0  # the whole answer
log = logging.getLogger("heelpath.cds")
router = APIRouter(prefix=PREFIX, tags=["cds-hooks"])


def _outcome(status: int, message: str, code: str = "invalid", headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(operation_outcome(message, code), status_code=status, headers=headers)


@lru_cache(maxsize=4)
def _trust(path: Path, mtime: float) -> CdsTrust:
    return CdsTrust.load(path)


def _check_token(request: Request, service_id: str) -> TrustedIssuer | JSONResponse:
    """The trusted issuer of the call's JWT, or the answer refusing it (blocking: the database, and
    perhaps the issuer's JWKS URL; run it in a thread)."""
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
    try:
        issuer, _ = trust.verify(request.headers.get("authorization"), f"{_base(request)}{PREFIX}/{service_id}",
                                 CdsRecords(request.app.state.assessment_store).first_use)
    except CdsUnauthorized as exc:
        return _outcome(401, str(exc), "security", unauthorised)
    return issuer


def _base(request: Request) -> str:
    return request.app.state.settings.public_url or str(request.base_url).rstrip("/")


def _fetcher(issuer: TrustedIssuer) -> cds.Fetch:
    """GET one query from a FHIR server the issuer may name, with the call's access token; bounded in
    time and size. Any failure is a 412 whose message names the query, not the network error."""

    def fetch(server: str, query: str, authorization: dict[str, Any] | None) -> Any:
        import httpx

        if server.rstrip("/") not in issuer.fhir_servers:
            raise cds.PrefetchMissing("the prefetch is incomplete and fhirServer is not one of this issuer's FHIR "
                                      "servers in the trust file")
        headers = {"Accept": "application/fhir+json"}
        if authorization and isinstance(authorization.get("access_token"), str):
            headers["Authorization"] = f"Bearer {authorization['access_token']}"
        deadline = time.monotonic() + FETCH_DEADLINE
        body = bytearray()
        try:
            with httpx.stream("GET", f"{server.rstrip('/')}/{query}", headers=headers, timeout=FETCH_TIMEOUT,
                              follow_redirects=False) as response:
                response.raise_for_status()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES or time.monotonic() > deadline:
                        raise cds.PrefetchMissing(f"the FHIR server's answer to {query.split('?')[0]} is too large "
                                                  "or too slow")
            return parse_json(decode(bytes(body), "the FHIR server's answer"))
        except (httpx.HTTPError, InputError) as exc:
            log.warning("CDS Hooks fetch of %s from %s failed: %s", query.split("?")[0], server, exc)
            raise cds.PrefetchMissing(f"the FHIR server could not be asked for {query.split('?')[0]}") from None

    return fetch


def _links(request: Request) -> list[dict[str, str]]:
    return [{"label": "Open heelpath (clinician view)", "url": f"{_base(request)}/clinician", "type": "absolute"}]


@router.get("")
def discovery() -> dict[str, Any]:
    """The services this server offers (CDS Hooks discovery; no token needed)."""
    return cds.discovery(heelpath.load())


@router.post("/{service_id}")
async def call_service(service_id: str, request: Request) -> JSONResponse:
    return await _signed_call(request, service_id, service_id, _call_service)


@router.post("/{service_id}/feedback")
async def feedback(service_id: str, request: Request) -> JSONResponse:
    return await _signed_call(request, service_id, f"{service_id}/feedback", _feedback)


Work = Callable[[Request, str, TrustedIssuer, Any], JSONResponse]


async def _signed_call(request: Request, service_id: str, endpoint: str, work: Work) -> JSONResponse:
    """Check the service, the token (for `endpoint`) and the JSON body, then do `work` off the event loop."""
    if service_id not in cds.HOOKS:
        return _outcome(404, f"no CDS service {service_id[:100]!r}", "not-found")
    body = await request.body()

    def run() -> JSONResponse:
        issuer = _check_token(request, endpoint)
        if isinstance(issuer, JSONResponse):
            return issuer
        try:
            data = parse_json(decode(body, "the request"), "the request")
        except InputError as exc:
            return _outcome(400, str(exc))
        return work(request, service_id, issuer, data)

    return await run_in_threadpool(run)


def _call_service(request: Request, service_id: str, issuer: TrustedIssuer, data: Any) -> JSONResponse:
    hp = heelpath.load()
    try:
        hook = cds.parse_request(service_id, data)
        if service_id == cds.PATIENT_VIEW:
            answer = cds.patient_view(hp, hook, _fetcher(issuer), _links(request))
        else:
            answer = cds.order_cards(hp, service_id, hook, _fetcher(issuer), _links(request))
    except cds.PrefetchMissing as exc:
        return _outcome(412, str(exc), "incomplete")
    except (InputError, InteroperabilityError) as exc:
        return _outcome(400, str(exc))
    return JSONResponse(answer)


def _feedback(request: Request, service_id: str, issuer: TrustedIssuer, data: Any) -> JSONResponse:
    try:
        items = cds.FeedbackRequest.model_validate(data).feedback
    except ValueError as exc:
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

