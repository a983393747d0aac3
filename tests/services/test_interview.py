"""The adaptive interview: what it asks, in which order, and when and why it stops."""

from __future__ import annotations

import numpy as np
import pytest

import heelpath
from heelpath.engine import expected_information_gain, joint_information_gain
from heelpath.errors import CaseFormatError, InvalidAnswerError, UnknownFindingError
from heelpath.knowledge.rules import LEVELS
from heelpath.services.interview import (
    DEFAULT_POLICY,
    STOP_REASONS,
    UNKNOWN,
    InterviewPolicy,
    InterviewState,
    catalogue,
    parse_answer,
    screening_needed,
)
from heelpath.services.interview.catalogue import serious_weights

CONTEXT = heelpath.load()
MODEL = CONTEXT.model
KB = MODEL.kb
step = CONTEXT.step
DERIVED = {f.id for f in KB.findings if f.derived}
ABOUT = {"age": 46, "sex": "female", "side": "right"}


def run(truth: dict, mode: str = "lay", about: dict = ABOUT, limit: int = 60, **state):
    """Answer every screen from `truth` ("don't know" where silent); return the screens and last step."""
    current_state = InterviewState(mode=mode, **state)
    screens = []
    for _ in range(limit):
        current = step(current_state)
        if current.done:
            return screens, current, current_state
        screens.append(current)
        fields = {q.id: about[q.id] for q in current.next_questions if q.id in ("age", "sex", "side")}
        answers = {q.id: truth.get(q.id, UNKNOWN) for q in current.next_questions if q.id not in fields}
        current_state = current_state.with_answers(answers, **fields)
    raise AssertionError(f"the interview did not stop within {limit} screens")


def all_no(mode: str = "lay") -> dict:
    cat = catalogue(CONTEXT, mode)
    return {f: (False if KB.finding(f).type == "boolean" else 2) for f in cat.askable}


PLANTAR_FASCIITIS = {
    **all_no(),
    "pain_under_heel": True,
    "first_step_pain": True,
    "pain_after_prolonged_standing": True,
    "pain_worse_barefoot_hard_surface": True,
    "recent_activity_increase": True,
    "duration_weeks": 4,
}


def test_the_first_screen_asks_age_sex_and_side():
    first = step(InterviewState(mode="lay"))
    assert [q.id for q in first.next_questions] == ["age", "sex", "side"]
    assert first.result is None and not first.done
    assert first.group.kind == "about_you"


def test_red_flag_screening_comes_straight_after_about_you_in_self_assessment():
    screens, _, _ = run(PLANTAR_FASCIITIS)
    assert screens[0].group.kind == "about_you"
    assert screens[1].group.red_flag, "the first screen after about-you must screen for warning signs"
    first_non_screening = next(i for i, s in enumerate(screens[1:], 1) if not s.diagnostics.get("screening_left"))
    assert all(s.diagnostics["screening_left"] for s in screens[1:first_non_screening])
    assert first_non_screening <= 5, "screening takes a few screens, not the whole interview"


@pytest.mark.parametrize("mode", ["lay", "clinician"])
def test_every_red_flag_rule_is_decided_before_the_interview_stops(mode):
    _, last, state = run(PLANTAR_FASCIITIS, mode=mode)
    assert last.stop_reason in STOP_REASONS
    evidence = {f: v for f, v in state.answers.items() if isinstance(v, bool)}
    assert screening_needed(catalogue(CONTEXT, mode), state, evidence, ABOUT["age"]) == set()


def test_red_flags_named_by_the_rules_are_screened():
    named = {f for rule in catalogue(CONTEXT, "clinician").rules for f in rule.findings}
    rule_findings = {f for flag in CONTEXT.rules.red_flags for f in _strings(flag.when)}
    assert named == rule_findings
    assert {"bladder_dysfunction", "saddle_numbness", "fever", "pop_or_kick_sensation"} <= named


def _strings(cond):
    if isinstance(cond, str):
        yield cond
        return
    for name in ("all", "any"):
        for child in getattr(cond, name) or []:
            yield from _strings(child)
    if cond.at_least is not None:
        for child in cond.at_least.of:
            yield from _strings(child)


