"""A synthetic cohort drawn from the model itself, for benchmarks and screening-quality estimates.

Each person: an age uniform from 16 to 90, sex female or male with equal chance, the primary-care
setting, a state of the model (one or two causes, or none of the modelled causes: out of scope)
drawn from its prior for that age and sex, then each finding present with the probability the model
gives it in that state, and answered at all with probability `answered` (records are incomplete).
The truth (the causes drawn) is kept apart, keyed by id. Because the findings come from the model's
own likelihoods, a screen of such a cohort measures the model against itself: an upper bound on
real-world accuracy, not an estimate of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from heelpath.services.context import Heelpath

AGE_RANGE = (16, 90)
SETTING = "primary_care"


def cohort(hp: Heelpath, n: int, seed: int = 0, answered: float = 0.5,
           chunk: int = 10000) -> Iterator[tuple[dict[str, list[Any]], dict[str, list[Any]]]]:
    """Chunks of (table columns, truth columns) for `n` people."""
    model, kb = hp.model, hp.kb
    rng = np.random.default_rng(seed)
    asked = [i for i, f in enumerate(model.feature_ids)
             if kb.has_finding(f) and not kb.finding(f).derived and f != "bilateral_heel_pain"]
    both = model.feature_index["bilateral_heel_pain"]
    names = [model.feature_ids[i] for i in asked]
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        ages = rng.integers(AGE_RANGE[0], AGE_RANGE[1] + 1, size)
        sexes = rng.choice(["female", "male"], size)
        states = np.empty(size, dtype=int)
        for i in range(size):
            prior = np.exp(model.log_prior(SETTING, int(ages[i]), str(sexes[i])))
            states[i] = rng.choice(model.n_states, p=prior / prior.sum())
        likelihood = model.state_likelihood[states]
        present = rng.random(likelihood.shape) < likelihood
        given = rng.random(likelihood.shape) < answered
        sides = np.where(present[:, both], "both", rng.choice(["left", "right"], size))
        table: dict[str, list[Any]] = {"id": [f"p{start + i + 1}" for i in range(size)], "age": ages.tolist(),
                                       "sex": sexes.tolist(), "setting": [SETTING] * size, "side": sides.tolist()}
        for name, column in zip(names, asked):
            table[name] = [bool(p) if g else None for p, g in zip(present[:, column], given[:, column])]
        truth = {"id": table["id"],
                 "causes": [";".join(model.condition_ids[c] for c in model.states[s]) or "none" for s in states]}
        yield table, truth
