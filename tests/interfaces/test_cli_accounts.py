"""`heelpath users`, `tokens` and `audit`, and `serve` refusing to listen beyond loopback without
an account: real processes on a temporary database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("argon2")


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "heelpath", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def test_an_account_and_a_token_made_on_the_command_line_read_the_api(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from heelpath.interfaces.http.app import create_app
    from heelpath.interfaces.http.config import Settings

    db = str(tmp_path / "h.sqlite3")
    added = run("users", "add", "dr.khan", "--password-stdin", "--db", db, stdin="a long pass phrase\n")
    assert added.returncode == 0, added.stderr
    made = run("tokens", "create", "dr.khan", "--scope", "read", "--label", "ward", "--db", db)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("hp_") and "shown once" in made.stderr
    listed = run("tokens", "list", "--db", db)
    assert token.split("_")[1] in listed.stdout and token.split("_", 2)[2] not in listed.stdout

    with TestClient(create_app(Settings(database_path=Path(db))), base_url="http://127.0.0.1") as client:
        assert client.get("/api/assessments", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert run("tokens", "revoke", token.split("_")[1], "--db", db).returncode == 0
        assert client.get("/api/assessments", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    audit = run("audit", "--db", db)
    assert "list" in audit.stdout and f"token:{token.split('_')[1]}" in audit.stdout


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("users", "add", "dr.j", "--password-stdin"), "short\n", "at least 12 characters"),
    (("users", "add", "Dr J", "--password-stdin"), "a long pass phrase\n", "user names are"),
    (("users", "add", "dr.j", "--role", "god", "--password-stdin"), "a long pass phrase\n", "role must be"),
    (("users", "add", "dr.j"), "", "--password-stdin"),  # no terminal to ask on
    (("users", "remove", "nobody"), None, "no user 'nobody'"),
    (("tokens", "create", "nobody"), None, "no user 'nobody'"),
    (("tokens", "revoke", "abc"), None, "no live token"),
])
def test_bad_account_commands_say_why_and_exit_2(tmp_path: Path, args, stdin, message) -> None:
    proc = run(*args, "--db", str(tmp_path / "h.sqlite3"), stdin=stdin)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_a_token_with_an_unknown_scope_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "h.sqlite3")
    run("users", "add", "dr.khan", "--password-stdin", "--db", db, stdin="a long pass phrase\n")
    proc = run("tokens", "create", "dr.khan", "--scope", "everything", "--db", db)
    assert proc.returncode == 2 and "scopes must be some of read, export, delete" in proc.stderr


def test_serve_refuses_to_listen_beyond_loopback_without_an_account(tmp_path: Path) -> None:
    db = tmp_path / "none.sqlite3"
    proc = run("serve", "--host", "0.0.0.0", "--port", "0", "--db", str(db))
    assert proc.returncode == 2
    assert "refusing to listen on 0.0.0.0" in proc.stderr and "heelpath users add" in proc.stderr
    assert not db.exists()  # asking created nothing
