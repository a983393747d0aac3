"""A patient's FHIR records (Patient, Condition, Observation, DiagnosticReport) read as a case.

Which code sets which finding is data (codes.yaml). Every record that sets nothing is reported with
the reason, never dropped in silence: an unknown code, a resource type heelpath does not read, a
record entered in error, a laboratory value with no interpretation or reference range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from heelpath.errors import InteroperabilityError
from heelpath.knowledge.codes import Coded, FindingCodes
from heelpath.services.context import Heelpath
from heelpath.services.fhir.resources import checked
from heelpath.services.result import AssessmentResult

_HIGH = {"H", "HH", "HU", "A", "AA"}
_NOT_HIGH = {"N", "L", "LL", "LU"}
_POSITIVE = {("http://snomed.info/sct", "10828004"), ("http://snomed.info/sct", "260373001"),
             ("http://loinc.org", "LA6576-8")}
_NEGATIVE = {("http://snomed.info/sct", "260385009"), ("http://snomed.info/sct", "260415000"),
             ("http://loinc.org", "LA6577-6")}
_INTERPRETATION_POSITIVE = {"POS", "DET", "H", "A"}
_INTERPRETATION_NEGATIVE = {"NEG", "ND", "N"}
_INACTIVE = {"inactive", "resolved", "remission"}
_UNCONFIRMED = {"unconfirmed", "provisional", "differential"}
_FINAL_REPORT = {"final", "amended", "corrected", "appended"}
_READ = ("Patient", "Condition", "Observation", "DiagnosticReport")


@dataclass
class RecordCase:
    """What a patient's records say, as a case (docs/case-format.md) with what was not read."""

    findings: dict[str, bool] = field(default_factory=dict)
    age: int | None = None
    sex: str | None = None
    patient_id: str | None = None
    heel_pain: bool = False
    notes: list[str] = field(default_factory=list)
    not_read: list[str] = field(default_factory=list)
    used: dict[str, str] = field(default_factory=dict)  # finding id -> the record that set it
    #: warning signs coded recently: never counted from a code, to be asked (finding id -> the record)
    to_confirm: dict[str, str] = field(default_factory=dict)

    def issues(self) -> list[tuple[str, str]]:
        """(severity, message) for what a reader must know: warning signs to ask, records not read,
        and how the rest was read."""
        return [*(("warning", f"{ref}: {finding} was recorded recently or undated: ask whether it is present now "
                              "(a warning sign, never counted from a code)") for finding, ref in self.to_confirm.items()),
                *(("information", line) for line in self.not_read),
                *(("information", note) for note in self.notes)]

    def case_data(self, **overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"setting": "primary_care", "age": self.age, "sex": self.sex, "findings": dict(self.findings)}
        data.update({k: v for k, v in overrides.items() if v is not None})
        if data.get("age") is None:
            raise InteroperabilityError("the records give no age: a Patient with a birthDate is needed (or give the age)")
        return {k: v for k, v in data.items() if v is not None}


def read_records(hp: Heelpath, resources: list[dict[str, Any]], today: date | None = None) -> RecordCase:
    """Read validated resources (a Bundle's entries, searchset bundles opened) into one patient's case.

    Raises
    ------
    InteroperabilityError
        The records are of more than one patient.
    """
    today = today or date.today()
    out = RecordCase()
    dated: dict[str, tuple[datetime, bool]] = {}
    flat = _flatten(resources, out)
    patients = {r.get("id") for r in flat if r.get("resourceType") == "Patient"}
    if len(patients) > 1:
        raise InteroperabilityError(f"records of more than one patient ({', '.join(sorted(map(str, patients)))[:200]})")
    for resource in flat:
        rtype, ref = resource.get("resourceType"), _reference(resource)
        if rtype == "Patient":
            _patient(resource, out, today)
            continue
        if rtype not in _READ:
            out.not_read.append(f"{ref}: heelpath does not read {rtype} resources")
            continue
        subject = (resource.get("subject") or {}).get("reference")
        if patients and subject and subject.rsplit("/", 1)[-1] != next(iter(patients)):
            raise InteroperabilityError(f"{ref} is about {subject}, not the Patient of these records")
        if resource.get("status") == "entered-in-error" or _code(resource.get("verificationStatus")) == "entered-in-error":
            out.not_read.append(f"{ref}: entered in error")
            continue
        if rtype == "DiagnosticReport":
            _report(hp, resource, ref, out, dated)
            continue
        codings = codings_of(resource.get("code"))
        heel_pain = rtype == "Condition" and hp.codes.is_heel_pain(codings)
        if heel_pain:
            _heel_pain(resource, ref, out)
        entry = hp.codes.finding_for(codings)
        if entry is None:
            if not heel_pain:
                out.not_read.append(f"{ref}: {_describe(codings)} is not a code heelpath reads")
            continue
        if entry.reading == "report":
            out.not_read.append(f"{ref}: {entry.finding} is read from a diagnostic report's conclusion, not a {rtype}")
            continue
        if entry.reading == "confirm":
            _recent_sign(entry, resource, ref, out, today)
            continue
        value = _condition(entry, resource, ref, out) if rtype == "Condition" else _observation(entry, resource, ref, out)
        if value is not None:
            _set(out, dated, entry.finding, value, _instant(_when(resource)), ref)
    return out


