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
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import heelpath
from _vignettes import load_vignettes
from heelpath.services.interview import InterviewPolicy
from heelpath.services.validation.interviews import (
    Outcome,
    interview,
    sampled_respondents,
    summarise,
    vignette_respondents,
)

STEP_SECONDS: list[float] = []  # the time of every step() call


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
        groups[f"sampled {mode}"] = [interview(p, context, policy, STEP_SECONDS) for p in people]
    vignettes = vignette_respondents(load_vignettes())
    for mode in ("lay", "clinician"):
        chosen = [p for p in vignettes if p.mode == mode]
        if chosen:
            groups[f"vignettes {mode}"] = [interview(p, context, policy, STEP_SECONDS) for p in chosen]
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
