"""The three evaluators of a compiled rule condition (:func:`heelpath.knowledge.rules.compile_when`).

- :func:`scalar` — one case, with the atoms that made the condition hold (triage, next steps,
  cautions);
- :class:`VectorFacts` with :func:`vector` — many answer sets at once, on arrays (the interview's
  look-ahead and population screening);
- :func:`decide` — three-valued (holds, cannot hold, not decided yet) on partly answered findings
  (the interview's red-flag screening).

Each reads the same compiled form, so a rule means the same thing everywhere; a property test
checks that the three agree.

>>> from heelpath.knowledge.rules import compile_when
>>> node = compile_when({"any": ["fever", {"all": ["history_of_cancer", {"age_at_least": 50}]}]})
>>> decide(node, {"fever": False, "history_of_cancer": None}.get, age=60) is None
True
>>> decide(node, {"fever": False, "history_of_cancer": False}.get, age=60)
False
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple, Protocol

import numpy as np

from heelpath.engine.inference import ABSENT, PRESENT, UNKNOWN
from heelpath.knowledge.rules import Node


class Facts(Protocol):
    """What a condition reads about one case (built from an assessment by the services)."""

    age: float
    setting: str

    def present(self, finding_id: str) -> bool: ...
    def absent(self, finding_id: str) -> bool: ...
    def answered(self, finding_id: str) -> bool: ...
    def probability(self, condition_ids: tuple[str, ...]) -> float: ...
    def leading(self) -> tuple[str, float]: ...
    def origin(self, involves: str) -> float: ...
    def rule_fired(self, rule_id: str) -> bool: ...
    def triage_rank(self) -> int | None: ...


class Because(NamedTuple):
    """One reason a condition held: a finding answered, a probability, a fired rule (a named tuple:
    rules build many, and a frozen dataclass is several times slower to make)."""

    kind: str  # finding | absent | unanswered | age | setting | probability | leading | origin | rule | triage
    subject: str | tuple[str, ...] | int
    value: float | str | None = None


Outcome = tuple[bool, list[Because]]
Check = Callable[[Facts], Outcome]
_NO: Outcome = (False, [])


def _between(value: float, at_least: float | None, below: float | None) -> bool:
    return (at_least is None or value >= at_least) and (below is None or value < below)


# --------------------------------------------------------------------------- one case, with reasons

# atoms that test membership of a set: the Facts method and the kind of reason they give
_SET_ATOMS = {"present": ("present", "finding"), "absent": ("absent", "absent"), "rule": ("rule_fired", "rule")}


@cache
def scalar(node: Node) -> Check:
    """The check of one case: whether `node` holds for the facts, and the atoms that made it hold
    (empty when it does not). Built once per distinct condition."""
    tag = node[0]
    if tag == "present":
        finding_id = node[1]
        because = [Because("finding", finding_id)]
        return lambda facts: (True, because) if facts.present(finding_id) else _NO
    if tag == "count":
        need = node[1]
        kinds = {child[0] for child in node[2]}
        if len(kinds) == 1 and (kind := kinds.pop()) in _SET_ATOMS:  # the common case: one kind of atom
            method, because_kind = _SET_ATOMS[kind]
            reasons = tuple((child[1], Because(because_kind, child[1])) for child in node[2])

            def count_atoms(facts: Facts) -> Outcome:
                holds = getattr(facts, method)
                hits = [reason for subject, reason in reasons if holds(subject)]
                return (True, hits) if len(hits) >= need else _NO
            return count_atoms
        children = tuple(scalar(child) for child in node[2])

        def count(facts: Facts) -> Outcome:
            hits: list[Because] = []
            held = 0
            for index, child in enumerate(children):
                ok, why = child(facts)
                if ok:
                    held += 1
                    hits.extend(why)
                elif len(children) - index - 1 + held < need:
                    return _NO  # the rest cannot reach `need`
            return (True, hits) if held >= need else _NO
        return count
    if tag == "not":
        inner = scalar(node[1])
        return lambda facts: (not inner(facts)[0], [])
    if tag == "absent":
        finding_id = node[1]
        because = [Because("absent", finding_id)]
        return lambda facts: (True, because) if facts.absent(finding_id) else _NO
    if tag == "unanswered":
        finding_id = node[1]
        because = [Because("unanswered", finding_id)]
        return lambda facts: _NO if facts.answered(finding_id) else (True, because)
    if tag in ("age_at_least", "age_below"):
        limit, at_least = node[1], tag == "age_at_least"

        def age(facts: Facts) -> Outcome:
            ok = facts.age >= limit if at_least else facts.age < limit
            return (True, [Because("age", "age", facts.age)]) if ok else _NO
        return age
    if tag == "setting":
        setting = node[1]
        because = [Because("setting", setting)]
        return lambda facts: (True, because) if facts.setting == setting else _NO
    if tag in ("probability", "origin"):
        subject, low, high = node[1], node[2], node[3]

        def between(facts: Facts) -> Outcome:
            p = facts.probability(subject) if tag == "probability" else facts.origin(subject)
            return (True, [Because(tag, subject, p)]) if _between(p, low, high) else _NO
        return between
    if tag == "leading":
        wanted, floor = node[1], node[2]

        def leading(facts: Facts) -> Outcome:
            top, p = facts.leading()
            return (True, [Because("leading", top, p)]) if top in wanted and p >= floor else _NO
        return leading
    if tag == "rule":
        rule_id = node[1]
        because = [Because("rule", rule_id)]
        return lambda facts: (True, because) if facts.rule_fired(rule_id) else _NO
    if tag in ("triage_at_least", "triage_below"):
        threshold, at_least = node[1], tag == "triage_at_least"

        def triage(facts: Facts) -> Outcome:
            rank = facts.triage_rank()
            if rank is None:
                return _NO
            ok = rank >= threshold if at_least else rank < threshold
            return (True, [Because("triage", rank)]) if ok else _NO
        return triage
    raise ValueError(f"unknown condition node {tag!r}")


# --------------------------------------------------------------------------- many answer sets at once


@dataclass
class VectorFacts:
    """What the rules read for N answer sets at once.

    ``evidence`` codes each finding PRESENT / ABSENT / UNKNOWN in the columns of ``feature_index``;
    ``projected`` holds the probabilities the rules read, in the columns of ``columns`` (a
    condition id, a tuple of ids for "any of", or ``("origin", name)``); ``extra_present`` marks
    findings that also count as present (a red flag counts a sign on either side).
    """

    evidence: np.ndarray  # (N, F) int8
    projected: np.ndarray  # (N, K)
    age: float | np.ndarray  # one age for every row, or (N,)
    setting: str
    extra_present: np.ndarray | None = None  # (F,) bool for every row, or (N, F)

    def present(self, columns: np.ndarray | int) -> np.ndarray:
        yes = self.evidence[:, columns] == PRESENT
        if self.extra_present is not None:
            yes = yes | self.extra_present[..., columns]
        return yes


@dataclass(frozen=True)
class VectorLayout:
    """Where the array evaluator finds each finding and probability."""

    feature_index: dict[str, int]
    columns: dict[object, int]  # condition id, tuple of ids, or ("origin", name) -> column of `projected`
    n_conditions: int  # the first n columns of `projected` are the conditions' marginals
    condition_index: dict[str, int]


VectorCheck = Callable[[VectorFacts], np.ndarray]


def vector(node: Node, layout: VectorLayout) -> VectorCheck:
    """The check of N answer sets at once: an (N,) boolean array."""
    tag = node[0]
    index = layout.feature_index
    if tag == "present":
        f = index[node[1]]
        return lambda facts: facts.present(f)
    if tag == "count":
        need = node[1]
        # plain findings are counted in one go
        columns = np.array([index[c[1]] for c in node[2] if c[0] == "present"], dtype=int)
        children = [vector(c, layout) for c in node[2] if c[0] != "present"]

        def count(facts: VectorFacts) -> np.ndarray:
            held = np.zeros(facts.evidence.shape[0], dtype=int)
            if columns.size:
                held += facts.present(columns).sum(axis=1)
            for child in children:
                held += child(facts)
            return held >= need
        return count
    if tag == "not":
        inner = vector(node[1], layout)
        return lambda facts: ~inner(facts)
    if tag == "absent":
        f = index[node[1]]
        return lambda facts: facts.evidence[:, f] == ABSENT
    if tag == "unanswered":
        f = index[node[1]]
        return lambda facts: facts.evidence[:, f] == UNKNOWN
    if tag in ("age_at_least", "age_below"):
        limit, at_least = node[1], tag == "age_at_least"

        def age(facts: VectorFacts) -> np.ndarray:
            ok = np.asarray(facts.age >= limit if at_least else facts.age < limit)
            return np.broadcast_to(ok, (facts.evidence.shape[0],))
        return age
    if tag == "setting":
        wanted = node[1]
        return lambda facts: np.full(facts.evidence.shape[0], facts.setting == wanted)
    if tag in ("probability", "origin"):
        key = (node[1][0] if len(node[1]) == 1 else node[1]) if tag == "probability" else ("origin", node[1])
        column, low, high = layout.columns[key], node[2], node[3]

        def between(facts: VectorFacts) -> np.ndarray:
            value = facts.projected[:, column]
            ok = np.ones(value.shape, dtype=bool)
            if low is not None:
                ok &= value >= low
            if high is not None:
                ok &= value < high
            return ok
        return between
    if tag == "leading":
        wanted = np.array([layout.condition_index[c] for c in node[1]])
        floor, n_c = node[2], layout.n_conditions

        def leading(facts: VectorFacts) -> np.ndarray:
            marginals = facts.projected[:, :n_c]
            top = np.argmax(marginals, axis=1)
            return np.isin(top, wanted) & (marginals[np.arange(top.size), top] >= floor)
        return leading
    raise ValueError(f"the array evaluator cannot read a {tag!r} condition (next steps only)")


def projection_keys(nodes: list[Node]) -> list[tuple[str, ...]]:
    """The probability columns a set of conditions reads beyond the single conditions' marginals:
    "any of" tuples of condition ids and ``("origin", name)``, in order of first use."""
    keys: list[tuple[str, ...]] = []

    def visit(node: Node) -> None:
        if node[0] == "count":
            for child in node[2]:
                visit(child)
        elif node[0] == "not":
            visit(node[1])
        elif node[0] == "probability" and len(node[1]) > 1 and node[1] not in keys:
            keys.append(node[1])
        elif node[0] == "origin" and ("origin", node[1]) not in keys:
            keys.append(("origin", node[1]))

    for node in nodes:
        visit(node)
    return keys


# --------------------------------------------------------------------------- three-valued


def decide(node: Node, finding: Callable[[str], bool | None], age: float) -> bool | None:
    """Whether a condition holds (True), cannot hold whatever the open findings turn out to be
    (False), or is not decided yet (None).

    ``finding(id)`` is True (present), False (settled without being present: answered "no" or
    "don't know", or not askable) or None (still open). Only the answer atoms and the age are
    decided; any other atom is never decided (None), so only red-flag conditions (answers and age)
    are settled by this evaluator.
    """
    tag = node[0]
    if tag == "present":
        return finding(node[1])
    if tag == "count":
        held = open_ = 0
        for child in node[2]:
            value = decide(child, finding, age)
            if value is True:
                held += 1
            elif value is None:
                open_ += 1
        if held >= node[1]:
            return True
        if held + open_ < node[1]:
            return False
        return None
    if tag == "age_at_least":
        return age >= node[1]
    if tag == "age_below":
        return age < node[1]
    return None
