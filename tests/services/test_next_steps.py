"""Next steps: cited advice that follows the guidelines, and examinations chosen by information gain."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import heelpath
from heelpath.services import assessment as assessment_service
from heelpath.services.case import Case
from heelpath.services.next_steps import examinations, next_steps
from heelpath.services.triage import triage

CONTEXT = heelpath.load()
SECTIONS = ("see", "examinations", "tests", "tests_not_recommended", "treatments", "avoid")


def assess(case):
    return assessment_service.assess(case, CONTEXT.model)


def steps_of(assessment):
    """The next steps as the documented JSON shape."""
    return next_steps(assessment, triage(assessment, CONTEXT.rules), CONTEXT.rules).model_dump(mode="json")

KB = CONTEXT.kb
PLANTAR_FASCIITIS = {
    "pain_under_heel": True, "first_step_pain": True, "pain_after_prolonged_standing": True,
    "recent_activity_increase": True, "medial_calcaneal_tubercle_tenderness": {"present": True, "side": "right"},
    "windlass_test_positive": {"present": True, "side": "right"}, "low_back_pain": False,
    "leg_pain_radiating_below_knee": False, "tingling_pins_needles": False, "numbness": False,
}
SCIATICA = {
    "pain_under_heel": True, "low_back_pain": True, "leg_pain_radiating_below_knee": {"present": True, "side": "left"},
    "tingling_pins_needles": {"present": True, "side": "left"}, "pain_worse_cough_sneeze": True,
    "slr_positive": {"present": True, "side": "left"}, "ankle_reflex_reduced": {"present": True, "side": "left"},
    "s1_sensory_loss": {"present": True, "side": "left"}, "first_step_pain": False,
    "medial_calcaneal_tubercle_tenderness": False, "bladder_dysfunction": False, "saddle_numbness": False,
}
BOTH = {
    "pain_under_heel": True, "first_step_pain": True,
    "medial_calcaneal_tubercle_tenderness": {"present": True, "side": "right"},
    "windlass_test_positive": {"present": True, "side": "right"}, "low_back_pain": True,
    "leg_pain_radiating_below_knee": {"present": True, "side": "right"}, "numbness": {"present": True, "side": "right"},
    "slr_positive": {"present": True, "side": "right"}, "ankle_reflex_reduced": {"present": True, "side": "right"},
}


def plan(findings, age=46, side="right", setting="primary_care"):
    assessment = assess(Case.from_data({"age": age, "side": side, "setting": setting, "findings": findings}))
    return assessment, steps_of(assessment)


def ids(items):
    return {item["id"] for item in items}


def test_uncomplicated_plantar_fasciitis_gets_no_lumbar_mri_and_no_routine_imaging():
    _, steps = plan(PLANTAR_FASCIITIS)
    assert not any(item.get("test") == "lumbar_mri" for item in steps["tests"])
    assert not any("MRI" in item["clinician"] and "spine" in item["clinician"].lower() for item in steps["tests"])
    assert {"no_lumbar_imaging_local", "no_imaging_plantar_fasciitis"} <= ids(steps["tests_not_recommended"])
    assert "treat_plantar_fasciitis" in ids(steps["treatments"])
    assert steps["both_causes_warning"] is None


@pytest.mark.parametrize("duration", [2, 8, 30])
def test_plantar_fasciitis_at_any_duration_never_gets_a_back_scan(duration):
    _, steps = plan({**PLANTAR_FASCIITIS, "duration_weeks": duration})
    assert not any(item.get("test") == "lumbar_mri" for item in steps["tests"])


def test_sciatica_avoids_gabapentinoids_and_opioids_but_allows_nsaids_with_caution():
    _, steps = plan(SCIATICA, age=44, side="left")
    avoid = " ".join(item["clinician"] + " " + item["patient"] for item in steps["avoid"]).lower()
    for drug in ("gabapentinoids", "antiepileptics", "oral corticosteroids", "benzodiazepines", "opioids"):
        assert drug in avoid
    assert "pregabalin" in avoid and "gabapentin" in avoid
    assert "nsaid" not in avoid and "ibuprofen" not in avoid
    treatments = " ".join(item["clinician"] + " " + item["patient"] for item in steps["treatments"]).lower()
    assert "nsaid" in treatments and "stay active" in treatments
    assert "no_routine_imaging_sciatica" in ids(steps["tests_not_recommended"])
    assert not any(item.get("test") == "lumbar_mri" for item in steps["tests"])


def test_persistent_sciatica_in_an_intervention_candidate_may_have_an_mri():
    _, steps = plan({**SCIATICA, "duration_weeks": 10}, age=44, side="left")
    mri = [item for item in steps["tests"] if item.get("test") == "lumbar_mri"]
    assert [item["id"] for item in mri] == ["test_lumbar_mri_persistent"]
    assert "injection or an operation" in mri[0]["patient"]
    assert not any(item.get("test") == "lumbar_mri" for item in steps["tests_not_recommended"])


def test_both_causes_warning_when_spinal_and_local_are_both_probable():
    assessment, steps = plan(BOTH, age=52)
    warning = steps["both_causes_warning"]
    assert "heel alone will not" in warning["patient"].lower()
    assert "will not resolve radicular pain" in warning["clinician"]
    treatments = ids(steps["treatments"])
    assert {"treat_plantar_fasciitis", "treat_radicular"} <= treatments
    assert "avoid_heel_only_when_spinal" in ids(steps["avoid"])


@pytest.mark.parametrize("findings, side", [(PLANTAR_FASCIITIS, "right"), (SCIATICA, "left")])
def test_no_both_causes_warning_for_a_single_cause(findings, side):
    _, steps = plan(findings, side=side)
    assert steps["both_causes_warning"] is None


def test_stress_fracture_gets_an_xray_first_then_mri_if_the_xray_is_normal():
    suspected = {"calcaneal_squeeze_positive": True, "pain_on_weight_bearing_progressive": True,
                 "recent_activity_increase": True, "runner_or_jumping_sport": True, "pain_sides_of_heel": True}
    _, first = plan(suspected, age=22)
    tests = [item["test"] for item in first["tests"]]
    assert "heel_xray" in tests and "heel_mri" not in tests
    _, after = plan({**suspected, "xray_stress_fracture": {"present": False, "side": "right"}}, age=22)
    tests = [item["test"] for item in after["tests"]]
    assert "heel_mri" in tests and "heel_xray" not in tests


def test_cauda_equina_gets_emergency_mri_and_the_emergency_department():
    _, steps = plan({**SCIATICA, "bladder_dysfunction": True}, age=44, side="left")
    assert "see_emergency_ces" in ids(steps["see"])
    assert "test_ces_mri" in ids(steps["tests"])
    assert not any(item.get("test") == "lumbar_mri" for item in steps["tests_not_recommended"])


def test_suspected_spondyloarthritis_gets_hla_b27_crp_and_a_rheumatologist():
    _, steps = plan({"inflammatory_back_pain": True, "alternating_buttock_pain": True, "good_response_to_nsaids": True,
                     "morning_stiffness_minutes": 60, "psoriasis": True}, age=28, side="both")
    assert "see_rheumatologist" in ids(steps["see"])
    assert "hla_b27_crp" in {item.get("test") for item in steps["tests"]}
    assert "treat_spondyloarthritis" in ids(steps["treatments"])


def test_examinations_are_unanswered_clinician_findings_with_how_to_examine_best_first():
    assessment, steps = plan(BOTH, age=52)
    exams = steps["examinations"]
    assert exams
    gains = [e["gain_bits"] for e in exams]
    assert gains == sorted(gains, reverse=True)
    for exam in exams:
        finding = KB.finding(exam["finding"])
        assert finding.answered_by == "clinician"
        assert exam["finding"] not in assessment.evidence.answers
        assert exam["how_to_examine"] == finding.how_to_examine
        assert exam["patient"] and exam["clinician"] and exam["why"]


def test_an_answered_examination_is_not_asked_again():
    assessment, steps = plan(BOTH, age=52)
    best = steps["examinations"][0]["finding"]
    answered = {**BOTH, best: False}
    assessment2, steps2 = plan(answered, age=52)
    assert best not in {e["finding"] for e in steps2["examinations"]}
    assert best not in {e.finding for e in examinations(assessment2)}


def test_every_item_has_patient_and_clinician_words_a_reason_and_a_source():
    for findings, side in ((PLANTAR_FASCIITIS, "right"), (SCIATICA, "left"), (BOTH, "right")):
        _, steps = plan(findings, side=side)
        for section in SECTIONS:
            for item in steps[section]:
                assert item["patient"] and item["clinician"] and item["why"], item
                if section != "examinations":
                    assert item["source"] and all(s["citation"] for s in item["source"]), item["id"]


answer_sets = st.dictionaries(
    st.sampled_from(sorted(f.id for f in KB.findings if f.type == "boolean" and not f.bilateral_variant
                           and f.id not in {g.bilateral_variant for g in KB.findings if g.bilateral_variant}
                           and f.id != "bilateral_heel_pain")),
    st.booleans(), max_size=30)


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets, age=st.integers(min_value=8, max_value=90))
def test_a_test_is_never_both_advised_and_advised_against(answers, age):
    assessment = assess(Case.from_data({"age": age, "findings": answers}))
    steps = steps_of(assessment)
    advised = {t for item in steps["tests"] for t in item.get("tests", [])}
    against = {t for item in steps["tests_not_recommended"] for t in item.get("tests", [])}
    assert not advised & against
    for section in ("see", "tests", "tests_not_recommended", "treatments", "avoid"):
        for item in steps[section]:
            assert item["source"]
            assert not re.search(r"\s{2,}", item["patient"])