@pytest.mark.parametrize(
    "flag, level",
    [("bladder_dysfunction", "emergency"), ("saddle_numbness", "emergency"), ("heel_red_hot_swollen", "urgent"),
     ("pop_or_kick_sensation", "urgent")],
)
def test_a_red_flag_is_never_missed_even_when_the_rest_looks_like_plantar_fasciitis(flag, level):
    _, last, state = run({**PLANTAR_FASCIITIS, flag: True})
    assert flag in state.answers, f"{flag} was never asked"
    assert last.result.triage.level == level
    fired = {r.id for r in last.result.triage.rules_fired}
    assert fired & {r.id for r in CONTEXT.rules.red_flags}
    if level == "emergency":
        assert last.stop_reason == "emergency"


@pytest.mark.parametrize("mode", ["lay", "clinician"])
def test_a_number_is_asked_when_it_is_all_the_red_flag_screening_needs(mode):
    # back pain at 70 is a myeloma red flag once it has lasted 6 weeks: only the duration can decide it
    answers = {f: v for f, v in all_no(mode).items() if f != "duration_weeks"}
    state = InterviewState(mode=mode, age=70, sex="female", side="right", answers={**answers, "low_back_pain": True})
    current = step(state)
    assert [q.id for q in current.next_questions] == ["duration_weeks"]
    assert current.diagnostics["screening_left"] == ["duration_weeks"]

    # with other (non-warning) questions still open, the duration is asked next, not after all of them
    cat = catalogue(CONTEXT, mode)
    warning_no = {f: False for f in cat.red_flags if KB.finding(f).type == "boolean"}
    state = InterviewState(mode=mode, age=70, sex="female", side="right",
                           answers={**warning_no, "low_back_pain": True})
    assert [q.id for q in step(state).next_questions] == ["duration_weeks"]


@pytest.mark.parametrize("mode", ["lay", "clinician"])
def test_derived_findings_are_never_asked_and_numbers_are_asked_as_numbers(mode):
    truth = {**all_no(mode), "pain_under_heel": True, "duration_weeks": 20}
    screens, _, _ = run(truth, mode=mode, max_questions=200)
    asked = [q for s in screens for q in s.next_questions]
    assert not {q.id for q in asked} & DERIVED
    for q in asked:
        if q.id in ("duration_weeks", "morning_stiffness_minutes"):
            assert q.type == "number" and q.unit and q.range


def test_lay_mode_asks_only_what_a_person_can_answer_in_plain_words():
    cat = catalogue(CONTEXT, "lay")
    assert cat.askable and all(KB.finding(f).answered_by == "patient" for f in cat.askable)
    screens, _, _ = run(PLANTAR_FASCIITIS)
    for q in (q for s in screens[1:] for q in s.next_questions):
        assert q.text == KB.finding(q.id).lay_question
        assert q.how_to_examine is None


def test_clinician_mode_asks_examination_with_how_to_examine():
    truth = {**all_no("clinician"), "pain_under_heel": True, "burning_pain": True, "tingling_pins_needles": True,
             "numbness": True, "leg_pain_radiating_below_knee": True, "low_back_pain": True}
    screens, _, _ = run(truth, mode="clinician")
    exam = [q for s in screens for q in s.next_questions if q.answered_by == "clinician"]
    assert exam, "a clinician interview about a possible root lesion examines the patient"
    assert all(q.how_to_examine for q in exam if KB.finding(q.id).how_to_examine)


def test_answering_everything_stops_with_a_reason():
    cat = catalogue(CONTEXT, "lay")
    answers = {f: (False if KB.finding(f).type == "boolean" else 3) for f in cat.askable}
    answers["pain_under_heel"] = True
    current = step(InterviewState(mode="lay", answers=answers, **ABOUT))
    assert current.done and current.next_questions == []
    assert current.stop_reason in ("settled", "nothing_left")
    assert current.stop_explanation


