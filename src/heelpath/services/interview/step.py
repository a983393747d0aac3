"""One interview step: the current result, the next screen of questions, and whether to stop.

How a question is chosen
------------------------
1. Age, sex and which heel hurts come first (one screen).
2. Then the red-flag screening (:mod:`.screening`): the findings that can still decide an
   undecided red-flag rule, grouped into a few short checklists. Never skipped, in either mode.
3. Then the screen (a single finding, a number, or a checklist such as the body map of where it
   hurts) with the highest expected information gain per screen over the engine's states, with
   serious causes weighted up. Once a cause leads, the question most likely to change the leading
   cause, then the triage level, comes first.

When it stops
-------------
After the screening it stops ("settled") when the leading cause has at least ``top_floor``
probability, no remaining question has a ``change_limit`` chance of changing the leading cause
or the triage level, and at most ``change_limit`` of ``completions`` simulated sets of answers to
all the remaining questions would change either (:class:`.policy.InterviewPolicy`). It also stops
soon after an emergency red flag ("emergency"), when nothing useful is left to ask
("nothing_left"), or at the maximum number of screens ("max_questions"). docs/interview.md
describes the API and the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from heelpath.engine import evidence_vector
from heelpath.errors import UnknownFindingError
from heelpath.knowledge import KnowledgeBase
from heelpath.services.case import Case, to_evidence
from heelpath.services.interview import screening
from heelpath.services.interview.candidates import Candidate, candidates, score_all
from heelpath.services.interview.catalogue import Catalogue, catalogue, serious_weights
from heelpath.services.interview.lookahead import Known, Scorer, completions, triage_changes
from heelpath.services.interview.policy import DEFAULT_POLICY, InterviewPolicy
from heelpath.services.interview.state import UNKNOWN, InterviewState, case_data
from heelpath.services.result import AssessmentResult

if TYPE_CHECKING:
    from heelpath.services.context import Heelpath

ABOUT_YOU = "about_you"
CONFIRM_FIRST = "confirm_first"  # the screen of warning signs a description left unsettled
STOP_REASONS = {
    "settled": "the answer is settled",
    "emergency": "a warning sign needs emergency care now",
    "nothing_left": "no question left could change the answer",
    "max_questions": "the maximum number of questions was reached",
}
StopReason = Literal["settled", "emergency", "nothing_left", "max_questions"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class QuestionOption(_Out):
    value: bool | str
    label: str


class Question(_Out):
    """One question to show; answer it under ``answers[id]`` (or ``age`` / ``sex`` / ``side``)."""

    id: str
    text: str
    type: Literal["boolean", "number", "choice"]
    options: list[QuestionOption] | None
    lateralised: bool
    group: str | None
    red_flag: bool
    required: bool
    label: str | None = None
    answered_by: str | None = None
    how_to_examine: str | None = None
    unit: str | None = None
    range: list[float] | None = None


class QuestionScreen(_Out):
    """What the screen of questions is."""

    id: str
    kind: Literal["about_you", "checklist", "single"] = Field(
        description="`about_you`, `checklist` (tick all that apply) or `single`")
    text: str
    red_flag: bool
    alert: str | None = Field(default=None, description="the triage headline, shown after an emergency red flag")
    information_bits: float | None = None


class InterviewProgress(_Out):
    asked: int
    answered_items: int
    estimated_remaining: int
    max: int


class InterviewStep(_Out):
    """The next screen of questions and the result so far; ``done`` says the interview may stop."""

    done: bool
    stop_reason: StopReason | None
    stop_explanation: str | None
    progress: InterviewProgress
    group: QuestionScreen | None
    next_questions: list[Question]
    result: AssessmentResult | None = Field(description="the assessment so far; null until the age is given")
    diagnostics: dict[str, Any] = Field(default_factory=dict, exclude=True)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape (``POST /api/interview/step``)."""
        return self.model_dump(mode="json")


BOOLEAN_OPTIONS = [
    QuestionOption(value=True, label="Yes"),
    QuestionOption(value=False, label="No"),
    QuestionOption(value=UNKNOWN, label="Don't know"),
]


