"""People's own words: red flags, negation, ages, sexes, sides and heel sites read from short texts.

Usage::

    .venv/bin/python benchmarks/lay_texts.py            # the development texts (every batch)
    .venv/bin/python benchmarks/lay_texts.py --holdout  # once per release: the held-out texts (every batch)
    .venv/bin/python benchmarks/lay_texts.py --splits dev17 --rules-only  # one batch, without the statistical reader

Scores ``cases/lay_texts/texts.jsonl`` (written from published patient information by someone who
does not edit the lexicon; see its README). Prints red-flag recall (a text with a warning sign in its
gold counts as caught when the intake asserts one of its gold warning signs, and as asked when it
names one without settling it: it is then asked first, never dropped), false red flags (texts with
no warning sign where the intake asserts one, by the kind of trap the text holds), finding precision,
recall and F1 over the gold keys, age, sex, side and heel-site accuracy, how many texts without a
warning sign still get a warning-sign question first (the cost of never dropping a mention), and
how many warning-sign texts the topic words alone would catch or ask, and what the statistical reader
asked. The development texts train that reader, so each development batch is scored with a reader
trained on the other batches (cross-validated); hold-outs are scored with the shipped reader.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from heelpath.services.validation.lay_texts import BATCHES, polarity, score_lay_texts

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "cases" / "lay_texts" / "texts.jsonl"
# the set's own list of warning signs (its README), with which the texts were annotated
RED_FLAGS = frozenset(json.loads((ROOT / "cases" / "lay_texts" / "red_flags.json").read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="store_true", help="score the held-out texts (once per release)")
    parser.add_argument("--errors", action="store_true", help="list the misses (development texts only)")
    parser.add_argument("--rules-only", action="store_true", help="read without the statistical reader")
    parser.add_argument("--splits", nargs="+", help="score only these development splits (e.g. dev17)")
    args = parser.parse_args(argv)
    every = [json.loads(line) for line in TEXTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    import heelpath

    context = heelpath.load()
    splits = [("holdout" if args.holdout else "dev") + batch for batch in BATCHES]
    for split in args.splits or splits:
        records = [r for r in every if r["split"] == split]
        with tempfile.TemporaryDirectory() as folder:
            if args.rules_only:
                reader = context.with_reader(None)
            elif split.startswith("dev"):  # the development texts train the reader: score each batch without it
                reader = context.with_reader(_reader_without(context, records, Path(folder)))
            else:
                reader = context
            _score(reader, records, split, args.errors and not args.holdout)
    return 0


def _reader_without(context: Any, held: list[dict[str, Any]], folder: Path) -> Any:
    """The statistical reader trained on every development text but those `held` out (the batch scored)."""
    from heelpath.services.intake.statistical import write_reader
    from heelpath.services.validation.lay_texts import reader_training_set

    spec = context.lexicon.reader
    held_ids = {r["id"] for r in held}
    others = [record for record in reader_training_set(ROOT / "cases") if record[0] not in held_ids]
    return write_reader(others, context.lexicon, folder, spec.threshold, "cross-validation fold")


def _score(context: Any, records: list[dict[str, Any]], split: str, show_errors: bool) -> None:
    score = score_lay_texts(context, records, RED_FLAGS)
    counts = score.counts
    net = _safety_net_alone(context, records)
    precision, recall, f1 = score.f1()
    print(f"lay texts [{split}]: {len(records)} texts from patient information")
    print(f"  red flags: caught {counts['flag_caught']} of {counts['flag_texts']} texts; asked first (named, "
          f"not settled) {counts['flag_asked']}; missed {score.missed}")
    print(f"  false red flags: {counts['false_flag_texts']} of {counts['no_flag_texts']} texts without one"
          + (f" (by trap: {dict(score.false_by_trap)})" if score.false_by_trap else ""))
    print(f"  warning signs asked first: {counts['questions']} questions in all; in {counts['asked_without_flag']} of "
          f"{counts['no_flag_texts']} texts without one (the cost of never dropping an unsettled mention)")
    if context.lexicon.reader is not None:
        print(f"  the statistical reader: {counts['reader_questions']} warning signs asked that the rules left unread, "
              f"{counts['reader_questions_told']} of them told by the text; the only question that caught "
              f"{counts['flag_asked_by_reader_alone']} warning-sign texts")
    print(f"  the safety net alone (each warning sign's own words removed, its topic words kept): "
          f"{net} of {counts['flag_texts']} warning-sign texts caught or asked")
    print(f"  findings over the gold keys: precision {precision:.2f}, recall {recall:.2f}, F1 {f1:.2f}")
    for field in ("age", "sex", "side", "site"):
        print(f"  {field}: {counts[field + '_ok']} of {counts[field + '_n']}")
    print(f"  speed: {len(records) / score.seconds:.0f} texts/s")
    if show_errors:
        print("\n".join(["", *score.errors]))


def _safety_net_alone(context: Any, records: list[dict[str, Any]]) -> int:
    """How many warning-sign texts are still caught or asked when the warning signs' own words are
    taken out of the lexicon: a measure of how the topic words (lexicon ``topic_patterns``) hold up
    against wording nobody foresaw."""
    import dataclasses

    from heelpath.services.intake import extract

    lexicon = context.lexicon
    findings = {
        finding: dataclasses.replace(entry, targets=tuple(t for t in entry.targets if t.kind == "topic"))
        if finding in RED_FLAGS and any(t.kind == "topic" for t in entry.targets) else entry
        for finding, entry in lexicon.findings.items()
    }
    topics_only = dataclasses.replace(lexicon, findings=findings)
    net = 0
    for record in records:
        gold = {f for f, present in record["gold"].items() if present and f in RED_FLAGS}
        if gold:
            intake = extract(record["text"], topics_only, statistical=False)
            read = {f for f, v in intake.to_case_findings().items() if polarity(v)}
            net += bool((read | set(context.to_confirm(intake))) & gold)
    return net


if __name__ == "__main__":
    sys.exit(main())
