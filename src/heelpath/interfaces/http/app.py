"""The ASGI application: JSON API under /api, the web app at /, static files at /static."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from heelpath import __version__
from heelpath.interfaces.http import api, web
from heelpath.interfaces.http.config import Settings

STATIC_DIR = Path(str(resources.files("heelpath.interfaces.http") / "static"))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="heelpath",
        version=__version__,
        description="Heel-pain decision support. It supports, and does not replace, a clinician.",
    )
    app.state.settings = settings
    api.install(app)
    web.install(app)
    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
