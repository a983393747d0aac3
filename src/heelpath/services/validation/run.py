"""One validation run: every figure of the report, computed from the case suites and the model."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from heelpath.services.context import Heelpath
from heelpath.services.interview import InterviewPolicy
from heelpath.services.validation import figures
from heelpath.services.validation.interviews import (
    interview,
    sampled_respondents,
    summarise,
    vignette_respondents,
)
from heelpath.services.validation.lay_texts import WORKED_DEV_SPLITS, LayTextScore, score_lay_texts
from heelpath.services.validation.suites import (
    FORMS,
    CaseOutcome,
    assess_case,
    cases_folder,
    load_lay_texts,
    load_suite,
)

SEED = 7


@dataclass(frozen=True)
class Size:
    """How much a run samples: ``QUICK`` for CI, ``FULL`` for a release."""

    cohort: int  # simulated people for calibration
    firing_cohort: int  # simulated people assessed in full, for how often each red flag fires
    draws: int  # random variations of every estimate at once
    influence_candidates: int | None  # single estimates tried (None: all)
    interviews: int  # simulated interviews per mode
    vignette_interviews: bool
    speed_repeats: int


QUICK = Size(cohort=1000, firing_cohort=200, draws=3, influence_candidates=40, interviews=10,
             vignette_interviews=False, speed_repeats=30)
FULL = Size(cohort=20000, firing_cohort=3000, draws=30, influence_candidates=None, interviews=200,
            vignette_interviews=True, speed_repeats=300)


@dataclass(frozen=True)
class ValidationRun:
    kb_version: str
    kb_hash: str
    date: str
    quick: bool
    suites: dict[str, int]  # suite -> cases
    accuracy: list[figures.AccuracyRow]
    calibration: list[figures.Reliability]
    sensitivity: figures.Sensitivity
    coverage: list[figures.Coverage]
    triage: list[figures.TriageFigures]
    red_flags: list[tuple[str, str, int, int]]
    interviews: list[dict[str, Any]]
    interview_screens: dict[str, list[int]]
    text: LayTextScore
    speed: figures.Speed


STEPS = ("accuracy", "calibration", "sensitivity", "triage", "interview", "text intake", "speed")


def run_validation(context: Heelpath, cases: str | Path | None = None, quick: bool = False,
                   progress: Callable[[str], None] = lambda step: None) -> ValidationRun:
    """Compute every figure; `progress` is told the name of each step (``STEPS``) as it starts."""
    folder = cases_folder(cases)
    size = QUICK if quick else FULL
    suites = {"public vignettes": load_suite(folder / "vignettes"),
              "development set": load_suite(folder / "devset" / "dev")}

    progress("accuracy")
    outcomes: dict[tuple[str, str], list[CaseOutcome]] = {
        (name, form): [assess_case(context, case, form) for case in suite]
        for name, suite in suites.items() for form in FORMS
    }
    accuracy = figures.accuracy(outcomes)

    progress("calibration")
    structured = [o for (name, form), found in outcomes.items() if form == "structured" for o in found]
    calibration = [figures.calibration_on_cohort(context, size.cohort, SEED),
                   figures.calibration_on_cases(context, "the public vignettes and the development set", structured)]

    progress("sensitivity")
    matrix = figures.CaseMatrix.of(context, [c for suite in suites.values() for c in suite])
    sensitivity = figures.sensitivity(context, matrix, size.draws, SEED, candidates=size.influence_candidates)

    progress("triage")
    triage = [figures.triage(f"{name}, {form}", found) for (name, form), found in outcomes.items()]
    red_flags = figures.red_flag_firing(context, structured, size.firing_cohort, SEED)

    progress("interview")
    rng = np.random.default_rng(SEED)
    policy = InterviewPolicy()
    groups = {f"sampled {mode}": [interview(p, context, policy) for p in
                                  sampled_respondents(context, mode, size.interviews, rng, 0.05, 0.3)]
              for mode in ("lay", "clinician")}
    if size.vignette_interviews:
        people = vignette_respondents(suites["public vignettes"])
        for mode in ("lay", "clinician"):
            groups[f"vignettes {mode}"] = [interview(p, context, policy) for p in people if p.mode == mode]
    interviews = [summarise(label, found) for label, found in groups.items() if found]

    progress("text intake")
    red_flag_ids = frozenset(json.loads((folder / "lay_texts" / "red_flags.json").read_text(encoding="utf-8")))
    texts = load_lay_texts(folder, WORKED_DEV_SPLITS)  # hold-outs are scored by hand
    text = score_lay_texts(context, texts, red_flag_ids)

    progress("speed")
    speed = figures.speed(context, [t["text"] for t in texts[:50]], size.speed_repeats)
    return ValidationRun(
        kb_version=context.kb.version, kb_hash=context.kb.content_hash, date=dt.date.today().isoformat(), quick=quick,
        suites={name: len(suite) for name, suite in suites.items()} | {"lay texts (development)": len(texts)},
        accuracy=accuracy, calibration=calibration, sensitivity=sensitivity, coverage=figures.coverage(context),
        triage=triage, red_flags=red_flags, interviews=interviews,
        interview_screens={label: [o.screens for o in found] for label, found in groups.items()},
        text=text, speed=speed,
    )
