"""JSON Schemas of case files and of assessment results, generated from their models.

The shipped files (``case.schema.json``, ``result.schema.json``) are what the models generate;
``heelpath schema case|result`` prints them and a test keeps the files in step.
"""

import json
from importlib import resources
from typing import Any

from heelpath.errors import InputError

SCHEMAS = ("case", "result")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def load_schema(which: str) -> dict[str, Any]:
    """The shipped schema `which` (``case`` or ``result``)."""
    if which not in SCHEMAS:
        raise InputError(f"unknown schema {which!r}: choose one of {', '.join(SCHEMAS)}")
    schema: dict[str, Any] = json.loads((resources.files("heelpath.schemas") / f"{which}.schema.json").read_text())
    return schema


def generated_schema(which: str) -> dict[str, Any]:
    """The schema `which` as its model generates it."""
    if which == "case":
        from heelpath.services.case import Case

        schema = Case.model_json_schema()
        schema["title"] = "heelpath case"
    elif which == "result":
        from heelpath.services.result import AssessmentResult

        schema = AssessmentResult.model_json_schema(mode="serialization")
        schema["description"] = (
            "The output of `heelpath assess --json` and of the HTTP API's assess endpoint. Fields are added "
            "in minor versions, never removed or renamed without a major version.")
    else:
        raise InputError(f"unknown schema {which!r}: choose one of {', '.join(SCHEMAS)}")
    return {"$schema": DIALECT, **schema}
