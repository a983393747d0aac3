"""FHIR R4 resources for the tests, shaped as EHRs send them (US Core-style Patient, problem-list
Conditions, laboratory Observations with interpretation or reference range)."""

from __future__ import annotations

from typing import Any

ICD = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"


def patient(pid: str = "p1", gender: str = "male", birth: str = "1994-05-01") -> dict[str, Any]:
    return {"resourceType": "Patient", "id": pid, "active": True, "gender": gender, "birthDate": birth,
            "name": [{"family": "Example", "given": ["Sam"]}]}


def condition(cid: str, system: str, code: str, display: str = "", *, clinical: str | None = "active",
              verification: str | None = "confirmed", pid: str = "p1") -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition", "id": cid, "subject": {"reference": f"Patient/{pid}"},
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                  "code": "problem-list-item"}]}],
        "code": {"coding": [{"system": system, "code": code, **({"display": display} if display else {})}]},
        "recordedDate": "2025-03-01",
    }
    if clinical:
        resource["clinicalStatus"] = {"coding": [{"system": CLINICAL, "code": clinical}]}
    if verification:
        resource["verificationStatus"] = {"coding": [{"system": VERIFICATION, "code": verification}]}
    return resource


def lab(oid: str, code: str, *, value: float | None = None, unit: str = "mg/L", high: float | None = None,
        interpretation: str | None = None, concept: tuple[str, str] | None = None, when: str = "2026-10-01T09:00:00Z",
        pid: str = "p1") -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation", "id": oid, "status": "final", "subject": {"reference": f"Patient/{pid}"},
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "laboratory"}]}],
        "code": {"coding": [{"system": LOINC, "code": code}]}, "effectiveDateTime": when,
    }
    if value is not None:
        resource["valueQuantity"] = {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}
    if high is not None:
        resource["referenceRange"] = [{"high": {"value": high, "unit": unit, "system": "http://unitsofmeasure.org",
                                                "code": unit}}]
    if interpretation:
        resource["interpretation"] = [{"coding": [{"system": INTERPRETATION, "code": interpretation}]}]
    if concept:
        resource["valueCodeableConcept"] = {"coding": [{"system": concept[0], "code": concept[1]}]}
    return resource


def report(rid: str, code: str, status: str = "final", pid: str = "p1") -> dict[str, Any]:
    return {"resourceType": "DiagnosticReport", "id": rid, "status": status, "subject": {"reference": f"Patient/{pid}"},
            "code": {"coding": [{"system": LOINC, "code": "30679-5", "display": "MR Lumbar spine WO contrast"}]},
            "conclusion": "Disc protrusion at L5-S1 compressing the left S1 root.",
            "conclusionCode": [{"coding": [{"system": ICD, "code": code}]}]}


def searchset(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "total": len(resources),
            "entry": [{"fullUrl": f"http://ehr.example/fhir/{r['resourceType']}/{r['id']}", "resource": r,
                       "search": {"mode": "match"}} for r in resources]}


def collection(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def spondyloarthritis_records() -> list[dict[str, Any]]:
    """A young man with foot pain, psoriasis, HLA-B27 positive and a raised CRP."""
    return [
        patient(),
        condition("c1", ICD, "M79.671", "Pain in right foot"),
        condition("c2", SNOMED, "9014002", "Psoriasis"),
        lab("o1", "4821-5", concept=(SNOMED, "10828004")),
        lab("o2", "1988-5", value=24, high=5),
    ]


def plantar_fasciitis_records() -> list[dict[str, Any]]:
    """A woman of 45 with plantar fasciitis on her problem list, and nothing else."""
    return [patient(gender="female", birth="1981-02-11"), condition("c1", ICD, "M72.2", "Plantar fascial fibromatosis")]
