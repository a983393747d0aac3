"""The interview's state (everything answered so far) and the answers people type.

Shared by every interface: the HTTP API and the web app send the state back and forth, the
terminal interview builds it from typed answers (:func:`parse_answer`).
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heelpath.errors import CaseFormatError, InvalidAnswerError, UnknownFindingError, validation_problems
from heelpath.knowledge import KnowledgeBase

Mode = Literal["lay", "clinician"]
MODES: tuple[str, ...] = ("lay", "clinician")
UNKNOWN = "unknown"

#: the setting each mode assesses in, unless the state names one
DEFAULT_SETTING = {"lay": "self_assessment", "clinician": "primary_care"}


class SidedReply(BaseModel):
    """A lateralised answer: present (or not known) on the left, right or both sides."""

    model_config = ConfigDict(strict=True, extra="forbid")
    present: bool | Literal["unknown"] | None
    side: Literal["left", "right", "both"] | None = None


AnswerValue = bool | int | float | Literal["unknown"] | SidedReply | None


class InterviewState(BaseModel):
    """Everything answered so far; the interview keeps no memory of its own.

    ``answers`` maps a finding id to ``true`` / ``false`` / ``"unknown"`` (asked, not known), a
    ``{"present": ..., "side": "left" | "right" | "both"}`` object for a lateralised finding, or a
    number for a number finding. ``sex`` and ``side`` are ``None`` until asked, ``"unknown"`` when
    asked and not given.
    """

    model_config = ConfigDict(strict=True, extra="forbid")
    mode: Mode = "lay"
    setting: Literal["self_assessment", "primary_care"] | None = None
    age: int | float | None = Field(default=None, ge=0, le=120)
    sex: Literal["female", "male", "unknown"] | None = None
    side: Literal["left", "right", "both", "unknown"] | None = None
    answers: dict[str, AnswerValue] = {}
    max_questions: int | None = Field(default=None, ge=1, le=200)
    #: findings to ask before any other (after about-you): warning signs a description mentioned
    #: without settling them
    confirm_first: list[str] = Field(default=[], max_length=100)

    @classmethod
    def from_data(cls, data: Any) -> InterviewState:
        """Validate a JSON-like object; a bad field raises CaseFormatError naming it."""
        if not isinstance(data, dict):
            raise CaseFormatError(f"an interview state must be a JSON object, got {type(data).__name__}")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise CaseFormatError(validation_problems(exc, "state")) from None

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=False)

    def with_answers(self, answers: dict[str, Any], **fields: Any) -> InterviewState:
        """A new state with these answers added (and top-level fields such as age replaced)."""
        data = self.to_data()
        data["answers"] = {**data["answers"], **answers}
        data.update(fields)
        return InterviewState.from_data(data)

    @property
    def effective_setting(self) -> str:
        return self.setting or DEFAULT_SETTING[self.mode]


def is_present(value: Any) -> bool:
    """An answer of "yes" (on any side)."""
    if isinstance(value, SidedReply):
        return value.present is True
    return value is True


def case_data(state: InterviewState, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The case (docs/case-format.md) the answers so far amount to; "don't know" becomes null."""
    findings: dict[str, Any] = {}
    for finding_id, value in {**state.answers, **(extra or {})}.items():
        if isinstance(value, SidedReply):
            value = value.model_dump()
        if value == UNKNOWN or isinstance(value, dict) and value.get("present") == UNKNOWN:
            value = None
        findings[finding_id] = value
    return {
        "setting": state.effective_setting,
        "age": state.age,
        "sex": state.sex if state.sex in ("female", "male") else None,
        "side": state.side or "unknown",
        "findings": findings,
    }


def parse_answer(kb: KnowledgeBase, finding_id: str, text: str) -> Any:
    """Turn a typed answer (``yes``, ``no``, ``?``, ``left``, ``right``, ``both``, a number) into a state answer.

    Raises
    ------
    UnknownFindingError, InvalidAnswerError
    """
    if not kb.has_finding(finding_id):
        raise UnknownFindingError(f"unknown finding id {finding_id!r} (see `heelpath kb findings`)")
    finding = kb.finding(finding_id)
    word = text.strip().lower()
    if word in ("?", "unknown", "dont know", "don't know", "dk", "not sure", "u"):
        return UNKNOWN
    if finding.type == "number":
        try:
            value = float(word)
        except ValueError:
            raise InvalidAnswerError(f"{finding_id}: expected a number of {finding.unit}, got {text!r}") from None
        if not math.isfinite(value):
            raise InvalidAnswerError(f"{finding_id}: expected a number of {finding.unit}, got {text!r}")
        low, high = finding.bounds
        if not low <= value <= high:
            raise InvalidAnswerError(f"{finding_id}: {value:g} {finding.unit} is outside {low:g}-{high:g}")
        return int(value) if value.is_integer() else value
    sides = {"l": "left", "left": "left", "r": "right", "right": "right", "b": "both", "both": "both"}
    if word in ("y", "yes", "true", "1", "present"):
        return True
    if word in ("n", "no", "false", "0", "absent"):
        return False
    if word in sides:
        if not finding.lateralised:
            raise InvalidAnswerError(f"{finding_id}: is not answered per side; answer yes, no or unknown")
        return {"present": True, "side": sides[word]}
    choices = "yes, no, unknown" + (", left, right or both" if finding.lateralised else "")
    raise InvalidAnswerError(f"{finding_id}: expected {choices}, got {text!r}")
