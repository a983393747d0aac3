"""Web hygiene for every response and request: security headers, trusted hosts, same-origin writes.

* **Headers** on every response: a Content-Security-Policy that allows only this server's own
  scripts (no inline script; styles may be inline for the printable report), ``frame-ancestors
  'none'`` and ``X-Frame-Options: DENY`` (no framing by another site), ``nosniff``, a same-origin
  ``Referrer-Policy``, and ``Cache-Control: no-store`` on everything but the static files (pages
  and API answers hold personal health information).
* **Trusted hosts**: a request whose ``Host`` is not one the server was configured for gets 400
  (DNS-rebinding protection); loopback names are always trusted.
* **Same-origin writes** (CSRF): a POST, PUT, PATCH or DELETE that a browser sends from another
  origin (``Origin`` or ``Referer`` naming another site, ``Origin: null``, or ``Sec-Fetch-Site:
  cross-site``) gets 403. Clients that are not browsers send none of these and are not affected;
  they are held to authentication instead. The CDS Hooks paths are the exception: browser-based
  EHRs call them from their own origin, and every call there carries a signed JWT, never a cookie.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import HTMLResponse, PlainTextResponse

from heelpath.interfaces.http.problems import PREFIX, problem

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
_NO_STORE = (b"cache-control", b"no-store")
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
CROSS_ORIGIN_ALLOWED = "/cds-services"


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response (no-store but on /static)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope.get("path", "").startswith("/static/")

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if cacheable or h[0].lower() != b"cache-control"]
                present = {name.lower() for name, _ in headers}
                headers += [h for h in _HEADERS if h[0] not in present]
                message = {**message, "headers": headers if cacheable else [*headers, _NO_STORE]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostAndOriginGuard:
    """ASGI middleware: refuse an untrusted Host (400) and a cross-origin write from a browser (403)."""

    def __init__(self, app: Any, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed_hosts} | set(LOOPBACK_HOSTS)
        self.any_host = "*" in self.allowed

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}
        host = headers.get("host", "")
        if not self.any_host and _hostname(host) not in self.allowed:
            response = PlainTextResponse(f"Invalid host header: {host[:100]!r} is not a host this server answers",
                                         status_code=400)
            await response(scope, receive, send)
            return
        path = scope.get("path", "")
        signed_only = path == CROSS_ORIGIN_ALLOWED or path.startswith(CROSS_ORIGIN_ALLOWED + "/")
        if scope.get("method") in _UNSAFE_METHODS and not signed_only and _cross_origin(
                headers, scope.get("scheme", "http"), host):
            await _refuse_cross_origin(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _hostname(host: str) -> str:
    """The name part of a Host header ("127.0.0.1:8000" -> "127.0.0.1", "[::1]:80" -> "::1")."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _cross_origin(headers: dict[str, str], scheme: str, host: str) -> bool:
    """True when a browser says this request comes from another site than this server."""
    if headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = headers.get("origin")
    if origin is not None:
        return origin.strip().lower() == "null" or not _same_origin(origin, scheme, host)
    referer = headers.get("referer")
    return referer is not None and not _same_origin(referer, scheme, host)


def _same_origin(url: str, scheme: str, host: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    # behind a TLS-terminating proxy the scheme the server sees may differ; the host must match
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.strip().lower()


async def _refuse_cross_origin(scope: dict[str, Any], receive: Any, send: Any) -> None:
    detail = "a request that changes data must come from this server's own pages"
    path = scope.get("path", "")
    if path == PREFIX or path.startswith(PREFIX + "/"):
        response: Any = problem(403, "cross-origin", "Cross-origin request refused", detail)
    else:
        response = HTMLResponse(f"<!doctype html><title>Refused</title><h1>Refused</h1><p>{detail}.</p>",
                                status_code=403)
    await response(scope, receive, send)
