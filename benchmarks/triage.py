"""Triage and next-step safety on the public vignette suite (cases/vignettes/*.json).

Prints triage exact agreement with the gold level, the under-triage share (goal 0), the
over-triage share, emergencies missed, a confusion table, and next-step sanity counts (e.g. a
lumbar MRI advised in a plantar-fasciitis case). The rules follow the guidelines; this script only
measures them.

Run: .venv/bin/python benchmarks/triage.py [--cases]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import heelpath
from _vignettes import load_vignettes
from heelpath.knowledge.rules import LEVELS, level_rank

SPINAL = {"s1_radiculopathy", "lumbar_spinal_stenosis", "cauda_equina_syndrome", "spinal_infection", "spinal_malignancy"}
SCIATICA = {"s1_radiculopathy", "lumbar_spinal_stenosis"}
SERIOUS_SPINE_TRIAGE = {"urgent", "emergency"}
CONDITIONAL_MRI = "test_lumbar_mri_persistent"


def _tests(steps: dict, section: str) -> set[str]:
    return {t for item in steps.get(section, []) for t in item.get("tests", [])}


def _avoid_text(steps: dict) -> str:
    return " ".join(item["clinician"] for item in steps.get("avoid", [])).lower()


def main(show_cases: bool) -> None:
    vignettes = load_vignettes()
    if not vignettes:
        print("no vignettes found in cases/vignettes")
        return
    rows = []
    confusion: Counter = Counter()
    sanity: Counter = Counter()
    context = heelpath.load()
    for v in vignettes:
        result = context.assess(v["case"]).to_json()
        gold = v["gold"]["triage"]
        got = result["triage"]["level"]
        confusion[(gold, got)] += 1
        diff = level_rank(got) - level_rank(gold)
        rows.append((v["_file"], gold, got, diff, result["triage"]["set_by"]))

        conditions = set(v["gold"]["conditions"])
        steps = result["next_steps"]
        tests, not_advised = _tests(steps, "tests"), _tests(steps, "tests_not_recommended")
        if "plantar_fasciitis" in conditions and not conditions & SPINAL:
            sanity["plantar fasciitis (no spinal cause): cases"] += 1
            sanity["  lumbar MRI advised (want 0)"] += "lumbar_mri" in tests
            sanity["  heel imaging advised"] += bool({"heel_xray", "heel_mri"} & tests)
        if conditions & SCIATICA and gold not in SERIOUS_SPINE_TRIAGE:
            sanity["sciatica/stenosis without red flags: cases"] += 1
            mri = [item["id"] for item in steps["tests"] if item.get("test") == "lumbar_mri"]
            sanity["  lumbar MRI advised now (want 0)"] += any(i != CONDITIONAL_MRI for i in mri)
            sanity["  lumbar MRI only if an intervention candidate after 6 weeks (ACR variant 3)"] += CONDITIONAL_MRI in mri
            sanity["  'no routine spine imaging' given"] += "lumbar_mri" in not_advised
            sanity["  gabapentinoid advice missing (want 0)"] += "gabapentinoid" not in _avoid_text(steps)
        if "cauda_equina_syndrome" in conditions:
            sanity["cauda equina: cases"] += 1
            sanity["  emergency lumbar MRI missing (want 0)"] += "lumbar_mri" not in tests
        if len(conditions) > 1 and {v["gold"]["origin"]} == {"both"}:
            sanity["gold origin both: cases"] += 1
            sanity["  both-causes warning missing"] += "both_causes_warning" not in steps
        sanity["any case: a test both advised and advised against (want 0)"] += bool(tests & not_advised)

    n = len(rows)
    exact = sum(diff == 0 for *_, diff, _ in rows)
    under = [r for r in rows if r[3] < 0]
    over = [r for r in rows if r[3] > 0]
    emergencies = [r for r in rows if r[1] == "emergency"]
    missed = [r for r in emergencies if r[2] != "emergency"]
    print(f"vignettes: {n}")
    print(f"triage exact agreement: {exact / n:.1%} ({exact}/{n})")
    print(f"under-triage: {len(under) / n:.1%} ({len(under)}/{n})   goal 0")
    print(f"over-triage:  {len(over) / n:.1%} ({len(over)}/{n})")
    print(f"within one level: {sum(abs(r[3]) <= 1 for r in rows) / n:.1%}")
    print(f"emergencies missed: {len(missed)} of {len(emergencies)}")
    print("\nconfusion (rows gold, columns heelpath):")
    print(f"{'':>10} " + " ".join(f"{level:>9}" for level in LEVELS))
    for gold in LEVELS:
        print(f"{gold:>10} " + " ".join(f"{confusion[(gold, got)]:>9}" for got in LEVELS))
    print("\nnext-step sanity:")
    for key, value in sanity.items():
        print(f"  {key}: {value}")
    if under:
        print("\nunder-triaged:")
        for name, gold, got, _, set_by in under:
            print(f"  {name}: gold {gold}, heelpath {got} (set by: {set_by})")
    if show_cases:
        print("\nall cases:")
        for name, gold, got, diff, set_by in rows:
            print(f"  {name}: gold {gold}, heelpath {got} ({diff:+d}) - {set_by}")


if __name__ == "__main__":
    main("--cases" in sys.argv)
