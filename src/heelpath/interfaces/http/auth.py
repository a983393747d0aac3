"""Who a request acts for, on the saved assessments: an API token, a web sign-in, or an owner key.

- ``Authorization: Bearer hp_...``: an API token (``heelpath tokens create``), with its scopes;
- the ``heelpath_session`` cookie: a clinician signed in on the web app (``/login``); HttpOnly,
  SameSite=Strict, and the origin guard refuses writes from other sites (security.py);
- ``X-Owner-Key`` header or ``?key=`` in a link: the secret given once to whoever saved a record,
  good for that record alone.

Every read, export and delete is written to the audit log.
"""

from __future__ import annotations

from fastapi import Request

from heelpath.services.accounts import Accounts, Principal, Scope, owner
from heelpath.services.storage import AssessmentStore

SESSION_COOKIE = "heelpath_session"
OWNER_HEADER = "X-Owner-Key"


def accounts_of(request: Request) -> Accounts:
    return request.app.state.accounts


def principal(request: Request, record_id: str | None = None) -> Principal | None:
    """The principal of the request's token, session or (for `record_id`) owner key, or None; looked
    up once per request (a page asks several times: may it read, may it delete, which links)."""
    known: dict[str | None, Principal | None] | None = getattr(request.state, "principals", None)
    if known is None:
        known = request.state.principals = {}
    if record_id not in known:
        known[record_id] = _lookup(request, record_id)
    return known[record_id]


def _lookup(request: Request, record_id: str | None) -> Principal | None:
    accounts = accounts_of(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return accounts.check_token(token.strip())
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        signed_in = accounts.check_session(session)
        if signed_in is not None:
            return signed_in
    key = owner_key(request)
    if record_id is not None and key and accounts.store.is_owner(record_id, key):
        return owner(record_id)
    return None


def owner_key(request: Request) -> str | None:
    return request.headers.get(OWNER_HEADER) or request.query_params.get("key")


def check(request: Request, scope: Scope, action: str, record_id: str | None = None) -> Principal | str:
    """The principal allowed to do `action`, audited; or why not: "unauthenticated" or "forbidden"."""
    who = principal(request, record_id)
    if who is None:
        return "unauthenticated"
    if not who.may(scope):
        accounts_of(request).record(who.name, f"refused:{action}", record_id)
        return "forbidden"
    accounts_of(request).record(who.name, action, record_id)
    return who


def install(app: object, store: AssessmentStore) -> None:
    """Give the application its accounts, on the store of saved assessments."""
    app.state.accounts = Accounts(store)  # type: ignore[attr-defined]
