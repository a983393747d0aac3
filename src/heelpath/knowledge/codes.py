"""The terminology map (``knowledge/data/codes.yaml``): which coded records mean which finding, which
orders are which test, and the project's FHIR names.

Codes live here, never in code. A coded record (a FHIR Condition, Observation or report conclusion)
sets a finding; an order's code names one of the tests next_steps.yaml recommends or advises
against. ICD-10-CM entries may name a category (``prefix``) and match every code under it.
``heelpath kb validate`` checks every ICD-10-CM code against the official code set, every SNOMED CT
id's Verhoeff digit and every LOINC code's mod-10 check digit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from heelpath.errors import KBReferenceError, KBSchemaError
from heelpath.knowledge.loader import KnowledgeBase
from heelpath.knowledge.yaml_text import parse_yaml

SYSTEMS: dict[str, str] = {
    "snomed": "http://snomed.info/sct",
    "loinc": "http://loinc.org",
    "icd10cm": "http://hl7.org/fhir/sid/icd-10-cm",
    "cpt": "http://www.ama-assn.org/go/cpt",
}
SystemName = Literal["snomed", "loinc", "icd10cm", "cpt"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Code(_Entry):
    """One code, or (ICD-10-CM only, ``prefix``) a category or block of categories whose every code matches."""

    system: SystemName
    code: str = Field(min_length=1, max_length=20)
    display: str
    prefix: bool = False
    excluding: list[str] = []  # codes under a category or block that do not match (C44 under C00-C96)
    source: str | None = None  # where a SNOMED CT, LOINC or CPT code was found (ICD-10-CM is checked offline)

    @model_validator(mode="after")
    def _checks(self) -> Code:
        if self.prefix and self.system != "icd10cm":
            raise ValueError(f"{self.code}: only ICD-10-CM codes can be categories (prefix)")
        if self.system != "icd10cm" and not self.source:
            raise ValueError(f"{self.system} {self.code}: give the source it was verified in")
        return self

    @property
    def uri(self) -> str:
        return SYSTEMS[self.system]

    def matches(self, system: str | None, code: str | None) -> bool:
        if system != self.uri or not code or any(code.startswith(x) for x in self.excluding):
            return False
        if self.prefix and "-" in self.code:  # a block of categories, such as C00-C96
            first, last = self.code.split("-")
            return first <= code[:3] <= last
        if self.prefix:
            return code.startswith(self.code)
        return code == self.code


class FindingCodes(_Entry):
    """The codes that set a finding. ``reading`` says how a coded record is read:

    - ``record``: a Condition (not refuted, not entered in error) or an Observation with the code
      means the finding is present; a Condition that is resolved still counts when ``history`` is set.
    - ``raised``: a laboratory Observation is present when its interpretation is high or abnormal, or
      its value is above the reference range the laboratory gave; absent when within it.
    - ``positive``: an Observation is present when its value or interpretation says positive or
      detected, absent when negative or not detected.
    - ``report``: only a diagnostic report's conclusion code sets it (an imaging or nerve-conduction
      result, not a diagnosis on the problem list).
    - ``confirm``: a warning sign coded within ``within_days`` of today is never counted from the
      record (retention of urine is usually the prostate, not the cauda equina): it is to be asked.
    """

    finding: str
    reading: Literal["record", "raised", "positive", "report", "confirm"] = "record"
    history: bool = False
    within_days: int | None = Field(default=None, ge=1, le=365)
    within_days_source: str | None = None
    codes: list[Code] = Field(min_length=1)


    @model_validator(mode="after")
    def _window(self) -> FindingCodes:
        if (self.reading == "confirm") != (self.within_days is not None) or (
                self.within_days is not None and not self.within_days_source):
            raise ValueError(f"{self.finding}: a `confirm` reading needs within_days and within_days_source, "
                             "and only it has them")
        return self


class TestCodes(_Entry):
    """The order codes of one test of next_steps.yaml."""

    test: str
    title: str
    codes: list[Code] = Field(min_length=1)


class CardThreshold(_Entry):
    at_least: float = Field(gt=0, lt=1)
    source: str


class CardSettings(_Entry):
    """When a patient-view card speaks of a spinal or a systemic origin (the red flags always do)."""

    spinal: CardThreshold
    systemic: CardThreshold


class CodesFile(_Entry):
    canonical: str = Field(pattern=r"^https?://")
    units: dict[str, str]
    heel_pain: list[Code] = Field(min_length=1)
    findings: list[FindingCodes]
    tests: list[TestCodes]
    cards: CardSettings


@dataclass(frozen=True)
class Coded:
    """A code seen in a record, and what the map makes of it."""

    system: str | None
    code: str | None
    display: str | None


@dataclass(frozen=True, eq=False)
class CodeMap:
    """The loaded terminology map, with lookups in both directions."""

    canonical: str
    units: dict[str, str]  # a finding's unit -> its UCUM code
    heel_pain: tuple[Code, ...]
    findings: tuple[FindingCodes, ...]
    tests: tuple[TestCodes, ...]
    cards: CardSettings

    def finding_for(self, codings: Iterable[Coded]) -> FindingCodes | None:
        """The finding a record's codes set (the first coding that matches wins)."""
        for coding in codings:
            for entry in self.findings:
                if any(c.matches(coding.system, coding.code) for c in entry.codes):
                    return entry
        return None

    def tests_for(self, codings: Iterable[Coded]) -> list[TestCodes]:
        """Every test an order's codes name (a CRP belongs to more than one)."""
        codings = list(codings)
        return [entry for entry in self.tests
                if any(c.matches(coding.system, coding.code) for coding in codings for c in entry.codes)]

    def is_heel_pain(self, codings: Iterable[Coded]) -> bool:
        return any(c.matches(coding.system, coding.code) for coding in codings for c in self.heel_pain)

    def codes_of_finding(self, finding_id: str) -> tuple[Code, ...]:
        return tuple(c for entry in self.findings if entry.finding == finding_id for c in entry.codes)

    def codes_of_test(self, test_id: str) -> TestCodes | None:
        return next((t for t in self.tests if t.test == test_id), None)

    def all_codes(self) -> Iterable[Code]:
        yield from self.heel_pain
        for entry in self.findings:
            yield from entry.codes
        for test in self.tests:
            yield from test.codes

    def url(self, kind: str, name: str) -> str:
        """A canonical URL in the project's namespace (CodeSystem, StructureDefinition, Questionnaire)."""
        return f"{self.canonical}/{kind}/{name}"


