"""The adaptive interview: ask the most telling question next, stop when the answer is settled.

The interview is *stateless*: a caller sends everything answered so far and gets back the current
result, the next question (or a screen of grouped questions), whether to stop, and why. The same
function serves the terminal interview, the HTTP API and the web app.

>>> from heelpath.services.interview import InterviewState, step
>>> first = step(InterviewState(mode="lay"))
>>> [q["id"] for q in first.next_questions]
['age', 'sex', 'side']
>>> later = step(InterviewState(mode="lay", age=46, sex="female", side="right"))
>>> later.group["red_flag"]  # warning signs are screened straight after age, sex and side
True

How a question is chosen
------------------------
1. Age, sex and which heel hurts come first (one screen).
2. Then the red-flag screening: the red-flag rules are evaluated with three values (fired, cannot
   fire, undecided) and the findings that can still decide an undecided rule are asked, grouped
   into a few short checklists. Screening is never skipped, in either mode.
3. Then the question (a single finding, a number, or a natural group shown as one checklist, such
   as the body map of where it hurts) with the highest expected information gain per screen:
   the expected drop in entropy over the engine's states (one cause or two at once), with serious
   causes weighted up so that telling them apart counts for more. Once a cause leads, the
   question most likely to change the leading cause, then the triage level, comes first.

When it stops
-------------
After the screening, the interview stops ("settled") when the leading cause has at least
``TOP_FLOOR`` probability, no remaining question has a ``CHANGE_LIMIT`` chance of changing the
leading cause or the triage level, and at most ``CHANGE_LIMIT`` of ``COMPLETIONS`` simulated sets
of answers to all the remaining questions would change either. It also stops soon after an
emergency red flag ("emergency"), when nothing useful is left to ask ("nothing_left"), or at the
maximum number of screens ("max_questions"). docs/interview.md describes the API and the rule.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import product
from pathlib import Path
from typing import Any, Iterable, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heelpath.engine import CompiledModel, evidence_vector, infer, infer_batch
from heelpath.errors import CaseFormatError, InvalidAnswerError, UnknownFindingError
from heelpath.knowledge import KnowledgeBase
from heelpath.knowledge.rules import LEVELS, level_rank
from heelpath.services.assessment import default_model
from heelpath.services.case import Case, to_evidence
from heelpath.services.interview_lookahead import (
    Delta,
    Scorer,
    any_side_present,
    boolean_delta,
    number_delta,
    vector_triage,
)

Mode = Literal["lay", "clinician"]
MODES: tuple[str, ...] = ("lay", "clinician")
UNKNOWN = "unknown"
ABOUT_YOU = "about_you"

#: the setting each mode assesses in, unless the state names one
DEFAULT_SETTING = {"lay": "self_assessment", "clinician": "primary_care"}
#: who may answer a finding in each mode (findings.yaml `answered_by`)
ANSWERED_BY = {"lay": frozenset({"patient"}), "clinician": frozenset({"patient", "clinician", "test"})}
#: most screens (the about-you screen counts as one) before the interview stops regardless
MAX_QUESTIONS = {"lay": 20, "clinician": 30}

#: stop only when the leading cause has at least this probability ...
TOP_FLOOR = 0.5
#: ... and no remaining question has this much chance of changing the leading cause or the triage
CHANGE_LIMIT = 0.05
#: weight of states that contain a serious (must-not-miss) cause in the information gain
SERIOUS_WEIGHT = 3.0
#: extra cost of each checklist item after the first, as a share of one question
ITEM_COST = 0.1
#: test results (imaging, blood, nerve studies) are often not to hand: their gain counts this much
TEST_WEIGHT = 0.5
#: largest checklist whose every combination of answers is enumerated (2**12 outcomes)
MAX_GROUP = 12
#: how many of a question's likeliest answers are run through the full triage when checking a stop
TRIAGE_OUTCOMES = 24
#: after the answer that raised an emergency red flag, this many more screens at most, and only
#: while they would change the leading cause
EMERGENCY_EXTRA_QUESTIONS = 3
#: how many completions of the unanswered questions are drawn to check that the answer is settled
COMPLETIONS = 64

#: red-flag findings to screen while the red-flag rules file is not in the knowledge base
FALLBACK_RED_FLAGS = (
    "bladder_dysfunction", "bowel_dysfunction", "saddle_numbness", "bilateral_leg_weakness",
    "progressive_weakness", "fever", "heel_red_hot_swollen", "puncture_wound_or_ulcer",
    "pop_or_kick_sensation", "difficulty_heel_raise", "history_of_cancer", "unexplained_weight_loss",
    "pain_at_rest_or_night", "recent_trauma", "iv_drug_use_or_immunosuppression",
)


@dataclass(frozen=True)
class QuestionGroup:
    """Findings shown together on one screen, as a checklist ("tick all that apply")."""

    id: str
    lay_text: str
    clinician_text: str
    members: tuple[str, ...]


#: Natural groups of history questions. Members missing from the knowledge base are ignored; a
#: finding in no group is asked on its own. Red-flag findings that fall in no group are gathered
#: into an extra "other_warning_signs" screen.
GROUPS: tuple[QuestionGroup, ...] = (
    QuestionGroup(
        "warning_nerves",
        "Since this pain began, have you noticed any of these? Tick every one that is true.",
        "Cauda equina and progressive neurology screen: which are present?",
        ("bladder_dysfunction", "bowel_dysfunction", "saddle_numbness", "bilateral_leg_weakness",
         "progressive_weakness", "foot_drop_or_tripping"),
    ),
    QuestionGroup(
        "onset",
        "How did it start? Tick every one that is true.",
        "Onset and injury: which are present?",
        ("sudden_onset", "recent_trauma", "pop_or_kick_sensation", "difficulty_heel_raise",
         "recent_activity_increase"),
    ),
    QuestionGroup(
        "warning_general",
        "Do any of these apply to you? Tick every one that is true.",
        "Infection and malignancy screen: which are present?",
        ("fever", "heel_red_hot_swollen", "puncture_wound_or_ulcer", "cold_pale_foot",
         "iv_drug_use_or_immunosuppression", "history_of_cancer", "unexplained_weight_loss", "pain_at_rest_or_night"),
    ),
    QuestionGroup(
        "where",
        "Where does it hurt? Tick every place that hurts.",
        "Pain location (body map): which are present?",
        ("pain_under_heel", "pain_centre_of_heel_pad", "pain_back_of_heel", "pain_achilles_above_heel",
         "pain_sides_of_heel", "pain_inner_ankle_to_sole", "low_back_pain", "buttock_or_thigh_pain",
         "leg_pain_radiating_below_knee"),
    ),
    QuestionGroup(
        "sensations",
        "What does it feel like? Tick every one that fits.",
        "Pain quality and sensory symptoms: which are present?",
        ("burning_pain", "tingling_pins_needles", "numbness", "shooting_electric_pain",
         "numbness_both_feet_stocking"),
    ),
    QuestionGroup(
        "when_it_hurts",
        "When does it hurt? Tick every one that is true.",
        "Aggravating pattern: which are present?",
        ("first_step_pain", "pain_after_prolonged_standing", "pain_worse_barefoot_hard_surface",
         "pain_with_activity", "pain_on_weight_bearing_progressive", "shoe_rubbing_back_of_heel"),
    ),
    QuestionGroup(
        "walking_and_legs",
        "Your legs and back. Tick every one that is true.",
        "Claudication and radicular features: which are present?",
        ("neurogenic_claudication", "relief_sitting_or_bending_forward", "vascular_claudication",
         "bilateral_leg_symptoms", "pain_worse_cough_sneeze", "leg_pain_worse_than_back_pain"),
    ),
    QuestionGroup(
        "joints_skin_gut",
        "Your back, joints, skin, eyes and gut. Tick every one that is true.",
        "Spondyloarthritis features: which are present?",
        ("inflammatory_back_pain", "alternating_buttock_pain", "psoriasis", "inflammatory_bowel_disease",
         "uveitis", "family_history_spa", "recent_gut_or_urinary_infection", "other_joint_swelling",
         "good_response_to_nsaids"),
    ),
    QuestionGroup(
        "health",
        "Your health and medicines. Tick every one that is true.",
        "Medical history and medication: which are present?",
        ("diabetes", "smoker", "osteoporosis_or_amenorrhoea", "fluoroquinolone_or_steroid_use",
         "steroid_injection_heel"),
    ),
    # Examination blocks (clinician mode): manoeuvres done together in one sitting.
    QuestionGroup(
        "neuro_exam",
        "",
        "Neurological examination of the painful leg: which are abnormal?",
        ("ankle_reflex_reduced", "plantar_flexion_weakness", "s1_sensory_loss", "l5_sensory_loss",
         "l4_sensory_loss", "ehl_weakness", "ankle_dorsiflexion_weakness", "knee_reflex_reduced"),
    ),
    QuestionGroup(
        "neural_tension",
        "",
        "Neural tension tests: which are positive?",
        ("slr_positive", "slump_positive", "crossed_slr_positive"),
    ),
    QuestionGroup(
        "heel_exam",
        "",
        "Plantar heel and ankle examination: which are positive?",
        ("medial_calcaneal_tubercle_tenderness", "windlass_test_positive", "heel_pad_central_tenderness",
         "calcaneal_squeeze_positive", "baxter_point_tenderness", "limited_ankle_dorsiflexion"),
    ),
    QuestionGroup(
        "achilles_exam",
        "",
        "Achilles examination: which are positive?",
        ("achilles_insertion_tenderness", "achilles_midportion_tenderness", "achilles_arc_or_royal_london_positive",
         "retrocalcaneal_tenderness_swelling", "thompson_test_positive", "palpable_achilles_gap"),
    ),
    QuestionGroup(
        "foot_nerve_exam",
        "",
        "Foot nerves: which are positive?",
        ("tarsal_tunnel_tinel_positive", "tarsal_tunnel_compression_positive", "medial_heel_sensory_loss",
         "plantar_nerve_sensory_loss", "lateral_heel_sensory_loss_only", "adm_weakness_or_atrophy",
         "stocking_sensory_loss"),
    ),
    QuestionGroup(
        "general_exam",
        "",
        "General, vascular and sacral examination: which are abnormal?",
        ("heel_warm_swollen_on_exam", "absent_foot_pulses", "enthesitis_other_sites", "wide_based_gait",
         "romberg_abnormal", "perianal_sensory_loss_or_reduced_anal_tone"),
    ),
)
OTHER_WARNING_SIGNS = QuestionGroup(
    "other_warning_signs",
    "Do any of these warning signs apply? Tick every one that is true.",
    "Other red flags: which are present?",
    (),
)

STOP_REASONS = {
    "settled": "the answer is settled",
    "emergency": "a warning sign needs emergency care now",
    "nothing_left": "no question left could change the answer",
    "max_questions": "the maximum number of questions was reached",
}
TRIAGE_ORDER = LEVELS  # least to most urgent


# --------------------------------------------------------------------------- state and step


class _SidedAnswer(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    present: bool | Literal["unknown"] | None
    side: Literal["left", "right", "both"] | None = None


AnswerValue = bool | int | float | Literal["unknown"] | _SidedAnswer | None


class InterviewState(BaseModel):
    """Everything answered so far; the interview keeps no memory of its own.

    ``answers`` maps a finding id to ``true`` / ``false`` / ``"unknown"`` (asked, not known), a
    ``{"present": ..., "side": "left" | "right" | "both"}`` object for a lateralised finding, or a
    number for a number finding. ``sex`` and ``side`` are ``None`` until asked, ``"unknown"`` when
    asked and not given.
    """

    model_config = ConfigDict(strict=True, extra="forbid")
    mode: Mode = "lay"
    setting: Literal["self_assessment", "primary_care"] | None = None
    age: int | float | None = Field(default=None, ge=0, le=120)
    sex: Literal["female", "male", "unknown"] | None = None
    side: Literal["left", "right", "both", "unknown"] | None = None
    answers: dict[str, AnswerValue] = {}
    max_questions: int | None = Field(default=None, ge=1, le=200)

    @classmethod
    def from_data(cls, data: Any) -> "InterviewState":
        """Validate a JSON-like object; a bad field raises CaseFormatError naming it."""
        if not isinstance(data, dict):
            raise CaseFormatError(f"an interview state must be a JSON object, got {type(data).__name__}")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems: dict[str, str] = {}
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"] if not _is_union_tag(str(p))) or "state"
                problems.setdefault(where, err["msg"])
            raise CaseFormatError("; ".join(f"{k}: {v}" for k, v in problems.items())) from None

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=False)

    def with_answers(self, answers: dict[str, Any], **fields: Any) -> "InterviewState":
        """A new state with these answers added (and top-level fields such as age replaced)."""
        data = self.to_data()
        data["answers"] = {**data["answers"], **answers}
        data.update(fields)
        return InterviewState.from_data(data)

    @property
    def effective_setting(self) -> str:
        return self.setting or DEFAULT_SETTING[self.mode]

    @property
    def limit(self) -> int:
        return self.max_questions or MAX_QUESTIONS[self.mode]


def _is_union_tag(part: str) -> bool:
    return part in {"bool", "int", "float", "str", "none", "_SidedAnswer", "literal['unknown']"} or part.startswith(
        ("function-", "literal[")
    )


@dataclass
class InterviewStep:
    """What to show next: the current result, the next screen of questions, and whether to stop."""

    result: dict[str, Any] | None
    next_questions: list[dict[str, Any]]
    group: dict[str, Any] | None
    done: bool
    stop_reason: str | None
    stop_explanation: str | None
    progress: dict[str, int]
    diagnostics: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "done": self.done,
            "stop_reason": self.stop_reason,
            "stop_explanation": self.stop_explanation,
            "progress": self.progress,
            "group": self.group,
            "next_questions": self.next_questions,
            "result": self.result,
        }


# --------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class _Catalogue:
    """What can be asked in one mode, and how it is grouped (built once per model and mode)."""

    mode: str
    askable: tuple[str, ...]  # finding ids (boolean, non-derived, and number findings)
    group_of: dict[str, QuestionGroup]
    groups: dict[str, QuestionGroup]
    red_flags: frozenset[str]  # askable findings named by a red-flag rule
    serious_weight: np.ndarray  # (S,) state weights for the information gain
    test_findings: frozenset[str]
    rules: tuple[tuple[str, Any, str | None], ...]  # red-flag rules (id, condition, level)
    asked_via: dict[str, str]  # a derived finding -> the question that answers it
    nodes: tuple[Any, ...] = ()  # each rule's condition compiled for `_decide_node`
    status_nodes: tuple[Any, ...] = ()  # ... with each finding as its index in `rule_findings` (`_decide_status`)
    rule_findings: tuple[tuple[str, ...], ...] = ()  # each rule's findings, sorted
    rule_questions: tuple[frozenset[str], ...] = ()  # ... and the questions that answer them
    askable_set: frozenset[str] = frozenset()
    #: what each red-flag rule needs, by the status of its findings and the age (see _screening_by_rule)
    screening_cache: dict[tuple, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)


def red_flag_rules(kb: KnowledgeBase) -> tuple[tuple[str, Any, str | None], ...]:
    """The red-flag rules as ``(rule id, condition, level)``, from the rule book beside the knowledge base.

    When the knowledge base has no ``red_flags.yaml`` (e.g. a test knowledge base), each finding
    of ``FALLBACK_RED_FLAGS`` that exists becomes a one-finding rule.
    """
    from heelpath.knowledge.rules import load_rules, load_rules_from

    if (Path(kb.data_dir) / "red_flags.yaml").is_file():
        book = load_rules() if Path(kb.data_dir) == Path(default_model().kb.data_dir) else load_rules_from(kb.data_dir, kb)
        return tuple((flag.id, flag.when, flag.level) for flag in book.red_flags)
    return tuple((f, f, None) for f in FALLBACK_RED_FLAGS if kb.has_finding(f))


def red_flag_findings(kb: KnowledgeBase) -> tuple[str, ...]:
    """Every finding id named by a red-flag rule."""
    from heelpath.knowledge.rules import findings_named

    named: list[str] = []
    for _, cond, _ in red_flag_rules(kb):
        named.extend(sorted(findings_named(cond)))
    return tuple(dict.fromkeys(named))


def _decide(cond: Any, present: set[str], settled: Any, age: float) -> bool | None:
    """A monotone red-flag condition with three values: holds, cannot hold, or not decided yet.

    ``present``: findings answered present; ``settled(f)``: f was answered (or cannot be asked
    in this mode), so if it is not present it never will be.
    """
    return _decide_node(_compile_red_flag(cond), present, settled, age)


def _compile_red_flag(cond: Any) -> Any:
    """A red-flag condition as plain tuples: a finding id, ``("n", need, children)`` for all, any
    and at_least, ``("ge", age)`` / ``("lt", age)``, or ``("?",)`` (never decided)."""
    if isinstance(cond, str):
        return cond
    key = cond.key
    if key in ("all", "any", "at_least"):
        children = cond.all if key == "all" else cond.any if key == "any" else cond.at_least.of
        need = len(children) if key == "all" else 1 if key == "any" else cond.at_least.n
        return ("n", need, tuple(_compile_red_flag(child) for child in children))
    if key == "age_at_least":
        return ("ge", cond.age_at_least)
    if key == "age_below":
        return ("lt", cond.age_below)
    return ("?",)  # not part of the red-flag language: never treated as decided


def _index_leaves(node: Any, index: dict[str, int]) -> Any:
    if isinstance(node, str):
        return index[node]
    if node[0] == "n":
        return ("n", node[1], tuple(_index_leaves(child, index) for child in node[2]))
    return node


#: the status of a red-flag finding: not answered yet (and askable), settled (answered, or cannot
#: be asked) without being present, present
OPEN, SETTLED, PRESENT = 0, 1, 2


def _decide(node: Any, leaf: Any, age: float) -> bool | None:
    """Three-valued evaluation of a compiled rule: True fired, False cannot fire, None still open.

    `leaf` reads one finding (a name or an index, as the rule was compiled) as True/False/None.
    """
    if type(node) in (int, str):
        return leaf(node)
    tag = node[0]
    if tag == "n":
        hits = open_ = 0
        for child in node[2]:
            value = _decide(child, leaf, age)
            if value is True:
                hits += 1
            elif value is None:
                open_ += 1
        if hits >= node[1]:
            return True
        if hits + open_ < node[1]:
            return False
        return None
    if tag == "ge":
        return age >= node[1]
    if tag == "lt":
        return age < node[1]
    return None


def _decide_status(node: Any, status: tuple[int, ...], age: float) -> bool | None:
    """`_decide` on a rule whose findings are indices into `status` (OPEN, SETTLED, PRESENT)."""
    return _decide(node, lambda i: True if status[i] == PRESENT else False if status[i] == SETTLED else None, age)


def _decide_node(node: Any, present: set[str], settled: Any, age: float) -> bool | None:
    """`_decide` on a rule whose findings are names: present, settled (answered, not present) or open."""
    return _decide(node, lambda f: True if f in present else False if settled(f) else None, age)


@lru_cache(maxsize=8)
def catalogue(model: CompiledModel, mode: str) -> _Catalogue:
    """The askable findings, groups and red flags of a mode."""
    kb = model.kb
    who = ANSWERED_BY[mode]
    askable = []
    for f in kb.findings:
        if f.derived or f.answered_by not in who or f.type == "choice":
            continue
        if mode == "lay" and not f.lay_question:
            continue
        if f.type == "boolean" and f.id not in model.feature_index:
            continue
        askable.append(f.id)
    askable_set = set(askable)
    group_of: dict[str, QuestionGroup] = {}
    groups: dict[str, QuestionGroup] = {}
    for group in GROUPS:
        members = tuple(m for m in group.members if m in askable_set and kb.finding(m).type == "boolean")
        if members:
            g = QuestionGroup(group.id, group.lay_text, group.clinician_text, members)
            groups[g.id] = g
            group_of.update({m: g for m in members})
    asked_via: dict[str, str] = {}
    for f in kb.findings:
        if f.id in askable_set:
            for rule in f.derives:
                asked_via[rule.finding] = f.id
            if f.bilateral_variant:
                asked_via[f.bilateral_variant] = f.id
    rules = red_flag_rules(kb)
    red_flags = frozenset(asked_via.get(f, f) for f in red_flag_findings(kb)) & askable_set
    loose = tuple(f for f in askable if f in red_flags and f not in group_of and kb.finding(f).type == "boolean")
    if loose:
        g = QuestionGroup(OTHER_WARNING_SIGNS.id, OTHER_WARNING_SIGNS.lay_text, OTHER_WARNING_SIGNS.clinician_text, loose)
        groups[g.id] = g
        group_of.update({m: g for m in loose})
    serious = np.array([kb.condition(c).serious for c in model.condition_ids], dtype=float)
    contains_serious = (model.membership @ serious) > 0
    weight = np.where(contains_serious, SERIOUS_WEIGHT, 1.0)
    weight.setflags(write=False)
    tests = frozenset(f for f in askable if kb.finding(f).answered_by == "test")
    from heelpath.knowledge.rules import findings_named

    rule_findings = tuple(tuple(sorted(findings_named(cond))) for _, cond, _ in rules)
    return _Catalogue(
        mode, tuple(askable), group_of, groups, red_flags, weight, tests, rules, asked_via,
        nodes=tuple(_compile_red_flag(cond) for _, cond, _ in rules),
        status_nodes=tuple(
            _index_leaves(_compile_red_flag(cond), {f: j for j, f in enumerate(named)})
            for (_, cond, _), named in zip(rules, rule_findings)
        ),
        askable_set=frozenset(askable),
        rule_findings=rule_findings,
        rule_questions=tuple(frozenset(asked_via.get(f, f) for f in named) for named in rule_findings),
    )


def screening_needed(
    cat: _Catalogue, answers: dict[str, Any], evidence_answers: dict[str, bool], age: float,
) -> set[str]:
    """Questions still needed so that every red-flag rule is decided (it fired, or it cannot fire).

    For each undecided rule, the findings whose answer alone would decide it come first (e.g.
    "history of cancer" before the back-pain items of the cancer rules); when no single answer
    decides a rule, all its unanswered findings are needed. An answer of "don't know" settles a
    finding (red flags fire only on a "yes"). Findings that cannot be asked in this mode count as
    settled. Returns question ids (a derived finding maps to the question that answers it).
    """
    needed: set[str] = set()
    for questions in _screening_by_rule(cat, answers, evidence_answers, age):
        needed.update(questions)
    return needed


def _screening_by_rule(
    cat: _Catalogue, answers: dict[str, Any], evidence_answers: dict[str, bool], age: float,
    also_settled: frozenset[str] = frozenset(), rules: Iterable[int] | None = None,
) -> list[tuple[str, ...]]:
    """The questions each red-flag rule still needs (see `screening_needed`), rule by rule.

    ``also_settled``: questions to treat as answered "no" (a screen about to be asked);
    ``rules``: only these rule indices (the others get an empty tuple).
    """
    askable = cat.askable_set
    asked_via = cat.asked_via
    present = {f for f, v in evidence_answers.items() if v}
    present |= {f for f, v in answers.items() if _is_present(v)}

    def settled_base(f: str) -> bool:
        question = asked_via.get(f, f)
        return f in evidence_answers or question in answers or question in also_settled or question not in askable

    # A rule's answer depends only on the age and on which of its findings are present, settled
    # or open: it is cached by those.
    cache = cat.screening_cache
    if len(cache) > 100_000:
        cache.clear()
    out: list[tuple[str, ...]] = [()] * len(cat.nodes)
    for i in (range(len(cat.nodes)) if rules is None else rules):
        status = tuple(PRESENT if f in present else SETTLED if settled_base(f) else OPEN for f in cat.rule_findings[i])
        key = (i, status, age)
        questions = cache.get(key)
        if questions is None:
            questions = cache[key] = _rule_needs(cat, i, status, age)
        out[i] = questions
    return out


def _rule_needs(cat: _Catalogue, i: int, status: tuple[int, ...], age: float) -> tuple[str, ...]:
    """The questions an undecided rule needs: those whose answer alone decides it, else all its open ones."""
    node = cat.status_nodes[i]
    if _decide_status(node, status, age) is not None:
        return ()
    open_ = [j for j, value in enumerate(status) if value == OPEN]
    decisive = [
        j for j in open_
        if _decide_status(node, status[:j] + (PRESENT,) + status[j + 1 :], age) is not None
        or _decide_status(node, status[:j] + (SETTLED,) + status[j + 1 :], age) is not None
    ]
    return tuple(cat.asked_via.get(f, f) for f in (cat.rule_findings[i][j] for j in (decisive or open_)))


def _is_present(value: Any) -> bool:
    if isinstance(value, _SidedAnswer):
        return value.present is True
    return value is True


# --------------------------------------------------------------------------- candidate questions


@dataclass
class _Candidate:
    """One screen that could be asked next, with every combination of answers it could get."""

    key: str
    group: QuestionGroup | None
    members: tuple[str, ...]  # finding ids shown
    features: np.ndarray  # (k,) feature indices the answers set
    outcomes: np.ndarray  # (O, k) 0/1: each possible combination of answers
    red_flag: bool
    cost: float
    number: bool = False  # a number question (its outcomes are ranges of the number)
    numbers: tuple[float, ...] = ()  # for a number question, the number standing for each outcome
    # filled by _evaluate
    q: np.ndarray | None = None
    top: np.ndarray | None = None
    score: float = 0.0
    p_top_change: float = 0.0
    p_triage_change: float | None = None

    def hypothesis(self, outcome: int) -> dict[str, Any]:
        """The answers to add to the state for one outcome."""
        if self.number:
            return {self.members[0]: self.numbers[outcome]}
        return {m: bool(v) for m, v in zip(self.members, self.outcomes[outcome])}

    @property
    def hypotheses(self) -> list[dict[str, Any]]:
        return [self.hypothesis(o) for o in range(len(self.outcomes))]


@cache
def _boolean_outcomes(k: int) -> np.ndarray:
    """Every combination of k yes/no answers, first finding slowest, "yes" first (read-only)."""
    out = np.array(list(product((1, 0), repeat=k)), dtype=float).reshape(-1, k)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=64)
def _number_outcomes(model: CompiledModel, finding_id: str) -> tuple[np.ndarray, np.ndarray, tuple]:
    finding = model.kb.finding(finding_id)
    rules = sorted(finding.derives, key=lambda r: r.at_least)
    features = np.array([model.feature_index[r.finding] for r in rules], dtype=int)
    low, _ = finding.range
    thresholds = [r.at_least for r in rules]
    outcomes, values = [], []
    for n_true in range(len(rules) + 1):
        outcomes.append([1.0] * n_true + [0.0] * (len(rules) - n_true))
        values.append(max(low, thresholds[0] / 2) if n_true == 0 else thresholds[n_true - 1])
    outcomes_array = np.array(outcomes)
    for array in (features, outcomes_array):
        array.setflags(write=False)
    return features, outcomes_array, tuple(values)


@lru_cache(maxsize=4096)
def _delta(model: CompiledModel, members: tuple[str, ...], number: bool) -> Delta:
    """How each outcome of a screen changes the evidence vector (see `interview_lookahead.Delta`)."""
    if number:
        _, _, values = _number_outcomes(model, members[0])
        return number_delta(model, members[0], list(values))
    return boolean_delta(model, members, _boolean_outcomes(len(members)))


def _candidates(model: CompiledModel, cat: _Catalogue, state: InterviewState, known: set[str]) -> list[_Candidate]:
    """Every question still available: a group's unanswered members, a number, or one finding."""
    kb = model.kb
    asked = set(state.answers)
    open_ids = [f for f in cat.askable if f not in asked and f not in known]
    open_set = set(open_ids)
    seen_groups: set[str] = set()
    out: list[_Candidate] = []
    index = model.feature_index
    for finding_id in open_ids:
        finding = kb.finding(finding_id)
        if finding.type == "number":
            if any(rule.finding in known or rule.finding in asked for rule in finding.derives):
                continue
            features, outcomes, values = _number_outcomes(model, finding_id)
            out.append(_Candidate(finding_id, None, (finding_id,), features, outcomes, False, 1.0,
                                  number=True, numbers=values))
            continue
        group = cat.group_of.get(finding_id)
        if group is not None:
            if group.id in seen_groups:
                continue
            seen_groups.add(group.id)
            members = tuple(m for m in group.members if m in open_set)
        else:
            members = (finding_id,)
        for chunk in _chunks(members, MAX_GROUP):
            out.append(_Candidate(
                group.id if group is not None else finding_id, group, chunk,
                np.array([index[m] for m in chunk], dtype=int), _boolean_outcomes(len(chunk)),
                False, 1.0 + ITEM_COST * (len(chunk) - 1),
            ))
    return out


