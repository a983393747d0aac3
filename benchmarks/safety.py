"""Safety and open-world figures on the public vignettes and the third-party development set.

For each suite, in structured form (the case's findings) and narrative form (the free text alone,
read by the text intake): top-1 and top-3 accuracy on in-scope cases; the share of out-of-scope
cases flagged as "not explained" and the share of in-scope cases wrongly flagged; triage exact
agreement; under-triage by reference level; emergencies missed; urgent or emergency cases called
lower.

The hold-out (cases/devset/holdout) is scored only with --holdout, once per release, and printed
as totals: never read it case by case or tune to it.

Run: .venv/bin/python benchmarks/safety.py [--holdout] [--cases] [--no-text]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import heelpath
from _vignettes import load_vignettes
from heelpath.knowledge.rules import LEVELS, level_rank
from heelpath.services.validation.suites import assess_case, default_cases_dir, load_suite

DEVSET = default_cases_dir() / "devset"


def score(context: heelpath.Heelpath, suite: list[dict[str, Any]], form: str) -> tuple[dict[str, Any], list[str]]:
    """The figures of one suite in one form ("structured" or "narrative"), and per-case lines."""
    counts: Counter[str] = Counter()
    under: Counter[str] = Counter()
    lines = []
    for case in suite:
        outcome = assess_case(context, case, form)
        level, want = outcome.level, outcome.reference_level
        counts["n"] += 1
        if outcome.in_scope:
            counts["in_scope"] += 1
            counts["top1"] += outcome.top(1)
            counts["top3"] += outcome.top(3)
            counts["in_scope_flagged"] += outcome.flagged
        else:
            counts["out_of_scope"] += 1
            counts["out_of_scope_flagged"] += outcome.flagged
        counts["triage_exact"] += level == want
        if level_rank(level) < level_rank(want):
            under[want] += 1
        counts["emergency"] += want == "emergency"
        counts["emergency_missed"] += want == "emergency" and level != "emergency"
        counts["urgent_or_emergency"] += want in ("urgent", "emergency")
        counts["urgent_or_emergency_lower"] += want in ("urgent", "emergency") and level_rank(level) < level_rank(want)
        lines.append(f"  {outcome.case_id:<48} gold {want:<9} got {level:<9} top {outcome.ranked[0]:<34} "
                     f"unexplained {outcome.unexplained:.2f}{' FLAGGED' if outcome.flagged else ''}")
    counts.update({f"under_{level}": n for level, n in under.items()})
    return dict(counts), lines


def _pct(a: int, b: int) -> str:
    return f"{a / b:.1%} ({a}/{b})" if b else "-"


def report(name: str, form: str, c: dict[str, Any]) -> None:
    under = ", ".join(f"{lv} {c.get(f'under_{lv}', 0)}" for lv in reversed(LEVELS) if c.get(f"under_{lv}"))
    print(f"{name} [{form}]: {c['n']} cases")
    print(f"  in scope: top-1 {_pct(c.get('top1', 0), c.get('in_scope', 0))}, top-3 {_pct(c.get('top3', 0), c.get('in_scope', 0))}, "
          f"wrongly flagged 'not explained' {_pct(c.get('in_scope_flagged', 0), c.get('in_scope', 0))}")
    print(f"  out of scope flagged 'not explained': {_pct(c.get('out_of_scope_flagged', 0), c.get('out_of_scope', 0))}")
    print(f"  triage exact {_pct(c['triage_exact'], c['n'])}; under-triage by reference level: {under or 'none'}")
    print(f"  emergencies missed {c['emergency_missed']} of {c['emergency']}; urgent or emergency called lower "
          f"{c['urgent_or_emergency_lower']} of {c['urgent_or_emergency']}")


def main(argv: list[str]) -> None:
    context = heelpath.load()
    suites = [("public vignettes", load_vignettes()), ("development set", load_suite(DEVSET / "dev"))]
    if "--holdout" in argv:
        suites.append(("hold-out (once per release)", load_suite(DEVSET / "holdout")))
    forms = ["structured"] + ([] if "--no-text" in argv else ["narrative"])
    for name, suite in suites:
        if not suite:
            print(f"{name}: no cases")
            continue
        for form in forms:
            counts, lines = score(context, suite, form)
            report(name, form, counts)
            if "--cases" in argv and not name.startswith("hold-out"):
                print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
