"""Server settings, from the environment (HEELPATH_*), with embedded defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    database_path: Path = Path("heelpath.sqlite3")
    host: str = "127.0.0.1"
    port: int = 8000

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            database_path=Path(os.environ.get("HEELPATH_DB", cls.database_path)),
            host=os.environ.get("HEELPATH_HOST", cls.host),
            port=int(os.environ.get("HEELPATH_PORT", cls.port)),
        )