def load_codes_from(data_dir: Path, kb: KnowledgeBase, test_ids: Iterable[str]) -> CodeMap:
    """Load and check ``codes.yaml`` against the knowledge base's findings and the known test ids.

    Raises
    ------
    KBSchemaError
        The file or an entry is malformed (the message names it).
    KBReferenceError
        An entry names a finding or a test that does not exist, or a finding twice.
    """
    path = data_dir / "codes.yaml"
    try:
        parsed = CodesFile.model_validate(parse_yaml(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, OSError) as exc:
        raise KBSchemaError(f"codes.yaml: cannot be read ({exc})") from None
    except ValidationError as exc:
        raise KBSchemaError(f"codes.yaml: {exc}") from None
    known_tests = set(test_ids)
    seen: set[str] = set()
    for entry in parsed.findings:
        if not kb.has_finding(entry.finding):
            raise KBReferenceError(f"codes.yaml: unknown finding {entry.finding!r}")
        if entry.within_days_source not in (None, "estimate") and entry.within_days_source not in kb.references:
            raise KBReferenceError(f"codes.yaml {entry.finding}: unknown reference {entry.within_days_source!r}")
        if entry.finding in seen:
            raise KBReferenceError(f"codes.yaml: finding {entry.finding!r} is listed twice")
        seen.add(entry.finding)
    for test in parsed.tests:
        if test.test not in known_tests:
            raise KBReferenceError(f"codes.yaml: test {test.test!r} is not a test of next_steps.yaml")
    for name, threshold in (("spinal", parsed.cards.spinal), ("systemic", parsed.cards.systemic)):
        if threshold.source != "estimate" and threshold.source not in kb.references:
            raise KBReferenceError(f"codes.yaml cards.{name}: unknown reference {threshold.source!r}")
    for finding in kb.findings:
        if finding.unit and finding.unit not in parsed.units:
            raise KBReferenceError(f"codes.yaml units: no UCUM code for {finding.unit!r} ({finding.id})")
    return CodeMap(canonical=parsed.canonical.rstrip("/"), units=parsed.units, heel_pain=tuple(parsed.heel_pain),
                   findings=tuple(parsed.findings), tests=tuple(parsed.tests), cards=parsed.cards)


def loinc_check_digit_valid(code: str) -> bool:
    """LOINC's mod-10 check digit (the Luhn-style algorithm the LOINC users' guide gives)."""
    body, _, check = code.partition("-")
    if not body.isdigit() or not check.isdigit() or len(check) != 1:
        return False
    digits = [int(d) for d in body]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10 == int(check)
