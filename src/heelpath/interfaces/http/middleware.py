"""ASGI middleware for the JSON API: the body guard (size limit, duplicate-key refusal)."""

from __future__ import annotations

import json
from typing import Any

from heelpath.interfaces.http.problems import PREFIX, problem

MAX_BODY_BYTES = 256 * 1024
#: the paths whose bodies are JSON read by heelpath, and their size limits: a CDS Hooks call carries
#: the patient's prefetched records
GUARDED = {PREFIX: MAX_BODY_BYTES, "/cds-services": 1024 * 1024}


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


class BodyGuard:
    """ASGI middleware for /api and /cds-services request bodies, before FastAPI reads them.

    A body over its path's limit gets a 413 problem without being read further. A JSON object that
    names the same key twice (``{"fever": true, "fever": false}``) gets a 422 problem: a JSON
    parser would silently keep the last value, which hides a contradictory answer.
    """

    def __init__(self, app: Any, limits: dict[str, int] | None = None) -> None:
        self.app, self.limits = app, GUARDED if limits is None else limits

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        limit = next((n for prefix, n in self.limits.items() if path == prefix or path.startswith(prefix + "/")), None)
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS") or limit is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._problem(scope, receive, send, 413, "too-large", "Body too large",
                                f"the body is larger than {limit // 1024} KiB")
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await self._problem(scope, receive, send, 413, "too-large", "Body too large",
                                    f"the body is larger than {limit // 1024} KiB")
                return
            if not message.get("more_body", False):
                break
        if b"json" in headers.get(b"content-type", b""):
            try:
                json.loads(body, object_pairs_hook=_refuse_duplicates)
            except _DuplicateKey as exc:
                detail = f"the key {exc.key!r} appears twice in one JSON object; give each field or answer once"
                await self._problem(scope, receive, send, 422, "duplicate-key", "Duplicate key", detail,
                                    [{"location": exc.key, "message": "given twice"}])
                return
            except (ValueError, RecursionError):
                pass  # not valid JSON: FastAPI answers that (400)
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _problem(scope: dict[str, Any], receive: Any, send: Any, status: int, kind: str, title: str,
                       detail: str, errors: list[dict[str, str]] | None = None) -> None:
        headers = {"Connection": "close"} if status == 413 else None
        await problem(status, kind, title, detail, errors, headers=headers)(scope, receive, send)
