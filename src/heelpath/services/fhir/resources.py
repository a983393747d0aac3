"""FHIR R4 resources read and checked with fhir.resources (its R4B models, which read R4) and
fhirpathpy, plus the required code bindings fhir.resources does not check.

Every resource heelpath reads or writes passes :func:`checked`: structure, required fields and
unknown fields (fhir.resources), the FHIR invariants below (FHIRPath) and the required bindings of
the elements heelpath reads or writes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import ValidationError

from heelpath.errors import InteroperabilityError

_PUBLICATION = {"draft", "active", "retired", "unknown"}
_OBSERVATION_STATUS = {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                       "entered-in-error", "unknown"}
_REQUEST_STATUS = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
_ITEM_TYPES = {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string", "text",
               "url", "choice", "open-choice", "attachment", "reference", "quantity", "question"}

#: (resource type, FHIRPath to a code, its required value set) for the elements heelpath reads or writes
REQUIRED_BINDINGS: tuple[tuple[str, str, frozenset[str]], ...] = tuple(
    (rtype, path, frozenset(codes)) for rtype, path, codes in (
        ("Bundle", "type", {"document", "message", "transaction", "transaction-response", "batch", "batch-response",
                            "history", "searchset", "collection"}),
        ("Patient", "gender", {"male", "female", "other", "unknown"}),
        ("Questionnaire", "status", _PUBLICATION),
        ("Questionnaire", "descendants().where(linkId.exists()).type", _ITEM_TYPES),
        ("Questionnaire", "descendants().enableWhen.operator", {"exists", "=", "!=", ">", "<", ">=", "<="}),
        ("Questionnaire", "descendants().enableBehavior", {"all", "any"}),
        ("QuestionnaireResponse", "status", {"in-progress", "completed", "amended", "entered-in-error", "stopped"}),
        ("Observation", "status", _OBSERVATION_STATUS),
        ("DiagnosticReport", "status", {"registered", "partial", "preliminary", "final", "amended", "corrected",
                                        "appended", "cancelled", "entered-in-error", "unknown"}),
        ("RiskAssessment", "status", _OBSERVATION_STATUS),
        ("ClinicalImpression", "status", {"in-progress", "completed", "entered-in-error"}),
        ("ServiceRequest", "status", _REQUEST_STATUS),
        ("ServiceRequest", "intent", {"proposal", "plan", "directive", "order", "original-order", "reflex-order",
                                      "filler-order", "instance-order", "option"}),
        ("ServiceRequest", "priority", {"routine", "urgent", "asap", "stat"}),
        ("DetectedIssue", "status", _OBSERVATION_STATUS),
        ("DetectedIssue", "severity", {"high", "moderate", "low"}),
        ("OperationOutcome", "issue.severity", {"fatal", "error", "warning", "information"}),
    )
)

#: FHIR R4 invariants (key, resource type, FHIRPath that must be true, what it says): the rule of the
#: specification's invariant of that key, written as one expression over the whole resource
INVARIANTS: tuple[tuple[str, str, str, str], ...] = (
    ("que-2", "Questionnaire", "descendants().linkId.isDistinct()",
     "the link ids for groups and questions must be unique within the questionnaire"),
    ("que-1", "Questionnaire", "descendants().where(type = 'group').all(item.exists())",
     "group items must have nested items"),
    ("que-4", "Questionnaire", "descendants().where(linkId.exists()).all(answerOption.empty() or answerValueSet.empty())",
     "a question cannot have both answerOption and answerValueSet"),
    ("que-7", "Questionnaire",
     "descendants().enableWhen.all(operator = 'exists' implies (answer is boolean))",
     "if the operator is 'exists', the value must be a boolean"),
    ("ras-2", "RiskAssessment", "prediction.all(probability.exists() implies (probability as decimal) <= 100)",
     "a probability must be at most 100"),
    ("bdl-7", "Bundle", "entry.where(fullUrl.exists()).fullUrl.isDistinct()",
     "fullUrl must be unique in a bundle"),
)


MAX_RESOURCES = 2000  # in one resource with its entries and contained resources


@cache
def _path(expression: str) -> Callable[..., list[Any]]:
    """A FHIRPath expression compiled once (parsing it is most of the cost of evaluating it)."""
    import fhirpathpy

    return fhirpathpy.compile(expression)


@cache
def _model(resource_type: str) -> Any:
    try:
        from fhir.resources.R4B import get_fhir_model_class
    except ImportError:  # pragma: no cover - the fhir extra
        raise InteroperabilityError("FHIR support is not installed: pip install 'heelpath[fhir]'") from None
    try:
        return get_fhir_model_class(resource_type)
    except (KeyError, ValueError):
        raise InteroperabilityError(f"{resource_type!r} is not a FHIR R4 resource type") from None


def checked(data: Any, expected: str | tuple[str, ...] | None = None) -> dict[str, Any]:
    """`data` as a FHIR resource, validated; raises InteroperabilityError naming every problem."""
    if not isinstance(data, dict):
        raise InteroperabilityError(f"a FHIR resource must be a JSON object, got {type(data).__name__}")
    resource_type = data.get("resourceType")
    if not isinstance(resource_type, str):
        raise InteroperabilityError("resourceType is missing")
    allowed = (expected,) if isinstance(expected, str) else expected
    if allowed and resource_type not in allowed:
        raise InteroperabilityError(f"expected a {' or '.join(allowed)}, got a {resource_type}")
    inside = _resources(data)
    if len(inside) > MAX_RESOURCES:
        raise InteroperabilityError(f"{resource_type}: more than {MAX_RESOURCES} resources in one request")
    for inner in inside:  # fhir.resources raises KeyError for an unknown type inside a Bundle
        if not isinstance(inner.get("resourceType"), str):
            raise InteroperabilityError(f"{resource_type}: a resource inside it has no resourceType")
        _model(inner["resourceType"])
    try:
        _model(resource_type).model_validate(data)
    except ValidationError as exc:
        raise InteroperabilityError(_problems(resource_type, exc)) from None
    except (ValueError, TypeError, KeyError) as exc:  # fhir.resources raises these for some malformed values
        raise InteroperabilityError(f"{resource_type}: {exc}") from None
    problems = binding_problems(data) + invariant_problems(data)
    if problems:
        raise InteroperabilityError("; ".join(problems[:10]))
    return data


def _problems(resource_type: str, exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:10]:
        where = ".".join(str(p) for p in error["loc"] if not str(p).startswith("function-"))
        parts.append(f"{resource_type}.{where}: {error['msg']}" if where else f"{resource_type}: {error['msg']}")
    return "; ".join(parts)


def _resources(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The resource and every resource it contains or bundles."""
    found = [data]
    for entry in data.get("entry") or []:
        if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
            found.extend(_resources(entry["resource"]))
    for contained in data.get("contained") or []:
        if isinstance(contained, dict):
            found.extend(_resources(contained))
    return found


def binding_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    for resource in _resources(data):
        rtype = resource.get("resourceType")
        for bound_type, path, codes in REQUIRED_BINDINGS:
            if rtype != bound_type:
                continue
            for value in _path(path)(resource):
                if value not in codes:
                    problems.append(f"{rtype}.{path.split('.')[-1]}: {value!r} is not one of {', '.join(sorted(codes))}")
    return problems


def invariant_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    for resource in _resources(data):
        for key, rtype, expression, says in INVARIANTS:
            if resource.get("resourceType") == rtype and _path(expression)(resource) != [True]:
                problems.append(f"{rtype} breaks {key}: {says}")
    return problems


def operation_outcome(message: str, code: str = "invalid") -> dict[str, Any]:
    """An OperationOutcome with one error (what a failed FHIR request answers)."""
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": message}]}