def test_a_clear_case_stops_early_and_says_why():
    screens, last, _ = run(PLANTAR_FASCIITIS)
    assert last.done and last.stop_reason == "settled"
    assert "would not change" in last.stop_explanation
    assert last.result.differential[0].id == "plantar_fasciitis"
    assert len(screens) <= 10
    assert last.progress.estimated_remaining == 0


def test_the_maximum_stops_the_interview_but_never_cuts_the_red_flag_screening():
    _, last, state = run(PLANTAR_FASCIITIS, max_questions=2)
    assert last.stop_reason == "max_questions"
    evidence = {f: v for f, v in state.answers.items() if isinstance(v, bool)}
    assert screening_needed(catalogue(CONTEXT, "lay"), state, evidence, 46) == set()


def test_going_back_is_removing_the_last_answers():
    state = InterviewState(mode="lay", **ABOUT)
    before = step(state)
    later = state.with_answers({q.id: False for q in before.next_questions})
    assert step(later).next_questions != before.next_questions
    back = InterviewState.from_data({**later.to_data(), "answers": {}})
    assert step(back).next_questions == before.next_questions


def test_the_step_is_deterministic_and_serialisable():
    import json

    state = InterviewState(mode="lay", answers={"pain_under_heel": True}, **ABOUT)
    a, b = step(state), step(state.to_data())
    assert a.to_json() == b.to_json()
    json.dumps(a.to_json())


def test_progress_counts_screens_and_estimates_what_is_left():
    screens, last, _ = run(PLANTAR_FASCIITIS)
    asked = [s.progress.asked for s in screens]
    assert asked == list(range(len(screens)))
    assert all(s.progress.estimated_remaining >= 1 for s in screens)
    assert last.progress.asked == len(screens)


@pytest.mark.parametrize("mode", ["lay", "clinician"])
def test_checklists_are_natural_groups_and_small_enough_to_enumerate(mode):
    screens = {s.id: s for s in catalogue(CONTEXT, mode).screen_of.values()}
    assert {"warning_nerves", "where"} <= set(screens)
    assert all(len(s.members) <= DEFAULT_POLICY.max_group for s in KB.screens)
    for screen in screens.values():
        assert 1 <= len(screen.members) <= DEFAULT_POLICY.max_group
        assert all(KB.has_finding(m) for m in screen.members), screen.id
    members = [m for s in screens.values() for m in s.members]
    assert len(members) == len(set(members)), "a finding belongs to one screen"


def test_joint_gain_of_one_finding_equals_the_engine_gain():
    state_probs = MODEL.log_prior("self_assessment", 46, "female")
    p = np.exp(state_probs - state_probs.max())
    p /= p.sum()
    f = np.array([MODEL.feature_index["pain_back_of_heel"]])
    engine = expected_information_gain(MODEL, p, f)[0]
    joint = joint_information_gain(MODEL, p, f, np.array([[1.0], [0.0]]))
    assert joint == pytest.approx(engine, rel=1e-9)
    two = np.array([MODEL.feature_index[x] for x in ("pain_back_of_heel", "pain_under_heel")])
    outcomes = np.array([[1, 1], [1, 0], [0, 1], [0, 0]], dtype=float)
    assert joint_information_gain(MODEL, p, two, outcomes) > engine  # two answers tell more than one


@pytest.mark.parametrize(
    "state, error",
    [
        ({"mode": "lay", "age": 40, "answers": {"heel_hurts_a_lot": True}}, UnknownFindingError),
        ({"mode": "lay", "age": 40, "answers": {"numbness": "maybe"}}, CaseFormatError),
        ({"mode": "lay", "age": 40, "answers": {"duration_weeks": 5000}}, InvalidAnswerError),
        ({"mode": "lay", "age": 140}, CaseFormatError),
        ({"mode": "robot", "age": 40}, CaseFormatError),
        ([1, 2], CaseFormatError),
    ],
)
def test_bad_states_raise_input_errors_that_name_the_problem(state, error):
    with pytest.raises(error):
        step(state)


