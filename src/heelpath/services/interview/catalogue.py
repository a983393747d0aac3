"""What can be asked in each mode: the askable findings, the screens that group them, and the
red-flag rules the screening must decide (built once per loaded knowledge base and mode)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from heelpath.knowledge.rules import Level, Node, node_findings
from heelpath.knowledge.schema import Screen

if TYPE_CHECKING:
    from heelpath.services.context import Heelpath

#: who may answer a finding in each mode (findings.yaml `answered_by`)
ANSWERED_BY = {"lay": frozenset({"patient"}), "clinician": frozenset({"patient", "clinician", "test"})}
#: the screen that gathers red-flag findings no other screen holds (screens.yaml)
OTHER_WARNING_SIGNS = "other_warning_signs"


@dataclass(frozen=True)
class RedFlagRule:
    """A red-flag rule as the screening reads it."""

    id: str
    level: Level
    node: Node
    findings: tuple[str, ...]  # the findings it reads
    questions: frozenset[str]  # ... and the questions that answer them


@dataclass(frozen=True, eq=False)
class Catalogue:
    """What can be asked in one mode, and how it is grouped."""

    mode: str
    askable: tuple[str, ...]  # finding ids: boolean (not derived) and number findings
    askable_set: frozenset[str]
    screen_of: dict[str, Screen]  # finding id -> the screen it is shown on (this mode's members only)
    red_flags: frozenset[str]  # askable findings that a red-flag rule reads
    test_findings: frozenset[str]
    rules: tuple[RedFlagRule, ...]
    asked_via: dict[str, str]  # a derived finding -> the question that answers it
    #: what each red-flag rule needs, by the status of its findings and the age (see screening.py)
    screening_cache: dict[tuple[Any, ...], tuple[str, ...]] = field(default_factory=dict, repr=False)

    def screen_id(self, finding_id: str) -> str:
        """The screen a finding is shown on, or the finding itself when it is asked alone."""
        screen = self.screen_of.get(finding_id)
        return screen.id if screen is not None else finding_id


@lru_cache(maxsize=8)
def catalogue(context: Heelpath, mode: str) -> Catalogue:
    """The askable findings, screens and red flags of a mode."""
    kb, model, book = context.kb, context.model, context.rules
    who = ANSWERED_BY[mode]
    askable = []
    for f in kb.findings:
        if f.derived or f.answered_by not in who or f.type == "choice":
            continue
        if mode == "lay" and not f.lay_question:
            continue
        if f.type == "boolean" and f.id not in model.feature_index:
            continue
        askable.append(f.id)
    askable_set = frozenset(askable)
    asked_via: dict[str, str] = {}
    for f in kb.findings:
        if f.id in askable_set:
            for rule in f.derives:
                asked_via[rule.finding] = f.id
            if f.bilateral_variant:
                asked_via[f.bilateral_variant] = f.id
    rules = tuple(
        RedFlagRule(flag.id, flag.level, book.node(flag), named, frozenset(asked_via.get(f, f) for f in named))
        for flag in book.red_flags
        for named in [tuple(sorted(node_findings(book.node(flag))))]
    )
    red_flags = frozenset(q for rule in rules for q in rule.questions) & askable_set

    screen_of: dict[str, Screen] = {}
    screens = sorted(kb.screens, key=lambda s: s.id == OTHER_WARNING_SIGNS)  # it takes what is left
    for screen in screens:
        members = [m for m in screen.members if m in askable_set and kb.finding(m).type == "boolean"]
        if screen.id == OTHER_WARNING_SIGNS:
            members += [f for f in askable if f in red_flags and f not in screen_of
                        and kb.finding(f).type == "boolean"]
        if members:
            shown = screen.model_copy(update={"members": members})
            screen_of.update({m: shown for m in members})
    tests = frozenset(f for f in askable if kb.finding(f).answered_by == "test")
    return Catalogue(mode, tuple(askable), askable_set, screen_of, red_flags, tests, rules, asked_via)


@lru_cache(maxsize=8)
def serious_weights(context: Heelpath, weight: float) -> np.ndarray:
    """(S,) weight of each state in the information gain: `weight` for states with a serious cause."""
    model = context.model
    serious = np.array([context.kb.condition(c).serious for c in model.condition_ids], dtype=float)
    out = np.where((model.membership @ serious) > 0, weight, 1.0)
    out.setflags(write=False)
    return out
