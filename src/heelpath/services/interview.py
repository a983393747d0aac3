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
2. Then the red-flag screens: every finding named by a red-flag rule that the respondent can
   answer in this mode, grouped into a few short checklists. They are never skipped.
3. Then the question (a single finding, a number, or a natural group shown as one checklist, such
   as the body map of where it hurts) with the highest expected information gain per screen:
   the expected drop in entropy over the engine's states (one cause or two at once), computed
   with serious causes weighted up so that telling them apart counts for more.

When it stops
-------------
After the red-flag screens, the interview stops when the leading cause has at least
``TOP_FLOOR`` probability and, for *every* question still available, the chance that its answer
would change the leading cause is below ``CHANGE_LIMIT`` and the chance that it would change the
triage level is below ``CHANGE_LIMIT`` ("settled"). It also stops when a red flag makes the
triage an emergency and the screens are done ("emergency"), when nothing useful is left to ask
("nothing_left"), or at the maximum number of screens ("max_questions"). docs/interview.md
describes the API and the rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Any, Iterable, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heelpath.engine import CompiledModel, evidence_vector, expected_information_gain, infer
from heelpath.errors import CaseFormatError, InvalidAnswerError, UnknownFindingError
from heelpath.knowledge import KnowledgeBase
from heelpath.services.assessment import default_model
from heelpath.services.case import Case, to_evidence

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
        ("fever", "heel_red_hot_swollen", "puncture_wound_or_ulcer", "iv_drug_use_or_immunosuppression",
         "history_of_cancer", "unexplained_weight_loss", "pain_at_rest_or_night"),
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
         "steroid_injection_heel", "cold_pale_foot"),
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
TRIAGE_ORDER = ("self_care", "routine", "soon", "urgent", "emergency")


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


def red_flag_findings(kb: KnowledgeBase) -> tuple[str, ...]:
    """Finding ids named by the red-flag rules.

    Reads ``red_flags`` from the knowledge base when the loader provides it, else the rules file
    ``red_flags.yaml`` beside the other data files (every finding id it names, wherever it appears
    in a rule), else a built-in list of the screening findings.
    """
    rules: Any = getattr(kb, "red_flags", None)
    if rules is None:
        path = Path(kb.data_dir) / "red_flags.yaml"
        if path.is_file():
            rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    if rules is None:
        return tuple(f for f in FALLBACK_RED_FLAGS if kb.has_finding(f))
    named: list[str] = []
    _collect_finding_ids(kb, rules, named)
    return tuple(dict.fromkeys(named)) or tuple(f for f in FALLBACK_RED_FLAGS if kb.has_finding(f))


def _collect_finding_ids(kb: KnowledgeBase, node: Any, out: list[str]) -> None:
    if isinstance(node, BaseModel):
        node = node.model_dump()
    if isinstance(node, str):
        if kb.has_finding(node):
            out.append(node)
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and kb.has_finding(key):
                out.append(key)
            _collect_finding_ids(kb, value, out)
    elif isinstance(node, (list, tuple, set, frozenset)):
        for value in node:
            _collect_finding_ids(kb, value, out)


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
    red_flags = frozenset(f for f in red_flag_findings(kb) if f in askable_set)
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
    return _Catalogue(mode, tuple(askable), group_of, groups, red_flags, weight, tests)


# --------------------------------------------------------------------------- candidate questions


@dataclass
class _Candidate:
    """One screen that could be asked next, with every combination of answers it could get."""

    key: str
    group: QuestionGroup | None
    members: tuple[str, ...]  # finding ids shown
    features: np.ndarray  # (k,) feature indices the answers set
    outcomes: np.ndarray  # (O, k) 0/1: each possible combination of answers
    hypotheses: list[dict[str, Any]]  # per outcome, the answers to add to the state
    red_flag: bool
    cost: float
    # filled by _evaluate
    q: np.ndarray | None = None
    top: np.ndarray | None = None
    score: float = 0.0
    p_top_change: float = 0.0
    p_triage_change: float | None = None


def _boolean_outcomes(k: int) -> np.ndarray:
    return np.array(list(product((1, 0), repeat=k)), dtype=float).reshape(-1, k)


def _number_outcomes(kb: KnowledgeBase, finding_id: str, model: CompiledModel) -> tuple[np.ndarray, np.ndarray, list]:
    finding = kb.finding(finding_id)
    rules = sorted(finding.derives, key=lambda r: r.at_least)
    features = np.array([model.feature_index[r.finding] for r in rules], dtype=int)
    low, _ = finding.range
    thresholds = [r.at_least for r in rules]
    outcomes, values = [], []
    for n_true in range(len(rules) + 1):
        outcomes.append([1.0] * n_true + [0.0] * (len(rules) - n_true))
        values.append(max(low, thresholds[0] / 2) if n_true == 0 else thresholds[n_true - 1])
    return features, np.array(outcomes), values


