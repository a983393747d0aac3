"""A person who denies pain at every heel site is not told they have a heel problem, whatever else
they answer, unless a finding that points to a heel cause says otherwise."""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import heelpath
from heelpath.errors import InvalidAnswerError

CONTEXT = heelpath.load()
MODEL = CONTEXT.model
KB = CONTEXT.kb
LOCAL = [c.id for c in KB.conditions if c.origin == "local"]
# where the heel hurts: the questions every interview asks first
HEEL_SITES = ["pain_under_heel", "pain_centre_of_heel_pad", "pain_back_of_heel", "pain_achilles_above_heel",
              "pain_sides_of_heel"]
_rows = [MODEL.condition_index[c] for c in LOCAL]
_raises_local = (MODEL.likelihood[_rows] > MODEL.reference).any(axis=0)
# a yes to any of these is evidence for some heel cause; a yes to the rest is not
NEUTRAL_OR_AGAINST = [f for f, raises in zip(MODEL.feature_ids, _raises_local.tolist())
                      if not raises and f not in HEEL_SITES]


def _likely_local(result) -> list[str]:
    return [e.id for e in result.differential if e.origin == "local" and e.probability >= 0.5]


@settings(max_examples=150, deadline=None)
@given(
    yes=st.lists(st.sampled_from(NEUTRAL_OR_AGAINST), max_size=8, unique=True),
    no=st.lists(st.sampled_from(list(MODEL.feature_ids)), max_size=20, unique=True),
    age=st.integers(18, 90),
    setting=st.sampled_from(["self_assessment", "primary_care"]),
)
def test_no_heel_site_and_nothing_for_a_heel_cause_is_never_a_confident_heel_diagnosis(yes, no, age, setting):
    findings = {f: False for f in no if f not in yes}
    findings.update({f: True for f in yes})
    findings.update({f: False for f in HEEL_SITES})
    try:
        result = CONTEXT.assess({"setting": setting, "age": age, "side": "right", "findings": findings})
    except InvalidAnswerError:  # e.g. a finding "no" and its both-sides variant "yes"
        assume(False)
    assert not _likely_local(result) or result.unexplained.flagged, (
        _likely_local(result), result.unexplained.probability)
    assert result.origin.label != "local" or result.unexplained.flagged


def test_the_sets_are_not_empty():
    assert len(NEUTRAL_OR_AGAINST) > 20 and np.all(_raises_local[[MODEL.feature_index[f] for f in HEEL_SITES]])


def test_a_heel_cause_leading_without_any_heel_finding_is_said_to_rest_on_frequency_alone():
    # nothing about the heel: plantar fasciitis leads on its prior alone
    case = {"age": 45, "findings": {"smoker": True, "diabetes": False}}
    result = CONTEXT.assess(case)
    assert result.differential[0].origin == "local"
    assert result.unexplained.flagged and not result.unexplained.heel_finding_given
    assert result.unexplained.reason == "no_heel_finding"
    assert result.unexplained.patient == CONTEXT.rules.advice.no_heel_finding.patient
    assert result.triage.level != "self_care"

    with_site = CONTEXT.assess({**case, "findings": {**case["findings"], "pain_under_heel": True}})
    assert with_site.unexplained.heel_finding_given and with_site.unexplained.reason is None


def test_back_pain_weight_loss_and_thirst_is_never_self_care():
    # a myeloma picture with no heel complaint
    result = CONTEXT.assess({"age": 71, "findings": {"low_back_pain": True, "unexplained_weight_loss": True,
                                                     "thirst_or_passing_much_urine": True, "duration_weeks": 8}})
    assert result.differential[0].origin != "local" or result.unexplained.reason == "no_heel_finding"
    assert "myeloma_hypercalcaemia" in {r.id for r in result.triage.rules_fired}


def test_plantar_fasciitis_told_in_full_is_not_flagged():
    result = CONTEXT.assess({"age": 46, "side": "right", "findings": {
        "pain_under_heel": True, "first_step_pain": True, "pain_after_prolonged_standing": True,
        "medial_calcaneal_tubercle_tenderness": True}})
    assert result.differential[0].id == "plantar_fasciitis"
    assert result.unexplained.heel_finding_given and not result.unexplained.flagged
    assert result.unexplained.reason is None


def test_self_care_needs_a_finding_of_the_heel_regions():
    """One notion of a heel finding: the triage rule lists the findings of kb.yaml's heel regions."""
    rule = next(r for r in CONTEXT.rules.triage.rules if r.id == "self_care_local")
    listed = next(child.any for child in rule.when.all if child.any)
    regions = set(KB.header.model.heel_regions)
    assert set(listed) == {f.id for f in KB.findings if f.type == "boolean" and f.region in regions}
