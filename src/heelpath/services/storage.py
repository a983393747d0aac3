"""Saved assessments: a small SQLite store (standard library ``sqlite3``), used only with consent.

One file holds every saved assessment. It is opened in WAL mode with ``synchronous=FULL``, so
once :meth:`AssessmentStore.save` has returned, the record is on disk and survives the process
being killed (``kill -9``) or the machine losing power. Nothing touches the disk until the first
save: listing or reading a store whose file does not exist yet gives nothing and creates nothing.

A record is::

    id          uuid4, as text
    created     ISO 8601 time in UTC, e.g. 2026-11-24T12:00:00.123456+00:00
    kb_version  knowledge-base version the result was computed with
    kb_hash     knowledge-base content hash (sha256)
    case        the case as given (JSON)
    result      the full assessment result (JSON)
    owner key   sha256 of the secret given once to whoever saved it: their link to this record alone

The same file holds the clinician accounts, API tokens, sign-in sessions and the audit log
(:mod:`heelpath.services.accounts`).

Given a ``postgresql://`` URL instead of a file, the same tables live in a PostgreSQL database
(psycopg 3), for several workers on several machines; the layout is migrated in place under an
advisory lock. PostgreSQL keeps a deleted record's bytes in its files until the space is reused:
use an encrypted disk.

The ``schema_version`` table holds the layout's version; a newer layout than this code knows is
refused rather than guessed at.

Examples
--------
>>> import tempfile, pathlib
>>> store = AssessmentStore(pathlib.Path(tempfile.mkdtemp()) / "a.sqlite3")
>>> saved = store.save({"age": 40}, {"differential": []}, kb_version="0.1.0", kb_hash="0" * 64)
>>> store.get(saved.id).case
{'age': 40}
>>> store.delete(saved.id), store.get(saved.id)
(True, None)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from heelpath.errors import StorageError

log = logging.getLogger("heelpath.storage")

SCHEMA_VERSION = 3
EXPORT_FORMAT = "heelpath-assessment"
EXPORT_FORMAT_VERSION = 1

# Each entry brings the layout from version (index) to version (index + 1).
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE assessments (
            id          TEXT PRIMARY KEY,
            created     TEXT NOT NULL,
            kb_version  TEXT NOT NULL,
            kb_hash     TEXT NOT NULL,
            case_json   TEXT NOT NULL,
            result_json TEXT NOT NULL
        )""",
        "CREATE INDEX assessments_by_created ON assessments (created)",
    ),
    (
        "ALTER TABLE assessments ADD COLUMN owner_key_hash TEXT",
        """CREATE TABLE users (
            name          TEXT PRIMARY KEY,
            role          TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created       TEXT NOT NULL
        )""",
        """CREATE TABLE tokens (
            id          TEXT PRIMARY KEY,
            user_name   TEXT NOT NULL,
            label       TEXT NOT NULL,
            scopes      TEXT NOT NULL,
            secret_hash TEXT NOT NULL,
            created     TEXT NOT NULL,
            revoked     TEXT
        )""",
        """CREATE TABLE sessions (
            secret_hash TEXT PRIMARY KEY,
            user_name   TEXT NOT NULL,
            expires     TEXT NOT NULL
        )""",
        """CREATE TABLE audit (
            seq       {serial},
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            record_id TEXT
        )""",
    ),
    (
        """CREATE TABLE cds_tokens_seen (
            token_key TEXT PRIMARY KEY,
            expires   TEXT NOT NULL
        )""",
        """CREATE TABLE cds_feedback (
            seq           {serial},
            received      TEXT NOT NULL,
            service       TEXT NOT NULL,
            card          TEXT NOT NULL,
            outcome       TEXT NOT NULL,
            reason_system TEXT,
            reason_code   TEXT,
            suggestions   INTEGER NOT NULL,
            outcome_at    TEXT NOT NULL
        )""",
    ),
)
assert len(_MIGRATIONS) == SCHEMA_VERSION
_SERIAL = {"sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT", "postgresql": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"}
_MIGRATION_LOCK = 7461_2026  # PostgreSQL advisory lock id: one process migrates at a time


def is_database_url(location: Path | str) -> bool:
    """Whether `location` names a PostgreSQL database rather than a SQLite file."""
    return str(location).startswith(("postgresql://", "postgres://"))


class _PostgresConnection:
    """A psycopg connection that takes the ``?`` placeholders this module's SQL is written with."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return self.raw.execute(sql.replace("?", "%s"), params)

    @property
    def lost(self) -> bool:
        """The server closed the connection (a restart, a network fault): open a new one next time."""
        return bool(self.raw.closed or self.raw.broken)

    def close(self) -> None:
        self.raw.close()


@dataclass(frozen=True)
class SavedAssessment:
    """One stored assessment."""

    id: str
    created: str
    kb_version: str
    kb_hash: str
    case: dict[str, Any]
    result: dict[str, Any]
    owner_key: str | None = None  # only on the record `save` returns: the secret is not kept

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created": self.created,
            "kb_version": self.kb_version,
            "kb_hash": self.kb_hash,
            "case": self.case,
            "result": self.result,
        }

    def summary(self) -> dict[str, Any]:
        """A short line for lists: when, who (setting, age) and the leading cause."""
        differential = self.result.get("differential") or []
        top = differential[0] if differential else None
        return {
            "id": self.id,
            "created": self.created,
            "kb_version": self.kb_version,
            "kb_hash": self.kb_hash,
            "setting": self.result.get("case", {}).get("setting", self.case.get("setting")),
            "age": self.result.get("case", {}).get("age", self.case.get("age")),
            "top_condition": None if top is None else {
                "id": top["id"], "name": top["name"], "probability": top["probability"],
            },
            "origin": (self.result.get("origin") or {}).get("label"),
        }


def export_document(records: list[SavedAssessment]) -> dict[str, Any]:
    """The JSON export of saved assessments: self-describing, with the time of export."""
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "exported": now(),
        "assessments": [r.to_dict() for r in records],
    }


class AssessmentStore:
    """Saved assessments in one SQLite file; safe to share between threads.

    Parameters
    ----------
    path
        The database file, or a ``postgresql://`` URL. A file's folder is created on the first save,
        open to its owner only (0700); the file is created readable by its owner only. Deleting a
        record overwrites its text in the file and empties the write-ahead log.
    timeout
        Seconds to wait for another process's write lock (or to connect) before giving up.
    """

    def __init__(self, path: Path | str, timeout: float = 5.0) -> None:
        self.url = str(path) if is_database_url(path) else None
        self.dialect = "postgresql" if self.url else "sqlite"
        self.path = Path(path) if self.url is None else Path()  # the SQLite file (unused with a URL)
        self.timeout = timeout
        self._conn: Any = None
        self._lock = threading.Lock()
        self._errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    @property
    def where(self) -> str:
        """The file, or the URL without its password, for messages."""
        if self.url is None:
            return str(self.path)
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(self.url)
        host = parts.hostname or ""
        netloc = f"{parts.username}@{host}" if parts.username else host
        return urlunsplit(parts._replace(netloc=netloc + (f":{parts.port}" if parts.port else "")))

    # -- connection -------------------------------------------------------------------------

    def _connection(self, create: bool) -> Any:
        """The open connection; None when the file does not exist and `create` is false."""
        if self._conn is not None:
            return self._conn
        if self.url is not None:
            self._conn = self._connect_postgres()
            return self._conn
        if not create and not self.path.exists():
            return None
        try:
            if create and not self.path.exists():
                if not self.path.parent.exists():
                    self.path.parent.mkdir(parents=True)
                    self.path.parent.chmod(0o700)  # mkdir's mode is cut by the umask; the folder holds health data
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None,
                                   check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"cannot open the assessment store {self.path}: {exc}") from None
        self._conn = self._ready(conn, self._prepare)
        return self._conn

    def _connect_postgres(self) -> _PostgresConnection:
        try:
            import psycopg
        except ImportError as exc:
            raise StorageError(f"a PostgreSQL database needs psycopg (pip install psycopg): {exc}") from None
        self._errors = (sqlite3.Error, psycopg.Error)
        try:
            conn = _PostgresConnection(psycopg.connect(str(self.url), autocommit=True,
                                                       connect_timeout=max(1, int(self.timeout))))
        except psycopg.Error as exc:
            raise StorageError(f"cannot open the assessment store {self.where}: {exc}") from None
        return self._ready(conn, self._migrate)

    def _ready(self, conn: Any, prepare: Callable[[Any], None]) -> Any:
        """`conn` once `prepare` has run on it; closed, with the error a StorageError, when it fails."""
        try:
            prepare(conn)
        except self._errors as exc:
            conn.close()
            raise StorageError(f"cannot use the assessment store {self.where}: {exc}") from None
        except StorageError:
            conn.close()
            raise
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """WAL mode and the current layout. Switching to WAL does not wait on the busy handler, so
        when another store is opening the same new file at that moment, try again until the timeout."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StorageError(f"{self.path}: the file system does not support WAL mode (got {mode})")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("PRAGMA secure_delete=ON")  # a deleted record's text is overwritten, not left in free pages
                conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
                self._migrate(conn)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _migrate(self, conn: Any) -> None:
        conn.execute(self._begin_write)
        try:
            if self.url is not None:
                conn.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            current = row[0] or 0
            if current > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.where} has layout version {current}; this heelpath knows up to {SCHEMA_VERSION}: "
                    "upgrade heelpath or use another --db file"
                )
            for version in range(current, SCHEMA_VERSION):
                for statement in _MIGRATIONS[version]:
                    conn.execute(statement.replace("{serial}", _SERIAL[self.dialect]))
            if current < SCHEMA_VERSION:
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close the store (the last connection to close moves the write-ahead log into the database)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    @property
    def _tiebreak(self) -> str:
        """Orders records saved in the same microsecond: SQLite's insertion order, else the id."""
        return "rowid" if self.url is None else "id"

    @property
    def _begin_write(self) -> str:
        return "BEGIN IMMEDIATE" if self.url is None else "BEGIN"

    def run(self, create: bool, work: Callable[[Any], Any]) -> Any:
        """Run `work` on the open connection, one at a time; None, without calling it, when the file
        does not exist and `create` is false. A database error becomes a StorageError."""
        with self._lock:
            conn = self._connection(create)
            if conn is None:
                return None
            try:
                return work(conn)
            except self._errors as exc:
                if isinstance(conn, _PostgresConnection) and conn.lost:
                    conn.close()
                    self._conn = None
                raise StorageError(f"assessment store {self.where}: {exc}") from None

    def write(self, work: Callable[[Any], Any]) -> Any:
        """Run `work` in one write transaction (creating the store if need be): all of it or none."""

        def transaction(conn: Any) -> Any:
            conn.execute(self._begin_write)
            try:
                done = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return done

        return self.run(True, transaction)

    # -- operations -------------------------------------------------------------------------

    def save(self, case: dict[str, Any], result: dict[str, Any], *, kb_version: str, kb_hash: str) -> SavedAssessment:
        """Store one assessment; when this returns, the record is durable on disk."""
        record = SavedAssessment(id=str(uuid.uuid4()), created=now(), kb_version=kb_version,
                                 kb_hash=kb_hash, case=case, result=result, owner_key=secrets.token_urlsafe(24))
        row = (record.id, record.created, kb_version, kb_hash,
               json.dumps(case, ensure_ascii=False, allow_nan=False),
               json.dumps(result, ensure_ascii=False, allow_nan=False), secret_hash(record.owner_key or ""))

        self.write(lambda conn: conn.execute(
            "INSERT INTO assessments (id, created, kb_version, kb_hash, case_json, result_json, owner_key_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", row))
        return record

    def is_owner(self, assessment_id: str, owner_key: str) -> bool:
        """Whether `owner_key` is the secret given when this record was saved."""
        rows = self.run(False, lambda conn: conn.execute(
            "SELECT owner_key_hash FROM assessments WHERE id = ?", (str(assessment_id),)).fetchall())
        return bool(rows and rows[0][0] and hmac.compare_digest(rows[0][0], secret_hash(owner_key)))

    def get(self, assessment_id: str) -> SavedAssessment | None:
        """The assessment with this id, or None."""
        rows = self.run(False, lambda conn: conn.execute(
            f"SELECT {_COLUMNS} FROM assessments WHERE id = ?", (str(assessment_id),)).fetchall())
        if not rows:
            return None
        record = _record(rows[0])
        if record is None:
            raise StorageError(f"saved assessment {assessment_id} is damaged and cannot be read")
        return record

    def list(self, limit: int = 50, offset: int = 0) -> tuple[list[SavedAssessment], int]:
        """The newest assessments first, and how many there are in all."""

        def select(conn: Any) -> tuple[list[SavedAssessment], int]:
            # one snapshot for the page and the count
            conn.execute("BEGIN" if self.url is None else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                rows = conn.execute(
                    f"SELECT {_COLUMNS} FROM assessments ORDER BY created DESC, {self._tiebreak} DESC LIMIT ? OFFSET ?",
                    (limit, offset)).fetchall()
                total = conn.execute("SELECT count(*) FROM assessments").fetchone()[0]
            finally:
                conn.execute("COMMIT")
            return _readable(rows), total

        return self.run(False, select) or ([], 0)

    def all(self) -> Iterator[SavedAssessment]:
        """Every assessment, oldest first (for export)."""
        rows = self.run(False, lambda conn: conn.execute(
            f"SELECT {_COLUMNS} FROM assessments ORDER BY created, {self._tiebreak}").fetchall()) or []
        return iter(_readable(rows))

    def delete(self, assessment_id: str) -> bool:
        """Delete one assessment; False when there was none with this id."""

        def remove(conn: Any) -> bool:
            deleted = conn.execute("DELETE FROM assessments WHERE id = ?", (str(assessment_id),)).rowcount > 0
            if deleted and self.url is None:  # its pages also live in the write-ahead log until it is checkpointed
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return deleted

        return bool(self.run(False, remove))

    def count(self) -> int:
        return self.run(False, lambda conn: conn.execute("SELECT count(*) FROM assessments").fetchone()[0]) or 0


_COLUMNS = "id, created, kb_version, kb_hash, case_json, result_json"


def _record(row: tuple[Any, ...]) -> SavedAssessment | None:
    """The assessment a row holds, or None when the row is damaged (logged)."""
    try:
        case, result = json.loads(row[4]), json.loads(row[5])
    except (ValueError, RecursionError, TypeError):
        case = result = None
    if not isinstance(case, dict) or not isinstance(result, dict):
        log.error("saved assessment %s is damaged (its case or result is not a JSON object)", row[0])
        return None
    return SavedAssessment(id=row[0], created=row[1], kb_version=row[2], kb_hash=row[3], case=case, result=result)


def _readable(rows: list[tuple[Any, ...]]) -> list[SavedAssessment]:
    """The rows' assessments; a damaged row is reported in the log and skipped."""
    return [record for record in map(_record, rows) if record is not None]


def secret_hash(secret: str) -> str:
    """How a high-entropy secret (an owner key, an API token, a session) is kept: its sha256."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
