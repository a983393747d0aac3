"""JSON Schemas of case files and of assessment results.

`case.schema.json` is generated from the `Case` model (`heelpath schema case` prints it; a test
keeps the shipped file in step). `result.schema.json` documents `heelpath assess --json`.
"""

import json
from importlib import resources
from typing import Any

from heelpath.errors import InputError

SCHEMAS = ("case", "result")


def load_schema(which: str) -> dict[str, Any]:
    if which not in SCHEMAS:
        raise InputError(f"unknown schema {which!r}: choose one of {', '.join(SCHEMAS)}")
    return json.loads((resources.files("heelpath.schemas") / f"{which}.schema.json").read_text())


def case_schema() -> dict[str, Any]:
    """The case schema as generated from the model."""
    from heelpath.services.case import Case

    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "heelpath case"
    return schema
