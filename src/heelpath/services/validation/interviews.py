"""The adaptive interview against simulated respondents (benchmarks/interview.py prints it; the
validation report draws it).

Two kinds of respondent answer whatever the interview asks: patients sampled from the model (a
setting's prior over states, then every finding drawn from P(finding | state), a share of answers
"don't know"), and the vignettes, each answered from its own findings. Each interview's screens are
counted and its final leading cause, triage level and red flags compared with the result when every
finding the respondent knows is given at once.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from heelpath.knowledge.rules import LEVELS as TRIAGE_ORDER
from heelpath.services.context import Heelpath
from heelpath.services.interview import (
    DEFAULT_SETTING,
    UNKNOWN,
    InterviewPolicy,
    InterviewState,
    catalogue,
)
from heelpath.services.interview.state import Mode
from heelpath.services.result import AssessmentResult


@dataclass
class Respondent:
    """Someone who answers from what they know; silent findings are answered "don't know"."""

    name: str
    mode: Mode
    setting: str  # a case-format setting
    age: float
    sex: str
    side: str
    truth: dict  # finding id -> answer as in a case file
    gold: list[str] = field(default_factory=list)

    def case_data(self) -> dict:
        return {"setting": self.setting, "age": self.age, "sex": self.sex if self.sex != UNKNOWN else None,
                "side": self.side, "findings": dict(self.truth)}

    def answer(self, finding_id: str, kb) -> dict:
        if finding_id in self.truth:
            return {finding_id: self.truth[finding_id]}
        finding = kb.finding(finding_id)
        derived = {r.finding: self.truth[r.finding] for r in finding.derives if r.finding in self.truth}
        return derived or {finding_id: UNKNOWN}


@dataclass
class Outcome:
    respondent: Respondent
    screens: int
    items: int
    stop_reason: str
    top: str
    reference_top: str
    level: str | None
    reference_level: str | None
    red_flags_fired: list[str]  # red-flag rules that fire with every finding known
    red_flags_missed: list[str]  # ... that did not fire at the end of the interview
    superseded: list[str]  # ... not reached because the interview stopped for an emergency
    under_triage: bool  # lower than an emergency or urgent all-findings triage
    lower_triage: bool  # lower than the all-findings triage, at any level


def interview(respondent: Respondent, context: Heelpath, policy: InterviewPolicy,
              step_seconds: list[float] | None = None) -> Outcome:
    """Run one interview to its end; `step_seconds` collects the time of every step."""
    kb = context.kb
    state = InterviewState(mode=respondent.mode, setting=respondent.setting)  # type: ignore[arg-type]  # checked by the case format
    screens = 0
    while True:
        started = time.perf_counter()
        current = context.step(state, policy)
        if step_seconds is not None:
            step_seconds.append(time.perf_counter() - started)
        if current.done:
            break
        screens += 1
        answers: dict = {}
        fields: dict = {}
        for q in current.next_questions:
            if q.id in ("age", "sex", "side"):
                fields[q.id] = getattr(respondent, q.id)
            else:
                answers.update(respondent.answer(q.id, kb))
        state = state.with_answers(answers, **fields)
    result = current.result
    assert result is not None  # a finished interview has its result
    reference = context.assess(respondent.case_data())
    fired, ref_fired = _red_flags_fired(result), _red_flags_fired(reference)
    not_fired = [r for r in ref_fired if r not in fired]
    superseded = not_fired if current.stop_reason == "emergency" else []
    missed = [r for r in not_fired if r not in superseded]
    level, ref_level = result.triage.level, reference.triage.level
    lower = level is not None and ref_level is not None and TRIAGE_ORDER.index(level) < TRIAGE_ORDER.index(ref_level)
    under = lower and ref_level in ("emergency", "urgent")
    return Outcome(respondent, screens, len(state.answers), current.stop_reason or "", result.differential[0].id,
                   reference.differential[0].id, level, ref_level, ref_fired, missed, superseded, under, lower)


def _red_flags_fired(result: AssessmentResult) -> list[str]:
    return [r.id for r in result.triage.rules_fired if r.kind == "red_flag"]


def sampled_respondents(
    context: Heelpath, mode: Mode, n: int, rng: np.random.Generator, unknown_rate: float, test_rate: float,
) -> list[Respondent]:
    """Patients drawn from the model: a state from the prior, then each finding from P(finding | state).

    Each test result (imaging, blood, nerve studies) is known with probability `test_rate`.
    """
    model, kb = context.model, context.kb
    cat = catalogue(context, mode)
    setting = DEFAULT_SETTING[mode]
    f_index = model.feature_index
    people = []
    for i in range(n):
        age = int(rng.integers(8, 86))
        sex = str(rng.choice(["female", "male"]))
        log_prior = model.log_prior(setting, age, sex)
        prior = np.exp(log_prior - log_prior.max())
        state = int(rng.choice(model.n_states, p=prior / prior.sum()))
        drawn = rng.random(len(model.feature_ids)) < model.state_likelihood[state]
        bilateral = bool(drawn[f_index["bilateral_heel_pain"]])
        side = "both" if bilateral else str(rng.choice(["left", "right"]))
        truth: dict = {}
        for finding_id in cat.askable:
            finding = kb.finding(finding_id)
            if finding.id == "bilateral_heel_pain":
                continue
            if finding.type == "number":
                rules = sorted(finding.derives, key=lambda r: r.at_least)
                n_true = 0
                for rule in rules:  # the number is consistent: each threshold passed implies the lower ones
                    if not drawn[f_index[rule.finding]]:
                        break
                    n_true += 1
                bounds = [int(r.at_least) for r in rules]
                low, high = (0, bounds[0]) if n_true == 0 else (
                    bounds[n_true - 1], bounds[n_true] if n_true < len(bounds) else 3 * bounds[-1])
                truth[finding_id] = int(rng.integers(low, high))
            else:
                truth[finding_id] = bool(drawn[f_index[finding_id]])
            chance_unknown = (1 - test_rate) if finding.answered_by == "test" else unknown_rate
            if finding_id not in cat.red_flags and rng.random() < chance_unknown:
                del truth[finding_id]
        people.append(Respondent(f"sampled-{mode}-{i}", mode, setting, age, sex, side, truth,
                                 [model.condition_ids[c] for c in model.states[state]]))
    return people


def vignette_respondents(vignettes: list[dict]) -> list[Respondent]:
    """The vignettes, each answering from its own findings."""
    people = []
    for v in vignettes:
        case = v["case"]
        mode = v.get("mode", "lay")
        if mode not in ("lay", "clinician"):
            continue
        people.append(Respondent(
            v["_file"], mode, case.get("setting") or DEFAULT_SETTING[mode], case["age"], case.get("sex") or UNKNOWN,
            case.get("side") or "unknown", dict(case.get("findings") or {}), list(v.get("gold", {}).get("conditions", [])),
        ))
    return people


def summarise(label: str, outcomes: list[Outcome]) -> dict:
    if not outcomes:
        return {}
    screens = np.array([o.screens for o in outcomes])
    items = np.array([o.items for o in outcomes])
    top = np.mean([o.top == o.reference_top for o in outcomes])
    with_triage = [o for o in outcomes if o.reference_level is not None]
    triage = np.mean([o.level == o.reference_level for o in with_triage]) if with_triage else None
    both = np.mean([o.top == o.reference_top and o.level == o.reference_level for o in with_triage]) if with_triage else None
    gold = [o for o in outcomes if o.respondent.gold]
    summary = {
        "label": label,
        "n": len(outcomes),
        "median_questions": float(np.median(screens)),
        "p90_questions": float(np.percentile(screens, 90)),
        "max_questions": int(screens.max()),
        "median_items": float(np.median(items)),
        "top_agreement": float(top),
        "triage_agreement": None if triage is None else float(triage),
        "top_and_triage_agreement": None if both is None else float(both),
        "red_flag_cases": sum(1 for o in outcomes if o.red_flags_fired),
        "red_flags_missed": sum(len(o.red_flags_missed) for o in outcomes),
        "red_flags_superseded_by_emergency": sum(len(o.superseded) for o in outcomes),
        "under_triaged": sum(o.under_triage for o in outcomes),
        "triage_lower": sum(o.lower_triage for o in outcomes),
        "stop_reasons": dict(sorted(_count(o.stop_reason for o in outcomes).items())),
    }
    if gold:
        summary["gold_top1_interview"] = float(np.mean([o.top in o.respondent.gold for o in gold]))
        summary["gold_top1_all_findings"] = float(np.mean([o.reference_top in o.respondent.gold for o in gold]))
    return summary


def _count(values) -> dict:
    counts: dict = defaultdict(int)
    for v in values:
        counts[v] += 1
    return dict(counts)
