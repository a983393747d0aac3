"""Text intake benchmark: accuracy on the annotated corpus, red-flag negation errors, speed.

Usage::

    .venv/bin/python benchmarks/text_intake.py [--split dev|test|all] [--errors] [--corpus PATH] [--rules-only]

By default it scores the texts the lexicon is worked on (dev and test); the corpus's hold-outs only when named
(``--split holdout`` ... or ``--split all``), so that an everyday run never scores them.

Prints precision, recall and F1 of the findings read from each text (a finding counts as right
when its id and its presence/absence match the gold answer) per finding region and overall, side
agreement, age/sex/heel/duration/stiffness accuracy, errors on red-flag findings, pipeline
start-up time, throughput on short texts after start-up on one core, the time of the longest
text allowed (20,000 characters) against one of a tenth of that length, and of adversarial texts of
that length. ``--rules-only`` reads without the statistical reader.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "cases" / "text_corpus" / "corpus.jsonl"
FINDINGS = ROOT / "src" / "heelpath" / "knowledge" / "data" / "findings.yaml"
NUMBER_FINDINGS = ("duration_weeks", "morning_stiffness_minutes")
NUMBER_TOLERANCE = {"duration_weeks": 0.15, "morning_stiffness_minutes": 1.0}
SHORT_TEXT = 200  # characters
THROUGHPUT_SECONDS = 3.0


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    _use_one_core()
    records = [
        json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    regions = {f["id"]: f["region"] for f in yaml.safe_load(FINDINGS.read_text(encoding="utf-8"))}

    started = time.perf_counter()
    import heelpath

    context = heelpath.load()
    extract = (context.with_reader(None) if args.rules_only else context).read_text
    extract("heel")  # builds the pipeline
    startup = time.perf_counter() - started

    results = [(record, extract(record["text"])) for record in records]
    splits = {"worked": ("dev", "test"), "all": ("dev", "test", "holdout", "holdout2", "holdout3", "all")}.get(
        args.split, (args.split,))
    for split in splits:
        chosen = [(r, x) for r, x in results if split == "all" or r.get("split") == split]
        _report_accuracy(split, chosen, regions, args.errors and split == splits[-1])
    _report_speed(extract, records, startup)
    return 0


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("worked", "dev", "test", "holdout", "holdout2", "holdout3", "all"),
                        default="worked", help="worked (the default) is dev and test; hold-outs only when named")
    parser.add_argument("--errors", action="store_true", help="list every wrong or missed finding")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--rules-only", action="store_true", help="read without the statistical reader")
    return parser.parse_args(argv)


def _use_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _polarity(value: Any) -> bool:
    return bool(value["present"]) if isinstance(value, dict) else bool(value)


def _side(value: Any) -> str | None:
    return value.get("side") if isinstance(value, dict) else None


@dataclass
class Tally:
    """Counts for one split."""

    red_flags: frozenset[str]  # every finding a red-flag rule reads
    groups: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    side_hits: int = 0
    side_total: int = 0
    red_flag: Counter = field(default_factory=Counter)
    field_hits: Counter = field(default_factory=Counter)
    field_total: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


def _report_accuracy(
    split: str, chosen: list[tuple[dict, Any]], regions: dict[str, str], show_errors: bool
) -> None:
    import heelpath

    tally = Tally(heelpath.load().red_flag_findings)
    for record, intake in chosen:
        _score_findings(record, intake, regions, tally)
        _score_fields(record, intake, tally)
    print(f"\n== {split}: {len(chosen)} texts ==")
    print(f"{'group':<16}{'gold':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for group in sorted(tally.groups, key=lambda g: (g == "overall", g)):
        c = tally.groups[group]
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"{group:<16}{c['tp'] + c['fn']:>6}{precision:>8.3f}{recall:>8.3f}{f1:>8.3f}")
    print(
        f"side agreement on correct lateralised findings (no side = the painful heel): "
        f"{tally.side_hits}/{tally.side_total}"
    )
    fields = ", ".join(f"{n} {tally.field_hits[n]}/{tally.field_total[n]}" for n in tally.field_total)
    print(f"fields (stated in gold or read from the text): {fields}")
    rf = tally.red_flag
    print(
        f"red-flag findings: negation errors (gold and reading disagree on present/absent) {rf['negation']}; "
        f"false alarms {rf['false_alarm']}; extra denials {rf['extra_denial']}; missed {rf['missed']}"
    )
    if show_errors:
        print("errors:")
        print("\n".join(tally.errors) if tally.errors else "  none")


def _score_findings(record: dict, intake: Any, regions: dict[str, str], tally: Tally) -> None:
    gold = {k: v for k, v in record["gold"].items() if k not in NUMBER_FINDINGS}
    predicted = {k: v for k, v in intake.to_case_findings().items() if k not in NUMBER_FINDINGS}
    for finding_id in sorted(set(gold) | set(predicted)):
        in_gold, in_pred = finding_id in gold, finding_id in predicted
        right = in_gold and in_pred and _polarity(gold[finding_id]) == _polarity(predicted[finding_id])
        for group in (regions.get(finding_id, "unknown"), "overall"):
            tally.groups[group]["tp"] += right
            tally.groups[group]["fp"] += in_pred and not right
            tally.groups[group]["fn"] += in_gold and not right
        if right and _side(gold[finding_id]):
            # a lateralised answer without a side means the painful side (docs/case-format.md)
            gold_side, read_side = _side(gold[finding_id]), _side(predicted[finding_id]) or intake.side
            tally.side_total += 1
            tally.side_hits += gold_side == read_side
            if gold_side != read_side:
                tally.errors.append(f"  {record['id']}: {finding_id} side gold={gold_side} read={read_side}")
        if finding_id in tally.red_flags:
            if in_gold and in_pred and not right:
                tally.red_flag["negation"] += 1
            elif in_pred and not in_gold:
                tally.red_flag["false_alarm" if _polarity(predicted[finding_id]) else "extra_denial"] += 1
            elif in_gold and not in_pred:
                tally.red_flag["missed"] += 1
        if not right:
            tally.errors.append(
                f"  {record['id']}: {finding_id} gold={gold.get(finding_id, '-')} read={predicted.get(finding_id, '-')}"
            )


def _score_fields(record: dict, intake: Any, tally: Tally) -> None:
    for name in ("age", "sex", "side", *NUMBER_FINDINGS):
        gold_value = record["gold"].get(name) if name in NUMBER_FINDINGS else record.get(name)
        value = getattr(intake, name)
        if gold_value is None and value is None:
            continue
        tally.field_total[name] += 1
        tolerance = NUMBER_TOLERANCE.get(name)
        if gold_value is not None and value is not None:
            ok = abs(value - gold_value) <= tolerance if tolerance else value == gold_value
        else:
            ok = False
        tally.field_hits[name] += ok
        if not ok:
            tally.errors.append(f"  {record['id']}: {name} gold={gold_value} read={value}")


ADVERSARIAL = {
    "run-on clauses": "my heel hurts and my bum is numb and no fever and ",
    "digits and readings": "38.5 39 101.2 7/10 2x 3/52 39.1 this morning. ",
    "one word repeated": "numb ",
    "questions and answers": "Any fever? no. Bladder? fine. ",
    "questions answered in other words": "Fever? haven't checked, ",
    "question marks run together": "a?",
    "form labels": "Fever: no\nSaddle: numb\n",
    "checklist without punctuation": "fever no numbness down below yes ",
    "near-checklist": "fever no numbness down below maybe ",
    "tick boxes": "[ ] fever [x] numbness ",
    "paragraphs": "my heel hurts when I walk to the shops and back every day since the spring\n\n",
}


def _report_speed(extract: Any, records: list[dict], startup: float) -> None:
    short = [r["text"] for r in records if len(r["text"]) <= SHORT_TEXT]
    done, started, cpu_started = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < THROUGHPUT_SECONDS:
        for text in short:
            extract(text)
        done += len(short)
    rate = done / (time.perf_counter() - started)
    cpu_rate = done / (time.process_time() - cpu_started)
    long_texts = [r["text"] for r in records if len(r["text"]) > 400]
    started = time.perf_counter()
    for text in long_texts:
        extract(text)
    per_long = (time.perf_counter() - started) / max(len(long_texts), 1)
    print("\n== speed (one core) ==")
    print(f"pipeline start-up (import medspaCy, build rules): {startup:.2f} s")
    print(
        f"short texts (<= {SHORT_TEXT} chars, n={len(short)}): {rate:.0f} texts/s wall clock, "
        f"{cpu_rate:.0f} per CPU second"
    )
    print(f"long notes (> 400 chars, n={len(long_texts)}): {per_long * 1000:.1f} ms each")
    # worst case: the longest text allowed, made of the corpus's own notes (time grows linearly)
    from heelpath.services.intake.extractor import MAX_TEXT_LENGTH

    filler = "\n".join(long_texts or short)
    for size in (MAX_TEXT_LENGTH // 10, MAX_TEXT_LENGTH):
        text = (filler * (size // max(len(filler), 1) + 1))[:size]
        started = time.perf_counter()
        extract(text)
        print(f"a {size:,}-character text: {time.perf_counter() - started:.2f} s")
    # adversarial texts of the longest length: repeats that stress the scope, answer and form readers
    for name, unit in ADVERSARIAL.items():
        text = (unit * (MAX_TEXT_LENGTH // len(unit) + 1))[:MAX_TEXT_LENGTH]
        started = time.perf_counter()
        extract(text)
        print(f"adversarial {name} ({MAX_TEXT_LENGTH:,} characters): {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
