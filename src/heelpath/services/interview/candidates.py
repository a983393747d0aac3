"""The screens that could be asked next, and how each is scored: weighted information gain per
unit of cost, the probability of each answer, and the chance that it changes the leading cause."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from heelpath.engine import CompiledModel
from heelpath.knowledge.schema import Screen
from heelpath.services.interview.catalogue import Catalogue
from heelpath.services.interview.lookahead import Evaluation, Scorer, boolean_outcomes, number_outcomes
from heelpath.services.interview.policy import InterviewPolicy
from heelpath.services.interview.state import InterviewState


@dataclass
class Candidate:
    """One screen that could be asked next, with every combination of answers it could get."""

    key: str
    screen: Screen | None
    members: tuple[str, ...]  # finding ids shown
    features: np.ndarray  # (k,) feature indices the answers set
    outcomes: np.ndarray  # (O, k) 0/1: each possible combination of answers
    cost: float
    red_flag: bool = False  # it holds a question the red-flag screening still needs
    number: bool = False  # a number question (its outcomes are ranges of the number)
    # filled by `score`
    q: np.ndarray | None = None
    top: np.ndarray | None = None
    score: float = 0.0
    p_top_change: float = 0.0
    p_triage_change: float | None = None


def candidates(
    model: CompiledModel, cat: Catalogue, policy: InterviewPolicy, state: InterviewState, known: set[str],
) -> list[Candidate]:
    """Every question still available: a screen's unanswered members, a number, or one finding."""
    kb = model.kb
    asked = set(state.answers)
    open_ids = [f for f in cat.askable if f not in asked and f not in known]
    open_set = set(open_ids)
    seen_screens: set[str] = set()
    out: list[Candidate] = []
    index = model.feature_index
    for finding_id in open_ids:
        finding = kb.finding(finding_id)
        if finding.type == "number":
            if any(rule.finding in known or rule.finding in asked for rule in finding.derives):
                continue
            features, outcomes, _ = number_outcomes(model, finding_id)
            out.append(Candidate(finding_id, None, (finding_id,), features, outcomes, 1.0, number=True))
            continue
        screen = cat.screen_of.get(finding_id)
        if screen is not None:
            if screen.id in seen_screens:
                continue
            seen_screens.add(screen.id)
            members = tuple(m for m in screen.members if m in open_set)
        else:
            members = (finding_id,)
        for chunk in _chunks(members, policy.max_group):
            out.append(Candidate(
                screen.id if screen is not None else finding_id, screen, chunk,
                np.array([index[m] for m in chunk], dtype=int), boolean_outcomes(len(chunk)),
                1.0 + policy.item_cost * (len(chunk) - 1),
            ))
    return out


def _chunks(items: tuple[str, ...], size: int) -> Iterable[tuple[str, ...]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def score_all(cat: Catalogue, policy: InterviewPolicy, scorer: Scorer, top: int, cands: list[Candidate]) -> None:
    """Score every screen (the one-finding questions together)."""
    singles = [c for c in cands if not c.number and c.features.size == 1]
    if singles:
        for cand, evaluation in zip(singles, scorer.evaluate_singles(np.array([c.features[0] for c in singles]))):
            _score(cat, policy, top, cand, evaluation)
    for cand in cands:
        if cand.number or cand.features.size != 1:
            _score(cat, policy, top, cand, scorer.evaluate(cand.features, cand.outcomes, full=not cand.number))


def _score(cat: Catalogue, policy: InterviewPolicy, top: int, cand: Candidate, evaluation: Evaluation) -> None:
    cand.q, cand.top = evaluation.q, evaluation.top
    cand.p_top_change = float(cand.q[cand.top != top].sum())
    gain = evaluation.gain
    if any(m in cat.test_findings for m in cand.members):
        gain *= policy.test_weight
    cand.score = gain / cand.cost
