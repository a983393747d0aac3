"""The JSON API's OpenAPI document, refined beyond what FastAPI generates from the routes."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from heelpath.interfaces.http.problems import PREFIX, PROBLEM_MEDIA_TYPE

RESULT_REF = {"$ref": "#/components/schemas/AssessmentResult"}


def refine_openapi(app: FastAPI) -> None:
    """Document errors as problem+json, the result schema, and each finding's answer type."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith(PREFIX + "/") or path.startswith(PREFIX + "/fhir/"):
                continue  # FHIR routes document their own errors: OperationOutcomes (fhir.py)
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if status[:1] in "45":
                        response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
                if "requestBody" in operation:
                    operation["responses"].setdefault("400", {
                        "description": "The body is not valid JSON.",
                        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                    })
        _security(schema)
        components["SavedRecord"]["properties"]["result"] = RESULT_REF
        components["Case"]["properties"]["findings"] = _findings_schema(sided_ref("SidedAnswer"))
        interview = components["InterviewState"]
        interview["properties"]["answers"] = _findings_schema(sided_ref("SidedReply"), unknown=True)
        for model in ("Case", "InterviewState"):
            _json_schema_bounds(components[model]["properties"]["age"])
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _security(schema: dict[str, Any]) -> None:
    """The saved-assessment reads need an API token, or for one record its owner key (auth.py);
    an operation that answers 401 is one of them."""
    schema["components"]["securitySchemes"] = {
        "apiToken": {"type": "http", "scheme": "bearer", "description": "`heelpath tokens create USER --scope ...`"},
        "ownerKey": {"type": "apiKey", "in": "header", "name": "X-Owner-Key",
                     "description": "the `owner_key` given once when the record was saved (that record only)"},
    }
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            if "401" in operation.get("responses", {}):
                one_record = "{assessment_id}" in path
                operation["security"] = [{"apiToken": []}, *([{"ownerKey": []}] if one_record else [])]


def _json_schema_bounds(schema: dict[str, Any]) -> None:
    """Pydantic writes `ge`/`le` beside a union (`int | float`); JSON Schema says minimum/maximum."""
    for key, standard in (("ge", "minimum"), ("le", "maximum")):
        if key in schema:
            schema[standard] = schema.pop(key)
    for member in schema.get("anyOf", []):
        _json_schema_bounds(member)


def sided_ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _findings_schema(sided: dict[str, str], unknown: bool = False) -> dict[str, Any]:
    """Finding id -> answer, one property per answerable finding, from the knowledge base."""
    import heelpath

    properties: dict[str, Any] = {}
    for f in heelpath.load().kb.findings:
        if f.type == "choice":
            continue
        question = f.clinician_question if f.answered_by != "patient" or not f.lay_question else f.lay_question
        if f.type == "number":
            low, high = f.range or (None, None)
            value: dict[str, Any] = {"type": ["number", "null"], "minimum": low, "maximum": high}
            description = f"{f.label} ({f.unit}). {question}"
        elif f.lateralised:
            value = {"anyOf": [{"type": ["boolean", "null"]}, sided]}
            description = (f"{f.label}. {question} true/false on the painful side, or "
                           '{"present": ..., "side": "left"|"right"|"both"}.')
        else:
            value = {"type": ["boolean", "null"]}
            description = f"{f.label}. {question}"
        if unknown:
            value = {"anyOf": [value, {"const": "unknown"}]}
        properties[f.id] = {**value, "description": description}
    return {
        "type": "object",
        "title": "Answers" if unknown else "Findings",
        "description": "finding id -> answer; null" + (' or "unknown"' if unknown else "")
                       + " means not known. Ids are listed by GET /api/kb/findings.",
        "properties": properties,
        "additionalProperties": False,
        "default": {},
    }
