"""The case suites a validation reads (cases/ of a source checkout) and each case's outcome.

The public vignettes (cases/vignettes), the third-party development set (cases/devset/dev) and the
lay texts (cases/lay_texts) are read; hold-out parts never are: they are scored once per release by
the benchmarks, by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from heelpath.errors import InputError
from heelpath.services.context import Heelpath

Form = str  # "structured" (the case's findings) or "narrative" (its free text alone)
FORMS: tuple[Form, ...] = ("structured", "narrative")


def default_cases_dir() -> Path:
    """The cases/ folder of the source checkout this package runs from."""
    return Path(__file__).resolve().parents[4] / "cases"


def cases_folder(folder: str | Path | None = None) -> Path:
    """`folder`, or the checkout's cases/; an InputError names what is missing."""
    path = Path(folder) if folder is not None else default_cases_dir()
    if not (path / "vignettes").is_dir():
        raise InputError(f"{path} has no vignettes/ folder: pass the cases/ folder of a heelpath source checkout")
    return path


def load_suite(folder: Path) -> list[dict[str, Any]]:
    """Every case file of a folder, in name order, with its file name as ``_file``."""
    return [json.loads(p.read_text(encoding="utf-8")) | {"_file": p.name} for p in sorted(folder.glob("*.json"))]


def load_lay_texts(cases: Path, splits: tuple[str, ...]) -> list[dict[str, Any]]:
    """The lay texts of the given splits (cases/lay_texts/texts.jsonl)."""
    lines = (cases / "lay_texts" / "texts.jsonl").read_text(encoding="utf-8").splitlines()
    return [record for record in map(json.loads, filter(str.strip, lines)) if record["split"] in splits]


def top_k_correct(ranked_ids: list[str], gold: list[str], k: int) -> bool:
    """Top-1: the first cause is a gold cause. Top-k (k > 1): every gold cause (up to k) is in the top k.

    >>> top_k_correct(["a", "b", "c"], ["b"], 1), top_k_correct(["a", "b", "c"], ["b"], 3)
    (False, True)
    """
    if k == 1:
        return ranked_ids[0] in gold
    return all(g in ranked_ids[:k] for g in gold[:k])


def in_scope(case: dict[str, Any]) -> bool:
    return bool(case["gold"].get("in_scope", bool(case["gold"]["conditions"])))


@dataclass(frozen=True)
class CaseOutcome:
    """One case assessed in one form, with its reference answers."""

    case_id: str
    voice: str  # "lay" or "clinician"
    form: Form
    in_scope: bool
    gold: tuple[str, ...]
    ranked: tuple[str, ...]
    probabilities: dict[str, float]  # every condition's probability
    flagged: bool  # "not explained"
    unexplained: float  # its probability
    level: str
    reference_level: str
    red_flags: tuple[str, ...]  # the red-flag rules that fired

    def top(self, k: int) -> bool:
        return top_k_correct(list(self.ranked), list(self.gold), k)


def assess_case(context: Heelpath, case: dict[str, Any], form: Form) -> CaseOutcome:
    """Assess a suite case from its findings ("structured") or its narrative alone ("narrative": only
    setting, age, sex and side are passed, as a form would)."""
    data = case["case"]
    if form == "narrative":
        given = {k: v for k, v in data.items() if k in ("setting", "age", "sex", "side")}
        result = context.assess(given, text=case["narrative"])
    else:
        result = context.assess(data)
    probabilities = {d.id: d.probability for d in result.differential}
    return CaseOutcome(
        case_id=case.get("id") or case["_file"], voice=case.get("mode", "lay"), form=form, in_scope=in_scope(case),
        gold=tuple(case["gold"]["conditions"]), ranked=tuple(d.id for d in result.differential),
        probabilities=probabilities, flagged=result.unexplained.flagged,
        unexplained=result.unexplained.probability, level=result.triage.level,
        reference_level=case["gold"]["triage"],
        red_flags=tuple(r.id for r in result.triage.rules_fired if r.kind == "red_flag"),
    )