@pytest.mark.parametrize(
    "finding, text, expected",
    [
        ("numbness", "y", True), ("numbness", "No", False), ("numbness", "?", UNKNOWN),
        ("numbness", "l", {"present": True, "side": "left"}), ("duration_weeks", "12", 12),
        ("duration_weeks", "1.5", 1.5),
    ],
)
def test_typed_answers(finding, text, expected):
    assert parse_answer(KB, finding, text) == expected


@pytest.mark.parametrize(
    "finding, text",
    [("low_back_pain", "left"), ("numbness", "perhaps"), ("duration_weeks", "-3"), ("duration_weeks", "nan"),
     ("duration_weeks", "soon")],
)
def test_bad_typed_answers(finding, text):
    with pytest.raises(InvalidAnswerError):
        parse_answer(KB, finding, text)


# --------------------------------------------------------------------------- the look-ahead in batches


def _random_cases(n: int, seed: int = 3):
    """Cases with random answers (some on the other side, some numbers) drawn from the model."""
    rng = np.random.default_rng(seed)
    cat = catalogue(CONTEXT, "clinician")
    cases = []
    for _ in range(n):
        state = int(rng.integers(MODEL.n_states))
        drawn = rng.random(len(MODEL.feature_ids)) < MODEL.state_likelihood[state]
        findings = {}
        for f in cat.askable:
            if rng.random() < 0.5 or f == "bilateral_heel_pain":  # the side answers that one
                continue
            finding = KB.finding(f)
            if finding.type == "number":
                findings[f] = int(rng.integers(0, 40))
            elif finding.lateralised and rng.random() < 0.2:
                findings[f] = {"present": bool(drawn[MODEL.feature_index[f]]), "side": str(rng.choice(["left", "both"]))}
            else:
                findings[f] = bool(drawn[MODEL.feature_index[f]])
        cases.append({"age": int(rng.integers(8, 90)), "sex": str(rng.choice(["female", "male"])),
                      "side": str(rng.choice(["left", "right", "both"])),
                      "setting": str(rng.choice(["self_assessment", "primary_care"])), "findings": findings})
    return cases


def test_the_triage_on_arrays_gives_the_level_of_the_full_triage():
    from heelpath.engine import evidence_vector, infer
    from heelpath.services.assessment import assess
    from heelpath.services.case import Case
    from heelpath.services.triage import triage
    from heelpath.services.vector_triage import any_side_present, vector_triage

    fast = vector_triage(CONTEXT)
    levels = set()
    for data in _random_cases(150):
        assessment = assess(Case.from_data(data), MODEL)
        expected = triage(assessment, CONTEXT.rules).level
        vector = evidence_vector(MODEL, assessment.evidence.answers)
        p = infer(MODEL, vector, MODEL.log_prior(data["setting"], data["age"], data["sex"])).state_probs
        rank = fast.levels(vector[None, :], (p @ fast.projection)[None, :], data["age"], data["setting"],
                           any_side_present(MODEL, assessment.evidence.given))
        assert LEVELS[int(rank[0])] == expected, data
        levels.add(expected)
    assert len(levels) >= 3, "the random cases reach several triage levels"


def test_the_batched_look_ahead_agrees_with_the_direct_computation():
    from heelpath.engine.information import outcome_logs, outcome_posteriors, predict_outcomes
    from heelpath.services.interview.lookahead import Scorer

    cat = catalogue(CONTEXT, "clinician")
    weights = serious_weights(CONTEXT, DEFAULT_POLICY.serious_weight)
    rng = np.random.default_rng(5)
    p = rng.dirichlet(np.ones(MODEL.n_states) * 0.3)
    scorer = Scorer(MODEL, p, weights)
    screens = list({s.id: tuple(s.members) for s in cat.screen_of.values()}.values())
    screens += [(f,) for f in cat.askable[:10] if KB.finding(f).type == "boolean"]
    for members in screens:
        features = np.array([MODEL.feature_index[m] for m in members])
        outcomes = np.array(list(__import__("itertools").product((1, 0), repeat=len(members))), dtype=float)
        got = scorer.evaluate_singles(features)[0] if len(members) == 1 else scorer.evaluate(features, outcomes, full=True)
        log_pred, log_post = outcome_logs(MODEL, features, outcomes)
        assert got.q == pytest.approx(predict_outcomes(p, log_pred), abs=1e-12)
        assert (got.top == np.argmax(outcome_posteriors(p, log_post) @ MODEL.membership, axis=1)).all()
        gain = joint_information_gain(MODEL, p, features, outcomes, weights)
        assert got.gain == pytest.approx(gain, rel=1e-9, abs=1e-12), members


