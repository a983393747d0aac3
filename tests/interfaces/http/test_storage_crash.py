"""Data safety with a real server: kill -9 during writes loses no assessment already confirmed.

A real `heelpath serve` (uvicorn) runs on 127.0.0.1 on a free port. Several clients save
assessments; once a number of saves have been confirmed (201), the server is killed with
SIGKILL while writes are still in flight. A new server on the same database must return every
confirmed assessment, intact. Everything is bounded in count; nothing is timed.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from heelpath.services.accounts import Accounts
from heelpath.services.storage import AssessmentStore

from .api_support import example_case

WRITERS = 4
SAVES_PER_WRITER = 60  # at most 240 requests
CONFIRMED_BEFORE_KILL = 40
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m heelpath serve` on loopback, stopped (killed) on exit."""

    def __init__(self, database: Path | str, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("ab")
        url = isinstance(database, str)  # a PostgreSQL URL, else a SQLite file
        self.process = subprocess.Popen(
            [sys.executable, "-m", "heelpath", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             *([] if url else ["--db", str(database)]), "--log-level", "warning"],
            stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, "HEELPATH_DATABASE_URL": str(database) if url else ""},
        )
        self.log = log

    def wait_ready(self) -> None:
        with httpx.Client(trust_env=False, timeout=2.0) as client:
            for _ in range(600):  # at most about a minute
                if self.process.poll() is not None:
                    pytest.fail(f"server exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
                try:
                    if client.get(f"{self.url}/api/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        pytest.fail(f"server did not answer on {self.url}:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._log.close()

    def __enter__(self) -> Server:
        self.wait_ready()
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_9_during_writes_loses_nothing_confirmed(tmp_path, request, backend):
    database: Path | str = (tmp_path / "crash.sqlite3" if backend == "sqlite"
                            else request.getfixturevalue("postgres_url"))
    confirmed: list[tuple[str, str, dict]] = []
    lock = threading.Lock()
    enough = threading.Event()
    template = example_case()

    with Server(database, tmp_path / "server1.log") as server:

        def writer(n: int) -> None:
            with httpx.Client(base_url=server.url, trust_env=False, timeout=10.0) as client:
                for k in range(SAVES_PER_WRITER):
                    case = {**template, "age": 20 + (n * SAVES_PER_WRITER + k) % 80}
                    try:
                        response = client.post("/api/assessments", json={"consent": True, "case": case})
                    except httpx.TransportError:
                        return  # the server is gone
                    if response.status_code != 201:
                        continue
                    with lock:
                        saved = response.json()
                        confirmed.append((saved["id"], saved["owner_key"], case))
                        if len(confirmed) >= CONFIRMED_BEFORE_KILL:
                            enough.set()

        threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
        for t in threads:
            t.start()
        enough.wait(timeout=120)
        server.kill()  # SIGKILL with requests in flight
        for t in threads:
            t.join(timeout=60)

    with lock:
        kept = list(confirmed)
    assert len(kept) >= CONFIRMED_BEFORE_KILL, Path(server.log).read_text()[-3000:]

    if backend == "sqlite":
        with sqlite3.connect(database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    store = AssessmentStore(database)
    Accounts(store).add_user("dr.after", "a long pass phrase", "clinician")
    token = Accounts(store).create_token("dr.after", ["read"], "after the crash")
    store.close()
    with Server(database, tmp_path / "server2.log") as again, \
            httpx.Client(base_url=again.url, trust_env=False, timeout=10.0) as client:
        for assessment_id, owner_key, case in kept:
            response = client.get(f"/api/assessments/{assessment_id}", headers={"X-Owner-Key": owner_key})
            assert response.status_code == 200, (assessment_id, response.text)
            assert response.json()["case"] == case
        listing = client.get("/api/assessments", params={"limit": 1}, headers={"Authorization": f"Bearer {token}"})
        assert listing.json()["total"] >= len(kept)
