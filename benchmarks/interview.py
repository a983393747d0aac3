"""The adaptive interview against simulated respondents.

Two kinds of respondent answer whatever the interview asks:
- patients sampled from the model: a setting's prior over states (one cause or two), then every
  finding drawn from P(finding | state); a share of answers is "don't know" (--unknown-rate);
- the vignette suite (cases/vignettes/*.json), each answered from its own findings, "don't know"
  where the vignette is silent, in the vignette's mode.

For each interview it counts the screens shown (the about-you screen, each checklist and each
single question count as one; the items answered are counted too) and compares the interview's
final leading cause and triage level with the result when every finding the respondent knows is
given at once. A red flag is missed when its rule fires with every finding known but not at the end of the
interview (rules not reached because the interview stopped early for an emergency are counted
apart, as superseded); a case is under-triaged when the interview's triage is lower than the
all-findings triage on an emergency or urgent case.

Run: .venv/bin/python benchmarks/interview.py [--n 400] [--seed 7] [--unknown-rate 0.05]
     [--test-rate 0.3] [--misses] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import heelpath
from _vignettes import load_vignettes
from heelpath.knowledge.rules import LEVELS as TRIAGE_ORDER
from heelpath.services.interview import (
    DEFAULT_SETTING,
    UNKNOWN,
    InterviewPolicy,
    InterviewState,
    catalogue,
)


@dataclass
class Respondent:
    """Someone who answers from what they know; silent findings are answered "don't know"."""

    name: str
    mode: str
    setting: str
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


STEP_SECONDS: list[float] = []  # the time of every step() call


def interview(respondent: Respondent, context: heelpath.Heelpath, policy: InterviewPolicy) -> Outcome:
    kb = context.kb
    state = InterviewState(mode=respondent.mode, setting=respondent.setting)
    screens = 0
    while True:
        started = time.perf_counter()
        current = context.step(state, policy)
        STEP_SECONDS.append(time.perf_counter() - started)
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
    reference = context.assess(respondent.case_data())
    fired, ref_fired = _red_flags_fired(result), _red_flags_fired(reference)
    not_fired = [r for r in ref_fired if r not in fired]
    superseded = not_fired if current.stop_reason == "emergency" else []
    missed = [r for r in not_fired if r not in superseded]
    level, ref_level = result.triage.level, reference.triage.level
    lower = level is not None and ref_level is not None and TRIAGE_ORDER.index(level) < TRIAGE_ORDER.index(ref_level)
    under = lower and ref_level in ("emergency", "urgent")
    return Outcome(respondent, screens, len(state.answers), current.stop_reason, result.differential[0].id,
                   reference.differential[0].id, level, ref_level, ref_fired, missed, superseded, under, lower)


def _red_flags_fired(result: heelpath.AssessmentResult) -> list[str]:
    return [r.id for r in result.triage.rules_fired if r.kind == "red_flag"]


def sampled_respondents(
    context: heelpath.Heelpath, mode: str, n: int, rng: np.random.Generator, unknown_rate: float, test_rate: float,
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
                truth[finding_id] = int(rng.integers(0, rules[0].at_least)) if n_true == 0 else int(
                    rng.integers(rules[n_true - 1].at_least, rules[n_true].at_least if n_true < len(rules) else 3 * rules[-1].at_least)
                )
            else:
                truth[finding_id] = bool(drawn[f_index[finding_id]])
            chance_unknown = (1 - test_rate) if finding.answered_by == "test" else unknown_rate
            if finding_id not in cat.red_flags and rng.random() < chance_unknown:
                del truth[finding_id]
        people.append(Respondent(f"sampled-{mode}-{i}", mode, setting, age, sex, side, truth,
                                 [model.condition_ids[c] for c in model.states[state]]))
    return people


def vignette_respondents() -> list[Respondent]:
    people = []
    for v in load_vignettes():
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


def _pct(x) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="sampled patients per mode")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--unknown-rate", type=float, default=0.05, help="share of non-red-flag answers not known")
    parser.add_argument("--test-rate", type=float, default=0.3, help="share of test results known (clinician)")
    parser.add_argument("--misses", action="store_true", help="list the disagreements")
    parser.add_argument("--rule", action="append", default=[], metavar="NAME=VALUE",
                        help="try another policy value, e.g. top_floor=0.6 (repeatable; see InterviewPolicy)")
    parser.add_argument("--json", dest="as_json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    tuned: dict[str, float] = {}
    for setting in args.rule:
        name, _, value = setting.partition("=")
        if name not in ("top_floor", "change_limit", "serious_weight", "item_cost", "test_weight"):
            parser.error(f"--rule: unknown policy value {name!r}")
        tuned[name] = float(value)
    policy = InterviewPolicy(**tuned)  # type: ignore[arg-type]
    context = heelpath.load()
    rng = np.random.default_rng(args.seed)
    groups: dict[str, list[Outcome]] = {}
    started = time.perf_counter()
    for mode in ("lay", "clinician"):
        people = sampled_respondents(context, mode, args.n, rng, args.unknown_rate, args.test_rate)
        groups[f"sampled {mode}"] = [interview(p, context, policy) for p in people]
    vignettes = vignette_respondents()
    for mode in ("lay", "clinician"):
        chosen = [p for p in vignettes if p.mode == mode]
        if chosen:
            groups[f"vignettes {mode}"] = [interview(p, context, policy) for p in chosen]
    elapsed = time.perf_counter() - started
    summaries = [summarise(label, outcomes) for label, outcomes in groups.items()]
    step_ms = np.array(STEP_SECONDS) * 1000
    steps = {"steps": int(step_ms.size), "median_ms": float(np.median(step_ms)),
             "p90_ms": float(np.percentile(step_ms, 90)), "p99_ms": float(np.percentile(step_ms, 99)),
             "max_ms": float(step_ms.max())}

    if args.as_json:
        print(json.dumps({"seed": args.seed, "unknown_rate": args.unknown_rate, "test_rate": args.test_rate,
                          "groups": summaries, "step_time": steps}, indent=2))
    else:
        triage_wired = any(s.get("triage_agreement") is not None for s in summaries)
        rules = ", ".join(f"{k} {getattr(policy, k)}" for k in ("top_floor", "change_limit", "serious_weight"))
        print(f"stopping rule: {rules}")
        print(f"interview benchmark: seed {args.seed}, unknown-rate {args.unknown_rate}, test-rate {args.test_rate}, "
              f"{sum(len(o) for o in groups.values())} interviews in {elapsed:.1f} s")
        print(f"step time over {steps['steps']} steps: median {steps['median_ms']:.2f} ms, p90 {steps['p90_ms']:.2f} ms, "
              f"p99 {steps['p99_ms']:.2f} ms, max {steps['max_ms']:.2f} ms (first steps include loading)")
        if not vignettes:
            print("vignette suite: no files in cases/vignettes yet")
        if not triage_wired:
            print("triage: the pipeline gives no triage level yet, so only the leading cause is compared")
        header = (f"{'respondents':<20} {'n':>5} {'median q':>9} {'p90 q':>6} {'max q':>6} {'items':>6} "
                  f"{'top agree':>10} {'triage agree':>13} {'both':>7} {'RF cases':>9} {'RF missed':>10} {'under-triaged':>14}")
        print(header)
        for s in summaries:
            print(f"{s['label']:<20} {s['n']:>5} {s['median_questions']:>9.1f} {s['p90_questions']:>6.1f} "
                  f"{s['max_questions']:>6} {s['median_items']:>6.0f} {_pct(s['top_agreement']):>10} "
                  f"{_pct(s['triage_agreement']):>13} {_pct(s['top_and_triage_agreement']):>7} "
                  f"{s['red_flag_cases']:>9} {s['red_flags_missed']:>10} {s['under_triaged']:>14}")
        for s in summaries:
            extra = ""
            if "gold_top1_interview" in s:
                extra = (f"; gold top-1 {s['gold_top1_interview']:.1%} by interview vs "
                         f"{s['gold_top1_all_findings']:.1%} with all findings")
            print(f"  {s['label']}: stop reasons {s['stop_reasons']}; red flags superseded by an emergency stop "
                  f"{s['red_flags_superseded_by_emergency']}; triage lower than with all findings "
                  f"{s['triage_lower']}{extra}")
    if args.misses:
        print("\ndisagreements (interview -> all findings):")
        for label, outcomes in groups.items():
            for o in outcomes:
                if o.top != o.reference_top or o.level != o.reference_level or o.red_flags_missed:
                    print(f"  {label} {o.respondent.name}: top {o.top} vs {o.reference_top}; triage {o.level} vs "
                          f"{o.reference_level}; {o.screens} screens, stop {o.stop_reason}"
                          + (f"; red flags missed {o.red_flags_missed}" if o.red_flags_missed else ""))


if __name__ == "__main__":
    main()
