"""Who may read saved assessments: clinician accounts, API tokens, sign-in sessions and the audit log.

They live in the same SQLite file as the assessments (:class:`heelpath.services.storage.AssessmentStore`).
Passwords are hashed with Argon2id (argon2-cffi); API tokens and session cookies are random 192-bit
secrets, kept as their sha256 and shown once. Saved data is never readable without one of these or
the owner key of one record. The audit log records who listed, read, exported or deleted what,
and sign-ins; it holds names, actions and record ids, never the text of a record.

Examples
--------
>>> import tempfile, pathlib
>>> from heelpath.services.storage import AssessmentStore
>>> accounts = Accounts(AssessmentStore(pathlib.Path(tempfile.mkdtemp()) / "a.sqlite3"))
>>> accounts.add_user("dr.khan", "a long pass phrase", "clinician")
>>> accounts.sign_in("dr.khan", "a long pass phrase").name
'dr.khan'
>>> token = accounts.create_token("dr.khan", ["read"], "ward laptop")
>>> accounts.check_token(token).scopes
('read',)
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

from heelpath.errors import InputError
from heelpath.services.storage import AssessmentStore, now, secret_hash

Role = Literal["clinician", "admin"]
Scope = Literal["read", "export", "delete"]
ROLES: tuple[Role, ...] = get_args(Role)
SCOPES: tuple[Scope, ...] = get_args(Scope)
#: what each role may do: clinicians read and export; deleting health records is an admin's
ROLE_SCOPES: dict[str, tuple[Scope, ...]] = {"clinician": ("read", "export"), "admin": SCOPES}
SESSION_HOURS = 8  # a clinic shift
MIN_PASSWORD = 12
TOKEN_PREFIX = "hp_"
_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
_TOKEN = re.compile(rf"{TOKEN_PREFIX}([0-9a-f]{{12}})_([A-Za-z0-9_-]{{32}})")


@dataclass(frozen=True)
class Principal:
    """Who a request acts for, and what it may do."""

    name: str  # a user name, "token:<id>", or "owner:<record id>"
    role: Role | Literal["owner"]
    scopes: tuple[Scope, ...]

    def may(self, scope: Scope) -> bool:
        return scope in self.scopes


@dataclass(frozen=True)
class TokenInfo:
    id: str
    user: str
    label: str
    scopes: tuple[Scope, ...]
    created: str
    revoked: str | None


@dataclass(frozen=True)
class AuditEntry:
    at: str
    actor: str
    action: str
    record_id: str | None


class Accounts:
    """Accounts, tokens, sessions and the audit log of one assessment store."""

    def __init__(self, store: AssessmentStore) -> None:
        self.store = store
        from argon2 import PasswordHasher

        self._hasher = PasswordHasher()

    # -- users --------------------------------------------------------------------------------

    def add_user(self, name: str, password: str, role: Role = "clinician") -> None:
        """Add a clinician (or admin) account; the password is kept as its Argon2id hash."""
        name = _check_name(name)
        if role not in ROLES:
            raise InputError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
        if len(password) < MIN_PASSWORD:
            raise InputError(f"the password must have at least {MIN_PASSWORD} characters")
        row = (name, role, self._hasher.hash(password), now())
        added = self.store.run(True, lambda c: c.execute(
            "INSERT INTO users (name, role, password_hash, created) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
            row).rowcount)
        if not added:
            raise InputError(f"there is already a user {name!r}")

    def users(self) -> list[dict[str, str]]:
        rows = self.store.run(False, lambda c: c.execute("SELECT name, role, created FROM users ORDER BY name").fetchall())
        return [{"name": n, "role": r, "created": c} for n, r, c in rows or []]

    def remove_user(self, name: str) -> bool:
        """Remove an account with its tokens and sessions; False when there is none."""

        def remove(conn: Any) -> bool:
            gone = conn.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount > 0
            conn.execute("DELETE FROM tokens WHERE user_name = ?", (name,))
            conn.execute("DELETE FROM sessions WHERE user_name = ?", (name,))
            return gone

        return bool(self.store.write(remove))

    def has_user(self, name: str) -> bool:
        return bool(self.store.run(False, lambda c: c.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone()))

    def configured(self) -> bool:
        """Whether anyone can sign in: at least one account exists."""
        return bool(self.store.run(False, lambda c: c.execute("SELECT 1 FROM users LIMIT 1").fetchone()))

    def sign_in(self, name: str, password: str) -> Principal | None:
        """The account's principal when the password is right, else None (the same time either way)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        row = self.store.run(False, lambda c: c.execute(
            "SELECT role, password_hash FROM users WHERE name = ?", (name,)).fetchone())
        stored = row[1] if row else _DUMMY_HASH.get(self._hasher)
        try:
            self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        return _user_principal(name, row[0]) if row else None

    # -- API tokens ---------------------------------------------------------------------------

    def create_token(self, user: str, scopes: list[str], label: str) -> str:
        """A new API token for `user` with these scopes; the secret is returned once, never stored."""
        wanted = tuple(dict.fromkeys(scopes))
        unknown = [s for s in wanted if s not in SCOPES]
        if not wanted or unknown:
            raise InputError(f"scopes must be some of {', '.join(SCOPES)}, got {', '.join(scopes) or 'none'}")
        role = self.store.run(False, lambda c: c.execute("SELECT role FROM users WHERE name = ?", (user,)).fetchone())
        if not role:
            raise InputError(f"there is no user {user!r} (add one with `heelpath users add`)")
        beyond = [s for s in wanted if s not in ROLE_SCOPES[role[0]]]
        if beyond:
            raise InputError(f"a {role[0]}'s token may have only {', '.join(ROLE_SCOPES[role[0]])}, not {', '.join(beyond)}")
        token_id, secret = secrets.token_hex(6), secrets.token_urlsafe(24)
        row = (token_id, user, label[:200], " ".join(wanted), secret_hash(secret), now())
        self.store.run(True, lambda c: c.execute(
            "INSERT INTO tokens (id, user_name, label, scopes, secret_hash, created) VALUES (?, ?, ?, ?, ?, ?)", row))
        return f"{TOKEN_PREFIX}{token_id}_{secret}"

    def tokens(self) -> list[TokenInfo]:
        rows = self.store.run(False, lambda c: c.execute(
            "SELECT id, user_name, label, scopes, created, revoked FROM tokens ORDER BY created").fetchall())
        return [TokenInfo(i, u, label, tuple(s.split()), c, r) for i, u, label, s, c, r in rows or []]

    def revoke_token(self, token_id: str) -> bool:
        """Revoke a token at once; False when there is no live token with this id."""
        return bool(self.store.run(False, lambda c: c.execute(
            "UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL", (now(), token_id)).rowcount > 0))

    def check_token(self, token: str) -> Principal | None:
        """The principal of a live token, or None (unknown, malformed, revoked, or its user removed)."""
        match = _TOKEN.fullmatch(token)
        if not match:
            return None
        token_id, secret = match.groups()
        row = self.store.run(False, lambda c: c.execute(
            "SELECT t.scopes, t.secret_hash, u.role FROM tokens t JOIN users u ON u.name = t.user_name "
            "WHERE t.id = ? AND t.revoked IS NULL", (token_id,)).fetchone())
        if not row or not hmac.compare_digest(row[1], secret_hash(secret)):
            return None
        # never more than the user's role allows now
        scopes = tuple(s for s in row[0].split() if s in ROLE_SCOPES.get(row[2], ()))
        return Principal(name=f"token:{token_id}", role=row[2], scopes=scopes)

    # -- sign-in sessions (the web app) --------------------------------------------------------

    def start_session(self, principal: Principal) -> str:
        """A session secret for a signed-in user (the cookie's value), valid for SESSION_HOURS."""
        secret = secrets.token_urlsafe(24)
        expires = (datetime.now(UTC) + timedelta(hours=SESSION_HOURS)).isoformat()
        self.store.run(True, lambda c: c.execute(
            "INSERT INTO sessions (secret_hash, user_name, expires) VALUES (?, ?, ?)",
            (secret_hash(secret), principal.name, expires)))
        return secret

    def check_session(self, secret: str) -> Principal | None:
        row = self.store.run(False, lambda c: c.execute(
            "SELECT u.name, u.role FROM sessions s JOIN users u ON u.name = s.user_name "
            "WHERE s.secret_hash = ? AND s.expires > ?",
            (secret_hash(secret), datetime.now(UTC).isoformat())).fetchone())
        return _user_principal(row[0], row[1]) if row else None

    def end_session(self, secret: str) -> None:
        self.store.run(False, lambda c: c.execute("DELETE FROM sessions WHERE secret_hash = ? OR expires <= ?",
                                                  (secret_hash(secret), datetime.now(UTC).isoformat())))

    # -- audit log ----------------------------------------------------------------------------

    def record(self, actor: str, action: str, record_id: str | None = None) -> None:
        """Add an audit entry: who did what to which record (never any of the record's text)."""
        self.store.run(True, lambda c: c.execute(
            "INSERT INTO audit (at, actor, action, record_id) VALUES (?, ?, ?, ?)", (now(), actor, action, record_id)))

    def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        rows = self.store.run(False, lambda c: c.execute(
            "SELECT at, actor, action, record_id FROM audit ORDER BY seq DESC LIMIT ?", (limit,)).fetchall())
        return [AuditEntry(*row) for row in rows or []]


def owner(record_id: str) -> Principal:
    """Whoever holds the owner key of one saved record: may read, export and delete that record."""
    return Principal(name=f"owner:{record_id}", role="owner", scopes=SCOPES)


def _user_principal(name: str, role: Any) -> Principal:
    return Principal(name=name, role=role, scopes=ROLE_SCOPES.get(role, ()))


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise InputError(f"user names are 1-64 characters: lower-case letters, digits and . _ @ -; got {name!r}")
    return name


class _DummyHash:
    """A hash to verify against when the user does not exist, so that a wrong name and a wrong
    password take the same time."""

    _value: str | None = None

    def get(self, hasher: Any) -> str:
        if self._value is None:
            self._value = hasher.hash(secrets.token_urlsafe(16))
        return self._value


_DUMMY_HASH = _DummyHash()
