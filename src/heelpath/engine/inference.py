"""Exact posterior inference over the model's states, for one case or many.

Evidence is a vector over the model's boolean findings: 1 present, 0 absent, -1 unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from heelpath.engine.model import ORIGIN_CATEGORIES, ORIGIN_KEYS, UNEXPLAINED, CompiledModel

PRESENT, ABSENT, UNKNOWN = 1, 0, -1


def evidence_vector(model: CompiledModel, answers: Mapping[str, bool | None]) -> np.ndarray:
    """Encode ``{finding_id: True/False/None}`` as an evidence vector (unknown ids raise KeyError)."""
    vector = np.full(len(model.feature_ids), UNKNOWN, dtype=np.int8)
    for finding, value in answers.items():
        if value is not None:
            vector[model.feature_index[finding]] = PRESENT if value else ABSENT
    return vector


def _softmax(log_weights: np.ndarray, axis: int = 0) -> np.ndarray:
    shifted = log_weights - log_weights.max(axis=axis, keepdims=True)
    weights = np.exp(shifted)
    return weights / weights.sum(axis=axis, keepdims=True)


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(p) - np.log1p(-p)


@dataclass(frozen=True)
class Posterior:
    """Posterior over states and the marginal probability that each condition is present.

    ``state_probs`` includes the open-world state (none of the modelled causes), whose probability
    is ``unexplained``; the condition marginals are given that some modelled cause is present, so
    the open world adds a caution and never dilutes a serious condition's probability.
    """

    state_probs: np.ndarray  # (S,)
    unexplained: float
    marginals: np.ndarray  # (C,)
    prior_marginals: np.ndarray  # (C,)
    observed: np.ndarray  # indices of the features that were answered
    contributions: np.ndarray  # (S, k): log-likelihood of each answered feature per state


def infer(model: CompiledModel, evidence: np.ndarray, log_prior: np.ndarray) -> Posterior:
    """Posterior of every state and condition given an evidence vector and a state log-prior."""
    present = np.flatnonzero(evidence == PRESENT)
    absent = np.flatnonzero(evidence == ABSENT)
    contributions = np.concatenate(
        (model.log_present[:, present], model.log_absent[:, absent]), axis=1
    )
    state_probs = _softmax(log_prior + contributions.sum(axis=1))
    prior_probs = _softmax(log_prior)
    return Posterior(
        state_probs=state_probs,
        unexplained=float(state_probs @ model.open_world),
        marginals=given_explained(model, state_probs) @ model.membership,
        prior_marginals=given_explained(model, prior_probs) @ model.membership,
        observed=np.concatenate((present, absent)),
        contributions=contributions,
    )


def leave_one_out_log_odds(
    model: CompiledModel, posterior: Posterior, log_prior: np.ndarray
) -> np.ndarray:
    """How much each answered finding moved each condition, given all the other answers.

    Returns an array (C, k): the log odds of each condition with all answers minus its log odds
    with that one answer removed (positive: the finding speaks for the condition).
    """
    if posterior.observed.size == 0:
        return np.zeros((len(model.condition_ids), 0))
    total = log_prior + posterior.contributions.sum(axis=1)
    without = _softmax(total[:, None] - posterior.contributions, axis=0)  # (S, k)
    without = without / (1.0 - model.open_world @ without)  # given a modelled cause
    marginals_without = model.membership.T @ without  # (C, k)
    return _logit(posterior.marginals)[:, None] - _logit(marginals_without)


def given_explained(model: CompiledModel, state_probs: np.ndarray) -> np.ndarray:
    """The posterior over the modelled states, given that one of them holds (open world removed)."""
    explained = state_probs * (1.0 - model.open_world)
    return explained / explained.sum(axis=-1, keepdims=True)


def origin_probabilities(model: CompiledModel, state_probs: np.ndarray) -> dict[str, float]:
    """Probability that the heel pain involves each origin, and that it is spinal and local at once
    (given a modelled cause); ``unexplained`` is P(none of the modelled causes)."""
    values = given_explained(model, state_probs) @ model.origin_involvement
    values[ORIGIN_KEYS.index(UNEXPLAINED)] = float(state_probs @ model.open_world)
    return dict(zip(ORIGIN_KEYS, values.tolist()))


def origin_label(model: CompiledModel, state_probs: np.ndarray) -> tuple[str, dict[str, float]]:
    """The most probable origin category: one origin, ``both`` (spinal and local together) or
    ``unexplained`` (none of the modelled causes)."""
    mass = dict(zip(ORIGIN_CATEGORIES, (state_probs @ model.origin_category).tolist()))
    return max(mass, key=mass.__getitem__), mass


def infer_batch(
    model: CompiledModel,
    evidence: np.ndarray,
    log_prior: np.ndarray,
    chunk: int = 65536,
    projection: np.ndarray | None = None,
) -> np.ndarray:
    """Marginal probability of every condition for many cases at once.

    Parameters
    ----------
    evidence : ndarray of int8, shape (N, F)
        One evidence vector per case.
    log_prior : ndarray, shape (N, S) or (S,)
        State log-priors per case, or one shared by all.
    projection : ndarray, shape (S, K), optional
        What to sum the state posterior into, open-world state included (see
        :func:`given_explained_columns`); pass e.g. an origin matrix to get origin probabilities in
        the same pass. Without it: each condition's marginal given a modelled cause (K = C), as
        :func:`infer` gives it.

    Returns
    -------
    ndarray, shape (N, K)
    """
    n = evidence.shape[0]
    out = np.empty((n, len(model.condition_ids) if projection is None else projection.shape[1]))
    log_present_t = np.ascontiguousarray(model.log_present.T)
    log_absent_t = np.ascontiguousarray(model.log_absent.T)
    for start in range(0, n, chunk):
        block = evidence[start : start + chunk]
        scores = (block == PRESENT) @ log_present_t + (block == ABSENT) @ log_absent_t
        scores += log_prior[start : start + chunk] if log_prior.ndim == 2 else log_prior
        posterior = _softmax(scores, axis=1)
        if projection is None:
            out[start : start + chunk] = given_explained(model, posterior) @ model.membership
        else:
            out[start : start + chunk] = posterior @ projection
    return out


def given_explained_columns(projected: np.ndarray, unexplained_column: int) -> np.ndarray:
    """Columns of :func:`infer_batch`'s output given a modelled cause; the column holding
    P(unexplained) is kept as it is."""
    unexplained = projected[:, unexplained_column].copy()
    out = projected / (1.0 - unexplained)[:, None]
    out[:, unexplained_column] = unexplained
    return out
