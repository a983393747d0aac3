"""CDS Hooks 2.0 services: what heelpath says inside an electronic record.

- ``patient-view``: when the problem list has heel or foot pain, a card if the records point to a
  red flag, a spinal origin or spondyloarthritis (thresholds in codes.yaml ``cards``).
- ``order-select`` / ``order-sign``: when a draft order is a test heelpath knows (codes.yaml
  ``tests``), a card on its appropriateness for this patient, with the guideline, and a suggestion to
  drop or replace an order the guidelines advise against.

The patient's records come from the request's prefetch, else from its FHIR server through the
`fetch` function the caller gives; with neither, :class:`PrefetchMissing` (HTTP 412). Reading the
records is the one reader of FHIR records (:mod:`heelpath.services.fhir.records`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heelpath.errors import InteroperabilityError
from heelpath.knowledge.codes import TestCodes
from heelpath.services.context import Heelpath
from heelpath.services.fhir.records import RecordCase, codings_of, read_records
from heelpath.services.fhir.resources import checked
from heelpath.services.result import AssessmentResult, Citation, NextStepItem

PATIENT_VIEW, ORDER_SELECT, ORDER_SIGN = "heelpath-patient-view", "heelpath-order-select", "heelpath-order-sign"
HOOKS = {PATIENT_VIEW: "patient-view", ORDER_SELECT: "order-select", ORDER_SIGN: "order-sign"}
PATIENT_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")  # FHIR's id syntax


def prefetch_templates(hp: Heelpath) -> dict[str, str]:
    """What each service asks the EHR for; observations only of the laboratory codes heelpath reads."""
    labs = ",".join(f"{c.uri}|{c.code}" for entry in hp.codes.findings if entry.reading in ("raised", "positive")
                    for c in entry.codes)
    return {
        "patient": "Patient/{{context.patientId}}",
        "conditions": "Condition?patient={{context.patientId}}",
        "observations": "Observation?patient={{context.patientId}}&code=" + labs,
        "reports": "DiagnosticReport?patient={{context.patientId}}",
    }
_INDICATOR = {"emergency": "critical", "urgent": "warning", "soon": "warning"}
OVERRIDE_REASONS = (
    ("findings-not-in-record", "Findings that are not in the record justify it"),
    ("specialist-requested", "Requested by a specialist"),
    ("patient-preference", "Patient preference after discussion"),
)

Fetch = Callable[[str, str, dict[str, Any] | None], Any]
"""fetch(fhir_server, query, fhir_authorization) -> a FHIR resource (a Bundle for a search)."""


class PrefetchMissing(InteroperabilityError):
    """The request lacks required prefetch and no FHIR server could be asked (HTTP 412)."""


class HookRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    hook: str
    hookInstance: str = Field(min_length=1, max_length=200)
    fhirServer: str | None = Field(default=None, max_length=2000)
    fhirAuthorization: dict[str, Any] | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None


class Coding(BaseModel):
    model_config = ConfigDict(extra="allow")
    system: str | None = Field(default=None, max_length=500)
    code: str | None = Field(default=None, max_length=200)
    display: str | None = Field(default=None, max_length=500)


class OverrideReason(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Coding | None = None
    userComment: str | None = Field(default=None, max_length=5000)  # read, never stored


class AcceptedSuggestion(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str = Field(min_length=1, max_length=100)


class Feedback(BaseModel):
    model_config = ConfigDict(extra="forbid")
    card: str = Field(min_length=1, max_length=100)
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] = Field(default=[], max_length=20)
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: str = Field(min_length=1, max_length=40)


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    feedback: list[Feedback] = Field(min_length=1, max_length=100)


def discovery(hp: Heelpath) -> dict[str, Any]:
    usage = "Needs the patient's age (Patient.birthDate). Supports, and does not replace, a clinician."
    prefetch = prefetch_templates(hp)
    return {"services": [
        {"hook": "patient-view", "id": PATIENT_VIEW, "title": "heelpath: heel pain from the spine or inflammation",
         "description": "When the problem list has heel or foot pain: a card if the records point to a red flag, "
                        "a spinal origin or spondyloarthritis.", "prefetch": prefetch, "usageRequirements": usage},
        {"hook": "order-select", "id": ORDER_SELECT, "title": "heelpath: is this heel-pain test appropriate?",
         "description": "When a lumbar MRI, heel X-ray or MRI, nerve conduction study, HLA-B27 or CRP is selected: "
                        "its appropriateness for this patient, with the guideline.",
         "prefetch": prefetch, "usageRequirements": usage},
        {"hook": "order-sign", "id": ORDER_SIGN, "title": "heelpath: heel-pain tests before signing",
         "description": "The order-select check again when the orders are signed.", "prefetch": prefetch,
         "usageRequirements": usage},
    ]}


def parse_request(service_id: str, body: Any) -> HookRequest:
    try:
        request = HookRequest.model_validate(body)
    except ValidationError as exc:
        raise InteroperabilityError("; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])) from None
    if request.hook != HOOKS[service_id]:
        raise InteroperabilityError(f"hook {request.hook!r}: this service answers {HOOKS[service_id]!r}")
    if not isinstance(request.context.get("patientId"), str) or not PATIENT_ID.fullmatch(request.context["patientId"]):
        raise InteroperabilityError("context.patientId is required: a FHIR id (letters, digits, '-', '.'; up to 64)")
    if service_id == ORDER_SELECT and not isinstance(request.context.get("selections"), list):
        raise InteroperabilityError("context.selections (a list of order references) is required for order-select")
    return request


def records_of(hp: Heelpath, request: HookRequest, fetch: Fetch | None, today: date | None = None) -> RecordCase:
    """The patient's records from the prefetch, fetching what it lacks from the FHIR server. A key
    given as null means the EHR has no such data (CDS Hooks 2.0); a key left out is fetched."""
    patient_id = request.context["patientId"]
    prefetch = request.prefetch or {}
    resources = []
    for key, template in prefetch_templates(hp).items():
        if key in prefetch and prefetch[key] is None:
            continue
        value = prefetch.get(key)
        if value is None:
            if not request.fhirServer or fetch is None:
                raise PrefetchMissing(f"prefetch {key!r} is missing and no FHIR server was given to fetch it from")
            value = fetch(request.fhirServer, template.replace("{{context.patientId}}", patient_id),
                          request.fhirAuthorization)
        resources.append(checked(value))
    records = read_records(hp, resources, today)
    if records.patient_id is not None and records.patient_id != patient_id:
        raise InteroperabilityError(f"the prefetched Patient is {records.patient_id}, not context.patientId {patient_id}")
    return records


def patient_view(hp: Heelpath, request: HookRequest, fetch: Fetch | None, links: list[dict[str, str]],
                 today: date | None = None) -> dict[str, Any]:
    records = records_of(hp, request, fetch, today)
    if not records.heel_pain or records.age is None:
        return {"cards": []}
    result = hp.assess(records.case_data())
    cards = _signs_to_ask(hp, records, links)
    flags = [r for r in result.triage.rules_fired if r.kind == "red_flag"]
    if flags:
        top = flags[0]
        cards.append(_card(f"Red flag: {top.title}"[:139], _INDICATOR.get(result.triage.level, "warning"),
                           _detail(result, [f"**{r.title}**: {r.clinician} ({r.timing})" for r in flags]),
                           top.source, links))
    involves = result.origin.involves
    if involves["spinal"] >= hp.codes.cards.spinal.at_least:
        cards.append(_card(f"Heel pain may come from the lumbar spine ({involves['spinal']:.0%})", "info",
                           _detail(result, _advice(result, "spinal")), _sources(result), links))
    if involves["systemic"] >= hp.codes.cards.systemic.at_least:
        cards.append(_card(f"Heel pain may be spondyloarthritis enthesitis ({involves['systemic']:.0%})", "info",
                           _detail(result, _advice(result, "systemic")), _sources(result), links))
    return {"cards": cards}


def _signs_to_ask(hp: Heelpath, records: RecordCase, links: list[dict[str, str]]) -> list[dict[str, Any]]:
    """A card for each warning sign coded recently: what it would mean if it is present now."""
    cards = []
    for finding, ref in records.to_confirm.items():
        case = records.case_data()
        if_present = hp.assess({**case, "findings": {**case["findings"], finding: True}})
        flags = [r for r in if_present.triage.rules_fired if r.kind == "red_flag" and finding in r.findings]
        if not flags:
            continue
        label = hp.kb.finding(finding).label
        cards.append(_card(f"Ask today: {label.lower()} is on the record ({ref})"[:139],
                           "critical" if if_present.triage.level == "emergency" else "warning",
                           _detail(if_present, [f"If present now - **{r.title}**: {r.clinician} ({r.timing})" for r in flags]),
                           flags[0].source, links))
    return cards


def order_cards(hp: Heelpath, service_id: str, request: HookRequest, fetch: Fetch | None,
                links: list[dict[str, str]], today: date | None = None) -> dict[str, Any]:
    orders = _orders(hp, service_id, request)
    if not orders:
        return {"cards": []}
    records = records_of(hp, request, fetch, today)
    if records.age is None:
        return {"cards": [_card("heelpath cannot judge this order: the record has no birth date", "info",
                                "The patient's age is needed to assess heel pain.", [], links)]}
    result = hp.assess(records.case_data())
    advised = {t: item for item in result.next_steps.tests for t in item.tests}
    against = {t: item for item in result.next_steps.tests_not_recommended for t in item.tests}
    cards = []
    for order_id, tests in orders:
        for test in tests:
            if test.test in advised:
                item = advised[test.test]
                cards.append(_card(f"{test.title}: appropriate for this patient"[:139], "info",
                                   _detail(result, [item.clinician, item.why]), item.source, links))
            elif test.test in against:
                item = against[test.test]
                card = _card(f"{test.title}: not recommended for this patient"[:139], "warning",
                             _detail(result, [item.clinician, item.why]), item.source, links)
                if order_id is not None:
                    card["suggestions"] = _suggestions(hp, order_id, test, advised, request.context["patientId"])
                    card["selectionBehavior"] = "at-most-one"
                card["overrideReasons"] = [{"system": hp.codes.url("CodeSystem", "override-reason"), "code": code,
                                            "display": display} for code, display in OVERRIDE_REASONS]
                cards.append(card)
    return {"cards": cards}


def _orders(hp: Heelpath, service_id: str, request: HookRequest) -> list[tuple[str | None, list[TestCodes]]]:
    """The draft orders (order-select: the selected ones) that are tests heelpath knows, with their
    references (None for an order without an id, which no suggestion can name)."""
    draft = request.context.get("draftOrders")
    if not isinstance(draft, dict):
        raise InteroperabilityError("context.draftOrders (a Bundle) is required")
    checked(draft, "Bundle")
    selections = request.context.get("selections") if service_id == ORDER_SELECT else None
    found = []
    for entry in draft.get("entry") or []:
        resource = entry.get("resource") or {}
        if resource.get("resourceType") != "ServiceRequest":
            continue
        ref = f"ServiceRequest/{resource['id']}" if resource.get("id") else None
        if selections is not None and ref not in selections:
            continue
        tests = hp.codes.tests_for(codings_of(resource.get("code")))
        if tests:
            found.append((ref, tests))
    return found


def _suggestions(hp: Heelpath, order_id: str, test: TestCodes, advised: dict[str, NextStepItem],
                 patient_id: str) -> list[dict[str, Any]]:
    """Drop the order, or (when a test with order codes is advised instead) replace it with that test."""
    drop_action = {"type": "delete", "description": f"Remove the {test.title} order", "resourceId": [order_id]}
    replacement = next(((hp.codes.codes_of_test(t), item) for t, item in advised.items()
                        if t != test.test and hp.codes.codes_of_test(t) is not None), None)
    suggestions = [{"label": f"Remove the {test.title} order", "uuid": str(uuid.uuid4()),
                    "isRecommended": replacement is None, "actions": [drop_action]}]
    if replacement is not None:
        other, item = replacement
        assert other is not None
        code = other.codes[0]
        proposal = {"resourceType": "ServiceRequest", "status": "draft", "intent": "proposal",
                    "subject": {"reference": f"Patient/{patient_id}"},
                    "code": {"coding": [{"system": code.uri, "code": code.code, "display": code.display}],
                             "text": other.title}, "reasonCode": [{"text": item.why}]}
        suggestions.append({"label": f"Order {other.title} instead", "uuid": str(uuid.uuid4()), "isRecommended": True,
                            "actions": [drop_action, {"type": "create", "description": f"Order {other.title}",
                                                      "resource": proposal}]})
    return suggestions


def _advice(result: AssessmentResult, origin: str) -> list[str]:
    causes = [f"{e.name}: {e.probability:.0%}" for e in result.differential if e.origin == origin][:3]
    steps = [item.clinician for item in (*result.next_steps.see, *result.next_steps.tests)][:3]
    exams = [f"Examine: {e.label}" for e in result.next_steps.examinations[:2]]
    return [*causes, *exams, *steps]


def _detail(result: AssessmentResult, lines: list[str]) -> str:
    body = "\n".join(f"- {line}" for line in lines if line)
    return (f"{body}\n\nFrom the coded record only (no symptoms asked): triage {result.triage.label}. "
            f"{result.disclaimer}")


def _sources(result: AssessmentResult) -> list[Citation]:
    return [c for item in (*result.next_steps.see, *result.next_steps.tests) for c in item.source]


def _card(summary: str, indicator: str, detail: str, sources: list[Citation], links: list[dict[str, str]]) -> dict[str, Any]:
    source: dict[str, Any] = {"label": "heelpath"}
    cited = next((c for c in sources if c.url or c.doi), sources[0] if sources else None)
    if cited is not None:
        source["label"] = f"heelpath: {cited.citation}"[:200]
        url = cited.url or (f"https://doi.org/{cited.doi}" if cited.doi else None)
        if url:
            source["url"] = url
    return {"uuid": str(uuid.uuid4()), "summary": summary, "indicator": indicator, "detail": detail,
            "source": source, "links": links}
