"""The adaptive interview's look-ahead, in batches on the engine's arrays.

The interview asks, for every question it could show next, what each possible answer (each
combination of a checklist's answers) would do: to the information over the states, to the
leading cause and to the triage level; and, before it stops, what 64 simulated sets of answers to
everything left would do. Doing that with full assessments costs milliseconds per answer. Here:

- the (unnormalised) posterior after every combination of a screen's answers is one Kronecker
  product of the screen's likelihood columns with the current posterior (``outcome_table``), and
  the score, the chance of a new leading cause and the answer probabilities come from a few matrix
  products with it (``evaluate``);
- the triage level of many hypothetical answer sets at once comes from the rule book evaluated on
  arrays (``VectorTriage``): red flags on the answers, pattern and probability rules on the
  answers and on the probabilities they read (a condition, any of several, an origin), which are
  one projection of each state posterior. It gives the level ``services.triage.triage`` gives on the
  full assessment of the same answers (tests check this);
- hypothetical answers become rows of evidence vectors (``Delta``), with the same laterality and
  number rules as ``services.case.to_evidence``.

The engine stays pure: this module only reads its arrays and calls ``infer_batch``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from heelpath.engine import CompiledModel, infer_batch
from heelpath.engine.inference import ABSENT, PRESENT, UNKNOWN
from heelpath.errors import InvalidAnswerError
from heelpath.knowledge.rules import (
    Clause,
    Cond,
    RuleBook,
    level_rank,
    load_rules,
    walk,
)

LN2 = math.log(2.0)
#: an evidence change that leaves the value as it was (a bilateral variant set only on "no")
KEEP = -2


# --------------------------------------------------------------------------- likelihood tables


@dataclass(frozen=True, eq=False)
class Tables:
    """Per-feature rows (F, 2, S) of P(answer | state): tempered (to update) and untempered (to predict)."""

    update: np.ndarray  # [f, 0] = P(present | s) ** weight, [f, 1] = P(absent | s) ** weight
    predict: np.ndarray  # untempered
    log_update: np.ndarray  # log of `update`
    unit_weight: np.ndarray  # (F,) bool: the finding carries its full weight (update == predict)
    answer_entropy: np.ndarray  # (S, F) entropy (nats) of the answer to f in state s


@lru_cache(maxsize=4)
def tables(model: CompiledModel) -> Tables:
    log_update = np.stack([model.log_present.T, model.log_absent.T], axis=1)
    likelihood = model.state_likelihood.T
    out = Tables(
        update=np.exp(log_update),
        predict=np.stack([likelihood, 1.0 - likelihood], axis=1),
        log_update=np.ascontiguousarray(log_update),
        unit_weight=model.weight == 1.0,
        answer_entropy=-(likelihood * np.log(likelihood) + (1.0 - likelihood) * np.log1p(-likelihood)).T,
    )
    for array in (out.update, out.predict, out.log_update, out.unit_weight, out.answer_entropy):
        array.setflags(write=False)
    return out


def outcome_table(rows: np.ndarray, p: np.ndarray, features: np.ndarray, outcomes: np.ndarray) -> np.ndarray:
    """(O, S): p(s) times P(outcome | s), for each outcome (a row of 0/1 answers over `features`)."""
    picked = np.where(outcomes[:, :, None] == 1, rows[features, 0][None], rows[features, 1][None])
    return p[None, :] * picked.prod(axis=1)


@lru_cache(maxsize=128)
def likelihood_table(model: CompiledModel, features: tuple[int, ...], predict: bool = False) -> np.ndarray:
    """(2**k, S): P(each combination of answers to `features` | state), combinations in
    ``itertools.product((1, 0), ...)`` order (first finding slowest, "yes" first).

    A Kronecker product of the findings' likelihood rows, tempered (to update on) or untempered
    (``predict``). It does not depend on the answers so far, so it is built once per screen and
    reused at every step (at most 2**12 x S values a screen, 128 screens kept).
    """
    rows = tables(model).predict if predict else tables(model).update
    table = np.ones((1, model.n_states))
    for f in features:
        table = (table[:, None, :] * rows[f][None, :, :]).reshape(-1, model.n_states)
    table.setflags(write=False)
    return table


@dataclass
class Evaluation:
    """What each answer to one screen would do."""

    q: np.ndarray  # (O,) probability of each outcome
    top: np.ndarray  # (O,) the leading condition after it
    gain: float  # weighted expected information gain (bits)


class Scorer:
    """Scores candidate screens against one posterior (built once per step).

    The unnormalised posterior after outcome o is ``p(s) * L(o | s)``; a single product of the
    screen's likelihood table with columns weighted by p gives, for every outcome, the condition
    masses (the leading cause after it), its probability and its weighted probability.

    The weighted information gain: when every finding on a screen carries its full weight (the
    same likelihood predicts the answer and updates on it) and every combination of answers is
    listed, it is the mutual information H(answers) - H(answers | state), where H(answers | state)
    is a sum over the findings. Otherwise it is H(states) - E[H(states | answer)], with the
    entropy after each outcome from the same product and no logarithm per state:
    H = log Z - sum_s a_s log a_s / Z, a_s = p_s w_s L(o | s), log a_s = log(p_s w_s) + sum_j log L_j(s).
    """

    def __init__(self, model: CompiledModel, p: np.ndarray, serious_weight: np.ndarray) -> None:
        self.model = model
        self.t = tables(model)
        self.p = p
        self.sw = serious_weight
        self.pw = p * serious_weight
        pw = self.pw / self.pw.sum()
        self.pw_normalised = pw
        self.h_weighted = _entropy(pw)
        self.n_c = model.membership.shape[1]
        log_p = np.log(np.maximum(p, 1e-300))
        # condition masses, total, weighted total, weighted sum of log(p * w); each times p
        self.shared = p[:, None] * np.column_stack([
            model.membership, np.ones(p.size), serious_weight, serious_weight * (log_p + np.log(serious_weight)),
        ])
        self.masses = np.ascontiguousarray(self.shared[:, : self.n_c + 2])
        self.totals = np.ascontiguousarray(self.shared[:, self.n_c : self.n_c + 2])

    def evaluate(self, features: np.ndarray, outcomes: np.ndarray, full: bool) -> Evaluation:
        t, n_c, k = self.t, self.n_c, features.size
        unit = bool(t.unit_weight[features].all())
        if full and unit:
            product_ = likelihood_table(self.model, tuple(features.tolist())) @ self.masses
            qw = product_[:, n_c + 1] / product_[:, n_c + 1].sum()
            h_given_state = float(self.pw_normalised @ t.answer_entropy[:, features].sum(axis=1))
            q_raw = product_[:, n_c]
            gain = (_entropy(qw) - h_given_state) / LN2
            return Evaluation(q_raw / q_raw.sum(), np.argmax(product_[:, :n_c], axis=1), gain)
        log_columns = (self.p * self.sw)[:, None] * np.concatenate(
            [t.log_update[features, 0].T, t.log_update[features, 1].T], axis=1)
        if full:
            table = likelihood_table(self.model, tuple(features.tolist()))
        else:
            table = outcome_table(t.update, np.ones(self.p.size), features, outcomes)
        product_ = table @ np.concatenate([self.shared, log_columns], axis=1)
        if unit:
            q_raw, qw_raw = product_[:, n_c], product_[:, n_c + 1]
        else:
            if full:
                predict = likelihood_table(self.model, tuple(features.tolist()), True)
            else:
                predict = outcome_table(t.predict, np.ones(self.p.size), features, outcomes)
            predicted = predict @ self.totals
            q_raw, qw_raw = predicted[:, 0], predicted[:, 1]
        z = product_[:, n_c + 1]
        per_feature = product_[:, n_c + 3 :]
        log_terms = product_[:, n_c + 2] + (outcomes * per_feature[:, :k] + (1 - outcomes) * per_feature[:, k:]).sum(axis=1)
        return self._finish(q_raw, qw_raw, z, log_terms, product_[:, :n_c])

    def evaluate_singles(self, features: np.ndarray) -> list[Evaluation]:
        """`evaluate` for many one-finding questions at once (outcomes yes, no)."""
        t, n_c = self.t, self.n_c
        n = features.size
        table = self.p[None, None, :] * t.update[features]  # (n, 2, S)
        product_ = t.update[features].reshape(2 * n, -1) @ self.shared
        log_terms = product_[:, n_c + 2] + ((table * self.sw) * t.log_update[features]).sum(axis=2).reshape(-1)
        predict = t.predict[features]  # (n, 2, S)
        q_raw = np.where(np.repeat(t.unit_weight[features], 2), product_[:, n_c], (predict @ self.p).reshape(-1))
        qw_raw = np.where(np.repeat(t.unit_weight[features], 2), product_[:, n_c + 1], (predict @ self.pw).reshape(-1))
        z = product_[:, n_c + 1]
        return [
            self._finish(q_raw[2 * i : 2 * i + 2], qw_raw[2 * i : 2 * i + 2], z[2 * i : 2 * i + 2],
                         log_terms[2 * i : 2 * i + 2], product_[2 * i : 2 * i + 2, :n_c])
            for i in range(n)
        ]

    def _finish(self, q_raw: np.ndarray, qw_raw: np.ndarray, z: np.ndarray, log_terms: np.ndarray,
                masses: np.ndarray) -> Evaluation:
        safe = np.maximum(z, 1e-300)
        entropy = np.where(z > 0, np.log(safe) - log_terms / safe, 0.0)
        qw = qw_raw / qw_raw.sum()
        gain = (self.h_weighted - float(qw @ entropy)) / LN2
        return Evaluation(q_raw / q_raw.sum(), np.argmax(masses, axis=1), gain)

    def posteriors(self, features: np.ndarray, outcomes: np.ndarray) -> np.ndarray:
        """(len(outcomes), S): the posterior after each of these outcomes."""
        table = outcome_table(self.t.update, self.p, features, outcomes)
        return table / table.sum(axis=1, keepdims=True)


def _entropy(p: np.ndarray) -> float:
    """Entropy (nats) of a normalised distribution."""
    return float(-(p * np.log(np.maximum(p, 1e-300))).sum())


# --------------------------------------------------------------------------- hypothetical evidence


@dataclass(frozen=True)
class Delta:
    """How each outcome of a screen changes the evidence vector: ``values[o, j]`` for ``columns[j]``
    (0 absent, 1 present, ``KEEP`` unchanged)."""

    columns: np.ndarray  # (m,) feature indices
    values: np.ndarray  # (O, m) int8

    def apply(self, base: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Evidence vectors (len(rows), F) of the base evidence plus the outcomes `rows`.

        Raises InvalidAnswerError where an outcome contradicts an answer given (as ``to_evidence`` would).
        """
        out = np.repeat(base[None, :], len(rows), axis=0)
        self.write(out, rows)
        return out

    def write(self, evidence: np.ndarray, rows: np.ndarray) -> None:
        """Add outcome ``rows[i]`` to ``evidence[i]`` in place (same checks as `apply`)."""
        values = self.values[rows]
        current = evidence[:, self.columns]
        clash = (values != KEEP) & (current != UNKNOWN) & (values != current)
        if clash.any():
            raise InvalidAnswerError("contradictory answers in a hypothetical answer to a question")
        evidence[:, self.columns] = np.where(values == KEEP, current, values)


