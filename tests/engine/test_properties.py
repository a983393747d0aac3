"""Invariants of the inference engine, checked with Hypothesis on the real and random models."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from heelpath.engine import (
    compile_model,
    evidence_vector,
    expected_information_gain,
    infer,
    infer_batch,
    joint_information_gain,
)
from heelpath.knowledge import load_kb
from tests.synthetic_kb import make_kb

REAL = compile_model(load_kb())
REAL_FEATURES = list(REAL.feature_ids)
answer_sets = st.dictionaries(st.sampled_from(REAL_FEATURES), st.booleans(), max_size=40)
demographics = st.tuples(st.sampled_from(["self_assessment", "primary_care"]), st.integers(0, 120),
                         st.sampled_from([None, "female", "male"]))


def posterior(model, answers, demo=("self_assessment", 40, None)):
    return infer(model, evidence_vector(model, answers), model.log_prior(*demo))


@settings(max_examples=200, deadline=None)
@given(answers=answer_sets, demo=demographics)
def test_probabilities_are_finite_and_in_range(answers, demo):
    post = posterior(REAL, answers, demo)
    assert np.all(np.isfinite(post.marginals))
    assert np.all((post.marginals >= 0) & (post.marginals <= 1))
    assert np.isclose(post.state_probs.sum(), 1)
    # each state holds one or two causes, so the marginals sum to 1 + P(two causes)
    assert 1 - 1e-9 <= post.marginals.sum() <= 2 + 1e-9


@settings(max_examples=20, deadline=None)
@given(value=st.booleans(), demo=demographics)
def test_extreme_evidence_stays_finite(value, demo):
    post = posterior(REAL, {f: value for f in REAL_FEATURES}, demo)
    assert np.all(np.isfinite(post.marginals))


@settings(max_examples=100, deadline=None)
@given(answers=answer_sets, seed=st.integers(0, 2**32 - 1))
def test_order_of_findings_is_irrelevant(answers, seed):
    items = list(answers.items())
    np.random.default_rng(seed).shuffle(items)
    a = posterior(REAL, answers).marginals
    b = posterior(REAL, dict(items)).marginals
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


@settings(max_examples=100, deadline=None)
@given(answers=answer_sets, demo=demographics)
def test_batch_equals_single(answers, demo):
    vector = evidence_vector(REAL, answers)
    lp = REAL.log_prior(*demo)
    batch = infer_batch(REAL, np.stack([vector, vector]), lp)
    np.testing.assert_allclose(batch[0], infer(REAL, vector, lp).marginals, rtol=1e-9, atol=1e-12)


# Random small knowledge bases: 4 conditions, 6 findings, one of them uninformative.
conditions = ["a", "b", "c", "d"]
findings = ["f1", "f2", "f3", "f4", "f5", "neutral"]


@st.composite
def random_kb(draw, max_causes=2):
    priors = dict(zip(conditions, draw(st.lists(st.floats(0.01, 0.9), min_size=4, max_size=4))))
    reference = dict(zip(findings, draw(st.lists(st.floats(0.02, 0.9), min_size=6, max_size=6))))
    likelihood = {
        (c, f): draw(st.floats(0.01, 0.99)) for c in conditions for f in findings if f != "neutral"
    }
    return compile_model(make_kb(priors, likelihood, reference, max_causes=max_causes, floor=1e-4))


kb_answers = st.dictionaries(st.sampled_from(findings[:-1]), st.booleans(), max_size=5)


@settings(max_examples=150, deadline=None)
@given(model=random_kb(), answers=kb_answers, neutral=st.booleans())
def test_a_finding_with_likelihood_ratio_one_changes_nothing(model, answers, neutral):
    # "neutral" has no evidence row: P(neutral | any cause) = its reference rate, so LR = 1.
    before = posterior(model, answers).marginals
    after = posterior(model, {**answers, "neutral": neutral}).marginals
    np.testing.assert_allclose(before, after, rtol=1e-10, atol=1e-13)


@settings(max_examples=200, deadline=None)
@given(model=random_kb(), answers=kb_answers, finding=st.sampled_from(findings[:-1]), target=st.integers(0, 3))
def test_supporting_evidence_never_lowers_a_posterior(model, answers, finding, target):
    # Supporting: the finding is predicted to be more likely if the target cause is present than if
    # it is not, given everything answered so far. Bayes' rule then forbids a fall.
    assume(finding not in answers)
    before = posterior(model, answers)
    f = model.feature_index[finding]
    with_target = model.membership[:, target] == 1
    p_states = before.state_probs
    p_f_given_x = (p_states[with_target] @ model.state_likelihood[with_target, f]) / p_states[with_target].sum()
    p_f_given_not_x = (p_states[~with_target] @ model.state_likelihood[~with_target, f]) / p_states[~with_target].sum()
    after = posterior(model, {**answers, finding: True})
    if p_f_given_x >= p_f_given_not_x:
        assert after.marginals[target] >= before.marginals[target] - 1e-12
    else:
        assert after.marginals[target] <= before.marginals[target] + 1e-12


@settings(max_examples=150, deadline=None)
@given(model=random_kb(max_causes=1), answers=kb_answers, finding=st.sampled_from(findings[:-1]), target=st.integers(0, 3))
def test_single_cause_finding_more_likely_under_target_raises_it(model, answers, finding, target):
    assume(finding not in answers)
    f = model.feature_index[finding]
    column = model.likelihood[:, f]
    assume(all(column[target] >= column[i] for i in range(4)))
    before = posterior(model, answers).marginals[target]
    after = posterior(model, {**answers, finding: True}).marginals[target]
    assert after >= before - 1e-12


@settings(max_examples=100, deadline=None)
@given(answers=answer_sets, demo=demographics, weighted=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_information_gain_matches_the_direct_formula_and_is_bounded(answers, demo, weighted, seed):
    """The closed form of the expected gain agrees with the direct per-outcome formula, is never
    negative and never exceeds the entropy of the (re-weighted) posterior."""
    p = posterior(REAL, answers, demo).state_probs
    weights = np.random.default_rng(seed).random(REAL.n_states) if weighted else None
    features = np.array([i for i, f in enumerate(REAL_FEATURES) if f not in answers])
    gains = expected_information_gain(REAL, p, features, weights)
    direct = [joint_information_gain(REAL, p, features[[k]], np.array([[1.0], [0.0]]), weights)
              for k in range(0, len(features), 7)]
    assert np.allclose(gains[::7], direct, atol=1e-9)
    q = p if weights is None else p * weights / (p * weights).sum()
    entropy = -np.sum(q[q > 0] * np.log2(q[q > 0]))
    assert np.all(gains >= -1e-9) and np.all(gains <= entropy + 1e-9)
