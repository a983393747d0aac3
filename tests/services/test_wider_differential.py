"""L5 radiculopathy, an acute calcaneal fracture and gout at the heel are causes of their own, with
their localisation, triage and next steps; the classic pictures they resemble keep their reading."""

import pytest

import heelpath

CONTEXT = heelpath.load()


def _assess(findings: dict, **about):
    return CONTEXT.assess({"age": 45, "side": "left", **about, "findings": findings})


def _ids(items) -> set[str]:
    return {item.id for item in items}


def test_foot_drop_with_big_toe_weakness_is_l5_not_a_heel_cause():
    result = _assess({"low_back_pain": True, "leg_pain_radiating_below_knee": True, "foot_drop_or_tripping": True,
                      "ehl_weakness": True, "l5_sensory_loss": True, "ankle_reflex_reduced": False})
    assert result.differential[0].id == "l5_radiculopathy"
    assert result.origin.label == "spinal"
    assert "l5_root" in {s.id for s in result.localisation.sites if s.localised}
    assert result.triage.level in ("urgent", "emergency")  # foot drop: same-day neurological assessment


def test_an_s1_picture_stays_s1():
    result = _assess({"low_back_pain": True, "leg_pain_radiating_below_knee": True, "pain_under_heel": True,
                      "ankle_reflex_reduced": True, "s1_sensory_loss": True, "slr_positive": True})
    assert result.differential[0].id == "s1_radiculopathy"
    assert "s1_root" in {s.id for s in result.localisation.sites if s.localised}


def test_a_fall_onto_the_heel_is_an_acute_fracture_with_a_same_day_xray():
    result = _assess({"fall_from_height_or_heavy_landing": True, "sudden_onset": True, "recent_trauma": True,
                      "unable_to_bear_weight": True, "pain_sides_of_heel": True, "calcaneal_squeeze_positive": True},
                     side="right")
    assert result.differential[0].id == "acute_calcaneal_fracture"
    assert result.triage.level in ("urgent", "emergency")
    assert "test_heel_xray_fracture" in _ids(result.next_steps.tests)


def test_a_hot_swollen_back_of_the_heel_in_known_gout_is_gout_and_infection_is_still_excluded():
    result = _assess({"gout_or_crystal_attacks": True, "pain_back_of_heel": True, "heel_red_hot_swollen": True,
                      "sudden_onset": True}, age=58, sex="male", side="right")
    assert result.differential[0].id == "gout_heel"
    assert result.origin.label == "systemic"
    assert "heel_infection_signs" in _ids(result.triage.rules_fired)  # a hot heel is infection until shown otherwise
    assert "test_serum_urate" in _ids(result.next_steps.tests)


@pytest.mark.parametrize("condition", ["l5_radiculopathy", "acute_calcaneal_fracture", "gout_heel"])
def test_each_new_cause_has_priors_evidence_and_a_rule_that_acts_on_it(condition):
    kb = CONTEXT.kb
    assert {p.setting for p in kb.priors if p.condition == condition} == set(kb.header.settings.known)
    assert sum(row.condition == condition for row in kb.evidence) >= 15
    rules = [*CONTEXT.rules.next_steps, *CONTEXT.rules.triage.rules]
    named = {c for rule in rules for c in _conditions(rule.when)}
    assert condition in named


def _conditions(cond):
    if cond is None or isinstance(cond, str):
        return
    for attr in ("probability", "leading"):
        atom = getattr(cond, attr, None)
        if atom is not None:
            yield from (atom.conditions or [atom.condition])
    for name in ("all", "any"):
        for child in getattr(cond, name) or []:
            yield from _conditions(child)
    if getattr(cond, "not_", None) is not None:
        yield from _conditions(cond.not_)
