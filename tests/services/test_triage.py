"""Triage: red flags set a floor that nothing can lower; pattern rules raise; every rule is cited."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import heelpath
from heelpath.errors import KBReferenceError, KBSchemaError
from heelpath.knowledge.rules import (
    LEVELS,
    conditions_named,
    findings_named,
    level_rank,
    load_rules_from,
    witness,
)
from heelpath.knowledge.schema import ESTIMATE
from heelpath.services import assessment as assessment_service
from heelpath.services import triage as triage_service
from heelpath.services.case import Case

CONTEXT = heelpath.load()
KB = CONTEXT.kb
BOOK = CONTEXT.rules


def assess(case):
    return assessment_service.assess(case, CONTEXT.model)


def triage(assessment, book=BOOK):
    """The triage as the documented JSON shape."""
    return triage_service.triage(assessment, book).model_dump(mode="json")
# Findings a random case may answer directly: every yes/no finding except those the case service
# sets itself (bilateral variants, and both heels from the side), which would make answers contradict.
BILATERAL_TARGETS = {f.bilateral_variant for f in KB.findings if f.bilateral_variant}
FREE_FINDINGS = sorted(
    f.id for f in KB.findings
    if f.type == "boolean" and f.id not in BILATERAL_TARGETS and f.id != "bilateral_heel_pain"
)


def run(findings=None, age=45, **case):
    return triage(assess(Case.from_data({"age": age, "findings": findings or {}, **case})))


def fired_ids(result):
    return {r["id"] for r in result["rules_fired"]}


answer_sets = st.dictionaries(st.sampled_from(FREE_FINDINGS), st.sampled_from([True, False, None]), max_size=40)


# ---------------------------------------------------------------- the safety property
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=answer_sets,
    flag=st.sampled_from(BOOK.red_flags),
    age=st.integers(min_value=5, max_value=95),
    setting=st.sampled_from(["self_assessment", "primary_care"]),
    rng=st.randoms(use_true_random=False),
)
def test_a_red_flag_is_never_under_triaged_whatever_else_is_present(answers, flag, age, setting, rng):
    needed, flag_age = witness(flag.when, choose=rng.randrange)
    findings = dict(answers)
    findings.update({finding_id: True for finding_id in needed})
    result = run(findings, age=flag_age if flag_age is not None else age, setting=setting)
    assert flag.id in fired_ids(result)
    assert level_rank(result["level"]) >= level_rank(flag.level), (flag.id, result["level"])
    assert level_rank(result["red_flag_floor"]) >= level_rank(flag.level)


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets, extra=st.sampled_from(FREE_FINDINGS))
def test_answering_no_never_removes_a_red_flag(answers, extra):
    before = run({k: v for k, v in answers.items() if k != extra})
    after = run({**{k: v for k, v in answers.items() if k != extra}, extra: False})
    flags = {r.id for r in BOOK.red_flags}
    assert (fired_ids(before) & flags) <= fired_ids(after)


@pytest.mark.parametrize("flag", BOOK.red_flags, ids=lambda f: f.id)
def test_red_flags_do_not_read_probabilities(flag):
    """Force the posterior onto a harmless cause: the red flag still fires at its level."""
    needed, flag_age = witness(flag.when)
    assessment = assess(Case.from_data({"age": flag_age or 45, "findings": {f: True for f in needed}}))
    model = assessment.model
    harmless = model.condition_index["plantar_fasciitis"]
    state = next(s for s, causes in enumerate(model.states) if causes == (harmless,))
    state_probs = np.zeros(model.n_states)
    state_probs[state] = 1.0
    forced = dataclasses.replace(assessment, state_probs=state_probs, marginals=state_probs @ model.membership)
    result = triage(forced)
    assert flag.id in fired_ids(result)
    assert level_rank(result["level"]) >= level_rank(flag.level)


# ---------------------------------------------------------------- scenarios from the guidelines
@pytest.mark.parametrize(
    "findings, age, level, rule",
    [
        ({"bladder_dysfunction": True, "low_back_pain": True}, 45, "emergency", "ces_sphincter"),
        ({"saddle_numbness": True}, 45, "emergency", "ces_saddle"),
        ({"bilateral_leg_weakness": True}, 60, "emergency", "ces_bilateral_deficit"),
        ({"history_of_cancer": True, "low_back_pain": True, "pain_at_rest_or_night": True,
          "leg_pain_radiating_below_knee": True}, 66, "emergency", "mscc_neurological"),
        ({"history_of_cancer": True, "low_back_pain": True, "pain_at_rest_or_night": True}, 66, "urgent",
         "spinal_metastasis_pain"),
        ({"history_of_cancer": True, "low_back_pain": True}, 66, "soon", "cancer_new_back_pain"),
        ({"pop_or_kick_sensation": True, "sudden_onset": True}, 40, "urgent", "achilles_rupture_signs"),
        ({"thompson_test_positive": True}, 40, "urgent", "achilles_rupture_signs"),
        ({"heel_red_hot_swollen": True}, 30, "urgent", "heel_infection_signs"),
        ({"fever": True, "heel_red_hot_swollen": True}, 30, "emergency", "heel_infection_systemic"),
        ({"diabetes": True, "puncture_wound_or_ulcer": True, "fever": True}, 70, "emergency",
         "diabetic_foot_limb_threatening"),
        ({"low_back_pain": True, "fever": True}, 50, "urgent", "spinal_infection_febrile"),
        ({"low_back_pain": True, "fever": True, "sudden_onset": True}, 50, "emergency", "spinal_infection_acute_febrile"),
        ({"low_back_pain": True, "iv_drug_use_or_immunosuppression": True}, 35, "urgent", "spinal_infection_risk"),
        ({"progressive_weakness": True}, 50, "urgent", "progressive_motor_deficit"),
        ({"recent_trauma": True, "pain_on_weight_bearing_progressive": True}, 35, "urgent",
         "heel_fracture_after_trauma"),
        ({"sudden_onset": True, "cold_pale_foot": True}, 75, "emergency", "acute_limb_ischaemia"),
        # hidden among ordinary complaints
        ({"altered_urinary_sensation": True, "low_back_pain": True}, 45, "emergency", "ces_sphincter"),
        ({"new_sexual_dysfunction": True, "leg_pain_radiating_below_knee": True}, 40, "emergency",
         "ces_sexual_dysfunction"),
        ({"new_bilateral_or_alternating_sciatica": True}, 40, "emergency", "ces_bilateral_sciatica"),
        ({"low_back_pain": True, "thirst_or_passing_much_urine": True}, 67, "urgent", "myeloma_hypercalcaemia"),
        ({"fracture_after_minor_fall": True}, 72, "soon", "myeloma_bone_pain_over_60"),
        ({"skin_black_purple_or_blistering": True, "diabetes": True}, 70, "emergency", "necrotising_infection"),
        ({"rapidly_spreading_redness": True, "fever": True}, 50, "emergency", "necrotising_infection"),
        ({"skin_black_purple_or_blistering": True}, 80, "urgent", "tissue_loss"),
        ({"rest_pain_eased_hanging_foot_down": True}, 78, "urgent", "critical_limb_ischaemia"),
        ({"fever": True, "unable_to_bear_weight": True}, 9, "emergency", "child_bone_or_joint_infection"),
        ({"fall_from_height_or_heavy_landing": True}, 45, "urgent", "heel_fracture_after_trauma"),
        ({"foot_sore_not_healing": True, "absent_foot_pulses": True}, 74, "urgent", "critical_limb_ischaemia"),
        ({"quinolone_antibiotic_recent": True, "pain_back_of_heel": True}, 60, "urgent",
         "tendon_pain_on_fluoroquinolone"),
        ({"oral_steroid_use": True, "low_back_pain": True, "recent_trauma": True}, 50, "urgent",
         "spinal_fracture_risk"),
    ],
)
def test_red_flag_scenarios(findings, age, level, rule):
    result = run(findings, age=age)
    assert result["level"] == level, fired_ids(result)
    assert result["level"] == level
    assert rule in fired_ids(result)
    assert any(r["id"] == rule and r["kind"] == "red_flag" for r in result["rules_fired"])


@pytest.mark.parametrize(
    ("findings", "rule"),
    [
        # a split finding fires only the rules of what it means
        ({"oral_steroid_use": True, "pain_back_of_heel": True}, "tendon_pain_on_fluoroquinolone"),
        ({"quinolone_antibiotic_recent": True, "low_back_pain": True, "recent_trauma": True}, "spinal_fracture_risk"),
        ({"foot_sore_not_healing": True}, "critical_limb_ischaemia"),
        ({"cold_pale_foot": True}, "critical_limb_ischaemia"),
    ],
)
def test_a_finding_does_not_fire_a_rule_about_something_else(findings, rule):
    assert rule not in fired_ids(run(findings, age=50))


def test_a_red_flag_sign_on_the_other_leg_still_counts():
    result = run({"thompson_test_positive": {"present": True, "side": "left"}}, side="right")
    assert "achilles_rupture_signs" in fired_ids(result)
    assert result["level"] == "urgent"


def test_typical_plantar_fasciitis_starts_with_self_care():
    result = run({"pain_under_heel": True, "first_step_pain": True, "pain_after_prolonged_standing": True,
                  "recent_activity_increase": True, "medial_calcaneal_tubercle_tenderness": True,
                  "low_back_pain": False, "leg_pain_radiating_below_knee": False, "tingling_pins_needles": False},
                 age=46, side="right")
    assert result["level"] == "self_care"
    assert result["red_flag_floor"] is None
    assert any("6 weeks" in item["patient"] for item in result["safety_net"])


def test_suspected_stress_fracture_needs_a_clinician_soon():
    result = run({"calcaneal_squeeze_positive": True, "pain_on_weight_bearing_progressive": True,
                  "recent_activity_increase": True, "runner_or_jumping_sport": True}, age=22, side="left")
    assert level_rank(result["level"]) >= level_rank("soon")
    assert "stress_fracture_pattern" in fired_ids(result)


def test_nice_ng65_referral_criteria_need_a_clinician_soon():
    result = run({"inflammatory_back_pain": True, "alternating_buttock_pain": True, "good_response_to_nsaids": True,
                  "bilateral_heel_pain": True}, age=28)
    assert "ng65_axial_referral" in fired_ids(result)
    assert level_rank(result["level"]) >= level_rank("soon")


def test_nothing_fired_gives_the_default_level_and_says_so():
    book = dataclasses.replace(BOOK, triage=BOOK.triage.model_copy(update={"rules": []}))
    result = triage(assess(Case.from_data({"age": 40, "findings": {}})), book)
    assert result["level"] == BOOK.triage.default_level
    assert "default" in result["set_by"]


def test_the_result_says_what_set_the_level_and_how_to_stay_safe():
    result = run({"bowel_dysfunction": True, "low_back_pain": True})
    assert result["headline"].startswith("Go to an emergency department")
    assert "cauda equina" in result["set_by"].lower()
    ces = next(r for r in result["rules_fired"] if r["id"] == "ces_sphincter")
    assert ces["findings"] == ["bowel_dysfunction"]
    assert ces["source"] and all(s["citation"] for s in ces["source"])
    assert any("emergency department" in item["patient"] for item in result["safety_net"])
    assert set(result) >= {"level", "headline", "reasons", "rules_fired", "safety_net", "patient_advice",
                           "clinician_advice"}


# ---------------------------------------------------------------- the rule data
def test_every_rule_names_only_ids_that_exist():
    for rule in BOOK.all_rules():
        if rule.when is None:
            continue
        for finding_id in findings_named(rule.when):
            assert KB.has_finding(finding_id), (rule.id, finding_id)
        for condition_id in conditions_named(rule.when):
            assert KB.has_condition(condition_id), (rule.id, condition_id)
    for flag in BOOK.red_flags:
        for condition_id in flag.suspects:
            assert KB.has_condition(condition_id), (flag.id, condition_id)


def test_every_rule_cites_a_real_source():
    for rule in BOOK.all_rules():
        assert rule.source, rule.id
        for ref in rule.source:
            assert ref != ESTIMATE and ref in KB.references, (rule.id, ref)


def test_levels_cover_the_five_levels_and_every_level_is_reachable():
    assert LEVELS == ("self_care", "routine", "soon", "urgent", "emergency")
    reachable = {r.level for r in (*BOOK.red_flags, *BOOK.triage.rules)} | {BOOK.triage.default_level}
    assert reachable == set(LEVELS)


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(KB.data_dir, target)
    return target


def _edit_first_red_flag(data: Path, **changes) -> None:
    path = data / "red_flags.yaml"
    flags = yaml.safe_load(path.read_text())
    flags[0].update(changes)
    path.write_text(yaml.safe_dump(flags, sort_keys=False))


@pytest.mark.parametrize(
    "changes, error, words",
    [
        ({"when": {"probability": {"condition": "cauda_equina_syndrome", "at_least": 0.5}}}, KBSchemaError,
         "answers only"),
        ({"when": {"not": "fever"}}, KBSchemaError, "answers only"),
        ({"when": {"absent": "fever"}}, KBSchemaError, "answers only"),
        ({"when": {"any": ["no_such_finding"]}}, KBReferenceError, "no_such_finding"),
        ({"when": {"any": ["duration_weeks"]}}, KBReferenceError, "not a yes/no finding"),
        ({"source": ["no_such_reference"]}, KBReferenceError, "no_such_reference"),
        ({"source": []}, KBSchemaError, "source"),
        ({"level": "whenever"}, KBSchemaError, "level"),
        ({"surprise": 1}, KBSchemaError, "surprise"),
        ({"when": {"any": ["fever"], "all": ["fever"]}}, KBSchemaError, "exactly one key"),
    ],
)
def test_bad_rules_are_rejected_with_their_name(tmp_path, changes, error, words):
    data = _copy_data(tmp_path)
    _edit_first_red_flag(data, **changes)
    with pytest.raises(error, match=words):
        load_rules_from(data, KB)


def test_a_next_step_naming_an_unknown_rule_is_rejected(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "next_steps.yaml"
    steps = yaml.safe_load(path.read_text())
    steps[0]["when"] = {"rule": "no_such_rule"}
    path.write_text(yaml.safe_dump(steps, sort_keys=False))
    with pytest.raises(KBReferenceError, match="no_such_rule"):
        load_rules_from(data, KB)


# ---------------------------------------------------------------- the open world never weakens triage
RED_FLAG_FINDINGS = sorted({f for flag in BOOK.red_flags for f in findings_named(flag.when)} & set(FREE_FINDINGS))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_sets, extra=st.sampled_from(RED_FLAG_FINDINGS), age=st.integers(min_value=5, max_value=95))
def test_adding_a_red_flag_finding_never_lowers_the_red_flag_floor(answers, extra, age):
    """Red flags are monotone in their findings. (The overall level may still fall from the default
    to self-care: tenderness at the Achilles insertion is part of the rupture red flag, yet on its
    own it rightly points to insertional tendinopathy and self-care.)"""
    base = {k: v for k, v in answers.items() if k != extra}
    before = run(base, age=age)
    after = run({**base, extra: True}, age=age)
    floor_before = -1 if before["red_flag_floor"] is None else level_rank(before["red_flag_floor"])
    assert after["red_flag_floor"] is not None or floor_before < 0
    if floor_before >= 0:
        assert level_rank(after["red_flag_floor"]) >= floor_before
        assert level_rank(after["level"]) >= floor_before


@pytest.fixture(scope="module")
def wide_open_world(tmp_path_factory):
    """The packaged knowledge base with the open world made very likely."""
    folder = tmp_path_factory.mktemp("kb") / "data"
    shutil.copytree(KB.data_dir, folder)
    header = yaml.safe_load((folder / "kb.yaml").read_text())
    header["model"]["unexplained_prior"] = 0.9
    (folder / "kb.yaml").write_text(yaml.safe_dump(header))
    return heelpath.load(folder)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(answers=answer_sets, flag=st.sampled_from(BOOK.red_flags), rng=st.randoms(use_true_random=False))
def test_the_open_world_never_hides_a_red_flag(wide_open_world, answers, flag, rng):
    needed, flag_age = witness(flag.when, choose=rng.randrange)
    findings = {**answers, **{finding_id: True for finding_id in needed}}
    case = {"age": flag_age if flag_age is not None else 45, "findings": findings}
    opened, closed = wide_open_world.assess(case), CONTEXT.assess(case)
    assert opened.unexplained.probability > closed.unexplained.probability
    assert level_rank(opened.triage.level) >= level_rank(flag.level)
    assert level_rank(opened.triage.level) >= level_rank(closed.triage.level)


def test_the_unexplained_rule_reads_the_knowledge_base_threshold():
    """One threshold: the result's flag and the triage rule agree."""
    atoms = [node for rule in BOOK.triage.rules if (node := BOOK.node(rule))[0] == "origin" and node[1] == "unexplained"]
    assert atoms and all(node[2] == KB.header.model.unexplained_flag_at for node in atoms)


def test_the_triage_guide_lists_every_rule_with_its_level_and_timing():
    from heelpath.knowledge.rules import rules_table

    guide = (Path(__file__).resolve().parents[2] / "docs" / "triage-and-next-steps.md").read_text()
    assert rules_table(BOOK) in guide, "regenerate the table with `heelpath kb rules`"
    assert all(rule.timing.strip() for rule in (*BOOK.red_flags, *BOOK.triage.rules))
