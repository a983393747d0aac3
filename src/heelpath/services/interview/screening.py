"""The red-flag screening: which questions are still needed so that every red-flag rule is decided.

A red-flag rule is decided when it fired or cannot fire whatever the open questions turn out to be
(:func:`heelpath.engine.rules.decide`). Screening comes straight after the about-you screen and is
never skipped, in either mode.
"""

from __future__ import annotations

from collections.abc import Iterable

from heelpath.engine.rules import decide
from heelpath.services.interview.catalogue import Catalogue, RedFlagRule
from heelpath.services.interview.state import InterviewState, is_present

#: a finding's status in a rule: present (True), settled without being present (False: answered
#: "no" or "don't know", or cannot be asked in this mode), or still open (None)
Status = tuple[bool | None, ...]


def _decide(rule: RedFlagRule, status: Status, age: float) -> bool | None:
    return decide(rule.node, dict(zip(rule.findings, status)).__getitem__, age)


def present_findings(state: InterviewState, evidence_answers: dict[str, bool]) -> set[str]:
    """Findings answered "yes": in the case's evidence, or on any side in the state."""
    present = {f for f, v in evidence_answers.items() if v}
    return present | {f for f, v in state.answers.items() if is_present(v)}


def screening_needed(
    cat: Catalogue, state: InterviewState, evidence_answers: dict[str, bool], age: float,
) -> set[str]:
    """Questions still needed so that every red-flag rule is decided (it fired, or it cannot fire).

    For each undecided rule, the findings whose answer alone would decide it come first (e.g.
    "history of cancer" before the back-pain items of the cancer rules); when no single answer
    decides a rule, all its unanswered findings are needed. An answer of "don't know" settles a
    finding (red flags fire only on a "yes"). Findings that cannot be asked in this mode count as
    settled. Returns question ids (a derived finding maps to the question that answers it).
    """
    needed: set[str] = set()
    for questions in by_rule(cat, state, evidence_answers, age):
        needed.update(questions)
    return needed


def by_rule(
    cat: Catalogue, state: InterviewState, evidence_answers: dict[str, bool], age: float,
    also_settled: frozenset[str] = frozenset(), rules: Iterable[int] | None = None,
) -> list[tuple[str, ...]]:
    """The questions each red-flag rule still needs (see `screening_needed`), rule by rule.

    ``also_settled``: questions to treat as answered "no" (a screen about to be asked);
    ``rules``: only these rule indices (the others get an empty tuple).
    """
    askable, asked_via, answers = cat.askable_set, cat.asked_via, state.answers
    present = present_findings(state, evidence_answers)

    def settled(f: str) -> bool:
        question = asked_via.get(f, f)
        return f in evidence_answers or question in answers or question in also_settled or question not in askable

    # A rule's needs depend only on the age and on which of its findings are present, settled or
    # open: they are cached by those.
    cache = cat.screening_cache
    if len(cache) > 100_000:
        cache.clear()
    out: list[tuple[str, ...]] = [()] * len(cat.rules)
    for i in range(len(cat.rules)) if rules is None else rules:
        rule = cat.rules[i]
        status = tuple(True if f in present else False if settled(f) else None for f in rule.findings)
        key = (i, status, age)
        questions = cache.get(key)
        if questions is None:
            questions = cache[key] = _rule_needs(cat, rule, status, age)
        out[i] = questions
    return out


def _rule_needs(cat: Catalogue, rule: RedFlagRule, status: Status, age: float) -> tuple[str, ...]:
    """The questions an undecided rule needs: those whose answer alone decides it, else all its open ones."""
    if _decide(rule, status, age) is not None:
        return ()
    open_ = [j for j, value in enumerate(status) if value is None]
    decisive = [
        j for j in open_
        if _decide(rule, status[:j] + (True,) + status[j + 1:], age) is not None
        or _decide(rule, status[:j] + (False,) + status[j + 1:], age) is not None
    ]
    return tuple(cat.asked_via.get(f, f) for f in (rule.findings[j] for j in (decisive or open_)))


def screens_left(
    cat: Catalogue, state: InterviewState, evidence_answers: dict[str, bool], age: float, needed: set[str],
) -> int:
    """About how many screens the red-flag screening still takes (for the progress estimate).

    The screens holding a finding that would fire a rule on its own must all be shown; one more
    when other needed findings lie outside them.
    """
    present = present_findings(state, evidence_answers)
    # every other finding settled: does some rule hold once f is present?
    statuses = [tuple(f in present for f in rule.findings) for rule in cat.rules]
    holds = any(_decide(rule, status, age) for rule, status in zip(cat.rules, statuses))

    def fires_alone(f: str) -> bool:
        if holds:
            return True
        for rule, status in zip(cat.rules, statuses):
            if f in rule.findings:
                j = rule.findings.index(f)
                if _decide(rule, status[:j] + (True,) + status[j + 1:], age):
                    return True
        return False

    alone = {f for f in needed if fires_alone(f)}
    screens = {cat.screen_id(f) for f in alone}
    rest = {cat.screen_id(f) for f in needed - alone}
    return len(screens) + int(bool(rest - screens))


def screens_until_emergency(cat: Catalogue, state: InterviewState) -> int:
    """How many screens were answered when an emergency red flag first held, in answer order.

    Answers are replayed in the order given (the order they were added); the about-you screen
    counts as one. Without an emergency rule that holds, the number of screens asked.
    """
    emergency = [rule for rule in cat.rules if rule.level == "emergency"]
    present: set[str] = set()
    age = float(state.age or 0)
    screens = int(state.age is not None)
    previous: str | None = None
    for finding_id, value in state.answers.items():
        screen = cat.screen_id(finding_id)
        if screen != previous:
            if any(decide(rule.node, lambda f: f in present, age) for rule in emergency):
                return screens
            screens += 1
            previous = screen
        if is_present(value):
            present.add(finding_id)
    return screens


def screens_asked(cat: Catalogue, state: InterviewState) -> int:
    """How many screens the answers so far took: about-you, each screen once, each other answer once."""
    screens = {cat.screen_of[f].id for f in state.answers if f in cat.screen_of}
    singles = sum(1 for f in state.answers if f not in cat.screen_of and f not in cat.asked_via)
    return int(state.age is not None) + len(screens) + singles
