"""The web app: server-rendered HTML pages (self-assessment, clinician form, results, reports)."""

from __future__ import annotations

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Register the HTML routes on `app`."""
