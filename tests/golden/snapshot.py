"""The golden cases and what is compared of their results.

Every public vignette, every packaged example and a fixed synthetic set are assessed, and a fixed
set of simulated interviews is run; the differential, triage, next steps and the interview's
screens are reduced to plain JSON and compared with ``golden.json``. Regenerate (after an
intentional change, listed in the commit) with ``python -m tests.golden.snapshot --write``.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("golden.json")
SYNTHETIC_CASES = 150
SYNTHETIC_INTERVIEWS = 12


def cases(kb: Any) -> dict[str, dict[str, Any]]:
    """Name -> case data: vignettes, examples, and seeded random cases over the knowledge base."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((ROOT / "cases" / "vignettes").glob("*.json")):
        out[f"vignette/{path.stem}"] = json.loads(path.read_text())["case"]
    for path in sorted((ROOT / "src" / "heelpath" / "examples").glob("*.json")):
        out[f"example/{path.stem}"] = json.loads(path.read_text())
    booleans = _askable_booleans(kb)
    rng = random.Random(20261205)
    for i in range(SYNTHETIC_CASES):
        findings = {f: rng.random() < 0.4 for f in rng.sample(booleans, rng.randint(1, 14))}
        out[f"synthetic/{i:03d}"] = {
            "setting": rng.choice(["self_assessment", "primary_care"]),
            "age": rng.randint(8, 90),
            "sex": rng.choice(["female", "male"]),
            "side": "left",
            "findings": findings,
        }
    return out


def _askable_booleans(kb: Any) -> list[str]:
    # the heel side is given by the case's "side", not as a finding
    return sorted(f.id for f in kb.findings if f.type == "boolean" and not f.derived and f.id != "bilateral_heel_pain")


def reduce(result: dict[str, Any]) -> dict[str, Any]:
    """What must not change: ranked causes with probabilities, origin, triage and next steps."""
    triage = result["triage"]
    steps = result["next_steps"]
    return {
        "differential": [[d["id"], round(d["probability"], 3)] for d in result["differential"][:6]],
        "origin": result["origin"]["label"],
        "localisation": result["localisation"]["level"],
        "triage": triage["level"],
        "red_flag_floor": triage["red_flag_floor"],
        "rules_fired": [f["id"] for f in triage["rules_fired"]],
        "safety_net": [s["id"] for s in triage["safety_net"]],
        "next_steps": {
            section: [item.get("id") or item.get("finding") for item in steps[section]]
            for section in ("see", "examinations", "tests", "tests_not_recommended", "treatments", "avoid")
        },
        "both_causes": (steps.get("both_causes_warning") or {}).get("id"),
    }


def interview_truths(kb: Any) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(mode, about-you, truth) for seeded simulated people; unanswered findings are "don't know"."""
    rng = random.Random(5)
    booleans = _askable_booleans(kb)
    out = []
    for i in range(SYNTHETIC_INTERVIEWS):
        mode = "lay" if i % 2 == 0 else "clinician"
        truth: dict[str, Any] = {f: rng.random() < 0.1 for f in booleans if rng.random() < 0.7}
        about = {"age": rng.randint(10, 85), "sex": rng.choice(["female", "male"]), "side": "right"}
        out.append((mode, about, truth))
    return out


def interview_path(step: Callable[[dict[str, Any]], dict[str, Any]], mode: str, about: dict[str, Any],
                   truth: dict[str, Any]) -> dict[str, Any]:
    """The screens asked (their finding ids) and how the interview ended, answering from `truth`."""
    state: dict[str, Any] = {"mode": mode, "answers": {}}
    screens = []
    for _ in range(60):
        current = step(state)
        if current["done"]:
            return {"screens": screens, "stop": current["stop_reason"],
                    "triage": current["result"]["triage"]["level"],
                    "top": current["result"]["differential"][0]["id"]}
        ids = [q["id"] for q in current["next_questions"]]
        screens.append(ids)
        for q in ids:
            if q in about:
                state[q] = about[q]
            else:
                state["answers"][q] = truth.get(q, "unknown")
    raise AssertionError("the interview did not stop within 60 screens")


def snapshot() -> dict[str, Any]:
    import heelpath

    context = heelpath.load()
    out: dict[str, Any] = {"cases": {}, "interviews": []}
    for name, data in cases(context.kb).items():
        out["cases"][name] = reduce(context.assess(data).model_dump(mode="json"))
    for mode, about, truth in interview_truths(context.kb):
        out["interviews"].append(
            interview_path(lambda s: context.step(s).model_dump(mode="json"), mode, about, truth))
    return out


if __name__ == "__main__":
    if "--write" in sys.argv:
        GOLDEN.write_text(json.dumps(snapshot(), indent=1, sort_keys=True) + "\n")
        print(f"wrote {GOLDEN}")