def _flatten(resources: list[dict[str, Any]], out: RecordCase) -> list[dict[str, Any]]:
    flat: list[dict[str, Any]] = []
    for resource in resources:
        if resource.get("resourceType") != "Bundle":
            flat.append(resource)
            continue
        if any(link.get("relation") == "next" for link in resource.get("link") or []):
            out.not_read.append(f"Bundle/{resource.get('id') or '(no id)'}: more results are on a next page, "
                                "which was not read")
        for number, entry in enumerate(resource.get("entry") or []):
            if isinstance(entry.get("resource"), dict):
                flat.extend(_flatten([entry["resource"]], out))
            else:
                out.not_read.append(f"Bundle entry {number}: no resource")
    return flat


def _heel_pain(resource: dict[str, Any], ref: str, out: RecordCase) -> None:
    status = _code(resource.get("clinicalStatus"))
    verification = _code(resource.get("verificationStatus"))
    if verification in _UNCONFIRMED | {"refuted"} or status in _INACTIVE:
        out.not_read.append(f"{ref}: heel or foot pain that is {verification if verification != 'confirmed' else status}")
        return
    out.heel_pain = True
    out.notes.append(f"{ref}: heel or foot pain on the problem list")


def _patient(resource: dict[str, Any], out: RecordCase, today: date) -> None:
    out.patient_id = resource.get("id")
    gender = resource.get("gender")
    out.sex = gender if gender in ("female", "male") else None
    birth = resource.get("birthDate")
    if isinstance(birth, str) and len(birth) >= 4:
        parts = [int(p) for p in birth[:10].split("-")]
        year, month, day = parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1
        out.age = today.year - year - ((today.month, today.day) < (month, day))
        if len(birth) < 10:
            out.notes.append(f"age {out.age} from a partial birth date ({birth})")
        if not 0 <= out.age <= 120:
            raise InteroperabilityError(f"Patient.birthDate {birth} gives an age of {out.age}")


def _recent_sign(entry: FindingCodes, resource: dict[str, Any], ref: str, out: RecordCase, today: date) -> None:
    when = resource.get("onsetDateTime") or _when(resource)
    try:
        age_days = (today - date.fromisoformat(when[:10])).days if len(when) >= 10 else None
    except ValueError:
        age_days = None
    if age_days is None or age_days <= (entry.within_days or 0):
        out.to_confirm.setdefault(entry.finding, ref)
    else:
        out.not_read.append(f"{ref}: {entry.finding} recorded {age_days} days ago, more than {entry.within_days}: "
                            "not taken as a new warning sign")


def _report(hp: Heelpath, resource: dict[str, Any], ref: str, out: RecordCase,
            dated: dict[str, tuple[datetime, bool]]) -> None:
    if resource.get("status") not in _FINAL_REPORT:
        out.not_read.append(f"{ref}: a {resource.get('status')} report is not read")
        return
    conclusions = resource.get("conclusionCode") or []
    if not conclusions:
        out.not_read.append(f"{ref}: no coded conclusion (conclusionCode) to read")
    for concept in conclusions:
        codings = codings_of(concept)
        entry = hp.codes.finding_for(codings)
        if entry is None or entry.reading != "report":
            out.not_read.append(f"{ref}: conclusion {_describe(codings)} is not a result heelpath reads")
            continue
        _set(out, dated, entry.finding, True, _instant(_when(resource)), ref)


def _condition(entry: FindingCodes, resource: dict[str, Any], ref: str, out: RecordCase) -> bool | None:
    verification = _code(resource.get("verificationStatus"))
    if verification == "refuted":
        return False
    if verification in _UNCONFIRMED:
        out.not_read.append(f"{ref}: {entry.finding} is {verification}, so not counted")
        return None
    if _code(resource.get("clinicalStatus")) in _INACTIVE and not entry.history:
        out.not_read.append(f"{ref}: {entry.finding} is {_code(resource.get('clinicalStatus'))}, so not counted")
        return None
    return True


