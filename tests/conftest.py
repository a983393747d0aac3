"""Fixtures every test may use: a throw-away PostgreSQL server (tests/postgres.py)."""

pytest_plugins = ["tests.postgres"]