def step(context: Heelpath, state: InterviewState | Mapping[str, Any],
         policy: InterviewPolicy | None = None) -> InterviewStep:
    """Given the answers so far, the current result, the next question(s) and whether to stop.

    Parameters
    ----------
    context
        The loaded knowledge (``heelpath.load()``); ``context.step(state)`` calls this.
    state
        Mode, setting, age, sex, side and answers so far (:class:`InterviewState` or its JSON).
    policy
        How questions are chosen and when to stop; :data:`DEFAULT_POLICY` by default.

    Raises
    ------
    heelpath.InputError
        The state is malformed, names an unknown finding, or has invalid or contradictory answers.
    """
    if not isinstance(state, InterviewState):
        state = InterviewState.from_data(state)
    policy = policy or DEFAULT_POLICY
    model, kb = context.model, context.kb
    cat = catalogue(context, state.mode)
    for finding_id in [*state.answers, *state.confirm_first]:
        if not kb.has_finding(finding_id):
            raise UnknownFindingError(f"unknown finding id {finding_id!r} (see `heelpath kb findings`)")
    asked = screening.screens_asked(cat, state)
    limit = policy.limit(state)

    def progress(remaining: int) -> InterviewProgress:
        return InterviewProgress(asked=asked, answered_items=len(state.answers),
                                 estimated_remaining=max(0, min(remaining, limit - asked)), max=limit)

    if state.age is None or state.sex is None or state.side is None:
        if state.age is None:
            to_evidence(kb, Case.from_data({**case_data(state), "age": 40}))  # check the answers now
            result = None
        else:
            result = context.assess(case_data(state))
        needed = screening.screening_needed(cat, state, {}, state.age if state.age is not None else 40)
        return InterviewStep(
            result=result,
            next_questions=_about_you_questions(state),
            group=QuestionScreen(id=ABOUT_YOU, kind="about_you", red_flag=False,
                                 text="About you" if state.mode == "lay" else "Patient details"),
            done=False, stop_reason=None, stop_explanation=None,
            progress=progress(len({cat.screen_id(f) for f in needed}) + 3),
        )

    case = Case.from_data(case_data(state))
    assessment, result = context.assessed(case)
    evidence = assessment.evidence
    vector = evidence_vector(model, evidence.answers)
    log_prior = model.log_prior(case.setting, case.age, case.sex)
    p, marginals = assessment.state_probs, assessment.marginals
    top = int(np.argmax(marginals))
    level = result.triage.level
    top_name = kb.condition(model.condition_ids[top]).name
    diagnostics: dict[str, Any] = {"top": model.condition_ids[top], "top_probability": float(marginals[top])}

    def finish(reason: StopReason, explanation: str) -> InterviewStep:
        return InterviewStep(result=result, next_questions=[], group=None, done=True, stop_reason=reason,
                             stop_explanation=explanation, progress=progress(0), diagnostics=diagnostics)

    def ask(cand: Candidate, remaining: int, alert: bool = False) -> InterviewStep:
        diagnostics["chosen"] = cand.key
        diagnostics["score"] = cand.score
        group = cand.screen.id if cand.screen is not None else None
        return InterviewStep(result=result, next_questions=[_question(kb, cat, m, group, needed) for m in cand.members],
                             group=_screen(kb, cat, cand, result, alert), done=False, stop_reason=None,
                             stop_explanation=None, progress=progress(max(1, remaining)), diagnostics=diagnostics)

    confirm = [f for f in dict.fromkeys(state.confirm_first)
               if f not in state.answers and f in cat.askable_set and kb.finding(f).type == "boolean"]
    if confirm:
        # warning signs the person's own words named without settling them come first
        return InterviewStep(
            result=result, next_questions=[_question(kb, cat, f, None, set(confirm)) for f in confirm],
            group=QuestionScreen(id=CONFIRM_FIRST, kind="checklist", red_flag=True,
                                 text=("You mentioned these in your own words. Please say whether each is true now."
                                       if state.mode == "lay" else "Mentioned without a clear answer: confirm each.")),
            done=False, stop_reason=None, stop_explanation=None, progress=progress(len(confirm)),
            diagnostics=diagnostics)

    emergency = result.triage.red_flag_floor == "emergency"
    age = float(case.age)
    needed = set() if emergency else screening.screening_needed(cat, state, evidence.answers, age)
    cands = candidates(model, cat, policy, state, set(evidence.answers))
    scorer = Scorer(model, p, serious_weights(context, policy.serious_weight))
    for cand in cands:
        cand.red_flag = bool(needed.intersection(cand.members))
    score_all(cat, policy, scorer, top, cands)
    diagnostics["screening_left"] = sorted(needed)

    if emergency:
        # Nothing can raise the triage further: the person is told to go now (the result says so
        # on every screen from here) and only a few questions follow, while they still change
        # which cause leads, so that the report taken along names the likely cause.
        unsettled = [c for c in cands if c.p_top_change >= policy.change_limit]
        until = screening.screens_until_emergency(cat, state) + policy.emergency_extra_questions
        if asked < min(until, limit) and (unsettled or marginals[top] < policy.top_floor) and cands:
            return ask(max(cands, key=lambda c: c.score), until - asked, alert=True)
        return finish("emergency", "A warning sign needs emergency care now (triage: emergency). No answer "
                                   "could make it more urgent, so the questions stop here: go now.")

    if any(c.red_flag for c in cands):
        # the screen that, answered "no" throughout (the likeliest answer), leaves the fewest
        # red-flag questions; the most informative among equals. Answering "no" changes only the
        # rules that name one of the screen's findings.
        by_rule = screening.by_rule(cat, state, evidence.answers, age)

        def left_after(cand: Candidate) -> int:
            members = frozenset(cand.members)
            touched = [i for i, rule in enumerate(cat.rules) if rule.questions & members]
            after = screening.by_rule(cat, state, evidence.answers, age, members, touched)
            left: set[str] = set()
            for i, questions in enumerate(by_rule):
                left.update(after[i] if i in touched else questions)
            return len(left)

        # a screen of findings first; a number (how long) when it is all the screening still needs
        pool = [c for c in cands if c.red_flag and not c.number] or [c for c in cands if c.red_flag]
        chosen = min(pool, key=lambda c: (left_after(c), -c.score))
        remaining = screening.screens_left(cat, state, evidence.answers, age, needed)
        return ask(chosen, remaining + _estimate_after(policy, cands, marginals[top]))
    if asked >= limit:
        return finish("max_questions", f"Stopped at the maximum of {limit} questions; "
                                       f"the leading cause is {top_name} ({marginals[top]:.0%}).")
    if not cands:
        return finish("nothing_left", f"Every question has been asked; the leading cause is "
                                      f"{top_name} ({marginals[top]:.0%}).")
    known = Known(vector, log_prior, age, case.setting, evidence.given, scorer)
    chosen_or_none, why = _next_or_stop(context, policy, cat, state, p, top, cands, level, known)
    diagnostics.update(why)
    if chosen_or_none is None and why["settled"]:
        return finish("settled", (
            f"The leading cause ({top_name}, {marginals[top]:.0%}) and the triage ({level.replace('_', ' ')}) "
            f"would not change with any likely answer to the remaining questions: no single answer has a "
            f"{policy.change_limit:.0%} chance of changing it (largest {why['largest_change']:.0%}), nor do "
            f"{why.get('completions_changed', 0):.0%} of {policy.completions} simulated sets of all the "
            f"remaining answers."))
    if chosen_or_none is None:
        return finish("nothing_left", f"No question left could change the answer; the leading cause is "
                                      f"{top_name} ({marginals[top]:.0%}).")
    return ask(chosen_or_none, _estimate_after(policy, cands, marginals[top]))


