"""Free-text intake: lay descriptions and clinic notes turned into findings, showing what was understood.

>>> import heelpath
>>> intake = heelpath.load().read_text("My heel hurts when I get out of bed, no tingling")
>>> intake.to_case_findings()
{'first_step_pain': True, 'tingling_pins_needles': False}

medspaCy (TargetMatcher + ConText on a blank English pipeline) is imported on the first call to
:func:`extract`, not when this package is imported; the phrases and rules are in
``knowledge/data/lexicon.yaml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heelpath.services.intake.model import MODIFIERS, ExtractedFinding, TextIntake

if TYPE_CHECKING:
    from heelpath.knowledge.lexicon import Lexicon

__all__ = ["MODIFIERS", "ExtractedFinding", "TextIntake", "extract"]


def extract(text: str, lexicon: Lexicon, statistical: bool = True) -> TextIntake:
    """Read findings, age, sex, heel side, duration and morning stiffness from free text.

    See :func:`heelpath.services.intake.extractor.extract`.
    """
    from heelpath.services.intake.extractor import extract as _extract

    return _extract(text, lexicon, statistical)
