"""Clinician sign-in for the saved assessments.

=====================================  =======================================================
route                                  page
=====================================  =======================================================
``GET|POST /login``                    sign in (accounts: ``heelpath users add``)
``POST /logout``                       sign out
=====================================  =======================================================

The session is a random secret in an HttpOnly, SameSite=Strict cookie (Secure over HTTPS), kept
on the server as its hash for eight hours; signing out ends it on the server too.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from heelpath.errors import StorageError
from heelpath.interfaces.http.auth import SESSION_COOKIE, accounts_of
from heelpath.interfaces.http.web.shared import error_page, page
from heelpath.services.accounts import SESSION_HOURS

router = APIRouter(include_in_schema=False)
MAX_FIELD = 200  # a user name or password longer than this is not one heelpath issued


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
    try:
        who = accounts.sign_in(name, password) if name and password else None
        if who is None:
            # a name that is no account may be a password typed in the wrong box: not kept
            accounts.record(name if accounts.has_user(name) else "(unknown user)", "sign-in-failed")
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
