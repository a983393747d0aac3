"""Which unanswered finding would tell most: expected information gain over the states.

The gain of asking finding f is H(states) - E[H(states | answer to f)], with the answer predicted
from the current posterior. Used to choose the next question and the next examination.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from heelpath.engine.model import CompiledModel

LN2 = float(np.log(2.0))


def _entropy(p: np.ndarray, axis: int = 0) -> np.ndarray:
    """Entropy in bits along `axis` (0 log 0 = 0)."""
    return -(p * np.log2(np.where(p > 0, p, 1.0))).sum(axis=axis)


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
    # The entropy of the updated posterior p_s w_s / Z, with w the update's factor for an answer and
    # Z = sum p_s w_s, is log2 Z - (sum p_s w_s (log2 p_s + log2 w_s)) / Z: three products of p with
    # tables built once per model, instead of a (states x features) posterior per answer.
    tables = _gain_tables(model)
    p_log_p = p * np.log2(np.where(p > 0, p, 1.0))
    q = (p @ tables.predict)[features]  # predicted P(present)
    expected = np.zeros(features.size)
    for weight, weight_log_weight, chance in ((tables.yes, tables.yes_log_yes, q), (tables.no, tables.no_log_no, 1 - q)):
        z = (p @ weight)[features]
        entropy = np.log2(z) - ((p_log_p @ weight)[features] + (p @ weight_log_weight)[features]) / z
        expected += chance * entropy
    return -p_log_p.sum() - expected


@dataclass(frozen=True)
class _GainTables:
    predict: np.ndarray  # (S, F) P(present | state), untempered
    yes: np.ndarray  # (S, F) the tempered update's factor for "present"
    yes_log_yes: np.ndarray  # yes * log2(yes)
    no: np.ndarray
    no_log_no: np.ndarray


@lru_cache(maxsize=8)
def _gain_tables(model: CompiledModel) -> _GainTables:
    yes, no = np.exp(model.log_present), np.exp(model.log_absent)
    return _GainTables(predict=model.state_likelihood, yes=yes, yes_log_yes=model.log_present / LN2 * yes,
                       no=no, no_log_no=model.log_absent / LN2 * no)


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
