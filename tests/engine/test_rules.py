"""The three evaluators of a compiled rule condition agree: one case with reasons (scalar), many
answer sets on arrays (vector), and three-valued on partly answered findings (decide)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import heelpath
from heelpath.engine import evidence_vector, infer
from heelpath.engine.rules import VectorFacts, decide, scalar
from heelpath.knowledge.rules import compile_when, level_rank, node_findings
from heelpath.services.assessment import assess
from heelpath.services.case import Case
from heelpath.services.triage import AssessmentFacts
from heelpath.services.vector_triage import any_side_present, vector_triage

CONTEXT = heelpath.load()
MODEL, KB, BOOK = CONTEXT.model, CONTEXT.kb, CONTEXT.rules
FAST = vector_triage(CONTEXT)
BILATERAL_TARGETS = {f.bilateral_variant for f in KB.findings if f.bilateral_variant}
FREE_FINDINGS = sorted(f.id for f in KB.findings if f.type == "boolean" and f.id not in BILATERAL_TARGETS
                       and f.id != "bilateral_heel_pain")
# rule findings are sampled more often so that rules fire
RULE_FINDINGS = sorted({f for rule in (*BOOK.red_flags, *BOOK.triage.rules) for f in node_findings(BOOK.node(rule))
                        if f in FREE_FINDINGS})

answer_sets = st.dictionaries(
    st.one_of(st.sampled_from(RULE_FINDINGS), st.sampled_from(FREE_FINDINGS)),
    st.sampled_from([True, False, None]), max_size=25)


def _vector_facts(assessment, red_flag: bool) -> VectorFacts:
    vector = evidence_vector(MODEL, assessment.evidence.answers)
    p = infer(MODEL, vector, MODEL.log_prior(assessment.case.setting, assessment.case.age, assessment.case.sex))
    extra = any_side_present(MODEL, assessment.evidence.given) if red_flag else None
    return VectorFacts(vector[None, :], FAST.given_explained((p.state_probs @ FAST.projection)[None, :]), np.float64(assessment.case.age),
                       assessment.case.setting, extra_present=extra)


@settings(max_examples=120, deadline=None)
@given(answers=answer_sets, age=st.integers(min_value=5, max_value=95),
       setting=st.sampled_from(["self_assessment", "primary_care"]))
def test_scalar_and_array_evaluators_agree_on_every_red_flag_and_triage_rule(answers, age, setting):
    assessment = assess(Case.from_data({"age": age, "setting": setting, "findings": answers}), MODEL)
    for rules, red_flag in ((BOOK.red_flags, True), (BOOK.triage.rules, False)):
        facts = AssessmentFacts(assessment, any_side=red_flag)
        arrays = _vector_facts(assessment, red_flag)
        for rule, check in zip(rules, FAST._red_flags if red_flag else FAST._rules):
            held, _ = scalar(BOOK.node(rule))(facts)
            assert bool(check(arrays)[0]) == held, rule.id


@settings(max_examples=120, deadline=None)
@given(answers=answer_sets, age=st.integers(min_value=5, max_value=95), data=st.data())
def test_three_valued_decisions_hold_for_every_completion(answers, age, data):
    """With every finding settled, `decide` is the scalar result; with some open, a decision it
    makes is the scalar result of every way the open findings could be answered."""
    for flag in BOOK.red_flags:
        node = BOOK.node(flag)
        named = node_findings(node)
        status = {f: (True if answers.get(f) is True else None if f not in answers else False) for f in named}
        decided = decide(node, status.__getitem__, age)
        open_ = [f for f, v in status.items() if v is None]
        completion = {f: data.draw(st.booleans()) for f in open_}
        present = {f for f, v in status.items() if v} | {f for f, v in completion.items() if v}
        held, _ = scalar(node)(_Present(present, age))
        if decided is not None:
            assert decided == held, flag.id
        if not open_:
            assert decided == held, flag.id


class _Present:
    """Facts for a red flag: findings present, and an age."""

    setting = "self_assessment"

    def __init__(self, present: set[str], age: float) -> None:
        self._present, self.age = present, age

    def present(self, finding_id: str) -> bool:
        return finding_id in self._present


@pytest.mark.parametrize("when, answers, age, expected", [
    ({"all": ["fever", {"any": ["history_of_cancer", {"age_at_least": 50}]}]}, {"fever": True}, 60, True),
    ({"all": ["fever", {"any": ["history_of_cancer", {"age_at_least": 50}]}]}, {"fever": True}, 30, None),
    ({"all": ["fever", {"any": ["history_of_cancer", {"age_at_least": 50}]}]}, {"fever": False}, 60, False),
    ({"at_least": {"n": 2, "of": ["fever", "history_of_cancer", "unexplained_weight_loss"]}},
     {"fever": True, "history_of_cancer": False}, 40, None),
    ({"at_least": {"n": 2, "of": ["fever", "history_of_cancer", "unexplained_weight_loss"]}},
     {"fever": False, "history_of_cancer": False}, 40, False),
])
def test_decide_on_written_examples(when, answers, age, expected):
    assert decide(compile_when(when), answers.get, age) is expected


def test_the_compiled_form_names_its_atoms_once():
    node = compile_when({"all": ["fever", {"not": {"absent": "fever"}}, {"triage_at_least": "urgent"}]})
    assert node == ("count", 3, (("present", "fever"), ("not", ("absent", "fever")),
                                 ("triage_at_least", level_rank("urgent"))))