def _observation(entry: FindingCodes, resource: dict[str, Any], ref: str, out: RecordCase) -> bool | None:
    if resource.get("status") in ("cancelled", "registered"):
        out.not_read.append(f"{ref}: a {resource.get('status')} observation has no result")
        return None
    if resource.get("dataAbsentReason"):
        out.not_read.append(f"{ref}: no value ({_describe(codings_of(resource['dataAbsentReason']))})")
        return None
    interpretations = {c.code for concept in resource.get("interpretation") or [] for c in codings_of(concept)}
    if entry.reading == "raised":
        value = _raised(resource, interpretations)
        if value is None:
            out.not_read.append(f"{ref}: {entry.finding} cannot be judged: no interpretation and no reference "
                                "range in the same unit")
        return value
    if entry.reading == "positive":
        value = _positive(resource, interpretations)
        if value is None:
            out.not_read.append(f"{ref}: {entry.finding} cannot be judged: the value says neither positive nor negative")
        return value
    return resource.get("valueBoolean", True) is not False


def _raised(resource: dict[str, Any], interpretations: set[str | None]) -> bool | None:
    if interpretations & _HIGH:
        return True
    if interpretations & _NOT_HIGH:
        return False
    quantity = resource.get("valueQuantity") or {}
    for bounds in resource.get("referenceRange") or []:
        high = bounds.get("high") or {}
        if isinstance(quantity.get("value"), (int, float)) and isinstance(high.get("value"), (int, float)) \
                and (quantity.get("code") or quantity.get("unit")) == (high.get("code") or high.get("unit")):
            return quantity["value"] > high["value"]
    return None


def _positive(resource: dict[str, Any], interpretations: set[str | None]) -> bool | None:
    if isinstance(resource.get("valueBoolean"), bool):
        return bool(resource["valueBoolean"])
    pairs = {(c.system, c.code) for c in codings_of(resource.get("valueCodeableConcept"))}
    if pairs & _POSITIVE:
        return True
    if pairs & _NEGATIVE:
        return False
    text = str(resource.get("valueString") or "").strip().lower()
    if text in ("positive", "detected", "present"):
        return True
    if text in ("negative", "not detected", "absent"):
        return False
    if interpretations & _INTERPRETATION_POSITIVE:
        return True
    if interpretations & _INTERPRETATION_NEGATIVE:
        return False
    return None


def _set(out: RecordCase, dated: dict[str, tuple[datetime, bool]], finding: str, value: bool, when: datetime,
         ref: str) -> None:
    """The latest record wins; undated records lose to dated ones; between undated ones, present wins."""
    previous = dated.get(finding)
    if previous is not None:
        if previous[1] != value:
            out.notes.append(f"{finding}: records disagree ({out.used[finding]} and {ref}); the latest is used")
        if (when, value) <= previous:
            return
    dated[finding] = (when, value)
    out.findings[finding] = value
    out.used[finding] = ref


_UNDATED = datetime.min.replace(tzinfo=UTC)


def _instant(text: str) -> datetime:
    """A FHIR date or dateTime as an instant (a date is its midnight UTC); undated sorts first."""
    if 0 < len(text) < 10:  # a year, or a year and month
        text = (text + "-01-01")[:10]
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return _UNDATED
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _when(resource: dict[str, Any]) -> str:
    for key in ("effectiveDateTime", "issued", "recordedDate", "onsetDateTime"):
        if isinstance(resource.get(key), str):
            return resource[key]
    period = resource.get("effectivePeriod") or {}
    return period.get("end") or period.get("start") or ""


def codings_of(concept: Any) -> list[Coded]:
    """The codings of a CodeableConcept (none for anything else)."""
    if not isinstance(concept, dict):
        return []
    return [Coded(c.get("system"), c.get("code"), c.get("display")) for c in concept.get("coding") or [] if isinstance(c, dict)]


def _code(concept: Any) -> str | None:
    codings = codings_of(concept)
    return codings[0].code if codings else None


def _describe(codings: list[Coded]) -> str:
    if not codings:
        return "no code"
    return ", ".join(f"{c.system}|{c.code}" + (f" ({c.display})" if c.display else "") for c in codings)


def _reference(resource: dict[str, Any]) -> str:
    return f"{resource.get('resourceType')}/{resource.get('id') or '(no id)'}"


def assess_records(hp: Heelpath, bundle: Any, *, today: date | None = None, **overrides: Any) -> tuple[AssessmentResult, RecordCase]:
    """Assess a Bundle of a patient's records; `overrides` (age, sex, side, setting) fill or replace
    what the records say."""
    data = checked(bundle, "Bundle")
    records = read_records(hp, [e["resource"] for e in data.get("entry") or [] if isinstance(e.get("resource"), dict)],
                           today)
    return hp.assess(records.case_data(**overrides)), records
