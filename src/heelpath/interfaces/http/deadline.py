"""Slow clients are closed: each request must arrive whole (headers and body) within a deadline.

uvicorn closes a keep-alive connection that stays idle after a response (``timeout_keep_alive``),
but waits forever for a request that never starts or never finishes: a connection that sends
nothing, half its headers, or half its body holds a socket and a task indefinitely (slowloris).
This protocol arms a timer when a request starts (a new connection, or the first bytes after a
response) and closes the connection when the request is not complete by then; an unfinished
request line or headers gets ``408 Request Timeout`` first. The application's own time is not
limited: the timer stops once the request is in.

``heelpath serve`` uses it (``HEELPATH_REQUEST_TIMEOUT`` seconds, default 20).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("heelpath.http")
DEFAULT_REQUEST_TIMEOUT = 20.0
_TIMEOUT_408 = b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"


def request_timeout() -> float:
    """Seconds a client has to send one whole request (HEELPATH_REQUEST_TIMEOUT, default 20)."""
    raw = os.environ.get("HEELPATH_REQUEST_TIMEOUT", "")
    try:
        value = float(raw) if raw else DEFAULT_REQUEST_TIMEOUT
    except ValueError:
        value = DEFAULT_REQUEST_TIMEOUT
    return value if 0 < value <= 3600 else DEFAULT_REQUEST_TIMEOUT


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request to arrive."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._timeout = request_timeout()
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self.cycle is None or self.cycle.response_complete:
            self._arm()  # a new request starts on this connection
        super().data_received(data)
        if self.cycle is not None and not self.cycle.more_body:
            self._disarm()  # the request is in: the application's time is its own

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self._timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        log.info("closing a connection from %s: no whole request within %g s", self.client, self._timeout)
        if self.cycle is None or self.cycle.response_complete or not self.cycle.response_started:
            self.transport.write(_TIMEOUT_408)  # no response of this request has begun: say why
        self.transport.close()
