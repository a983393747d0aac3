"""`heelpath users`, `heelpath tokens` and `heelpath audit`: who may read saved assessments.

Registered with `serve` (the web extra, which brings argon2-cffi). Each command takes the same
database as `serve` (``--db``, else ``HEELPATH_DB``, else the default under the user's data folder).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from heelpath.interfaces.cli_errors import friendly_errors

if TYPE_CHECKING:
    from heelpath.services.accounts import Accounts

users_app = typer.Typer(help="Clinician accounts for the saved assessments (web sign-in).", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for the saved assessments (Authorization: Bearer).", no_args_is_help=True)
out = Console()
err = Console(stderr=True)

DB_OPTION = typer.Option(None, "--db", dir_okay=False,
                         show_default="HEELPATH_DATABASE_URL, HEELPATH_DB or ~/.local/share/heelpath/heelpath.sqlite3",
                         help="The database `serve` uses.")


def _accounts(db: Optional[Path]) -> Accounts:
    from heelpath.interfaces.http.config import Settings
    from heelpath.services.accounts import Accounts
    from heelpath.services.storage import AssessmentStore

    return Accounts(AssessmentStore(db or Settings.from_env().database))


def _password(from_stdin: bool) -> str:
    from heelpath.errors import InputError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InputError("no terminal to ask the password on: give it on standard input with --password-stdin")
    return typer.prompt("Password (12 characters or more)", hide_input=True, confirmation_prompt=True)


@users_app.command("add")
@friendly_errors
def users_add(
    name: str = typer.Argument(..., help="User name: lower-case letters, digits and . _ @ -"),
    role: str = typer.Option("clinician", "--role", help="clinician or admin."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Add an account; the password is asked twice (or read from standard input) and kept hashed."""
    _accounts(db).add_user(name, _password(password_stdin), role)  # type: ignore[arg-type]  # checked there
    out.print(f"added {escape(name)} ({escape(role)})", highlight=False)


@users_app.command("list")
@friendly_errors
def users_list(db: Optional[Path] = DB_OPTION) -> None:
    """List the accounts."""
    table = Table("name", "role", "created")
    for user in _accounts(db).users():
        table.add_row(escape(user["name"]), user["role"], user["created"])
    out.print(table)


@users_app.command("remove")
@friendly_errors
def users_remove(name: str = typer.Argument(...), db: Optional[Path] = DB_OPTION) -> None:
    """Remove an account, with its tokens and sign-in sessions."""
    from heelpath.errors import InputError

    if not _accounts(db).remove_user(name):
        raise InputError(f"there is no user {name!r}")
    out.print(f"removed {escape(name)}", highlight=False)


@tokens_app.command("create")
@friendly_errors
def tokens_create(
    user: str = typer.Argument(..., help="The account the token acts for."),
    scope: list[str] = typer.Option(["read"], "--scope", help="read, export or delete; repeat for several."),
    label: str = typer.Option("", "--label", help="What the token is for (shown in `tokens list`)."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Create a token and print it once: it is kept only as a hash."""
    token = _accounts(db).create_token(user, scope, label)
    err.print("This token is shown once; store it safely. Revoke it with `heelpath tokens revoke ID`.")
    sys.stdout.write(token + "\n")


@tokens_app.command("list")
@friendly_errors
def tokens_list(db: Optional[Path] = DB_OPTION) -> None:
    """List the tokens (never their secrets)."""
    table = Table("id", "user", "scopes", "label", "created", "revoked")
    for t in _accounts(db).tokens():
        table.add_row(t.id, escape(t.user), " ".join(t.scopes), escape(t.label), t.created, t.revoked or "")
    out.print(table)


@tokens_app.command("revoke")
@friendly_errors
def tokens_revoke(token_id: str = typer.Argument(..., help="The id `tokens list` shows."), db: Optional[Path] = DB_OPTION) -> None:
    """Revoke a token at once."""
    from heelpath.errors import InputError

    if not _accounts(db).revoke_token(token_id):
        raise InputError(f"there is no live token {token_id!r}")
    out.print(f"revoked {escape(token_id)}", highlight=False)


@friendly_errors
def audit(
    limit: int = typer.Option(100, "--limit", min=1, max=100_000, help="How many entries, newest first."),
    db: Optional[Path] = DB_OPTION,
) -> None:
    """Who listed, read, exported or deleted saved assessments, and sign-ins (newest first)."""
    table = Table("when", "who", "action", "record")
    for entry in _accounts(db).audit_log(limit):
        table.add_row(entry.at, escape(entry.actor), entry.action, entry.record_id or "")
    out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
    app.command("audit")(audit)