def _next_or_stop(
    context: Heelpath, policy: InterviewPolicy, cat: Catalogue, state: InterviewState, p: np.ndarray, top: int,
    cands: list[Candidate], level: str, known: Known,
) -> tuple[Candidate | None, dict[str, Any]]:
    """The stopping rule, and the next question when it does not stop.

    1. While no cause leads clearly (below ``top_floor``), ask the most informative question.
    2. Once one does, ask the question most likely to change the leading cause, while any would
       with ``change_limit`` chance or more.
    3. Then the question most likely to change the triage level, while any would.
    4. Then draw ``completions`` answers to *all* the remaining questions from the model; when
       more than ``change_limit`` of them would end with another leading cause or triage level
       (answers that matter only together), ask the question whose answer differs most between
       the completions that change the result and those that do not.
    5. Otherwise stop: the answer is settled.
    """
    top_probability = float((p @ context.model.membership)[top])
    largest = max((c.p_top_change for c in cands), default=0.0)
    why: dict[str, Any] = {"largest_change": largest, "triage_checked": True, "settled": False}
    if top_probability < policy.top_floor:
        useful = [c for c in cands if c.score > 1e-6 or c.p_top_change > 0]
        why["triage_checked"] = False
        return (max(useful, key=lambda c: c.score) if useful else None), why
    if largest >= policy.change_limit:
        why["triage_checked"] = False
        return max(cands, key=lambda c: (c.p_top_change, c.score)), why
    triage_changes(context, policy, cands, level, known)
    blocker = max(cands, key=lambda c: (c.p_triage_change or 0.0, c.score))
    why["largest_change"] = max(largest, blocker.p_triage_change or 0.0)
    if (blocker.p_triage_change or 0.0) >= policy.change_limit:
        why["blocked_by"] = blocker.key
        return blocker, why
    p_change, association = completions(context, policy, cat.test_findings, state, p, top, level, cands, known)
    why["completions_changed"] = p_change
    if p_change > policy.change_limit:
        chosen = max(range(len(cands)), key=lambda i: (association[i], cands[i].score))
        if association[chosen] > 0:
            why["blocked_by"] = cands[chosen].key
            return cands[chosen], why
    why["settled"] = True
    return None, why


