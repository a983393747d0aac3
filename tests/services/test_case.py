"""Case validation and laterality."""

import pytest

from heelpath.errors import CaseFormatError, InvalidAnswerError, UnknownFindingError
from heelpath.knowledge import load_kb
from heelpath.services.case import Case, to_evidence

KB = load_kb()


def evidence(**case):
    return to_evidence(KB, Case.from_data({"age": 50, **case}))


def test_sign_on_the_painful_side_counts_and_marks_it_one_sided():
    ev = evidence(side="left", findings={"ankle_reflex_reduced": {"present": True, "side": "left"}})
    assert ev.answers["ankle_reflex_reduced"] is True
    assert ev.answers["ankle_reflex_reduced_bilateral"] is False


def test_sign_on_the_other_side_is_not_evidence_for_this_heel():
    ev = evidence(side="left", findings={"ankle_reflex_reduced": {"present": True, "side": "right"}})
    assert "ankle_reflex_reduced" not in ev.answers
    assert any("right side" in note and "left heel" in note for note in ev.notes)


def test_sign_on_both_sides_is_a_bilateral_sign_not_a_root_sign():
    ev = evidence(side="right", findings={"ankle_reflex_reduced": {"present": True, "side": "both"}})
    assert ev.answers["ankle_reflex_reduced_bilateral"] is True
    assert "ankle_reflex_reduced" not in ev.answers


def test_number_answers_derive_their_findings():
    ev = evidence(findings={"duration_weeks": 8, "morning_stiffness_minutes": 45})
    assert ev.answers["symptoms_over_6_weeks"] is True
    assert ev.answers["symptoms_over_3_months"] is False
    assert ev.answers["morning_stiffness_over_30_min"] is True


def test_both_heels_sets_bilateral_heel_pain():
    assert evidence(side="both").answers["bilateral_heel_pain"] is True
    assert evidence(side="left").answers["bilateral_heel_pain"] is False


@pytest.mark.parametrize(
    "findings, error, words",
    [
        ({"no_such_finding": True}, UnknownFindingError, "no_such_finding"),
        ({"numbness": 1}, InvalidAnswerError, "numbness"),
        ({"duration_weeks": -3}, InvalidAnswerError, "outside"),
        ({"duration_weeks": True}, InvalidAnswerError, "expected a number"),
        ({"fever": {"present": True, "side": "left"}}, InvalidAnswerError, "not answered per side"),
        ({"duration_weeks": 2, "symptoms_over_6_weeks": True}, InvalidAnswerError, "contradictory"),
    ],
)
def test_bad_answers_are_named(findings, error, words):
    with pytest.raises(error, match=words):
        evidence(findings=findings)


def test_side_and_bilateral_heel_pain_must_agree():
    with pytest.raises(InvalidAnswerError, match="contradictory"):
        evidence(side="left", findings={"bilateral_heel_pain": True})


@pytest.mark.parametrize(
    "raw, words",
    [
        ('{"age": 200}', "age"),
        ('{"age": "forty"}', "age"),
        ('{"age": 40, "sex": "x"}', "sex"),
        ('{"age": 40, "colour": "red"}', "colour"),
        ('{"age": 40, ', "not valid JSON"),
        ("[]", "JSON object"),
        ('{"age": 40, "findings": {"numbness": "yes"}}', "numbness"),
    ],
)
def test_malformed_cases_are_rejected_with_the_field_named(raw, words):
    with pytest.raises(CaseFormatError, match=words):
        Case.from_json(raw)


def test_one_sided_reflex_loss_in_an_older_person_asks_for_the_other_side():
    import heelpath

    def cautions(age, answer):
        case = {"age": age, "side": "left", "findings": {"ankle_reflex_reduced": answer}}
        return heelpath.assess(case).localisation.cautions

    assert cautions(72, True) and "other ankle reflex" in cautions(72, True)[0]
    assert cautions(40, True) == []
    assert cautions(72, {"present": True, "side": "both"}) == []
