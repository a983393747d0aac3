"""The ASGI application: JSON API under /api (FHIR under /api/fhir), CDS Hooks under /cds-services,
the web app at /, static files at /static."""

from __future__ import annotations

from importlib import resources
from importlib.util import find_spec
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from heelpath import __version__
from heelpath.interfaces.http import api, cds, fhir, web
from heelpath.interfaces.http.config import Settings
from heelpath.interfaces.http.security import HostAndOriginGuard, SecurityHeaders

STATIC_DIR = Path(str(resources.files("heelpath.interfaces.http") / "static"))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="heelpath",
        version=__version__,
        description="Heel-pain decision support. It supports, and does not replace, a clinician.",
        docs_url=None,  # served below from local files: the default page loads Swagger UI from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    api.install(app)
    app.include_router(fhir.router)
    cds.install(app)
    web.install(app)
    _install_docs(app)
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # outermost last: the guard answers a foreign Host or a cross-origin write before anything runs
    app.add_middleware(cds.ScopedCORS)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostAndOriginGuard, allowed_hosts=settings.trusted_hosts)
    return app


def _install_docs(app: FastAPI) -> None:
    """Swagger UI at /docs, from the assets the fastapi-swagger package ships (works offline)."""
    if find_spec("fastapi_swagger") is None:
        return
    assets = Path(str(resources.files("fastapi_swagger") / "resources"))
    app.mount("/static/swagger", StaticFiles(directory=assets), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return web.shared.page(request, "docs.html", {})
