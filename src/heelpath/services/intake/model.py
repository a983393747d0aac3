"""What the text intake understood: findings with their context, and the case answers they give.

Plain dataclasses with no spaCy import, so results can be passed around, shown and tested cheaply.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

Modifier = Literal["affirmed", "negated", "uncertain", "family", "historical"]
ReadBy = Literal["rules", "model"]
Side = Literal["left", "right", "both"]
Sex = Literal["female", "male"]

MODIFIERS: tuple[Modifier, ...] = ("affirmed", "negated", "uncertain", "family", "historical")
# derived findings the case service computes from a number; not set when the number is known
_DERIVED_FROM = {
    "morning_stiffness_over_30_min": "morning_stiffness_minutes",
    "symptoms_over_6_weeks": "duration_weeks",
    "symptoms_over_3_months": "duration_weeks",
}


@dataclass(frozen=True)
class ExtractedFinding:
    """One mention of a finding in the text.

    Attributes
    ----------
    finding_id
        A finding id from ``findings.yaml``.
    present
        The polarity the text states: True for "pins and needles", False for "no tingling".
    side
        ``"left"``, ``"right"`` or ``"both"`` when a side is stated with a lateralised finding.
    text, start, end
        The matched words and their character offsets in the input text.
    modifier
        ``"affirmed"``, ``"negated"``, ``"uncertain"`` (hedged, or a test named without its
        result), ``"family"`` (about a relative) or ``"historical"`` (in the past).
    asserted
        Whether the mention answers the finding for this patient now. Uncertain, family and
        historical mentions are not asserted, except past events that still count (a history of
        cancer, a previous steroid injection) and a family history of SpA-spectrum disease, which is
        given as ``family_history_spa``.
    hedged
        The person states it with a hedge ("I think I wet myself", "I might have ..."): not
        asserted, but a warning sign said this way is counted until it is confirmed (see
        ``Heelpath.assess``). A conditional ("if I get ...") or a word that only names the topic
        is not hedged.
    read_by
        ``"rules"`` (the lexicon's), or ``"model"``: the statistical reader read it where the rules read nothing
        (:mod:`heelpath.services.intake.statistical`); ``text`` is then the sentence that told it most.
    probability
        The statistical reader's probability, for a finding it read.
    """

    finding_id: str
    present: bool
    side: Side | None
    text: str
    start: int
    end: int
    modifier: Modifier
    asserted: bool
    hedged: bool = False
    read_by: ReadBy = "rules"
    probability: float | None = None

    def describe(self) -> str:
        """One line saying what was understood, e.g. ``tingling_pins_needles: absent ('no tingling')``."""
        if self.modifier in ("affirmed", "negated") or self.asserted:
            state = "present" if self.present else "absent"
        else:
            state = f"{'mentioned' if self.present else 'denied'}, not counted ({self.modifier})"
        side = f" ({self.side})" if self.side else ""
        extra = (
            f" [{self.modifier}]" if self.asserted and self.modifier not in ("affirmed", "negated") else ""
        )
        if self.read_by == "model":
            extra += f" [statistical reader, p {self.probability}]"
        return f"{self.finding_id}{side}: {state}{extra} <- {self.text!r}"


@dataclass(frozen=True)
class TextIntake:
    """What was understood from one free text.

    Attributes
    ----------
    text
        The input text.
    findings
        Every finding mention, in text order (asserted or not; see ``ExtractedFinding.asserted``).
    age, sex, side
        Age in years, ``"female"``/``"male"``, and which heel hurts (``"left"``, ``"right"``,
        ``"both"``), when stated; otherwise None.
    limb_side
        When no heel side is stated: the side of the leg or foot the complaint is in ("sciatica in
        my left leg", "the other leg too" gives ``"both"``); otherwise None.
    duration_weeks, morning_stiffness_minutes
        How long the complaint has lasted and how long morning stiffness lasts, when stated.
    unmatched
        True when nothing usable was found; ``message`` then says so.
    message
        A short summary of what was understood, or why nothing was.
    """

    text: str
    findings: list[ExtractedFinding] = field(default_factory=list)
    age: int | None = None
    sex: Sex | None = None
    side: Side | None = None
    limb_side: Side | None = None
    duration_weeks: float | None = None
    morning_stiffness_minutes: float | None = None
    unmatched: bool = False
    message: str = ""

    @property
    def asserted(self) -> list[ExtractedFinding]:
        """The mentions that answer a finding for this patient."""
        return [f for f in self.findings if f.asserted]

    def to_case_findings(self) -> dict[str, Any]:
        """The findings as a case's ``findings`` mapping (see ``docs/case-format.md``).

        Several mentions of one finding are merged: a present mention wins over an absent one
        (a red flag is never talked down), and sides are combined (left and right give both).
        Lateralised findings carry ``{"present": ..., "side": ...}`` when a side was stated.
        Number findings (``duration_weeks``, ``morning_stiffness_minutes``) are included when
        stated; a derived finding is left out when its number is known.

        Examples
        --------
        >>> intake = TextIntake(text="no tingling", findings=[ExtractedFinding(
        ...     "tingling_pins_needles", False, None, "tingling", 3, 11, "negated", True)])
        >>> intake.to_case_findings()
        {'tingling_pins_needles': False}
        """
        by_id: dict[str, list[ExtractedFinding]] = defaultdict(list)
        for finding in self.asserted:
            by_id[finding.finding_id].append(finding)
        answers: dict[str, Any] = {}
        for finding_id, mentions in by_id.items():
            answers[finding_id] = _merge(mentions)
        if self.side == "both" and answers.get("bilateral_heel_pain") is not False:
            answers["bilateral_heel_pain"] = True
        if self.duration_weeks is not None:
            answers["duration_weeks"] = self.duration_weeks
        if self.morning_stiffness_minutes is not None:
            answers["morning_stiffness_minutes"] = self.morning_stiffness_minutes
        for derived, number in _DERIVED_FROM.items():
            if number in answers:
                answers.pop(derived, None)
        return answers

    def words(self) -> dict[str, str]:
        """The words of the first mention that answers each finding, to show people what was read."""
        spans: dict[str, str] = {}
        for finding in self.asserted:
            spans.setdefault(finding.finding_id, finding.text)
        return spans

    def to_case(self) -> dict[str, Any]:
        """A partial case (``age``, ``sex``, ``side`` when stated, and ``findings``).

        ``age`` is required in a full case; merge this with what the caller knows.
        """
        case: dict[str, Any] = {}
        if self.age is not None:
            case["age"] = self.age
        if self.sex is not None:
            case["sex"] = self.sex
        if self.side is not None:
            case["side"] = self.side
        elif self.limb_side in ("left", "right"):  # a one-sided leg or foot complaint: that heel
            case["side"] = self.limb_side
        case["findings"] = self.to_case_findings()
        return case

    def describe(self) -> list[str]:
        """Lines saying what was understood, for people to check."""
        lines = [self.message]
        for label, value in (
            ("age", self.age),
            ("sex", self.sex),
            ("heel", self.side),
            ("duration (weeks)", self.duration_weeks),
            ("morning stiffness (minutes)", self.morning_stiffness_minutes),
        ):
            if value is not None:
                lines.append(f"{label}: {value}")
        lines.extend(f.describe() for f in self.findings)
        return lines


def _merge(mentions: list[ExtractedFinding]) -> Any:
    present = [m for m in mentions if m.present]
    if present:
        side = _combine_sides([m.side for m in present])
        return {"present": True, "side": side} if side else True
    sides = [m.side for m in mentions]
    if None in sides:
        return False  # denied without a side: absent on the painful side
    return {"present": False, "side": _combine_sides(sides)}


def _combine_sides(sides: list[Side | None]) -> Side | None:
    stated = {s for s in sides if s is not None}
    if not stated:
        return None
    if "both" in stated or {"left", "right"} <= stated:
        return "both"
    return stated.pop()
