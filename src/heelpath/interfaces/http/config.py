"""Server settings, from the environment (HEELPATH_*), with embedded defaults.

Saved assessments go to ``HEELPATH_DB`` if set, else to ``heelpath/heelpath.sqlite3`` in the
user's data folder (``$XDG_DATA_HOME``, by default ``~/.local/share``), so every `heelpath serve`
finds the same store wherever it is started. The file is created only when an assessment is first
saved with consent. ``HEELPATH_DATABASE_URL`` (``postgresql://user:password@host/db``) puts them,
with the accounts and the audit log, in a PostgreSQL database instead, for several workers or
machines. ``HEELPATH_ALLOWED_HOSTS`` (comma-separated) names the Host headers answered besides the
loopback names and the bound address. ``HEELPATH_CDS_TRUST`` names the CDS Hooks trust file (the
EHRs whose signed calls are accepted, docs/fhir.md); ``HEELPATH_PUBLIC_URL`` is the address clients
use to reach this server (``https://heelpath.example.org``), which a CDS Hooks token's audience must
name; by default the address of each request.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def default_database_path() -> Path:
    """Where saved assessments live when HEELPATH_DB and --db are not given."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "heelpath" / "heelpath.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_path: Path = field(default_factory=default_database_path)
    host: str = "127.0.0.1"
    port: int = 8000
    #: Host header names answered besides the loopback names and `host` ("*": any, behind a proxy that checks)
    allowed_hosts: tuple[str, ...] = ()
    #: a postgresql:// URL: saved assessments in PostgreSQL instead of the SQLite file
    database_url: str | None = None
    #: the CDS Hooks trust file: the issuers (EHRs) and their public keys
    cds_trust: Path | None = None
    #: the address clients reach this server at, without a trailing slash
    public_url: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_path=Path(os.environ["HEELPATH_DB"]) if os.environ.get("HEELPATH_DB") else default_database_path(),
            host=os.environ.get("HEELPATH_HOST", "127.0.0.1"),
            port=int(os.environ.get("HEELPATH_PORT", "8000")),
            allowed_hosts=tuple(h.strip() for h in os.environ.get("HEELPATH_ALLOWED_HOSTS", "").split(",") if h.strip()),
            database_url=os.environ.get("HEELPATH_DATABASE_URL") or None,
            cds_trust=Path(os.environ["HEELPATH_CDS_TRUST"]) if os.environ.get("HEELPATH_CDS_TRUST") else None,
            public_url=(os.environ.get("HEELPATH_PUBLIC_URL") or "").rstrip("/") or None,
        )

    @property
    def database(self) -> Path | str:
        """Where saved assessments live: the PostgreSQL URL when given, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def trusted_hosts(self) -> tuple[str, ...]:
        """Every Host name this server answers (loopback names are added by the guard)."""
        bound = () if self.host in ("0.0.0.0", "::", "") else (self.host,)
        return (*bound, *self.allowed_hosts)
