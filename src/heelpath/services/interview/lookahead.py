"""The interview's look-ahead, in batches on the engine's arrays.

For every screen it could show next, the interview asks what each possible answer (each
combination of a checklist's answers) would do: to the information over the states, to the
leading cause and to the triage level; and, before it stops, what simulated sets of answers to
everything left would do. Doing that with full assessments costs milliseconds per answer. Here:

- the (unnormalised) posterior after every combination of a screen's answers is one Kronecker
  product of the screen's likelihood columns with the current posterior (``outcome_table``), and
  the score, the chance of a new leading cause and the answer probabilities come from a few matrix
  products with it (``Scorer``);
- the triage level of many hypothetical answer sets comes from the rule book on arrays
  (:class:`heelpath.services.vector_triage.VectorTriage`);
- hypothetical answers become rows of evidence vectors (``Delta``), with the same laterality and
  number rules as ``services.case.to_evidence``.

The engine stays pure: this module only reads its arrays and calls ``infer_batch``.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product
from typing import TYPE_CHECKING, Any

import numpy as np

from heelpath.engine import CompiledModel, infer_batch
from heelpath.engine.inference import ABSENT, PRESENT, UNKNOWN
from heelpath.errors import InvalidAnswerError
from heelpath.knowledge.rules import level_rank
from heelpath.services.vector_triage import any_side_present, vector_triage

if TYPE_CHECKING:
    from heelpath.services.context import Heelpath
    from heelpath.services.interview.candidates import Candidate
    from heelpath.services.interview.policy import InterviewPolicy
    from heelpath.services.interview.state import InterviewState

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


# --------------------------------------------------------------------------- the answers a screen can get


@cache
def boolean_outcomes(k: int) -> np.ndarray:
    """Every combination of k yes/no answers, first finding slowest, "yes" first (read-only)."""
    out = np.array(list(product((1, 0), repeat=k)), dtype=float).reshape(-1, k)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=64)
def number_outcomes(model: CompiledModel, finding_id: str) -> tuple[np.ndarray, np.ndarray, tuple[float, ...]]:
    """A number question's features (its thresholds), outcomes (how many thresholds it passes) and
    the number standing for each outcome."""
    finding = model.kb.finding(finding_id)
    rules = sorted(finding.derives, key=lambda r: r.at_least)
    features = np.array([model.feature_index[r.finding] for r in rules], dtype=int)
    low, _ = finding.bounds
    thresholds = [r.at_least for r in rules]
    outcomes, values = [], []
    for n_true in range(len(rules) + 1):
        outcomes.append([1.0] * n_true + [0.0] * (len(rules) - n_true))
        values.append(max(low, thresholds[0] / 2) if n_true == 0 else thresholds[n_true - 1])
    outcomes_array = np.array(outcomes)
    for array in (features, outcomes_array):
        array.setflags(write=False)
    return features, outcomes_array, tuple(values)


@lru_cache(maxsize=4096)
def delta(model: CompiledModel, members: tuple[str, ...], number: bool) -> Delta:
    """How each outcome of a screen changes the evidence vector."""
    if number:
        _, _, values = number_outcomes(model, members[0])
        return number_delta(model, members[0], list(values))
    return boolean_delta(model, members, boolean_outcomes(len(members)))


# --------------------------------------------------------------------------- what the answers would change


@dataclass
class Known:
    """What the look-ahead builds its hypothetical cases from: the answers so far as the engine reads them."""

    vector: np.ndarray  # (F,) evidence vector
    log_prior: np.ndarray  # (S,)
    age: float
    setting: str
    given: dict[str, Any]  # the answers as entered (a red flag counts a finding on either side)
    scorer: Scorer  # the look-ahead from the current posterior


def completions(
    context: Heelpath, policy: InterviewPolicy, test_findings: frozenset[str], state: InterviewState,
    p: np.ndarray, top: int, level: str | None, candidates: list[Candidate], known: Known,
) -> tuple[float, np.ndarray]:
    """Answer every remaining question at random from the model, many times over.

    Returns the share of completions whose leading cause or triage level differs from the current
    one, and, per candidate question, how much its answers differ between the completions that
    change the result and those that do not (0 when none change). Deterministic: the draws are
    seeded by the state. The completions are evidence vectors assessed together (``infer_batch``),
    their triage levels by the rule book on arrays.
    """
    model, n = context.model, policy.completions
    what = json.dumps([state.mode, state.effective_setting, state.age, state.sex, state.side,
                       state.model_dump(mode="json")["answers"]], sort_keys=True)
    seed = int.from_bytes(hashlib.sha256(what.encode()).digest()[:8], "little")
    rng = np.random.default_rng(seed)
    features = np.unique(np.concatenate([c.features for c in candidates])) if candidates else np.zeros(0, int)
    states = rng.choice(len(p), size=n, p=p / p.sum())
    drawn = rng.random((n, features.size)) < model.state_likelihood[np.ix_(states, features)]
    column = {int(f): i for i, f in enumerate(features)}
    evidence = np.repeat(known.vector[None, :], n, axis=0)
    for cand in candidates:
        columns = [column[int(f)] for f in cand.features]
        values = drawn[:, columns]
        if cand.number:  # the thresholds of a number are passed in order
            passed = np.argmin(np.append(values, np.zeros((n, 1), dtype=bool), axis=1), axis=1)
            drawn[:, columns] = np.arange(values.shape[1])[None, :] < passed[:, None]
            outcome = passed  # the outcome with that many thresholds passed
        else:  # the index of the combination in boolean_outcomes ("yes" first, first finding slowest)
            outcome = ((~values) * (1 << np.arange(values.shape[1])[::-1])).sum(axis=1)
        delta(model, cand.members, cand.number).write(evidence, outcome)
    triage = vector_triage(context)
    projected = infer_batch(model, evidence, known.log_prior, projection=triage.projection)
    changed = np.argmax(projected[:, : len(model.condition_ids)], axis=1) != top
    if level is not None:
        ranks = triage.levels(evidence, projected, known.age, known.setting, any_side_present(model, known.given))
        changed |= ranks != level_rank(level)
    association = np.zeros(len(candidates))
    if changed.any() and not changed.all():
        gap = np.abs(drawn[changed].mean(axis=0) - drawn[~changed].mean(axis=0))
        for i, cand in enumerate(candidates):
            association[i] = max(gap[column[int(f)]] for f in cand.features)
            if any(m in test_findings for m in cand.members):
                association[i] *= policy.test_weight
    return float(changed.mean()), association


def triage_changes(
    context: Heelpath, policy: InterviewPolicy, candidates: list[Candidate], level: str, known: Known,
) -> None:
    """Chance that the answer to each question would change the triage level (``p_triage_change``).

    The likeliest answers are run through the triage until 99.5% of the answer probability (or
    ``policy.triage_outcomes`` answers) is covered; the rest counts as a change, to err on asking.
    The hypothetical answers of every question are triaged together: evidence vectors, the
    posterior after each answer (from the look-ahead), and the rule book on arrays.
    """
    model = context.model
    triage = vector_triage(context)
    picks: list[np.ndarray] = []
    evidence: list[np.ndarray] = []
    posteriors: list[np.ndarray] = []
    covered: list[float] = []
    for cand in candidates:
        assert cand.q is not None
        order = np.argsort(-cand.q)
        running = np.cumsum(cand.q[order])
        before = np.concatenate(([0.0], running[:-1]))
        n = min(policy.triage_outcomes, int(np.count_nonzero(before < 0.995)))
        chosen = order[:n]
        picks.append(chosen)
        covered.append(float(running[n - 1]) if n else 0.0)
        evidence.append(delta(model, cand.members, cand.number).apply(known.vector, chosen))
        posteriors.append(known.scorer.posteriors(cand.features, cand.outcomes[chosen]))
    post = np.concatenate(posteriors)
    ranks = triage.levels(np.concatenate(evidence), post @ triage.projection, known.age, known.setting,
                          any_side_present(model, known.given))
    changed_rows = ranks != level_rank(level)
    start = 0
    for cand, chosen, cover in zip(candidates, picks, covered):
        rows = changed_rows[start : start + chosen.size]
        start += chosen.size
        q = cand.q
        assert q is not None  # scored before the triage look-ahead
        changed = float(q[chosen[rows]].sum())
        cand.p_triage_change = changed + max(0.0, 1.0 - cover) * (cover < 0.995)
