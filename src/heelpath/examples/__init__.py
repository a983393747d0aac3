"""Bundled example cases (see docs/case-format.md)."""

from importlib import resources
from pathlib import Path


def example_paths() -> list[Path]:
    folder = Path(str(resources.files("heelpath.examples")))
    return sorted(folder.glob("*.json"))
