"""Clinician sign-in for the saved assessments.

=====================================  =======================================================
route                                  page
=====================================  =======================================================
``GET|POST /login``                    sign in (accounts: ``heelpath users add``)
``POST /logout``                       sign out
=====================================  =======================================================

The session is a random secret in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS), kept
on the server as its hash for eight hours; signing out ends it on the server too. After
MAX_FAILURES failed sign-ins from one address within FAILURE_WINDOW seconds, that address is
refused (429) until the window has passed; the count is kept per server process (``FailedSignIns``).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from heelpath.errors import StorageError
from heelpath.interfaces.http.auth import SESSION_COOKIE, accounts_of
from heelpath.interfaces.http.web.shared import error_page, page
from heelpath.services.accounts import SESSION_HOURS

router = APIRouter(include_in_schema=False)
MAX_FIELD = 200  # a user name or password longer than this is not one heelpath issued
MAX_FAILURES = 10
FAILURE_WINDOW = 15 * 60


class FailedSignIns:
    """Recent failed sign-ins by client address, in this process."""

    def __init__(self) -> None:
        self._times: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def count(self, address: str, add: bool = False) -> int:
        """Failed sign-ins from `address` in the window (adding one when `add`)."""
        now = time.monotonic()
        with self._lock:
            times = self._times[address]
            while times and now - times[0] > FAILURE_WINDOW:
                times.popleft()
            if add:
                times.append(now)
            count = len(times)
            if not times:
                del self._times[address]
            return count


def login_redirect(request: Request) -> RedirectResponse:
    """Send a visitor who is not signed in to the sign-in page, then back here."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _next(value: object) -> str:
    """Only a path on this site (never '//host' or a full URL): no open redirect."""
    target = str(value or "/saved")
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/saved"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/saved") -> HTMLResponse:
    return page(request, "login.html", {"nav": "saved", "next": _next(next), "configured": _configured(request)})


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await request.form()
    name, password = str(form.get("name") or "")[:MAX_FIELD], str(form.get("password") or "")[:MAX_FIELD]
    target = _next(form.get("next"))
    accounts = accounts_of(request)
    address = request.client.host if request.client else "unknown"
    failures: FailedSignIns = request.app.state.failed_sign_ins
    if failures.count(address) >= MAX_FAILURES:
        return error_page(request, "Too many failed sign-ins",
                          f"Sign-in from this address is paused for up to {FAILURE_WINDOW // 60} minutes.", 429,
                          "/", "Back to the start")
    try:
        who = accounts.sign_in(name, password) if name and password else None
        if who is None:
            # a name that is no account may be a password typed in the wrong box: not kept
            accounts.record(name if accounts.has_user(name) else "(unknown user)", "sign-in-failed")
            failures.count(address, add=True)
            return page(request, "login.html", {"nav": "saved", "next": target, "configured": _configured(request),
                                                "error": "The user name or password is not right."}, 401)
        session = accounts.start_session(who)
        accounts.record(who.name, "sign-in")
    except StorageError:
        return error_page(request, "Sign-in is unavailable",
                          "The accounts cannot be read right now; the server log has the details.", 503)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, session, max_age=SESSION_HOURS * 3600, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        accounts_of(request).end_session(session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _configured(request: Request) -> bool:
    try:
        return accounts_of(request).configured()
    except StorageError:
        return True  # say nothing about accounts when they cannot be read
