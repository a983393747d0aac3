"""The architecture's arrows point down: knowledge -> engine -> services -> interfaces.

A module may import from its own layer and the layers below it, never from a layer above.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "heelpath"
LAYERS = ["knowledge", "engine", "services", "interfaces"]
SHARED = {"errors", "schemas", "examples", "__init__", "__main__"}  # usable from every layer


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "heelpath" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYERS else None


def imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_no_layer_imports_a_layer_above_it(layer):
    above = set(LAYERS[LAYERS.index(layer) + 1:])
    offenders = []
    for path in (PACKAGE / layer).rglob("*.py"):
        for name in imports(path):
            if layer_of(name) in above:
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_engine_does_no_io():
    for path in (PACKAGE / "engine").rglob("*.py"):
        source = path.read_text()
        for forbidden in ("open(", "read_text(", "requests", "sqlite3", "import yaml"):
            assert forbidden not in source, f"{path.name} uses {forbidden}"