def _estimate_after(policy: InterviewPolicy, cands: list[Candidate], top_probability: float) -> int:
    blocking = sum(1 for c in cands if not c.red_flag and c.p_top_change >= policy.change_limit)
    if top_probability < policy.top_floor:
        blocking = max(blocking, 2)
    return min(blocking, 6)


def _screen(kb: KnowledgeBase, cat: Catalogue, cand: Candidate, result: AssessmentResult, alert: bool) -> QuestionScreen:
    if cand.screen is not None and len(cand.members) > 1:
        screen_id = cand.screen.id
        kind: Literal["checklist", "single"] = "checklist"
        text = cand.screen.lay_text if cat.mode == "lay" else cand.screen.clinician_text
    else:
        screen_id = cand.screen.id if cand.screen is not None else cand.key
        kind = "single"
        text = _question_text(kb, cat, cand.members[0])
    return QuestionScreen(id=screen_id, kind=kind, text=text, red_flag=cand.red_flag,
                          information_bits=round(cand.score, 4),
                          alert=result.triage.headline if alert else None)


def _question_text(kb: KnowledgeBase, cat: Catalogue, finding_id: str) -> str:
    finding = kb.finding(finding_id)
    text = finding.lay_question if cat.mode == "lay" and finding.lay_question else finding.clinician_question
    return f"{text} (if the result is available)" if finding.answered_by == "test" else text


def _question(kb: KnowledgeBase, cat: Catalogue, finding_id: str, group: str | None, needed: set[str]) -> Question:
    finding = kb.finding(finding_id)
    number = finding.type == "number"
    return Question(
        id=finding.id,
        text=_question_text(kb, cat, finding_id),
        label=finding.label,
        type=finding.type,
        answered_by=finding.answered_by,
        options=None if number else BOOLEAN_OPTIONS,
        lateralised=finding.lateralised,
        how_to_examine=None if cat.mode == "lay" else finding.how_to_examine,
        group=group,
        red_flag=finding_id in cat.red_flags,
        required=finding_id in needed,
        unit=finding.unit if number else None,
        range=list(finding.range) if number and finding.range else None,
    )


def _about_you_questions(state: InterviewState) -> list[Question]:
    lay = state.mode == "lay"
    questions = []
    if state.age is None:
        questions.append(Question(
            id="age", text="How old are you?" if lay else "Age (years)", type="number", unit="years",
            range=[0, 120], options=None, lateralised=False, group=ABOUT_YOU, red_flag=False, required=True))
    if state.sex is None:
        questions.append(Question(
            id="sex", text="What sex were you assigned at birth?" if lay else "Sex", type="choice",
            options=[QuestionOption(value="female", label="Female"), QuestionOption(value="male", label="Male"),
                     QuestionOption(value=UNKNOWN, label="Prefer not to say")],
            lateralised=False, group=ABOUT_YOU, red_flag=False, required=False))
    if state.side is None:
        questions.append(Question(
            id="side", text="Which heel hurts?" if lay else "Painful side", type="choice",
            options=[QuestionOption(value="left", label="Left"), QuestionOption(value="right", label="Right"),
                     QuestionOption(value="both", label="Both"), QuestionOption(value=UNKNOWN, label="Not sure")],
            lateralised=False, group=ABOUT_YOU, red_flag=False, required=False))
    return questions
