"""A person's own description read before the interview: answers to confirm, warning signs to ask first.

The web self-assessment and the terminal interview both show what the text intake understood,
item by item, and count an item only once the person confirms it. Warning signs the text names
without settling (hedged, past, conditional) are never dropped: they go to the interview state's
``confirm_first`` and are asked before anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heelpath.services.context import Heelpath

#: answered by the side question of the about-you screen, not from the text
ABOUT_YOU_FINDINGS = frozenset({"bilateral_heel_pain"})


@dataclass(frozen=True)
class Description:
    """What a description says, for the person to confirm.

    Attributes
    ----------
    answers
        finding id -> the answer the text gives (a case's ``findings`` value), in text order.
    words
        finding id -> the words it was read from.
    to_confirm
        Red-flag findings named without being settled: ask them first.
    """

    answers: dict[str, Any] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)
    to_confirm: list[str] = field(default_factory=list)


def read_description(context: Heelpath, text: str) -> Description:
    """Read `text` (up to 20,000 characters) into answers to confirm and warning signs to ask first.

    Raises
    ------
    InputError
        The text is longer than the text intake accepts.
    """
    intake = context.read_text(text)
    kb = context.kb
    answers: dict[str, Any] = {}
    for finding_id, value in intake.to_case_findings().items():
        if not kb.has_finding(finding_id) or finding_id in ABOUT_YOU_FINDINGS:
            continue
        finding = kb.finding(finding_id)
        if isinstance(value, dict) and not finding.lateralised:
            value = value.get("present")
        if finding.derived or value is None or (isinstance(value, dict) and value.get("present") is None):
            continue
        answers[finding_id] = value
    words = intake.words()
    return Description(answers=answers, words={f: words[f] for f in answers if f in words},
                       to_confirm=context.to_confirm(intake))
