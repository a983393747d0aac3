"""The HTTP interfaces: a JSON API (`api.py`, with `api_models.py`, `problems.py`, `middleware.py`
and `openapi.py`) and a server-rendered web app (the `web` package, one module per audience)."""
