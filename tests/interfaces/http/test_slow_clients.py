"""Slow clients are closed (deadline.py): a real uvicorn server with a one-second request deadline,
and raw sockets that send nothing, half the headers or half the body."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings
from heelpath.interfaces.http.deadline import DeadlineH11Protocol

WAIT = 30.0  # a bound on each socket read, far above the one-second deadline


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    mp = pytest.MonkeyPatch()
    mp.setenv("HEELPATH_REQUEST_TIMEOUT", "1")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    app = create_app(Settings(database_path=Path(tmp_path_factory.mktemp("slow")) / "s.sqlite3"))
    server = uvicorn.Server(uvicorn.Config(app, http=DeadlineH11Protocol, timeout_keep_alive=5, log_level="warning",
                                           lifespan="off", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(300):
        if server.started:
            break
        time.sleep(0.1)
    assert server.started
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(timeout=15)
    sock.close()
    mp.undo()


def _connect(port: int) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
    client.settimeout(WAIT)
    return client


def _read_until_closed(client: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a read timeout fails the test)."""
    received = b""
    while chunk := client.recv(4096):
        received += chunk
    return received


@pytest.mark.parametrize("sent", [
    b"",  # connects and says nothing
    b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # headers never finished
])
def test_a_request_that_never_arrives_gets_408_and_is_closed(port, sent):
    with _connect(port) as client:
        client.sendall(sent)
        assert _read_until_closed(client).startswith(b"HTTP/1.1 408 ")


def test_a_body_that_never_arrives_is_closed(port):
    with _connect(port) as client:
        client.sendall(b"POST /api/assess HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                       b"content-length: 1000\r\n\r\n{\"age\": 4")
        _read_until_closed(client)  # closed, not left waiting for the other 990 bytes


def test_whole_requests_on_one_connection_are_answered(port):
    request = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with _connect(port) as client:
        for _ in range(2):
            client.sendall(request)
            assert _response(client).startswith(b"HTTP/1.1 200 ")
            time.sleep(1.5)  # longer than the deadline, shorter than keep-alive: the deadline is not running


def _response(client: socket.socket) -> bytes:
    """One whole response (its body by Content-Length)."""
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += client.recv(4096)
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += client.recv(4096)
    return head + b"\r\n\r\n" + body