def _chunks(items: tuple[str, ...], size: int) -> Iterable[tuple[str, ...]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _entropy_rows(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log2(p), 0.0)
    return -terms.sum(axis=-1)


def joint_information_gain(
    model: CompiledModel, state_probs: np.ndarray, features: np.ndarray, outcomes: np.ndarray,
    weights: np.ndarray | None = None,
) -> float:
    """Expected information gain (bits) of asking several findings at once.

    The generalisation of :func:`heelpath.engine.expected_information_gain` to a screen whose
    answer is one of ``outcomes`` (rows of 0/1 over ``features``); for a single finding with the
    outcomes ``[[1], [0]]`` the two agree.
    """
    log_pred, log_post = _outcome_logs(model, features, outcomes)
    p = state_probs if weights is None else state_probs * weights
    return _gain(p / p.sum(), log_pred, log_post)


@lru_cache(maxsize=4)
def _log_tables(model: CompiledModel) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """log P(present | state) and log P(absent | state), untempered (to predict) and tempered."""
    likelihood = model.state_likelihood
    return np.log(likelihood), np.log1p(-likelihood), model.log_present, model.log_absent


def _outcome_logs(model: CompiledModel, features: np.ndarray, outcomes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(O, S) log P(outcome | state) to predict answers, and the tempered one to update on them."""
    pred_yes, pred_no, post_yes, post_no = (t[:, features] for t in _log_tables(model))
    log_pred = outcomes @ (pred_yes - pred_no).T + pred_no.sum(axis=1)
    log_post = outcomes @ (post_yes - post_no).T + post_no.sum(axis=1)
    return log_pred, log_post


def _predict(p: np.ndarray, log_pred: np.ndarray) -> np.ndarray:
    q = np.exp(log_pred) @ p
    return q / q.sum()  # number questions enumerate only the consistent outcomes


def _posteriors(p: np.ndarray, log_post: np.ndarray) -> np.ndarray:
    log_w = log_post + np.log(np.maximum(p, 1e-300))
    log_w -= log_w.max(axis=1, keepdims=True)
    post = np.exp(log_w)
    return post / post.sum(axis=1, keepdims=True)


def _gain(p: np.ndarray, log_pred: np.ndarray, log_post: np.ndarray) -> float:
    q = _predict(p, log_pred)
    return float(_entropy_rows(p) - q @ _entropy_rows(_posteriors(p, log_post)))


def _evaluate_all(cat: _Catalogue, scorer: Scorer, top: int, candidates: list[_Candidate]) -> None:
    """Score every screen (the one-finding questions together)."""
    singles = [c for c in candidates if not c.number and c.features.size == 1]
    if singles:
        for cand, evaluation in zip(singles, scorer.evaluate_singles(np.array([c.features[0] for c in singles]))):
            _evaluate(cat, top, cand, evaluation)
    for cand in candidates:
        if cand.number or cand.features.size != 1:
            _evaluate(cat, top, cand, scorer.evaluate(cand.features, cand.outcomes, full=not cand.number))


def _evaluate(cat: _Catalogue, top: int, cand: _Candidate, evaluation: Any) -> None:
    """Score one screen: its weighted information gain per unit of cost, the probability of each
    answer, and the chance that its answer changes the leading cause."""
    cand.q, cand.top = evaluation.q, evaluation.top
    cand.p_top_change = float(cand.q[cand.top != top].sum())
    gain = evaluation.gain
    if any(m in cat.test_findings for m in cand.members):
        gain *= TEST_WEIGHT
    cand.score = gain / cand.cost


# --------------------------------------------------------------------------- the step


def case_data(state: InterviewState, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The case (docs/case-format.md) the answers so far amount to; "don't know" becomes null."""
    findings: dict[str, Any] = {}
    for finding_id, value in {**state.answers, **(extra or {})}.items():
        if isinstance(value, _SidedAnswer):
            value = value.model_dump()
        if value == UNKNOWN:
            value = None
        elif isinstance(value, dict) and value.get("present") == UNKNOWN:
            value = None
        findings[finding_id] = value
    return {
        "setting": state.effective_setting,
        "age": state.age,
        "sex": state.sex if state.sex in ("female", "male") else None,
        "side": state.side or "unknown",
        "findings": findings,
    }


def _assess(data: dict[str, Any]) -> dict[str, Any]:
    from heelpath.services.pipeline import full_assessment

    return full_assessment(Case.from_data(data))


def triage_level(result: dict[str, Any] | None) -> str | None:
    """The triage level of a result, or None when the result carries no triage."""
    triage = (result or {}).get("triage")
    return triage.get("level") if isinstance(triage, dict) else None


def _red_flag_floor(result: dict[str, Any] | None) -> str | None:
    triage = (result or {}).get("triage")
    return triage.get("red_flag_floor") if isinstance(triage, dict) else None


def screens_asked(state: InterviewState, model: CompiledModel | None = None) -> int:
    """How many screens the answers so far took: about-you, each group once, each other answer once."""
    cat = catalogue(model or default_model(), state.mode)
    groups = {cat.group_of[f].id for f in state.answers if f in cat.group_of}
    singles = sum(1 for f in state.answers if f not in cat.group_of and f not in cat.asked_via)
    return int(state.age is not None) + len(groups) + singles


def _about_you_questions(state: InterviewState) -> list[dict[str, Any]]:
    lay = state.mode == "lay"
    questions = []
    if state.age is None:
        questions.append({
            "id": "age", "text": "How old are you?" if lay else "Age (years)", "type": "number",
            "unit": "years", "range": [0, 120], "options": None, "lateralised": False,
            "how_to_examine": None, "group": ABOUT_YOU, "red_flag": False, "required": True,
        })
    if state.sex is None:
        questions.append({
            "id": "sex", "text": "What sex were you assigned at birth?" if lay else "Sex", "type": "choice",
            "options": [{"value": "female", "label": "Female"}, {"value": "male", "label": "Male"},
                        {"value": UNKNOWN, "label": "Prefer not to say"}],
            "lateralised": False, "how_to_examine": None, "group": ABOUT_YOU, "red_flag": False, "required": False,
        })
    if state.side is None:
        questions.append({
            "id": "side", "text": "Which heel hurts?" if lay else "Painful side", "type": "choice",
            "options": [{"value": "left", "label": "Left"}, {"value": "right", "label": "Right"},
                        {"value": "both", "label": "Both"}, {"value": UNKNOWN, "label": "Not sure"}],
            "lateralised": False, "how_to_examine": None, "group": ABOUT_YOU, "red_flag": False, "required": False,
        })
    return questions


BOOLEAN_OPTIONS = [
    {"value": True, "label": "Yes"},
    {"value": False, "label": "No"},
    {"value": UNKNOWN, "label": "Don't know"},
]


def _question(
    kb: KnowledgeBase, cat: _Catalogue, finding_id: str, group_id: str | None, needed: set[str],
) -> dict[str, Any]:
    finding = kb.finding(finding_id)
    lay = cat.mode == "lay"
    text = finding.lay_question if lay and finding.lay_question else finding.clinician_question
    if finding.answered_by == "test":
        text = f"{text} (if the result is available)"
    question: dict[str, Any] = {
        "id": finding.id,
        "text": text,
        "label": finding.label,
        "type": finding.type,
        "answered_by": finding.answered_by,
        "options": None if finding.type == "number" else BOOLEAN_OPTIONS,
        "lateralised": finding.lateralised,
        "how_to_examine": None if lay else finding.how_to_examine,
        "group": group_id,
        "red_flag": finding_id in cat.red_flags,
        "required": finding_id in needed,
    }
    if finding.type == "number":
        question["unit"] = finding.unit
        question["range"] = list(finding.range) if finding.range else None
    return question


def step(state: InterviewState | dict[str, Any], model: CompiledModel | None = None) -> InterviewStep:
    """Given the answers so far, the current result, the next question(s) and whether to stop.

    Parameters
    ----------
    state : InterviewState or dict
        Mode, setting, age, sex, side and answers so far (see :class:`InterviewState`).
    model : CompiledModel, optional
        Defaults to the packaged knowledge base.

    Returns
    -------
    InterviewStep
        ``result`` (the full assessment of the answers so far, None before the age is known),
        ``next_questions`` (one screen: the about-you fields, a checklist or one question),
        ``group`` (what the screen is), ``done``, ``stop_reason``, ``stop_explanation`` and
        ``progress``.

    Raises
    ------
    heelpath.errors.InputError
        The state is malformed, names an unknown finding, or has invalid or contradictory answers.
    """
    if not isinstance(state, InterviewState):
        state = InterviewState.from_data(state)
    model = model or default_model()
    kb = model.kb
    cat = catalogue(model, state.mode)
    for finding_id in state.answers:
        if not kb.has_finding(finding_id):
            raise UnknownFindingError(f"unknown finding id {finding_id!r} (see `heelpath kb findings`)")
    asked = screens_asked(state, model)

    if state.age is None or state.sex is None or state.side is None:
        result = _assess(case_data(state)) if state.age is not None else None
        if state.age is None:
            to_evidence(kb, Case.from_data({**case_data(state), "age": 40}))  # check the answers now
        needed = screening_needed(cat, state.answers, {}, state.age if state.age is not None else 40)
        screens = len({cat.group_of[f].id if f in cat.group_of else f for f in needed})
        return InterviewStep(
            result=result,
            next_questions=_about_you_questions(state),
            group={"id": ABOUT_YOU, "kind": "about_you", "red_flag": False, "alert": None,
                   "text": "About you" if state.mode == "lay" else "Patient details"},
            done=False, stop_reason=None, stop_explanation=None,
            progress=_progress(asked, screens + 3, state, answered=len(state.answers)),
        )

    data = case_data(state)
    case = Case.from_data(data)
    evidence = to_evidence(kb, case)
    result = _assess(data)
    vector = evidence_vector(model, evidence.answers)
    log_prior = model.log_prior(case.setting, case.age, case.sex)
    p = infer(model, vector, log_prior).state_probs
    marginals = p @ model.membership
    top = int(np.argmax(marginals))
    level = triage_level(result)
    top_name = kb.condition(model.condition_ids[top]).name
    diagnostics: dict[str, Any] = {"top": model.condition_ids[top], "top_probability": float(marginals[top])}

    def finish(reason: str, explanation: str) -> InterviewStep:
        return InterviewStep(result, [], None, True, reason, explanation,
                             _progress(asked, 0, state, answered=len(state.answers)), diagnostics)

    emergency = _red_flag_floor(result) == "emergency"
    needed = set() if emergency else screening_needed(cat, state.answers, evidence.answers, float(case.age))
    candidates = _candidates(model, cat, state, set(evidence.answers))
    scorer = Scorer(model, p, cat.serious_weight)
    for cand in candidates:
        cand.red_flag = bool(needed.intersection(cand.members))
    _evaluate_all(cat, scorer, top, candidates)
    screening = [c for c in candidates if c.red_flag]
    diagnostics["screening_left"] = sorted(needed)

    if emergency:
        # Nothing can raise the triage further: the person is told to go now (the result says so
        # on every screen from here) and only a few questions follow, while they still change
        # which cause leads, so that the report taken along names the likely cause.
        unsettled = [c for c in candidates if c.p_top_change >= CHANGE_LIMIT]
        limit = _screens_until_emergency(cat, state) + EMERGENCY_EXTRA_QUESTIONS
        if asked < min(limit, state.limit) and (unsettled or marginals[top] < TOP_FLOOR) and candidates:
            chosen = max(candidates, key=lambda c: c.score)
            return _ask(kb, cat, state, result, chosen, asked, limit - asked, diagnostics, needed, alert=True)
        return finish("emergency", "A warning sign needs emergency care now (triage: emergency). No answer "
                                   "could make it more urgent, so the questions stop here: go now.")

    if screening:
        # the screen that, answered "no" throughout (the likeliest answer), leaves the fewest
        # red-flag questions; the most informative among equals. Answering "no" changes only the
        # rules that name one of the screen's findings.
        by_rule = _screening_by_rule(cat, state.answers, evidence.answers, float(case.age))

        def left_after(cand: _Candidate) -> int:
            members = frozenset(cand.members)
            touched = [i for i, questions in enumerate(cat.rule_questions) if questions & members]
            after = _screening_by_rule(cat, state.answers, evidence.answers, float(case.age), members, touched)
            left: set[str] = set()
            for i, questions in enumerate(by_rule):
                left.update(after[i] if i in touched else questions)
            return len(left)

        closers = [c for c in candidates if not c.number]
        chosen = min(closers, key=lambda c: (left_after(c), -c.score))
        remaining = _screening_screens(cat, state, evidence.answers, float(case.age), needed)
        remaining += _estimate_after(candidates, marginals[top])
        return _ask(kb, cat, state, result, chosen, asked, remaining, diagnostics, needed)
    if asked >= state.limit:
        return finish("max_questions", f"Stopped at the maximum of {state.limit} questions; "
                                       f"the leading cause is {top_name} ({marginals[top]:.0%}).")
    useful = [c for c in candidates if c.score > 1e-6 or c.p_top_change > 0]
    if not candidates:
        return finish("nothing_left", f"Every question has been asked; the leading cause is "
                                      f"{top_name} ({marginals[top]:.0%}).")
    known = _Known(vector, log_prior, float(case.age), case.setting, evidence.given, scorer)
    chosen, why = _next_or_stop(model, cat, state, p, top, candidates, useful, level, known)
    diagnostics.update(why)
    if chosen is None and why["settled"]:
        triage_words = f" and the triage ({level.replace('_', ' ')})" if level else ""
        return finish("settled", (
            f"The leading cause ({top_name}, {marginals[top]:.0%}){triage_words} would not change with any "
            f"likely answer to the remaining questions: no single answer has a {CHANGE_LIMIT:.0%} chance of "
            f"changing it (largest {why['largest_change']:.0%}), nor do "
            f"{why.get('completions_changed', 0):.0%} of {COMPLETIONS} simulated sets of all the remaining answers."))
    if chosen is None:
        return finish("nothing_left", f"No question left could change the answer; the leading cause is "
                                      f"{top_name} ({marginals[top]:.0%}).")
    return _ask(kb, cat, state, result, chosen, asked, _estimate_after(candidates, marginals[top]),
                diagnostics, needed)


def _screening_screens(
    cat: _Catalogue, state: InterviewState, evidence_answers: dict[str, bool], age: float, needed: set[str],
) -> int:
    """About how many screens the red-flag screening still takes (for the progress estimate).

    The screens holding a finding that would fire a rule on its own must all be shown; one more
    when other needed findings lie outside them.
    """
    present = {f for f, v in evidence_answers.items() if v} | {f for f, v in state.answers.items() if _is_present(v)}
    # every other finding settled: does some rule hold once f is present?
    statuses = [tuple(PRESENT if f in present else SETTLED for f in named) for named in cat.rule_findings]
    holds = any(_decide_status(node, status, age) for node, status in zip(cat.status_nodes, statuses))

    def fires_alone(f: str) -> bool:
        if holds:
            return True
        for node, status, named in zip(cat.status_nodes, statuses, cat.rule_findings):
            if f in named:
                j = named.index(f)
                if _decide_status(node, status[:j] + (PRESENT,) + status[j + 1 :], age):
                    return True
        return False

    alone = {f for f in needed if fires_alone(f)}
    screens = {cat.group_of[f].id if f in cat.group_of else f for f in alone}
    rest = {cat.group_of[f].id if f in cat.group_of else f for f in needed - alone}
    return len(screens) + int(bool(rest - screens))


def _screens_until_emergency(cat: _Catalogue, state: InterviewState) -> int:
    """How many screens were answered when an emergency red flag first held, in answer order.

    Answers are replayed in the order given (the order they were added); the about-you screen
    counts as one. Without an emergency rule that holds, the number of screens asked.
    """
    emergency = [node for node, (_, _, level) in zip(cat.nodes, cat.rules) if level == "emergency"]
    present: set[str] = set()
    screens = int(state.age is not None)
    previous: str | None = None
    for finding_id, value in state.answers.items():
        group = cat.group_of[finding_id].id if finding_id in cat.group_of else finding_id
        if group != previous:
            if any(_decide_node(c, present, lambda f: False, float(state.age or 0)) for c in emergency):
                return screens
            screens += 1
            previous = group
        if _is_present(value):
            present.add(finding_id)
    return screens


@dataclass
class _Known:
    """What the look-ahead builds its hypothetical cases from: the answers so far as the engine reads them."""

    vector: np.ndarray  # (F,) evidence vector
    log_prior: np.ndarray  # (S,)
    age: float
    setting: str
    given: dict[str, Any]  # the answers as entered (a red flag counts a finding on either side)
    scorer: Scorer  # the look-ahead from the current posterior


def _next_or_stop(
    model: CompiledModel, cat: _Catalogue, state: InterviewState, p: np.ndarray, top: int,
    candidates: list[_Candidate], useful: list[_Candidate], level: str | None, known: _Known,
) -> tuple[_Candidate | None, dict[str, Any]]:
    """The stopping rule, and the next question when it does not stop.

    1. While no cause leads clearly (below ``TOP_FLOOR``), ask the most informative question.
    2. Once one does, ask the question most likely to change the leading cause, while any would
       with ``CHANGE_LIMIT`` chance or more.
    3. Then the question most likely to change the triage level, while any would.
    4. Then draw ``COMPLETIONS`` answers to *all* the remaining questions from the model; when
       more than ``CHANGE_LIMIT`` of them would end with another leading cause or triage level
       (answers that matter only together), ask the question whose answer differs most between
       the completions that change the result and those that do not.
    5. Otherwise stop: the answer is settled.
    """
    top_probability = float((p @ model.membership)[top])
    largest = max((c.p_top_change for c in candidates), default=0.0)
    why: dict[str, Any] = {"largest_change": largest, "triage_checked": False, "settled": False}
    if top_probability < TOP_FLOOR:
        return (max(useful, key=lambda c: c.score) if useful else None), why
    if largest >= CHANGE_LIMIT:
        return max(candidates, key=lambda c: (c.p_top_change, c.score)), why
    if level is not None:
        why["triage_checked"] = True
        _triage_changes(model, candidates, level, known)
        blocker = max(candidates, key=lambda c: (c.p_triage_change or 0.0, c.score))
        why["largest_change"] = max(largest, blocker.p_triage_change or 0.0)
        if (blocker.p_triage_change or 0.0) >= CHANGE_LIMIT:
            why["blocked_by"] = blocker.key
            return blocker, why
    p_change, association = _completions(model, cat, state, p, top, level, candidates, known)
    why["completions_changed"] = p_change
    if p_change > CHANGE_LIMIT:
        chosen = max(range(len(candidates)), key=lambda i: (association[i], candidates[i].score))
        if association[chosen] > 0:
            why["blocked_by"] = candidates[chosen].key
            return candidates[chosen], why
    why["settled"] = True
    return None, why


def _completions(
    model: CompiledModel, cat: _Catalogue, state: InterviewState, p: np.ndarray, top: int, level: str | None,
    candidates: list[_Candidate], known: _Known,
) -> tuple[float, np.ndarray]:
    """Answer every remaining question at random from the model, many times over.

    Returns the share of completions whose leading cause or triage level differs from the current
    one, and, per candidate question, how much its answers differ between the completions that
    change the result and the rest (0 when none change). Deterministic: the draws are seeded by
    the state. The completions are evidence vectors assessed together (``infer_batch``), their
    triage levels by the rule book on arrays.
    """
    what = json.dumps([state.mode, state.effective_setting, state.age, state.sex, state.side,
                       state.model_dump(mode="json")["answers"]], sort_keys=True)
    seed = int.from_bytes(hashlib.sha256(what.encode()).digest()[:8], "little")
    rng = np.random.default_rng(seed)
    features = np.unique(np.concatenate([c.features for c in candidates])) if candidates else np.zeros(0, int)
    states = rng.choice(len(p), size=COMPLETIONS, p=p / p.sum())
    drawn = rng.random((COMPLETIONS, features.size)) < model.state_likelihood[np.ix_(states, features)]
    column = {int(f): i for i, f in enumerate(features)}
    evidence = np.repeat(known.vector[None, :], COMPLETIONS, axis=0)
    for cand in candidates:
        columns = [column[int(f)] for f in cand.features]
        values = drawn[:, columns]
        if cand.number:  # the thresholds of a number are passed in order
            passed = np.argmin(np.append(values, np.zeros((COMPLETIONS, 1), dtype=bool), axis=1), axis=1)
            drawn[:, columns] = np.arange(values.shape[1])[None, :] < passed[:, None]
            outcome = passed  # the outcome with that many thresholds passed
        else:  # the index of the combination in _boolean_outcomes ("yes" first, first finding slowest)
            outcome = ((~values) * (1 << np.arange(values.shape[1])[::-1])).sum(axis=1)
        _delta(model, cand.members, cand.number).write(evidence, outcome)
    triage = vector_triage(model)
    projected = infer_batch(model, evidence, known.log_prior, projection=triage.projection)
    changed = np.argmax(projected[:, : len(model.condition_ids)], axis=1) != top
    if level is not None:
        ranks = triage.levels(evidence, projected, known.age, known.setting, any_side_present(model, known.given))
        changed |= ranks != level_rank(level)
    association = np.zeros(len(candidates))
    if changed.any() and not changed.all():
        gap = np.abs(drawn[changed].mean(axis=0) - drawn[~changed].mean(axis=0))
        for i, cand in enumerate(candidates):
            association[i] = max(gap[column[int(f)]] for f in cand.features)
            if any(m in cat.test_findings for m in cand.members):
                association[i] *= TEST_WEIGHT
    return float(changed.mean()), association


def _triage_changes(model: CompiledModel, candidates: list[_Candidate], level: str, known: _Known) -> None:
    """Chance that the answer to each question would change the triage level (``p_triage_change``).

    The likeliest answers are run through the triage until 99.5% of the answer probability (or
    ``TRIAGE_OUTCOMES`` answers) is covered; the rest counts as a change, to err on asking. The
    hypothetical answers of every question are triaged together: evidence vectors, the posterior
    after each answer (from the look-ahead), and the rule book on arrays.
    """
    triage = vector_triage(model)
    picks: list[np.ndarray] = []
    evidence: list[np.ndarray] = []
    posteriors: list[np.ndarray] = []
    covered: list[float] = []
    for cand in candidates:
        assert cand.q is not None
        order = np.argsort(-cand.q)
        running = np.cumsum(cand.q[order])
        before = np.concatenate(([0.0], running[:-1]))
        n = min(TRIAGE_OUTCOMES, int(np.count_nonzero(before < 0.995)))
        chosen = order[:n]
        picks.append(chosen)
        covered.append(float(running[n - 1]) if n else 0.0)
        evidence.append(_delta(model, cand.members, cand.number).apply(known.vector, chosen))
        posteriors.append(known.scorer.posteriors(cand.features, cand.outcomes[chosen]))
    post = np.concatenate(posteriors)
    ranks = triage.levels(np.concatenate(evidence), post @ triage.projection, known.age, known.setting,
                          any_side_present(model, known.given))
    changed_rows = ranks != level_rank(level)
    start = 0
    for cand, chosen, cover in zip(candidates, picks, covered):
        rows = changed_rows[start : start + chosen.size]
        start += chosen.size
        changed = float(sum(float(cand.q[o]) for o, c in zip(chosen, rows) if c))
        cand.p_triage_change = changed + max(0.0, 1.0 - cover) * (cover < 0.995)


def _estimate_after(candidates: list[_Candidate], top_probability: float) -> int:
    blocking = sum(1 for c in candidates if not c.red_flag and c.p_top_change >= CHANGE_LIMIT)
    if top_probability < TOP_FLOOR:
        blocking = max(blocking, 2)
    return min(blocking, 6)


def _progress(asked: int, remaining: int, state: InterviewState, answered: int) -> dict[str, int]:
    remaining = max(0, min(remaining, state.limit - asked))
    return {"asked": asked, "answered_items": answered, "estimated_remaining": remaining, "max": state.limit}


def _ask(
    kb: KnowledgeBase, cat: _Catalogue, state: InterviewState, result: dict[str, Any], cand: _Candidate,
    asked: int, remaining: int, diagnostics: dict[str, Any], needed: set[str], alert: bool = False,
) -> InterviewStep:
    group_id = cand.group.id if cand.group is not None else None
    questions = [_question(kb, cat, m, group_id, needed) for m in cand.members]
    if cand.group is not None and len(cand.members) > 1:
        group = {
            "id": cand.group.id,
            "kind": "checklist",
            "text": cand.group.lay_text if cat.mode == "lay" else cand.group.clinician_text,
            "red_flag": cand.red_flag,
        }
    else:
        group = {"id": group_id or cand.key, "kind": "single", "text": questions[0]["text"], "red_flag": cand.red_flag}
    group["information_bits"] = round(cand.score, 4)
    group["alert"] = (result.get("triage") or {}).get("headline") if alert else None
    diagnostics["chosen"] = cand.key
    diagnostics["score"] = cand.score
    return InterviewStep(result, questions, group, False, None, None,
                         _progress(asked, max(1, remaining), state, answered=len(state.answers)), diagnostics)


# --------------------------------------------------------------------------- helpers for callers


def parse_answer(kb: KnowledgeBase, finding_id: str, text: str) -> Any:
    """Turn a typed answer (``yes``, ``no``, ``?``, ``left``, ``right``, ``both``, a number) into a state answer.

    Raises
    ------
    UnknownFindingError, InvalidAnswerError
    """
    if not kb.has_finding(finding_id):
        raise UnknownFindingError(f"unknown finding id {finding_id!r} (see `heelpath kb findings`)")
    finding = kb.finding(finding_id)
    word = text.strip().lower()
    if word in ("?", "unknown", "dont know", "don't know", "dk", "not sure", "u"):
        return UNKNOWN
    if finding.type == "number":
        try:
            value = float(word)
        except ValueError:
            raise InvalidAnswerError(f"{finding_id}: expected a number of {finding.unit}, got {text!r}") from None
        if not math.isfinite(value):
            raise InvalidAnswerError(f"{finding_id}: expected a number of {finding.unit}, got {text!r}")
        low, high = finding.range
        if not low <= value <= high:
            raise InvalidAnswerError(f"{finding_id}: {value:g} {finding.unit} is outside {low:g}-{high:g}")
        return int(value) if value.is_integer() else value
    sides = {"l": "left", "left": "left", "r": "right", "right": "right", "b": "both", "both": "both"}
    if word in ("y", "yes", "true", "1", "present"):
        return True
    if word in ("n", "no", "false", "0", "absent"):
        return False
    if word in sides:
        if not finding.lateralised:
            raise InvalidAnswerError(f"{finding_id}: is not answered per side; answer yes, no or unknown")
        return {"present": True, "side": sides[word]}
    choices = "yes, no, unknown" + (", left, right or both" if finding.lateralised else "")
    raise InvalidAnswerError(f"{finding_id}: expected {choices}, got {text!r}")


__all__ = [
    "GROUPS",
    "InterviewState",
    "InterviewStep",
    "MAX_QUESTIONS",
    "QuestionGroup",
    "STOP_REASONS",
    "catalogue",
    "joint_information_gain",
    "parse_answer",
    "red_flag_findings",
    "red_flag_rules",
    "screening_needed",
    "screens_asked",
    "step",
    "triage_level",
]