def test_the_step_uses_the_context_it_is_given_throughout():
    single = heelpath.load(max_causes=1)
    current = single.step({"mode": "lay", "answers": {"pain_under_heel": True}, **ABOUT})
    assert current.result.coexisting.probability_two_causes == 0.0
    both = step({"mode": "lay", "answers": {"pain_under_heel": True}, **ABOUT})
    assert both.result.coexisting.probability_two_causes > 0.0


def test_a_policy_passed_to_step_sets_the_length():
    short = InterviewPolicy(max_questions_lay=3)
    state = InterviewState(mode="lay", **ABOUT)
    for _ in range(10):
        current = CONTEXT.step(state, short)
        if current.done:
            break
        state = state.with_answers({q.id: False for q in current.next_questions})
    assert current.done and current.progress.max == 3
    assert current.stop_reason in ("max_questions", "settled", "nothing_left")
    evidence = {f: v for f, v in state.answers.items() if isinstance(v, bool)}
    assert screening_needed(catalogue(CONTEXT, "lay"), state, evidence, ABOUT["age"]) == set()


def test_warning_signs_a_description_left_unsettled_are_asked_first_then_the_screening():
    result = CONTEXT.assess({"age": 50, "text": "Pain under my left heel. The GP said go to A&E if I get numbness "
                                                "down below. I think my bladder might be weak, not sure. "
                                                "My mum had bowel cancer."})
    # the mother's cancer is asked too (a text may be written for the person it names), never counted
    assert result.text_intake.to_confirm == ["bladder_dysfunction", "history_of_cancer", "saddle_numbness"]
    assert "history_of_cancer" not in result.case.answers
    state = InterviewState(mode="lay", age=50, sex="female", side="left", confirm_first=result.text_intake.to_confirm)
    first = step(state)
    assert first.group.id == "confirm_first" and first.group.red_flag
    assert [q.id for q in first.next_questions] == ["bladder_dysfunction", "history_of_cancer", "saddle_numbness"]
    after = step(state.with_answers({"bladder_dysfunction": False, "history_of_cancer": False, "saddle_numbness": False}))
    assert after.group.id != "confirm_first"
    with pytest.raises(UnknownFindingError):
        step(InterviewState(mode="lay", age=50, sex="female", side="left", confirm_first=["no_such_finding"]))


def test_a_settled_mention_is_not_asked_again():
    result = CONTEXT.assess({"age": 50, "text": "I might have some numbness down below. Yes, numbness around my bottom."})
    assert "saddle_numbness" not in result.text_intake.to_confirm


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Back pain down my leg. I think I wet myself without realising.", "emergency"),  # hedged: counted
        ("Back pain down my leg. Go to A&E if you get numbness down below.", "routine"),  # conditional
        ("Back pain down my leg. I had a urine infection last year which cleared up.", "routine"),  # past
    ],
)
def test_a_hedged_warning_sign_counts_until_confirmed_a_conditional_or_past_one_is_only_asked(text, level):
    result = CONTEXT.assess({"age": 45, "text": text})
    assert result.text_intake.to_confirm  # asked first in every case
    assert result.triage.level == level


def test_advice_answered_no_is_settled_not_asked():
    result = CONTEXT.assess({"age": 45, "text": "Back pain down my leg. Go to A&E if you get numbness down below - I haven't."})
    assert "saddle_numbness" not in result.text_intake.to_confirm
    assert result.triage.level == "routine"
