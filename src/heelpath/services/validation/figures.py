"""The figures of a validation: accuracy, calibration, sensitivity to estimates, evidence coverage,
triage, interview, text intake and speed. Each function returns plain data; the report draws it."""

from __future__ import annotations

import dataclasses
import math
import os
import platform
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from heelpath.engine.inference import UNKNOWN, evidence_vector, infer_batch
from heelpath.engine.model import CompiledModel, compile_model
from heelpath.knowledge import KnowledgeBase
from heelpath.knowledge.rules import LEVELS, level_rank
from heelpath.services import synth
from heelpath.services.case import Case, to_evidence
from heelpath.services.context import Heelpath
from heelpath.services.validation.suites import CaseOutcome

# a likelihood marked "estimate" is varied within this factor on the odds scale (a plausible range
# for a clinical estimate of a sensitivity; itself an estimate)
ESTIMATE_ODDS_FACTOR = 2.0
STUDY_QUALITIES = ("verified", "calculated")  # read from a primary study, or calculated from one


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score 95% interval of a proportion.

    >>> [round(x, 3) for x in wilson(8, 10)]
    [0.49, 0.943]
    """
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Proportion:
    hits: int
    n: int

    @property
    def value(self) -> float:
        return self.hits / self.n if self.n else float("nan")

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.hits, self.n)


@dataclass(frozen=True)
class AccuracyRow:
    suite: str
    form: str
    group: str  # "all", a voice ("lay", "clinician") or a condition id
    top1: Proportion
    top3: Proportion


def accuracy(outcomes: dict[tuple[str, str], list[CaseOutcome]]) -> list[AccuracyRow]:
    """Top-1 and top-3 over in-scope cases, per suite and form: in all, by voice and by condition."""
    rows = []
    for (suite, form), cases in outcomes.items():
        scored = [c for c in cases if c.in_scope]
        groups: dict[str, list[CaseOutcome]] = defaultdict(list)
        for case in scored:
            groups["all"].append(case)
            groups[f"voice: {case.voice}"].append(case)
            groups[case.gold[0]].append(case)
        for group in sorted(groups, key=lambda g: (g != "all", not g.startswith("voice"), g)):
            members = groups[group]
            rows.append(AccuracyRow(suite, form, group, Proportion(sum(c.top(1) for c in members), len(members)),
                                    Proportion(sum(c.top(3) for c in members), len(members))))
    return rows


@dataclass(frozen=True)
class Reliability:
    """Predicted probabilities against how often the condition was there, in 10 bins."""

    label: str
    predicted: list[float]  # mean predicted probability per non-empty bin
    observed: list[float]
    counts: list[int]
    brier: float  # mean over cases of the summed squared error over conditions
    expected_calibration_error: float
    cases: int


def reliability(label: str, probabilities: np.ndarray, truth: np.ndarray, bins: int = 10) -> Reliability:
    """`probabilities` and `truth` (0/1) of shape (cases, conditions)."""
    p, y = probabilities.ravel(), truth.ravel()
    index = np.minimum((p * bins).astype(int), bins - 1)
    predicted, observed, counts = [], [], []
    ece = 0.0
    for b in range(bins):
        members = index == b
        if members.any():
            predicted.append(float(p[members].mean()))
            observed.append(float(y[members].mean()))
            counts.append(int(members.sum()))
            ece += members.sum() / p.size * abs(predicted[-1] - observed[-1])
    brier = float(((probabilities - truth) ** 2).sum(axis=1).mean())
    return Reliability(label, predicted, observed, counts, brier, float(ece), probabilities.shape[0])


def calibration_on_cases(context: Heelpath, label: str, outcomes: Iterable[CaseOutcome]) -> Reliability:
    conditions = context.model.condition_ids
    scored = [c for c in outcomes if c.in_scope]
    probabilities = np.array([[c.probabilities[k] for k in conditions] for c in scored])
    truth = np.array([[k in c.gold for k in conditions] for c in scored], dtype=float)
    return reliability(label, probabilities, truth)


def calibration_on_cohort(context: Heelpath, n: int, seed: int) -> Reliability:
    """People drawn from the model itself (heelpath synth); those with none of the modelled causes are left
    out, as the probabilities are given that some modelled cause is present."""
    model = context.model
    probabilities, truth = [], []
    for table, causes in synth.cohort(context, n, seed=seed, chunk=n):
        evidence, log_prior = _cohort_evidence(model, table)
        marginals = infer_batch(model, evidence, log_prior)
        for row, drawn in enumerate(causes["causes"]):
            if drawn != "none":
                probabilities.append(marginals[row])
                truth.append([c in drawn.split(";") for c in model.condition_ids])
    return reliability(f"{len(truth)} simulated people (model's own priors and likelihoods)",
                       np.array(probabilities), np.array(truth, dtype=float))


def _cohort_evidence(model: CompiledModel, table: dict[str, list[Any]]) -> tuple[np.ndarray, np.ndarray]:
    rows = len(table["id"])
    evidence = np.stack([
        evidence_vector(model, {f: table[f][i] for f in model.feature_ids if f in table}) for i in range(rows)
    ])
    log_prior = np.stack([model.log_prior(table["setting"][i], table["age"][i], table["sex"][i]) for i in range(rows)])
    return evidence, log_prior


@dataclass(frozen=True)
class CaseMatrix:
    """Structured cases as evidence vectors, for re-scoring under a changed model."""

    evidence: np.ndarray
    log_prior: np.ndarray
    gold: list[tuple[str, ...]]

    @classmethod
    def of(cls, context: Heelpath, cases: list[dict[str, Any]]) -> CaseMatrix:
        model = context.model
        vectors, priors, gold = [], [], []
        for case in cases:
            parsed = Case.from_data(case["case"])
            vectors.append(evidence_vector(model, to_evidence(context.kb, parsed).answers))
            priors.append(model.log_prior(parsed.setting, parsed.age, parsed.sex))
            gold.append(tuple(case["gold"]["conditions"]))
        return cls(np.stack(vectors), np.stack(priors), gold)

    def marginals(self, model: CompiledModel) -> np.ndarray:
        return infer_batch(model, self.evidence, self.log_prior)

    def top3_accuracy(self, model: CompiledModel) -> float:
        order = np.argsort(-self.marginals(model), axis=1)[:, :3]
        ids = model.condition_ids
        scored = [(g, row) for g, row in zip(self.gold, order) if g]
        return float(np.mean([all(c in {ids[i] for i in row} for c in g[:3]) for g, row in scored]))


@dataclass(frozen=True)
class Influence:
    condition: str
    finding: str
    likelihood: float
    top1_changes: int  # cases whose leading cause changes when the estimate is halved or doubled (odds)
    mean_shift: float  # mean absolute change of the probabilities, over cases and conditions


@dataclass(frozen=True)
class Sensitivity:
    cases: int
    estimates: int  # estimated likelihoods the model uses
    draws: int
    top1_changed: float  # share of cases whose leading cause changes, mean over draws
    leading_shift: float  # mean absolute change of the leading cause's probability
    top3_range: tuple[float, float]  # top-3 accuracy, lowest and highest over draws
    top3_base: float
    tried: int  # single estimates varied one at a time
    influential: list[Influence] = field(default_factory=list)


def _with_likelihood(kb: KnowledgeBase, model: CompiledModel, factors: dict[tuple[str, str], float]) -> CompiledModel:
    """The model with the used evidence rows of `factors` replaced by their likelihood times the factor
    on the odds scale."""
    replaced = []
    for row in kb.evidence:
        key = (row.condition, row.finding)
        if key in factors and model.rows_used[key] is row:
            p = model.likelihood[model.condition_ids.index(row.condition), model.feature_index[row.finding]]
            odds = p / (1 - p) * factors[key]
            row = row.model_copy(update={"sens": odds / (1 + odds), "spec": None, "lr_pos": None, "lr_neg": None})
        replaced.append(row)
    return compile_model(dataclasses.replace(kb, evidence=tuple(replaced)))


def sensitivity(context: Heelpath, matrix: CaseMatrix, draws: int, seed: int, top: int = 10,
                candidates: int | None = None) -> Sensitivity:
    """How far the posteriors move when every estimated likelihood is varied at once (random factors
    between 1/2 and 2 on the odds scale, `draws` times), and which single estimates move them most
    (each halved and doubled on the odds scale; with `candidates`, only that many, those whose finding
    the most cases answer)."""
    kb, model = context.kb, context.model
    base = matrix.marginals(model)
    base_top = base.argmax(axis=1)
    rows = len(base)
    leading = base[np.arange(rows), base_top]
    estimates = [key for key, row in model.rows_used.items() if row.quality == "estimate"
                 and key[1] in model.feature_index]
    rng = np.random.default_rng(seed)
    changed, shifts, top3 = [], [], []
    for _ in range(draws):
        factors = {key: float(np.exp(rng.uniform(-1, 1) * math.log(ESTIMATE_ODDS_FACTOR))) for key in estimates}
        varied = _with_likelihood(kb, model, factors)
        after = matrix.marginals(varied)
        changed.append(float(np.mean(after.argmax(axis=1) != base_top)))
        shifts.append(float(np.mean(np.abs(after[np.arange(rows), base_top] - leading))))
        top3.append(matrix.top3_accuracy(varied))
    answered = (matrix.evidence != UNKNOWN).sum(axis=0)
    tried = sorted((k for k in estimates if answered[model.feature_index[k[1]]]),  # unanswered: moves nothing
                   key=lambda k: -answered[model.feature_index[k[1]]])[:candidates]
    influences = []
    for key in tried:
        moved, shift = 0, 0.0
        for factor in (1 / ESTIMATE_ODDS_FACTOR, ESTIMATE_ODDS_FACTOR):
            after = matrix.marginals(_with_likelihood(kb, model, {key: factor}))
            moved = max(moved, int(np.sum(after.argmax(axis=1) != base_top)))
            shift = max(shift, float(np.mean(np.abs(after - base))))
        likelihood = float(model.likelihood[model.condition_ids.index(key[0]), model.feature_index[key[1]]])
        influences.append(Influence(key[0], key[1], likelihood, moved, shift))
    influences.sort(key=lambda i: (-i.top1_changes, -i.mean_shift))
    return Sensitivity(rows, len(estimates), draws, float(np.mean(changed)), float(np.mean(shifts)),
                       (min(top3), max(top3)), matrix.top3_accuracy(model), len(tried), influences[:top])


@dataclass(frozen=True)
class Coverage:
    """Where the numbers of one condition come from."""

    condition: str
    likelihoods: Counter[str]  # "study", "secondary", "estimate" -> rows the model uses
    prior: str  # the quality of its primary-care prior


def coverage(context: Heelpath) -> list[Coverage]:
    model, kb = context.model, context.kb
    by_condition: dict[str, Counter[str]] = defaultdict(Counter)
    for (condition, _), row in model.rows_used.items():
        by_condition[condition][_source_kind(row.quality)] += 1
    priors = {p.condition: _source_kind(p.quality) for p in kb.priors if p.setting == "primary_care"}
    return [Coverage(c, by_condition[c], priors.get(c, "none")) for c in model.condition_ids]


def _source_kind(quality: str) -> str:
    return "study" if quality in STUDY_QUALITIES else quality


@dataclass(frozen=True)
class TriageFigures:
    label: str
    matrix: list[list[int]]  # reference level (rows) x heelpath's level (columns), LEVELS order
    under: int
    over: int
    exact: int
    n: int
    emergencies_missed: int
    emergencies: int


def triage(label: str, outcomes: list[CaseOutcome]) -> TriageFigures:
    matrix = [[0] * len(LEVELS) for _ in LEVELS]
    for case in outcomes:
        matrix[level_rank(case.reference_level)][level_rank(case.level)] += 1
    under = sum(level_rank(c.level) < level_rank(c.reference_level) for c in outcomes)
    over = sum(level_rank(c.level) > level_rank(c.reference_level) for c in outcomes)
    emergencies = [c for c in outcomes if c.reference_level == "emergency"]
    return TriageFigures(label, matrix, under, over, len(outcomes) - under - over, len(outcomes),
                         sum(c.level != "emergency" for c in emergencies), len(emergencies))


def red_flag_firing(context: Heelpath, outcomes: list[CaseOutcome], cohort: int, seed: int) -> list[tuple[str, str, int, int]]:
    """Every red-flag rule: (id, level, times it fired on the cases, times on a simulated cohort)."""
    on_cases = Counter(flag for case in outcomes for flag in case.red_flags)
    on_cohort: Counter[str] = Counter()
    for table, _ in synth.cohort(context, cohort, seed=seed, chunk=cohort):
        for i in range(len(table["id"])):
            findings = {k: v[i] for k, v in table.items() if k not in ("id", "age", "sex", "setting", "side")
                        and v[i] is not None}
            result = context.assess({"age": table["age"][i], "sex": table["sex"][i], "setting": table["setting"][i],
                                     "side": table["side"][i], "findings": findings})
            on_cohort.update(r.id for r in result.triage.rules_fired if r.kind == "red_flag")
    return [(rule.id, rule.level, on_cases[rule.id], on_cohort[rule.id]) for rule in context.rules.red_flags]


@dataclass(frozen=True)
class Speed:
    machine: str
    single_ms: float  # median full assessment
    batch_per_second: float  # engine marginals, one core
    texts_per_second: float


def speed(context: Heelpath, texts: list[str], repeats: int) -> Speed:
    case = {"age": 45, "sex": "female", "setting": "primary_care",
            "findings": {"first_step_pain": True, "pain_under_heel": True, "tingling_pins_needles": False}}
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        context.assess(case)
        times.append(time.perf_counter() - started)
    model = context.model
    evidence = np.random.default_rng(0).integers(-1, 2, size=(100000, len(model.feature_ids))).astype(np.int8)
    log_prior = model.log_prior("primary_care", 45, "female")
    infer_batch(model, evidence[:100], log_prior)  # warm
    started = time.perf_counter()
    infer_batch(model, evidence, log_prior)
    batch = len(evidence) / (time.perf_counter() - started)
    context.read_text("heel")  # builds the pipeline
    started = time.perf_counter()
    for text in texts:
        context.read_text(text)
    per_text = len(texts) / max(time.perf_counter() - started, 1e-9)
    machine = (f"{platform.platform()}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
               f"Python {platform.python_version()}")
    return Speed(machine, float(np.median(times)) * 1000, batch, per_text)