def boolean_delta(model: CompiledModel, members: tuple[str, ...], outcomes: np.ndarray) -> Delta:
    """Each member answered yes or no (no side), as ``to_evidence`` reads it: a "no" to a
    lateralised finding also says no to its bilateral variant."""
    kb, index = model.kb, model.feature_index
    columns = [index[m] for m in members]
    values = [outcomes.astype(np.int8)]
    for j, m in enumerate(members):
        variant = kb.finding(m).bilateral_variant
        if variant:
            columns.append(index[variant])
            values.append(np.where(outcomes[:, j] == 0, ABSENT, KEEP).astype(np.int8)[:, None])
    return Delta(np.array(columns, dtype=int), np.concatenate(values, axis=1))


def number_delta(model: CompiledModel, finding_id: str, numbers: list[float]) -> Delta:
    """A number answered with each of `numbers`: the yes/no findings it derives."""
    rules = model.kb.finding(finding_id).derives
    columns = np.array([model.feature_index[r.finding] for r in rules], dtype=int)
    values = np.array([[PRESENT if x >= r.at_least else ABSENT for r in rules] for x in numbers], dtype=np.int8)
    return Delta(columns, values.reshape(len(numbers), len(rules)))


# --------------------------------------------------------------------------- triage on arrays

Vec = Callable[["_Facts"], np.ndarray]


