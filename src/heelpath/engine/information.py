"""Which unanswered finding would tell most: expected information gain over the states.

The gain of asking finding f is H(states) - E[H(states | answer to f)], with the answer predicted
from the current posterior. Used to choose the next question and the next examination.
"""

from __future__ import annotations

import numpy as np

from heelpath.engine.model import CompiledModel


def _entropy(p: np.ndarray, axis: int = 0) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log2(p), 0.0)
    return -terms.sum(axis=axis)


def answer_probability(model: CompiledModel, state_probs: np.ndarray, features: np.ndarray) -> np.ndarray:
    """P(finding present | answers so far) for each feature index in `features`."""
    return state_probs @ model.state_likelihood[:, features]


def expected_information_gain(
    model: CompiledModel,
    state_probs: np.ndarray,
    features: np.ndarray,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Expected reduction in entropy (bits) from answering each feature in `features`.

    Parameters
    ----------
    state_probs : ndarray (S,)
        Current posterior over states.
    features : ndarray of int
        Candidate feature indices (unanswered findings).
    weights : ndarray (S,), optional
        Extra weight per state (e.g. to favour telling serious causes apart); the entropy is then
        taken over the re-weighted, re-normalised posterior.
    """
    p = state_probs if weights is None else state_probs * weights
    p = p / p.sum()
    if features.size == 0:
        return np.zeros(0)
    q = p @ model.state_likelihood[:, features]  # predicted P(present)
    post_yes = p[:, None] * np.exp(model.log_present[:, features])
    post_no = p[:, None] * np.exp(model.log_absent[:, features])
    post_yes /= post_yes.sum(axis=0, keepdims=True)
    post_no /= post_no.sum(axis=0, keepdims=True)
    expected = q * _entropy(post_yes) + (1 - q) * _entropy(post_no)
    return _entropy(p) - expected
