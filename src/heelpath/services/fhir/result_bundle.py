"""An assessment result as a FHIR Bundle (type collection):

- an Observation per answered finding (the evidence used);
- a RiskAssessment: the ranked conditions with their probabilities, its basis those Observations;
- a ClinicalImpression: summary, origin, nerve-lesion localisation and triage;
- a ServiceRequest proposal per recommended test, with why and the guideline (no priority: how soon
  is the triage's, in the ClinicalImpression and the DetectedIssues);
- a DetectedIssue per red flag that fired;
- an OperationOutcome with what the records left open, if anything: warning signs to ask, records
  not read.

The Bundle is validated (:func:`~heelpath.services.fhir.resources.checked`) before it is returned.
"""

from __future__ import annotations

import uuid
from typing import Any

from heelpath.services.context import Heelpath
from heelpath.services.result import AssessmentResult, Citation, FiredRule, NextStepItem

_SEVERITY = {"emergency": "high", "urgent": "high", "soon": "moderate"}
_ICD = "http://hl7.org/fhir/sid/icd-10-cm"
_SNOMED = "http://snomed.info/sct"


def result_bundle(hp: Heelpath, result: AssessmentResult, patient: str | None = None,
                  issues: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """The result as a validated Bundle; `patient` is a reference such as ``Patient/123`` (else a
    Patient with the case's sex is included); `issues` (severity, message) what the input left open
    (:meth:`~heelpath.services.fhir.records.RecordCase.issues`)."""
    from heelpath.services.fhir.resources import checked

    entries: list[dict[str, Any]] = []

    def add(resource: dict[str, Any]) -> str:
        full_url = f"urn:uuid:{uuid.uuid4()}"
        entries.append({"fullUrl": full_url, "resource": resource})
        return full_url

    if patient is None:
        patient_resource: dict[str, Any] = {"resourceType": "Patient"}
        if result.case.sex:
            patient_resource["gender"] = result.case.sex
        patient = add(patient_resource)
    subject = {"reference": patient}
    tag = [{"system": hp.codes.url("NamingSystem", "kb-hash"), "code": result.kb_hash,
            "display": f"heelpath knowledge base {result.kb_version}"}]
    observations = [add(_observation(hp, finding, answer, subject)) for finding, answer in result.case.answers.items()]
    basis = [{"reference": ref} for ref in observations]
    risk = add({
        "resourceType": "RiskAssessment", "meta": {"tag": tag}, "status": "final", "subject": subject,
        "method": {"text": "heelpath Bayesian model of the heel-pain differential; probabilityDecimal is a "
                           "probability from 0 to 1, not a percentage"},
        "basis": basis or None,
        "prediction": [_prediction(entry) for entry in result.differential if entry.probability >= 0.01]
        or [_prediction(result.differential[0])],
        "note": [{"text": result.disclaimer}],
    })
    detected = [add(_detected_issue(rule, subject, basis)) for rule in result.triage.rules_fired if rule.kind == "red_flag"]
    add({
        "resourceType": "ClinicalImpression", "meta": {"tag": tag}, "status": "completed", "subject": subject,
        "description": "Heel pain: origin, nerve-lesion localisation and triage",
        "summary": _summary(result),
        "finding": [{"itemCodeableConcept": _condition_concept(entry)} for entry in result.differential[:3]],
        "investigation": [{"code": {"text": "Answers given"}, "item": basis}] if basis else None,
        "supportingInfo": [{"reference": risk}, *({"reference": ref} for ref in detected)],
        "note": [{"text": result.safety_net}, {"text": result.disclaimer}],
    })
    for item in result.next_steps.tests:
        add(_service_request(hp, item, subject, risk))
    if issues:
        add({"resourceType": "OperationOutcome", "issue": [
            {"severity": severity, "code": "incomplete" if severity == "warning" else "not-supported",
             "diagnostics": message} for severity, message in issues]})
    bundle = {"resourceType": "Bundle", "type": "collection", "meta": {"tag": tag},
              "entry": [{**e, "resource": _pruned(e["resource"])} for e in entries]}
    return checked(bundle, "Bundle")


def _observation(hp: Heelpath, finding_id: str, answer: Any, subject: dict[str, str]) -> dict[str, Any]:
    finding = hp.kb.finding(finding_id)
    resource: dict[str, Any] = {
        "resourceType": "Observation", "status": "final", "subject": subject,
        "code": {"coding": [{"system": hp.codes.url("CodeSystem", "finding"), "code": finding_id,
                             "display": finding.label}], "text": finding.label},
    }
    if isinstance(answer, dict):
        resource["valueBoolean"] = bool(answer.get("present"))
        if answer.get("side"):
            resource["bodySite"] = {"coding": [{"system": hp.codes.url("CodeSystem", "side"), "code": answer["side"]}]}
    elif isinstance(answer, bool):
        resource["valueBoolean"] = answer
    else:
        resource["valueQuantity"] = {"value": answer, "unit": finding.unit, "system": "http://unitsofmeasure.org",
                                     "code": hp.codes.units[finding.unit or ""]}
    return resource


def _condition_concept(entry: Any) -> dict[str, Any]:
    coding = [{"system": _ICD, "code": code} for code in entry.icd10cm]
    if entry.snomed:
        coding.insert(0, {"system": _SNOMED, "code": entry.snomed})
    return {"coding": coding, "text": entry.name}


def _prediction(entry: Any) -> dict[str, Any]:
    return {"outcome": _condition_concept(entry), "probabilityDecimal": round(entry.probability, 4),
            "rationale": f"{entry.origin} cause; prior {entry.prior:.3f}"}


def _summary(result: AssessmentResult) -> str:
    top = result.differential[0]
    parts = [
        f"Triage: {result.triage.label} - {result.triage.headline_clinician}",
        f"Origin: {result.origin.label}. Most probable: {top.name} ({top.probability:.0%}).",
    ]
    if result.unexplained.flagged and result.unexplained.clinician:
        parts.append(result.unexplained.clinician)
    if result.localisation.level:
        parts.append(f"Nerve-lesion localisation: {result.localisation.level}.")
    return " ".join(parts)


def _detected_issue(rule: FiredRule, subject: dict[str, str], basis: list[dict[str, str]]) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "DetectedIssue", "status": "final", "patient": subject,
        "severity": _SEVERITY.get(rule.level, "low"),
        "code": {"text": f"Red flag: {rule.title}"},
        "detail": f"{rule.clinician} Timing: {rule.timing}.",
        "evidence": [{"detail": [b for b in basis]}] if basis else None,
    }
    url = _link(rule.source)
    if url:
        resource["reference"] = url
    return resource


def _service_request(hp: Heelpath, item: NextStepItem, subject: dict[str, str], risk: str) -> dict[str, Any]:
    coding = []
    for test_id in item.tests:
        test = hp.codes.codes_of_test(test_id)
        if test is not None:
            coding += [{"system": c.uri, "code": c.code, "display": c.display} for c in test.codes if not c.prefix]
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest", "status": "draft", "intent": "proposal", "subject": subject,
        "code": {"coding": coding or None, "text": item.clinician},
        "reasonCode": [{"text": item.why}],
        "supportingInfo": [{"reference": risk}],
        "note": [{"text": "Sources: " + "; ".join(c.citation for c in item.source)}] if item.source else None,
    }
    url = _link(item.source)
    if url:
        resource["instantiatesUri"] = [url]
    return resource


def _link(sources: list[Citation]) -> str | None:
    for source in sources:
        if source.url:
            return source.url
        if source.doi:
            return f"https://doi.org/{source.doi}"
    return None


def _pruned(value: Any) -> Any:
    """Drop the empty fields (FHIR forbids empty elements)."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value