def _candidates(model: CompiledModel, cat: _Catalogue, state: InterviewState, known: set[str]) -> list[_Candidate]:
    """Every question still available: a group's unanswered members, a number, or one finding."""
    kb = model.kb
    asked = set(state.answers)
    open_ids = [f for f in cat.askable if f not in asked and f not in known]
    seen_groups: set[str] = set()
    out: list[_Candidate] = []
    for finding_id in open_ids:
        finding = kb.finding(finding_id)
        if finding.type == "number":
            if any(rule.finding in known or rule.finding in asked for rule in finding.derives):
                continue
            features, outcomes, values = _number_outcomes(kb, finding_id, model)
            out.append(_Candidate(finding_id, None, (finding_id,), features, outcomes,
                                  [{finding_id: v} for v in values], finding_id in cat.red_flags, 1.0))
            continue
        group = cat.group_of.get(finding_id)
        if group is not None:
            if group.id in seen_groups:
                continue
            seen_groups.add(group.id)
            members = tuple(m for m in group.members if m in open_ids)
        else:
            members = (finding_id,)
        for chunk in _chunks(members, MAX_GROUP):
            outcomes = _boolean_outcomes(len(chunk))
            features = np.array([model.feature_index[m] for m in chunk], dtype=int)
            hypotheses = [{m: bool(v) for m, v in zip(chunk, row)} for row in outcomes]
            out.append(_Candidate(
                group.id if group is not None else finding_id, group, chunk, features, outcomes, hypotheses,
                any(m in cat.red_flags for m in chunk), 1.0 + ITEM_COST * (len(chunk) - 1),
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


def _evaluate(model: CompiledModel, cat: _Catalogue, p: np.ndarray, top: int, cand: _Candidate) -> None:
    log_pred, log_post = _outcome_logs(model, cand.features, cand.outcomes)
    cand.q = _predict(p, log_pred)
    cand.top = np.argmax(_posteriors(p, log_post) @ model.membership, axis=1)
    cand.p_top_change = float(cand.q[cand.top != top].sum())
    if cand.outcomes.shape == (2, 1):
        gain = float(expected_information_gain(model, p, cand.features, cat.serious_weight)[0])
    else:
        weighted = p * cat.serious_weight
        gain = _gain(weighted / weighted.sum(), log_pred, log_post)
    if any(m in cat.test_findings for m in cand.members):
        gain *= TEST_WEIGHT
    cand.score = gain / cand.cost


# --------------------------------------------------------------------------- the step


def _case_data(state: InterviewState, extra: dict[str, Any] | None = None) -> dict[str, Any]:
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
    """The triage level of a result, or None while the pipeline does not provide one."""
    triage = (result or {}).get("triage")
    return triage.get("level") if isinstance(triage, dict) else None


def screens_asked(state: InterviewState, model: CompiledModel | None = None) -> int:
    """How many screens the answers so far took: about-you, each group once, each other answer once."""
    cat = catalogue(model or default_model(), state.mode)
    groups = {cat.group_of[f].id for f in state.answers if f in cat.group_of}
    singles = sum(1 for f in state.answers if f not in cat.group_of)
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


def _question(kb: KnowledgeBase, cat: _Catalogue, finding_id: str, group_id: str | None) -> dict[str, Any]:
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
        "required": finding_id in cat.red_flags,
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
        result = _assess(_case_data(state)) if state.age is not None else None
        questions = _about_you_questions(state)
        remaining_mandatory = len({cat.group_of[f].id for f in cat.red_flags if f not in state.answers})
        return InterviewStep(
            result=result,
            next_questions=questions,
            group={"id": ABOUT_YOU, "kind": "about_you", "red_flag": False,
                   "text": "About you" if state.mode == "lay" else "Patient details"},
            done=False, stop_reason=None, stop_explanation=None,
            progress=_progress(asked, remaining_mandatory + 4, state, answered=len(state.answers)),
        )

    data = _case_data(state)
    case = Case.from_data(data)
    evidence = to_evidence(kb, case)
    result = _assess(data)
    vector = evidence_vector(model, evidence.answers)
    p = infer(model, vector, model.log_prior(case.setting, case.age, case.sex)).state_probs
    marginals = p @ model.membership
    top = int(np.argmax(marginals))
    level = triage_level(result)

    known = set(evidence.answers)
    candidates = _candidates(model, cat, state, known)
    for cand in candidates:
        _evaluate(model, cat, p, top, cand)
    mandatory = [c for c in candidates if c.red_flag]
    diagnostics: dict[str, Any] = {"top": model.condition_ids[top], "top_probability": float(marginals[top])}

    def finish(reason: str, explanation: str) -> InterviewStep:
        return InterviewStep(result, [], None, True, reason, explanation,
                             _progress(asked, 0, state, answered=len(state.answers)), diagnostics)

    if mandatory:
        chosen = max(mandatory, key=lambda c: c.score)
        remaining = len(mandatory) + _estimate_after(candidates, marginals[top])
        return _ask(kb, cat, state, result, chosen, asked, remaining, diagnostics)
    top_name = kb.condition(model.condition_ids[top]).name
    if level == "emergency":
        return finish("emergency", f"A warning sign needs emergency care now (triage: emergency); "
                                   f"the remaining questions would not change that.")
    if asked >= state.limit:
        return finish("max_questions", f"Stopped at the maximum of {state.limit} questions; "
                                       f"the leading cause is {top_name} ({marginals[top]:.0%}).")
    useful = [c for c in candidates if c.score > 1e-9]
    if not useful:
        return finish("nothing_left", f"No question left could tell more; the leading cause is "
                                      f"{top_name} ({marginals[top]:.0%}).")
    settled, why = _settled(model, state, candidates, marginals[top], level)
    diagnostics.update(why)
    if settled:
        triage_words = f" and the triage ({level.replace('_', ' ')})" if level else ""
        return finish("settled", (
            f"The leading cause ({top_name}, {marginals[top]:.0%}){triage_words} would not change with any "
            f"likely answer to the remaining questions (largest chance of a change "
            f"{why['largest_change']:.0%}, below {CHANGE_LIMIT:.0%})."))
    chosen = max(useful, key=lambda c: c.score)
    return _ask(kb, cat, state, result, chosen, asked, _estimate_after(candidates, marginals[top]), diagnostics)


def _settled(
    model: CompiledModel, state: InterviewState, candidates: list[_Candidate], top_probability: float,
    level: str | None,
) -> tuple[bool, dict[str, Any]]:
    """The stopping rule: a clear leader that no likely answer would displace, nor the triage change."""
    largest = max((c.p_top_change for c in candidates), default=0.0)
    why: dict[str, Any] = {"largest_change": largest, "triage_checked": False}
    if top_probability < TOP_FLOOR or largest >= CHANGE_LIMIT:
        return False, why
    if level is None:
        return True, why
    why["triage_checked"] = True
    for cand in sorted(candidates, key=lambda c: -c.score):
        cand.p_triage_change = _p_triage_change(state, cand, level)
        largest = max(largest, cand.p_triage_change)
        why["largest_change"] = largest
        if cand.p_triage_change >= CHANGE_LIMIT:
            return False, why
    return True, why


def _p_triage_change(state: InterviewState, cand: _Candidate, level: str) -> float:
    """Chance that the answer to a question would change the triage level (likeliest answers checked)."""
    assert cand.q is not None
    order = np.argsort(-cand.q)
    changed, covered = 0.0, 0.0
    for n, o in enumerate(order):
        if n >= TRIAGE_OUTCOMES or covered >= 0.995:
            break
        covered += float(cand.q[o])
        hypothetical = _assess(_case_data(state, cand.hypotheses[o]))
        if triage_level(hypothetical) != level:
            changed += float(cand.q[o])
    return changed


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
    asked: int, remaining: int, diagnostics: dict[str, Any],
) -> InterviewStep:
    group_id = cand.group.id if cand.group is not None else None
    questions = [_question(kb, cat, m, group_id) for m in cand.members]
    for q in questions:
        q["information_bits"] = round(cand.score, 4)
    if cand.group is not None and len(cand.members) > 1:
        group = {
            "id": cand.group.id,
            "kind": "checklist",
            "text": cand.group.lay_text if cat.mode == "lay" else cand.group.clinician_text,
            "red_flag": cand.red_flag,
        }
    else:
        group = {"id": group_id or cand.key, "kind": "single", "text": questions[0]["text"], "red_flag": cand.red_flag}
    diagnostics["chosen"] = cand.key
    diagnostics["score"] = cand.score
    return InterviewStep(result, questions, group, False, None, None,
                         _progress(asked, max(1, remaining), state, answered=len(state.answers)), diagnostics)


# --------------------------------------------------------------------------- helpers for callers


def parse_answer(kb: KnowledgeBase, finding_id: str, text: str, heel_side: str | None = None) -> Any:
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
    "screens_asked",
    "step",
    "triage_level",
]
