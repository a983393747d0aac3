"""The web app: server-rendered HTML pages for people with heel pain and for clinicians.

Every page works without JavaScript (plain links and form posts); htmx (vendored in
``static/vendor``) adds the clinician's live summary and ``static/heelpath.js`` the clickable body
map. The only server session is a clinician's sign-in (signin.py): the self-assessment carries its
state in hidden form fields, and a result page carries its case, so a report can be downloaded or
the assessment saved (with consent) from it.

The routes live with their audience, each module with its table of them: self_assessment.py
(``/self``), clinician.py (``/clinician``), saved.py (``/saved``), signin.py (``/login``);
shared.py has the start page (``/``), the report download (``/report``) and what every page uses.
"""

from __future__ import annotations

from fastapi import FastAPI

from heelpath.interfaces.http.web import clinician, saved, self_assessment, shared, signin


def install(app: FastAPI) -> None:
    """Register the HTML routes on `app` (the JSON API has its own, under /api)."""
    app.include_router(shared.router)
    app.include_router(self_assessment.router)
    app.include_router(clinician.router)
    app.include_router(saved.router)
    app.include_router(signin.router)
    app.state.failed_sign_ins = signin.FailedSignIns()
