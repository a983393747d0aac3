"""Cross-check the engine against exact inference in pyAgrum on small networks.

The oracle is built independently: binary cause nodes with Bernoulli priors, a deterministic
count node observed to be 1 or 2 (one or two causes), and each finding's full noisy-OR table
written out over all its parents. For findings at least as common under each cause as in heel
pain generally, this is the distribution the engine's state model claims to compute.
"""

from itertools import product

import numpy as np
import pyagrum as gum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heelpath.engine import compile_model, evidence_vector, infer
from tests.synthetic_kb import make_kb

CONDITIONS = ["a", "b", "c", "d"]
FINDINGS = ["f1", "f2", "f3", "f4", "f5"]


def oracle_marginals(priors, likelihood, reference, comorbidity, answers):
    pi = np.array([priors[c] for c in CONDITIONS])
    pi = pi / pi.sum()
    pair_sum = sum(pi[i] * pi[j] for i in range(4) for j in range(i + 1, 4))
    scale = comorbidity / (pair_sum * (1 - comorbidity))
    odds = scale * pi
    bn = gum.BayesNet()
    for c, o in zip(CONDITIONS, odds):
        bn.add(gum.LabelizedVariable(c, c, 2))
        bn.cpt(c).fillWith([1 / (1 + o), o / (1 + o)])
    bn.add(gum.RangeVariable("count", "count", 0, 4))
    for c in CONDITIONS:
        bn.addArc(c, "count")
    for f in FINDINGS:
        bn.add(gum.LabelizedVariable(f, f, 2))
        for c in CONDITIONS:
            bn.addArc(c, f)
    for config in product((0, 1), repeat=4):
        assignment = dict(zip(CONDITIONS, config))
        bn.cpt("count")[assignment] = [1.0 if k == sum(config) else 0.0 for k in range(5)]
        for f in FINDINGS:
            r = reference[f]
            q_off = 1.0
            for c, on in assignment.items():
                if on:
                    q = 1 - (1 - likelihood[(c, f)]) / (1 - r)
                    q_off *= 1 - q
            p = 1 - (1 - r) * q_off if any(config) else r
            bn.cpt(f)[assignment] = [1 - p, p]
    ie = gum.LazyPropagation(bn)
    ie.setEvidence({"count": [0, 1, 1, 0, 0], **{f: int(v) for f, v in answers.items()}})
    ie.makeInference()
    return np.array([ie.posterior(c)[1] for c in CONDITIONS])


probability = st.floats(0.05, 0.95)


@settings(max_examples=25, deadline=None)
@given(
    priors=st.lists(st.floats(0.05, 0.95), min_size=4, max_size=4),
    reference=st.lists(st.floats(0.02, 0.4), min_size=5, max_size=5),
    lift=st.lists(st.floats(0.0, 1.0), min_size=20, max_size=20),
    answers=st.lists(st.sampled_from([None, True, False]), min_size=5, max_size=5),
    comorbidity=st.floats(0.01, 0.5),
)
def test_engine_matches_pyagrum(priors, reference, lift, answers, comorbidity):
    priors = dict(zip(CONDITIONS, priors))
    reference = dict(zip(FINDINGS, reference))
    # P(f | c) between the reference rate and 0.95, so the noisy-OR leak is the reference rate.
    likelihood = {
        (c, f): reference[f] + lift[i * 5 + j] * (0.95 - reference[f])
        for i, c in enumerate(CONDITIONS) for j, f in enumerate(FINDINGS)
    }
    kb = make_kb(priors, likelihood, reference, comorbidity=comorbidity, floor=1e-6)
    model = compile_model(kb)
    observed = {f: a for f, a in zip(FINDINGS, answers) if a is not None}
    posterior = infer(model, evidence_vector(model, observed), model.log_prior("self_assessment", 40, None))
    expected = oracle_marginals(priors, likelihood, reference, comorbidity, observed)
    np.testing.assert_allclose(posterior.marginals, expected, atol=1e-6)


def test_single_cause_model_is_plain_bayes():
    priors = {"a": 0.6, "b": 0.3, "c": 0.1}
    reference = {"f1": 0.2}
    likelihood = {("a", "f1"): 0.9, ("b", "f1"): 0.2, ("c", "f1"): 0.5}
    model = compile_model(make_kb(priors, likelihood, reference, max_causes=1, floor=1e-6))
    post = infer(model, evidence_vector(model, {"f1": True}), model.log_prior("self_assessment", 40, None))
    joint = np.array([0.6 * 0.9, 0.3 * 0.2, 0.1 * 0.5])
    np.testing.assert_allclose(post.marginals, joint / joint.sum())


def test_grouped_findings_count_less_than_independent_ones():
    priors = {"a": 0.5, "b": 0.5}
    reference = {"slr": 0.2, "slump": 0.2}
    likelihood = {("a", "slr"): 0.8, ("a", "slump"): 0.8}
    answers = {"slr": True, "slump": True}
    independent = compile_model(make_kb(priors, likelihood, reference, max_causes=1))
    grouped = compile_model(make_kb(priors, likelihood, reference, groups=[("g", ["slump", "slr"], 0.5)], max_causes=1))
    lp = independent.log_prior("self_assessment", 40, None)
    p_ind = infer(independent, evidence_vector(independent, answers), lp).marginals[0]
    p_grp = infer(grouped, evidence_vector(grouped, answers), lp).marginals[0]
    assert 0.5 < p_grp < p_ind
    # strongest member full weight (x4), the other half weight (x2): odds 8 -> 8/9
    assert p_grp == pytest.approx(8 / 9)
