"""Compile the knowledge base into the arrays the inference engine works on.

The model is a set of competing *states*: one cause, or two coexisting causes. For a state ``s``
and a boolean finding ``f`` the model holds ``P(f present | s)``::

                 finding f1   finding f2   ...
    state PF        0.80         0.05
    state S1        0.30         0.70
    state PF+S1     0.86         0.72      <- noisy-OR of its two causes

Findings in a dependence group carry a weight below 1 on their log-likelihood.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

import numpy as np

from heelpath.knowledge import KnowledgeBase
from heelpath.knowledge.schema import EvidenceRow


def likelihood_from_row(row: EvidenceRow, reference_rate: float) -> float:
    """P(finding | condition) from one evidence row (see docs/knowledge-base.md)."""
    if row.sens is not None:
        return row.sens
    if row.lr_pos is not None:
        base = (1 - row.spec) if row.spec is not None else reference_rate
        return row.lr_pos * base
    assert row.lr_neg is not None  # the schema guarantees one of the three
    base = row.spec if row.spec is not None else (1 - reference_rate)
    return 1 - row.lr_neg * base


def combine_two(p_a: np.ndarray, p_b: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """P(finding | both causes): noisy-OR with the reference rate as the shared leak.

    Never below either cause alone, never above 1.
    """
    leak = np.minimum(reference, np.minimum(p_a, p_b))
    return 1 - (1 - p_a) * (1 - p_b) / (1 - leak)


@dataclass(frozen=True, eq=False)
class CompiledModel:
    """Arrays for inference, built once per knowledge base."""

    kb: KnowledgeBase
    condition_ids: tuple[str, ...]
    feature_ids: tuple[str, ...]
    likelihood: np.ndarray  # (C, F): P(f | single condition)
    reference: np.ndarray  # (F,)
    weight: np.ndarray  # (F,): dependence-group weight of each finding
    states: tuple[tuple[int, ...], ...]  # each state: indices of its causes
    membership: np.ndarray  # (S, C) 0/1: state contains condition
    log_present: np.ndarray  # (S, F): weight * log P(f | state)
    log_absent: np.ndarray  # (S, F): weight * log P(not f | state)
    state_likelihood: np.ndarray  # (S, F): P(f | state), untempered, for predicting answers
    origin_involvement: np.ndarray  # (S, 5): state involves local/spinal/systemic/mimic; spinal and local
    origin_category: np.ndarray  # (S, 5): state's share of local/spinal/systemic/mimic/both
    rows_used: dict[tuple[str, str], EvidenceRow]
    rows_all: dict[tuple[str, str], tuple[EvidenceRow, ...]]
    open_world: np.ndarray  # (S,) 1 for the open-world state (no modelled cause), else 0
    feature_index: dict[str, int] = field(init=False)
    condition_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "feature_index", {f: i for i, f in enumerate(self.feature_ids)})
        object.__setattr__(self, "condition_index", {c: i for i, c in enumerate(self.condition_ids)})

    @property
    def n_states(self) -> int:
        return len(self.states)

    def log_prior(self, setting: str, age: float, sex: str | None) -> np.ndarray:
        """Log prior of every state for a setting, age and sex."""
        return _log_prior_cached(self, setting, int(age), sex)

    def condition_prior(self, setting: str, age: float, sex: str | None) -> np.ndarray:
        """Normalised single-cause prior of each condition, shape (C,)."""
        kb = self.kb
        base = {p.condition: p.prior for p in kb.priors if p.setting == setting}
        if len(base) != len(self.condition_ids):
            missing = sorted(set(self.condition_ids) - set(base))
            raise ValueError(f"no prior for setting {setting!r} for {missing}")
        prior = np.array([base[c] for c in self.condition_ids])
        for modifier in kb.prior_modifiers:
            if modifier.applies(age, sex):
                prior[self.condition_index[modifier.condition]] *= modifier.multiplier
        return prior / prior.sum()


@lru_cache(maxsize=4096)
def _log_prior_cached(model: CompiledModel, setting: str, age: int, sex: str | None) -> np.ndarray:
    pi = model.condition_prior(setting, age, sex)
    kappa = model.kb.header.model.comorbidity_prior
    size = np.array([len(s) for s in model.states])
    weights = np.array([np.prod(pi[list(s)]) for s in model.states])
    prior = np.where(size == 1, (1 - kappa) * weights, 0.0)
    pair_mass = weights[size == 2].sum()
    if pair_mass > 0:
        prior = np.where(size == 2, kappa * weights / pair_mass, prior)
    prior = prior / prior.sum()
    open_world = size == 0
    if open_world.any():
        unexplained = model.kb.header.model.unexplained_prior
        prior = np.where(open_world, unexplained, (1 - unexplained) * prior)
    with np.errstate(divide="ignore"):
        out = np.log(prior)
    out.setflags(write=False)
    return out


ORIGINS = ("local", "spinal", "systemic", "mimic")
UNEXPLAINED = "unexplained"
#: the columns of `origin_involvement`: each origin, a spinal and a local cause together, and the
#: open-world state (none of the modelled causes)
ORIGIN_KEYS = (*ORIGINS, "spinal_and_local", UNEXPLAINED)
#: the columns of `origin_category`
ORIGIN_CATEGORIES = (*ORIGINS, "both", UNEXPLAINED)


def _origin_matrices(
    kb: KnowledgeBase, conditions: tuple[str, ...], states: list[tuple[int, ...]],
) -> tuple[np.ndarray, np.ndarray]:
    """Which origins each state involves, and how its mass splits over origin categories.

    A state with a spinal and a local cause counts as category "both"; any other mixed state
    splits its mass evenly over its origins; the open-world state (no modelled cause) is
    "unexplained".
    """
    origin_of = [kb.condition(c).origin for c in conditions]
    involvement = np.zeros((len(states), len(ORIGIN_KEYS)))
    category = np.zeros((len(states), len(ORIGIN_CATEGORIES)))
    both_key, both_category = ORIGIN_KEYS.index("spinal_and_local"), ORIGIN_CATEGORIES.index("both")
    for s, causes in enumerate(states):
        if not causes:
            involvement[s, -1] = category[s, -1] = 1.0
            continue
        origins = {origin_of[i] for i in causes}
        for k, origin in enumerate(ORIGINS):
            involvement[s, k] = origin in origins
        both = {"spinal", "local"} <= origins
        involvement[s, both_key] = both
        if both:
            category[s, both_category] = 1.0
        else:
            for origin in origins:
                category[s, ORIGINS.index(origin)] = 1.0 / len(origins)
    return involvement, category


def compile_model(kb: KnowledgeBase, max_causes: int | None = None) -> CompiledModel:
    """Build the inference arrays from a knowledge base.

    Parameters
    ----------
    kb : KnowledgeBase
    max_causes : int, optional
        1 (a single cause) or 2 (up to two coexisting causes); defaults to the KB setting.
    """
    settings = kb.header.model
    max_causes = settings.max_causes if max_causes is None else max_causes
    floor = settings.probability_floor
    conditions = tuple(c.id for c in kb.conditions)
    features = tuple(f.id for f in kb.findings if f.type == "boolean")
    f_index = {f: i for i, f in enumerate(features)}
    reference = np.array([kb.finding(f).reference_rate for f in features], dtype=float)
    likelihood = np.tile(reference, (len(conditions), 1))
    rows_all: dict[tuple[str, str], list[EvidenceRow]] = {}
    for row in kb.evidence:
        rows_all.setdefault((row.condition, row.finding), []).append(row)
    rows_used = {key: rows[0] for key, rows in rows_all.items()}
    c_index = {c: i for i, c in enumerate(conditions)}
    for (cond, finding), row in rows_used.items():
        f = f_index[finding]
        likelihood[c_index[cond], f] = likelihood_from_row(row, reference[f])
    likelihood = np.clip(likelihood, floor, 1 - floor)
    reference = np.clip(reference, floor, 1 - floor)
    open_world_rates = np.array([
        reference[i] if (rate := kb.finding(f).unexplained_rate) is None else rate for i, f in enumerate(features)
    ])

    weight = np.ones(len(features))
    for group in kb.groups:
        for rank, member in enumerate(group.members):
            weight[f_index[member]] = 1.0 if rank == 0 else group.discount

    states: list[tuple[int, ...]] = [(i,) for i in range(len(conditions))]
    if max_causes >= 2:
        states += list(combinations(range(len(conditions)), 2))
    if settings.unexplained_prior > 0:
        states.append(())  # the open world: none of the modelled causes
    state_p = np.empty((len(states), len(features)))
    for s, causes in enumerate(states):
        if not causes:
            state_p[s] = open_world_rates  # findings at their rate in heel pain generally, or as the KB says
        elif len(causes) == 1:
            state_p[s] = likelihood[causes[0]]
        else:
            state_p[s] = combine_two(likelihood[causes[0]], likelihood[causes[1]], reference)
    state_p = np.clip(state_p, floor, 1 - floor)
    membership = np.zeros((len(states), len(conditions)))
    for s, causes in enumerate(states):
        membership[s, list(causes)] = 1.0

    involvement, category = _origin_matrices(kb, conditions, states)
    arrays = dict(
        origin_involvement=involvement,
        origin_category=category,
        likelihood=likelihood,
        reference=reference,
        weight=weight,
        membership=membership,
        open_world=np.array([float(not causes) for causes in states]),
        log_present=weight * np.log(state_p),
        log_absent=weight * np.log1p(-state_p),
        state_likelihood=state_p,
    )
    for array in arrays.values():
        array.setflags(write=False)
    return CompiledModel(
        kb=kb,
        condition_ids=conditions,
        feature_ids=features,
        states=tuple(states),
        rows_used=rows_used,
        rows_all={k: tuple(v) for k, v in rows_all.items()},
        **arrays,
    )
