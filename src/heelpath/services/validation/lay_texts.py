"""People's own words scored against their gold answers (cases/lay_texts): red flags caught, asked or
missed, false red flags, finding precision, recall and F1 (in all and by the text's family), age,
sex, side and heel site. benchmarks/lay_texts.py prints it; the validation report draws it."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from heelpath.services.context import Heelpath
from heelpath.services.validation.suites import load_lay_texts

#: batch suffixes of the split names (dev, dev2, ... and holdout, holdout2, ...)
BATCHES = ("", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31")
#: development splits the lexicon has been worked on, held to every warning sign caught or asked and no
#: false one (tests) and drawn in the validation report; a new batch joins once its misses are fixed
WORKED_DEV_SPLITS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11")

HEEL_SITES = ("pain_under_heel", "pain_centre_of_heel_pad", "pain_back_of_heel", "pain_achilles_above_heel",
              "pain_sides_of_heel", "pain_inner_ankle_to_sole")


@dataclass
class LayTextScore:
    texts: int
    counts: Counter[str] = field(default_factory=Counter)
    false_by_trap: Counter[str] = field(default_factory=Counter)
    by_family: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def missed(self) -> int:
        return self.counts["flag_texts"] - self.counts["flag_caught"] - self.counts["flag_asked"]

    def f1(self, family: str | None = None) -> tuple[float, float, float]:
        """Precision, recall and F1 over the gold keys, in all or for one family."""
        c = self.counts if family is None else self.by_family[family]
        precision = c["read_right"] / max(c["read"], 1)
        recall = c["right"] / max(c["gold"], 1)
        return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def polarity(value: Any) -> bool:
    return bool(value["present"]) if isinstance(value, dict) else bool(value)


def reader_training_set(cases: Path) -> list[tuple[str, str, set[str]]]:
    """(id, text, findings told) of every development lay text: what the statistical reader learns from. Hold-outs
    never."""
    records = load_lay_texts(cases, tuple("dev" + batch for batch in BATCHES))
    return [(r["id"], r["text"], {f for f, v in r["gold"].items() if polarity(v)}) for r in records]


def score_lay_texts(context: Heelpath, records: list[dict[str, Any]], red_flags: frozenset[str]) -> LayTextScore:
    """Read every text and compare with its gold (see cases/lay_texts/README.md for the rules)."""
    context.read_text("heel")  # builds the pipeline
    started = time.perf_counter()
    read = [(r, context.read_text(r["text"])) for r in records]
    score = LayTextScore(len(records), seconds=time.perf_counter() - started)
    counts = score.counts
    for record, intake in read:
        answers = {f: polarity(v) for f, v in intake.to_case_findings().items()}
        gold: dict[str, bool] = record["gold"]
        asserted_flags = {f for f, present in answers.items() if present and f in red_flags}
        gold_flags = {f for f, present in gold.items() if present and f in red_flags}
        asked = context.to_confirm(intake)
        by_reader = {f.finding_id for f in intake.findings if f.read_by == "model"}
        counts["reader_questions"] += len(by_reader)
        counts["reader_questions_told"] += len(by_reader & gold_flags)
        if gold_flags:
            counts["flag_texts"] += 1
            if asserted_flags & gold_flags:
                counts["flag_caught"] += 1
            elif set(asked) & gold_flags:  # asked first
                counts["flag_asked"] += 1
                counts["flag_asked_by_reader_alone"] += not (set(asked) - by_reader) & gold_flags
            else:
                score.errors.append(f"{record['id']} missed {sorted(gold_flags)}: {record['text']}")
        elif asserted_flags:
            counts["false_flag_texts"] += 1
            score.false_by_trap.update(record.get("modifiers") or ["none"])
            score.errors.append(f"{record['id']} false {sorted(asserted_flags)}: {record['text']}")
        counts["questions"] += len(asked)
        if not gold_flags:
            counts["no_flag_texts"] += 1
            counts["asked_without_flag"] += bool(asked)
        family = score.by_family[record.get("family", "other")]
        for tally in (counts, family):
            tally["gold"] += len(gold)
            tally["right"] += sum(answers.get(f) == want for f, want in gold.items())
            tally["read"] += sum(1 for f in answers if f in gold)
            tally["read_right"] += sum(1 for f, v in answers.items() if gold.get(f) == v)
        score.errors.extend(f"{record['id']} {f}: gold {want}, read {answers.get(f)}: {record['text']}"
                            for f, want in gold.items() if answers.get(f) != want)
        for name, value in (("age", intake.age), ("sex", intake.sex), ("side", intake.side or intake.limb_side)):
            if name in record:
                counts[f"{name}_n"] += 1
                counts[f"{name}_ok"] += value == record[name]
        if "age_range" in record:
            low, high = record["age_range"]
            counts["age_n"] += 1
            counts["age_ok"] += intake.age is not None and low <= intake.age <= high
        sites = {f for f in HEEL_SITES if gold.get(f)}
        if sites:
            counts["site_n"] += 1
            counts["site_ok"] += sites <= {f for f in HEEL_SITES if answers.get(f)}
    return score
