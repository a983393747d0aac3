"""The open world: a state with none of the modelled causes, its findings at their reference rates."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.engine import compile_model, evidence_vector, infer, infer_batch, origin_probabilities
from tests.synthetic_kb import make_kb

PRIORS = {"a": 0.5, "b": 0.3, "c": 0.2}
REFERENCE = {"f1": 0.3, "f2": 0.5, "f3": 0.1, "f4": 0.6}
LIKELIHOODS = {("a", "f1"): 0.9, ("a", "f2"): 0.2, ("b", "f2"): 0.8, ("b", "f3"): 0.7, ("c", "f4"): 0.05}
U = 0.2
OPEN = compile_model(make_kb(PRIORS, LIKELIHOODS, REFERENCE, unexplained=U))
CLOSED = compile_model(make_kb(PRIORS, LIKELIHOODS, REFERENCE))
answers = st.dictionaries(st.sampled_from(list(REFERENCE)), st.booleans())


def _posterior(model, given):
    return infer(model, evidence_vector(model, given), model.log_prior("self_assessment", 40, None))


@settings(max_examples=100, deadline=None)
@given(given=answers)
def test_unexplained_probability_is_bayes_rule_with_reference_rates(given):
    closed = _posterior(CLOSED, given)
    # P(answers | open world): each finding at its reference rate
    open_likelihood = np.prod([REFERENCE[f] if v else 1 - REFERENCE[f] for f, v in given.items()])
    # P(answers | some modelled cause) under the closed model's prior
    log_prior = CLOSED.log_prior("self_assessment", 40, None)
    explained_likelihood = float(np.exp(log_prior + closed.contributions.sum(axis=1)).sum())
    expected = U * open_likelihood / (U * open_likelihood + (1 - U) * explained_likelihood)
    assert np.isclose(_posterior(OPEN, given).unexplained, expected, rtol=1e-9)


@settings(max_examples=100, deadline=None)
@given(given=answers)
def test_condition_probabilities_are_given_a_modelled_cause(given):
    """The open world adds a caution; it never dilutes a condition's probability."""
    opened, closed = _posterior(OPEN, given), _posterior(CLOSED, given)
    np.testing.assert_allclose(opened.marginals, closed.marginals, rtol=1e-9)
    batch = infer_batch(OPEN, evidence_vector(OPEN, given)[None, :], OPEN.log_prior("self_assessment", 40, None))
    np.testing.assert_allclose(batch[0], opened.marginals, rtol=1e-9)
    origins = origin_probabilities(OPEN, opened.state_probs)
    assert np.isclose(origins["unexplained"], opened.unexplained)
    assert origin_probabilities(CLOSED, closed.state_probs)["unexplained"] == 0.0


def test_answers_no_modelled_cause_explains_raise_the_unexplained_probability():
    # f3 present is unlikely under a and c; f2 absent and f4 present are unlikely under b
    fits = _posterior(OPEN, {"f1": True, "f2": False}).unexplained
    misfits = _posterior(OPEN, {"f1": False, "f2": False, "f3": True, "f4": True}).unexplained
    assert misfits > U > fits


def test_a_finding_can_point_away_from_every_modelled_cause():
    """`unexplained_rate` replaces the reference rate in the open-world state only."""
    pointing = compile_model(make_kb(PRIORS, LIKELIHOODS, REFERENCE, unexplained=U, unexplained_rates={"f3": 0.9}))
    assert _posterior(pointing, {"f3": True}).unexplained > _posterior(OPEN, {"f3": True}).unexplained
    np.testing.assert_allclose(_posterior(pointing, {"f3": True}).marginals, _posterior(OPEN, {"f3": True}).marginals)
