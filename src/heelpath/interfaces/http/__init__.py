"""The HTTP interfaces: a JSON API (`api.py`) and a server-rendered web app (`web.py`)."""