@dataclass
class _Facts:
    """What the rules read, for N hypothetical answer sets at once."""

    evidence: np.ndarray  # (N, F) int8
    projected: np.ndarray  # (N, K) probabilities read by the rules (see VectorTriage.projection)
    age: float
    setting: str
    any_side: np.ndarray  # (F,) bool: answered present on either side in the base answers
    red_flag: bool = False  # evaluating red flags (a finding counts on either side)


class VectorTriage:
    """The triage level of many answer sets at once (the rule book's red flags and triage rules)."""

    def __init__(self, model: CompiledModel, book: RuleBook) -> None:
        self.model = model
        self.book = book
        n_c = len(model.condition_ids)
        columns: list[np.ndarray] = [model.membership]
        self.any_of: dict[tuple[str, ...], int] = {}
        for rule in book.triage.rules:
            for c in walk(rule.when):
                if isinstance(c, Clause) and c.probability is not None and len(c.probability.ids) > 1:
                    ids = tuple(c.probability.ids)
                    if ids not in self.any_of:
                        self.any_of[ids] = n_c + len(self.any_of)
                        cols = [model.condition_index[x] for x in ids]
                        columns.append(model.membership[:, cols].max(axis=1)[:, None])
        self.origin_column = n_c + len(self.any_of)
        from heelpath.services.triage import ORIGIN_KEYS

        self.origin_keys = ORIGIN_KEYS
        columns.append(model.origin_involvement)
        self.projection = np.ascontiguousarray(np.concatenate(columns, axis=1))
        self.n_conditions = n_c
        self.red_flags = [(self._compile(r.when), level_rank(r.level)) for r in book.red_flags]
        self.rules = [(self._compile(r.when), level_rank(r.level)) for r in book.triage.rules]
        self.default = level_rank(book.triage.default_level)
        self.ranks = np.array([level for _, level in (*self.red_flags, *self.rules)])

    def levels(self, evidence: np.ndarray, projected: np.ndarray, age: float, setting: str,
               any_side: np.ndarray) -> np.ndarray:
        """(N,) triage rank (0 self-care ... 4 emergency) of each row."""
        facts = _Facts(evidence, projected, float(age), setting, any_side, red_flag=True)
        fired = [check(facts) for check, _ in self.red_flags]
        facts.red_flag = False
        fired += [check(facts) for check, _ in self.rules]
        rank = np.where(np.array(fired), self.ranks[:, None], -1).max(axis=0)
        return np.where(rank < 0, self.default, rank)

    def _compile(self, cond: Cond) -> Vec:
        index = self.model.feature_index
        if isinstance(cond, str):
            f = index[cond]

            def present(facts: _Facts) -> np.ndarray:
                yes = facts.evidence[:, f] == PRESENT
                return yes | facts.any_side[f] if facts.red_flag else yes
            return present
        key = cond.key
        if key in ("all", "any", "at_least"):
            listed = cond.all if key == "all" else cond.any if key == "any" else cond.at_least.of
            need = len(listed) if key == "all" else 1 if key == "any" else cond.at_least.n
            # the plain findings among the conditions are counted in one go
            columns = np.array([index[c] for c in listed if isinstance(c, str)], dtype=int)
            children = [self._compile(c) for c in listed if not isinstance(c, str)]

            def combine(facts: _Facts) -> np.ndarray:
                count = np.zeros(facts.evidence.shape[0], dtype=int)
                if columns.size:
                    yes = facts.evidence[:, columns] == PRESENT
                    if facts.red_flag:
                        yes |= facts.any_side[columns]
                    count += yes.sum(axis=1)
                for child in children:
                    count += child(facts)
                return count >= need
            return combine
        if key == "not":
            inner = self._compile(cond.not_)
            return lambda facts: ~inner(facts)
        if key == "absent":
            f = index[cond.absent]
            return lambda facts: facts.evidence[:, f] == ABSENT
        if key == "unanswered":
            f = index[cond.unanswered]
            return lambda facts: facts.evidence[:, f] == UNKNOWN
        if key in ("age_at_least", "age_below"):
            limit = cond.age_at_least if key == "age_at_least" else cond.age_below
            at_least = key == "age_at_least"
            return lambda facts: np.full(facts.evidence.shape[0], facts.age >= limit if at_least else facts.age < limit)
        if key == "setting":
            wanted = cond.setting
            return lambda facts: np.full(facts.evidence.shape[0], facts.setting == wanted)
        if key == "probability":
            ids = tuple(cond.probability.ids)
            column = self.model.condition_index[ids[0]] if len(ids) == 1 else self.any_of[ids]
            return _between(column, cond.probability.at_least, cond.probability.below)
        if key == "origin":
            column = self.origin_column + self.origin_keys.index(cond.origin.involves)
            return _between(column, cond.origin.at_least, cond.origin.below)
        if key == "leading":
            wanted_ids = np.array([self.model.condition_index[c] for c in cond.leading.conditions])
            floor, n_c = cond.leading.at_least, self.n_conditions

            def leading(facts: _Facts) -> np.ndarray:
                marginals = facts.projected[:, :n_c]
                top = np.argmax(marginals, axis=1)
                value = marginals[np.arange(top.size), top]
                return np.isin(top, wanted_ids) & (value >= floor)
            return leading
        raise ValueError(f"a triage rule cannot use {key!r}")  # rule / triage atoms: next steps only


