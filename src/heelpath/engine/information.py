"""Which unanswered finding would tell most: expected information gain over the states.

The gain of asking finding f is H(states) - E[H(states | answer to f)], with the answer predicted
from the current posterior. Used to choose the next question and the next examination.
"""

from __future__ import annotations

import numpy as np

from heelpath.engine.model import CompiledModel


def _entropy(p: np.ndarray, axis: int = 0) -> np.ndarray:
    """Entropy in bits along `axis`."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log2(p), 0.0)
    return -terms.sum(axis=axis)


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


def joint_information_gain(
    model: CompiledModel, state_probs: np.ndarray, features: np.ndarray, outcomes: np.ndarray,
    weights: np.ndarray | None = None,
) -> float:
    """Expected information gain (bits) of asking several findings at once.

    The generalisation of :func:`expected_information_gain` to a screen whose answer is one of
    ``outcomes`` (rows of 0/1 over ``features``); for a single finding with the outcomes
    ``[[1], [0]]`` the two agree. The direct formula: the interview's batched look-ahead is
    checked against it.
    """
    log_pred, log_post = outcome_logs(model, features, outcomes)
    p = state_probs if weights is None else state_probs * weights
    return _gain(p / p.sum(), log_pred, log_post)


def _log_tables(model: CompiledModel) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """log P(present | state) and log P(absent | state), untempered (to predict) and tempered."""
    likelihood = model.state_likelihood
    return np.log(likelihood), np.log1p(-likelihood), model.log_present, model.log_absent


def outcome_logs(model: CompiledModel, features: np.ndarray, outcomes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(O, S) log P(outcome | state) to predict answers, and the tempered one to update on them."""
    pred_yes, pred_no, post_yes, post_no = (t[:, features] for t in _log_tables(model))
    log_pred = outcomes @ (pred_yes - pred_no).T + pred_no.sum(axis=1)
    log_post = outcomes @ (post_yes - post_no).T + post_no.sum(axis=1)
    return log_pred, log_post


def predict_outcomes(p: np.ndarray, log_pred: np.ndarray) -> np.ndarray:
    """(O,) probability of each outcome under the state distribution p."""
    q = np.exp(log_pred) @ p
    return q / q.sum()  # number questions enumerate only the consistent outcomes


def outcome_posteriors(p: np.ndarray, log_post: np.ndarray) -> np.ndarray:
    """(O, S) posterior over the states after each outcome."""
    log_w = log_post + np.log(np.maximum(p, 1e-300))
    log_w -= log_w.max(axis=1, keepdims=True)
    post = np.exp(log_w)
    return post / post.sum(axis=1, keepdims=True)


def _gain(p: np.ndarray, log_pred: np.ndarray, log_post: np.ndarray) -> float:
    q = predict_outcomes(p, log_pred)
    return float(_entropy(p, axis=-1) - q @ _entropy(outcome_posteriors(p, log_post), axis=-1))
