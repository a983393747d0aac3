"""A case as people give it, validated and turned into the engine's evidence.

This is where laterality is applied: a lateralised finding counts only on the painful side, a
finding present on both sides sets its bilateral variant, and number answers derive their boolean
findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heelpath.errors import CaseFormatError, InvalidAnswerError, UnknownFindingError, validation_problems
from heelpath.knowledge import KnowledgeBase
from heelpath.knowledge.schema import Finding
from heelpath.services.jsonio import decode, parse_json

Side = Literal["left", "right", "both"]
SETTINGS = ("self_assessment", "primary_care")


class SidedAnswer(BaseModel):
    """An answer to a lateralised finding, with the side it was found on."""

    model_config = ConfigDict(strict=True, extra="forbid")
    present: bool | None
    side: Side | None = None


Answer = bool | int | float | SidedAnswer | None


class Case(BaseModel):
    """One person's heel-pain presentation (see docs/case-format.md)."""

    model_config = ConfigDict(strict=True, extra="forbid")
    setting: Literal["self_assessment", "primary_care"] = "self_assessment"
    age: int | float = Field(ge=0, le=120)
    sex: Literal["female", "male"] | None = None
    side: Literal["left", "right", "both", "unknown"] = "unknown"
    findings: dict[str, Answer] = {}
    text: str | None = Field(default=None, max_length=20000)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Case:
        """A case from JSON text, read with the limits of :func:`heelpath.services.jsonio.parse_json`."""
        text = decode(raw, "the case") if isinstance(raw, bytes) else raw
        return cls.from_data(parse_json(text))

    @classmethod
    def from_data(cls, data: Any) -> Case:
        if not isinstance(data, dict):
            raise CaseFormatError(f"a case must be a JSON object, got {type(data).__name__}")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise CaseFormatError(validation_problems(exc, "case")) from None



@dataclass
class Evidence:
    """Finding answers the engine can use, plus what was set aside and why."""

    answers: dict[str, bool] = field(default_factory=dict)
    numbers: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    given: dict[str, Any] = field(default_factory=dict)  # the answers as entered, for reports


def to_evidence(kb: KnowledgeBase, case: Case) -> Evidence:
    """Validate a case's answers against the knowledge base and apply laterality.

    Raises
    ------
    UnknownFindingError
        A finding id is not in the knowledge base.
    InvalidAnswerError
        An answer has the wrong type, is out of range, or contradicts another answer.
    """
    evidence = Evidence()
    derived: dict[str, tuple[bool, str]] = {}
    for finding_id, answer in case.findings.items():
        if not kb.has_finding(finding_id):
            raise UnknownFindingError(f"unknown finding id {finding_id!r} (see `heelpath kb findings`)")
        if answer is None:
            continue
        finding = kb.finding(finding_id)
        evidence.given[finding_id] = answer.model_dump() if isinstance(answer, SidedAnswer) else answer
        if finding.type == "number":
            _number_answer(finding, answer, evidence, derived)
        elif finding.type == "boolean":
            _boolean_answer(kb, case, finding, answer, evidence)
        else:
            raise InvalidAnswerError(f"{finding_id}: choice findings are not answered in cases yet")
    for finding_id, (value, source) in derived.items():
        _set(evidence, finding_id, value, source)
    _heel_side(case, evidence)
    return evidence


def _set(evidence: Evidence, finding_id: str, value: bool, source: str) -> None:
    previous = evidence.answers.get(finding_id)
    if previous is not None and previous != value:
        raise InvalidAnswerError(f"contradictory answers: {finding_id} is both {previous} and {value} ({source})")
    evidence.answers[finding_id] = value


def _number_answer(finding: Finding, answer: Answer, evidence: Evidence, derived: dict[str, tuple[bool, str]]) -> None:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        raise InvalidAnswerError(f"{finding.id}: expected a number of {finding.unit}, got {answer!r}")
    low, high = finding.bounds
    if not low <= answer <= high:
        raise InvalidAnswerError(f"{finding.id}: {answer} {finding.unit} is outside {low:g}-{high:g}")
    evidence.numbers[finding.id] = float(answer)
    for rule in finding.derives:
        derived[rule.finding] = (answer >= rule.at_least, f"from {finding.id} = {answer:g}")


def _boolean_answer(kb: KnowledgeBase, case: Case, finding: Finding, answer: Answer, evidence: Evidence) -> None:
    if isinstance(answer, SidedAnswer):
        if not finding.lateralised:
            raise InvalidAnswerError(f"{finding.id}: is not answered per side; give true or false")
        present, side = answer.present, answer.side
        if present is None:
            return
    elif isinstance(answer, bool):
        present, side = answer, None
    else:
        raise InvalidAnswerError(f"{finding.id}: expected true, false or null, got {answer!r}")

    if not present or side is None or not finding.lateralised:
        _set(evidence, finding.id, present, "answer")
        if not present and finding.bilateral_variant and side in (None, "both"):
            _set(evidence, finding.bilateral_variant, False, f"{finding.id} absent")
        return
    if side == "both":
        if finding.bilateral_variant:
            _set(evidence, finding.bilateral_variant, True, f"{finding.id} on both sides")
            evidence.notes.append(
                f"{finding.label}: on both sides, so counted as a bilateral sign, not a one-sided (root) sign."
            )
        else:
            _set(evidence, finding.id, True, "answer")
        return
    if case.side in (side, "both", "unknown"):
        _set(evidence, finding.id, True, "answer")
        if finding.bilateral_variant:
            _set(evidence, finding.bilateral_variant, False, f"{finding.id} on one side only")
        return
    evidence.notes.append(
        f"{finding.label}: found on the {side} side but the {case.side} heel hurts, so it is not "
        f"counted as evidence for the {case.side} heel."
    )


def _heel_side(case: Case, evidence: Evidence) -> None:
    if case.side == "both":
        _set(evidence, "bilateral_heel_pain", True, "side = both")
    elif case.side in ("left", "right"):
        _set(evidence, "bilateral_heel_pain", False, f"side = {case.side}")
