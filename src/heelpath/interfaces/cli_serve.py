"""`heelpath serve`: the web app and JSON API on uvicorn (loopback by default).

Registered by `interfaces/cli.py` only when the `web` extra (FastAPI, uvicorn) is installed, so
`heelpath --help` lists `serve` exactly when it can run.
"""

from __future__ import annotations

import ipaddress
import os
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Optional

import typer


def available() -> bool:
    """Whether the web extra is installed (checked without importing it)."""
    return all(find_spec(name) is not None for name in ("fastapi", "uvicorn"))


def serve(
    host: Optional[str] = typer.Option(None, "--host", show_default="HEELPATH_HOST or 127.0.0.1",
                                       help="Address to listen on."),
    port: Optional[int] = typer.Option(None, "--port", min=0, max=65535, show_default="HEELPATH_PORT or 8000",
                                       help="Port to listen on."),
    db: Optional[Path] = typer.Option(None, "--db", dir_okay=False,
                                      show_default="HEELPATH_DB or ~/.local/share/heelpath/heelpath.sqlite3",
                                      help="SQLite file for saved assessments; created on the first save."),
    log_level: str = typer.Option("info", "--log-level", help="critical, error, warning, info or debug."),
    access_log: bool = typer.Option(False, "--access-log/--no-access-log", help="Log every request."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Server processes (each uses one core; they share the database)."),
    cds_trust: Optional[Path] = typer.Option(None, "--cds-trust", dir_okay=False, show_default="HEELPATH_CDS_TRUST",
                                             help="CDS Hooks trust file: the EHRs whose signed calls are accepted "
                                                  "(docs/fhir.md)."),
) -> None:
    """Serve the web app and the JSON API (/api, docs at /docs)."""
    import dataclasses

    import uvicorn

    import heelpath
    from heelpath.interfaces.http.app import create_app
    from heelpath.interfaces.http.config import Settings

    _one_blas_thread()
    settings = Settings.from_env()
    settings = dataclasses.replace(
        settings,
        host=host if host is not None else settings.host,
        port=port if port is not None else settings.port,
        database_path=db if db is not None else settings.database_path,
        database_url=None if db is not None else settings.database_url,  # --db names a file: it wins
        cds_trust=cds_trust if cds_trust is not None else settings.cds_trust,
    )
    if settings.cds_trust is not None:
        from heelpath.errors import InputError
        from heelpath.interfaces.http.cds_trust import CdsTrust

        if not _is_loopback(settings.host) and not settings.public_url:
            raise InputError("CDS Hooks beyond this computer need HEELPATH_PUBLIC_URL (the https address EHRs call): "
                             "a token's audience is checked against it, never against a Host header")

        trusted = CdsTrust.load(settings.cds_trust)  # a broken trust file fails here, not on a call
        typer.echo(f"CDS Hooks: {len(trusted.issuers)} trusted issuer(s) from {settings.cds_trust}", err=True)
    heelpath.load()  # load and compile the knowledge base now: a broken one fails here, not on a request
    app = create_app(settings)  # also checks that the app can be built before anything listens
    err = typer.echo
    if not _is_loopback(settings.host) and not app.state.accounts.configured():
        from heelpath.errors import InputError

        raise InputError(f"refusing to listen on {settings.host}, beyond this computer, with no clinician "
                         f"account in {app.state.assessment_store.where}: add one first with `heelpath users add NAME`")
    err(f"heelpath on http://{_url_host(settings.host)}:{settings.port}  (API: /api, docs: /docs; "
        f"saved assessments: {app.state.assessment_store.where})", err=True)
    from heelpath.interfaces.http.deadline import DeadlineH11Protocol

    # slow clients: a request must arrive whole within HEELPATH_REQUEST_TIMEOUT; idle keep-alive ends after 5 s
    options: dict[str, Any] = dict(host=settings.host, port=settings.port, log_level=log_level.lower(), access_log=access_log,
                   timeout_graceful_shutdown=5, http=DeadlineH11Protocol, timeout_keep_alive=5)
    if workers == 1:
        uvicorn.run(app, **options)
        return
    # Worker processes build their own app from the environment and share one listening socket.
    import socket

    from uvicorn.supervisors import Multiprocess

    if settings.database_url is None:
        os.environ.pop("HEELPATH_DATABASE_URL", None)  # --db chose a file for every worker
    os.environ.update(HEELPATH_DB=str(settings.database_path), HEELPATH_HOST=settings.host,
                      HEELPATH_PORT=str(settings.port))
    if settings.cds_trust is not None:
        os.environ["HEELPATH_CDS_TRUST"] = str(settings.cds_trust)
    config = uvicorn.Config("heelpath.interfaces.http.app:create_app", factory=True, workers=workers, **options)
    sock = config.bind_socket()
    # uvicorn creates this socket with protocol 0, so asyncio does not set TCP_NODELAY on the
    # connections it accepts, and every keep-alive response then waits ~40 ms for a delayed ACK.
    # Set it on the listening socket; accepted connections inherit it.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


def _one_blas_thread() -> None:
    """One BLAS thread per server process: the engine's arrays are small, and OpenBLAS starting a
    thread per core on every call burned several times the CPU an interview step needs. The
    environment reaches worker processes, which load NumPy afresh; threadpoolctl limits this one."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def register(app: typer.Typer) -> None:
    """Add `serve` to the command line when the web extra is installed."""
    if not available():
        return
    from heelpath.interfaces import cli_accounts
    from heelpath.interfaces.cli_errors import friendly_errors

    app.command("serve")(friendly_errors(serve))
    cli_accounts.register(app)