def _between(column: int, at_least: float | None, below: float | None) -> Vec:
    def check(facts: _Facts) -> np.ndarray:
        value = facts.projected[:, column]
        ok = np.ones(value.shape, dtype=bool)
        if at_least is not None:
            ok &= value >= at_least
        if below is not None:
            ok &= value < below
        return ok
    return check


@lru_cache(maxsize=4)
def vector_triage(model: CompiledModel) -> VectorTriage:
    """The array triage of a model with the packaged rule book (the one ``services.triage`` uses)."""
    return VectorTriage(model, load_rules())


def any_side_present(model: CompiledModel, given: dict[str, Any]) -> np.ndarray:
    """(F,) bool: answered present on either side (what a red flag reads beyond the evidence)."""
    out = np.zeros(len(model.feature_ids), dtype=bool)
    for finding_id, value in given.items():
        if finding_id in model.feature_index and (
            value is True or (isinstance(value, dict) and value.get("present") is True)
        ):
            out[model.feature_index[finding_id]] = True
    return out


def completion_posteriors(model: CompiledModel, evidence: np.ndarray, log_prior: np.ndarray,
                          projection: np.ndarray) -> np.ndarray:
    """(N, K) projections of the posterior of each evidence vector (``infer_batch``)."""
    return infer_batch(model, evidence, log_prior, projection=projection)


__all__ = [
    "Delta",
    "Evaluation",
    "Scorer",
    "VectorTriage",
    "any_side_present",
    "boolean_delta",
    "completion_posteriors",
    "likelihood_table",
    "number_delta",
    "outcome_table",
    "tables",
    "vector_triage",
]
