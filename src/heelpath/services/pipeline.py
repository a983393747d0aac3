"""From what a user gives (case data, free text, command-line options) to the full result."""

from __future__ import annotations

from typing import Any

from heelpath.errors import CaseFormatError
from heelpath.services.assessment import assess
from heelpath.services.case import Case
from heelpath.services.next_steps import next_steps
from heelpath.services.triage import triage


def build_case(
    data: dict[str, Any],
    text: str | None = None,
    age: float | None = None,
    sex: str | None = None,
    side: str | None = None,
    setting: str | None = None,
) -> tuple[Case, Any]:
    """Merge a case object, free text and explicit options into one validated case.

    Explicit options win over the case data; the case's structured findings win over what the
    text intake reads from the text (the text only fills in what was not answered).
    Returns the case and the text intake result (None when there is no text).
    """
    data = dict(data)
    for key, value in (("age", age), ("sex", sex), ("side", side), ("setting", setting)):
        if value is not None:
            data[key] = value
    if text is not None:
        data["text"] = text
    intake = None
    if data.get("text"):
        if not isinstance(data["text"], str):
            raise CaseFormatError("text: expected a string")
        from heelpath.services.intake import extract  # loads the NLP pipeline: only when needed

        intake = extract(data["text"])
        findings = dict(data.get("findings") or {})
        for finding_id, answer in intake.to_case_findings().items():
            findings.setdefault(finding_id, answer)
        data["findings"] = findings
        for key in ("age", "sex", "side"):
            value = getattr(intake, key, None)
            if data.get(key) in (None, "unknown") and value is not None:
                data[key] = value
    if data.get("age") is None:
        raise CaseFormatError("age is required: give it in the case, with --age, or in the text")
    return Case.from_data(data), intake


def full_assessment(case: Case, intake: Any = None) -> dict[str, Any]:
    """The documented result: differential, origin, localisation, triage and next steps."""
    assessment = assess(case)
    result = assessment.to_dict()
    result["triage"] = triage(assessment)
    result["next_steps"] = next_steps(assessment, result["triage"])
    if intake is not None:
        result["text_intake"] = {
            "findings": [
                {
                    "finding": f.finding_id,
                    "present": f.present,
                    "side": f.side,
                    "span": f.text,
                    "start": f.start,
                    "end": f.end,
                    "modifier": f.modifier,
                    "asserted": f.asserted,
                }
                for f in intake.findings
            ],
            "understood_nothing": not intake.findings,
        }
    return result
