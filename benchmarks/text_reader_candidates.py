"""What a statistical reader of every finding would add beside the rules, on development batches held out one at a time.

For each named development batch: a TF-IDF of words (1-2) and character n-grams (3-5) with one balanced logistic regression
per finding, trained on the other development batches, reads the batch; it fills only findings the rules read nothing of. It
prints the rules alone, the model alone and the rules with the model's fills at each threshold, over the batch's gold keys with
their polarity (the lay-text benchmark's finding F1), a model fill of a finding the gold does not name counting as a false
positive. Meaningful on a batch before any lexicon change made for it (its first look); a candidate, not what the intake does:
the intake's reader reads warning signs only, and only asks them.

A lay text's gold names what its writer meant to test, not always every finding the text tells, so a fill of a finding the
gold does not name may be right; the older text corpus's gold names every finding its texts tell, so there every such fill is
wrong. ``--older-corpus`` also trains on every development batch and reads that corpus's dev and test texts.

    python benchmarks/text_reader_candidates.py --splits dev24 dev25 [--thresholds 0.5 0.7 0.85] [--older-corpus]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "cases" / "lay_texts" / "texts.jsonl"
OLDER_CORPUS = ROOT / "cases" / "text_corpus" / "corpus.jsonl"
MIN_POSITIVES = 8  # a finding is modelled when at least this many training texts tell it


def _present(value: Any) -> Any:
    return value["present"] if isinstance(value, dict) else value


def _model_probabilities(train: list[dict[str, Any]], held: list[dict[str, Any]]) -> dict[str, Any]:
    """Each modelled finding's probability for every held text."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    words = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True, max_features=60000))
    x_train = words.fit_transform([r["text"] for r in train])
    x_held = words.transform([r["text"] for r in held])
    told = Counter(k for r in train for k, v in r["gold"].items() if _present(v) is True)
    probabilities = {}
    for finding_id in sorted(f for f, n in told.items() if n >= MIN_POSITIVES):
        y = np.array([_present(r["gold"].get(finding_id)) is True for r in train])
        model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000).fit(x_train, y)
        probabilities[finding_id] = model.predict_proba(x_held)[:, 1]
    return probabilities


def _f1(held: list[dict[str, Any]], readings: list[dict[str, Any]]) -> tuple[float, float, float]:
    """Precision, recall and F1 over the gold keys with polarity; a reading of a finding the gold does not name, added by the
    model (marked by the key "+model"), is a false positive."""
    agree = wrong = unnamed = keys = 0
    for record, read in zip(held, readings, strict=True):
        gold = {k: _present(v) for k, v in record["gold"].items()}
        keys += len(gold)
        agree += sum(1 for f, value in gold.items() if f in read and read[f] == value)
        wrong += sum(1 for f, value in gold.items() if f in read and read[f] != value)
        unnamed += sum(1 for f in read.get("+model", ()) if f not in gold)
    precision = agree / max(1, agree + wrong + unnamed)
    recall = agree / max(1, keys)
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall)


def _show(label: str, figures: tuple[float, float, float], after: str = "") -> None:
    precision, recall, f1 = figures
    print(f"  {label + ':':<32} P {precision:.2f} R {recall:.2f} F1 {f1:.2f}{after}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", nargs="+", required=True, help="development batches to hold out (e.g. dev24 dev25)")
    parser.add_argument("--thresholds", nargs="+", type=float, default=[0.5, 0.7, 0.85])
    parser.add_argument("--older-corpus", action="store_true",
                        help="also count the fills on the older text corpus, whose gold names every finding told")
    args = parser.parse_args(argv)
    records = [json.loads(line) for line in TEXTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    development = [r for r in records if r["split"].startswith("dev")]
    unknown = sorted(set(args.splits) - {r["split"] for r in development})
    if unknown:
        parser.error(f"not development splits of the lay-text set: {', '.join(unknown)}")
    import heelpath

    rules = heelpath.load().with_reader(None)
    held_out = [(split, [r for r in development if r["split"] == split], [r for r in development if r["split"] != split])
                for split in args.splits]
    if args.older_corpus:
        older = [json.loads(line) for line in OLDER_CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
        held_out.append(("older corpus", [r for r in older if r["split"] in ("dev", "test")], development))
    for split, held, train in held_out:
        read = [{k: _present(v) for k, v in rules.read_text(r["text"]).to_case_findings().items()} for r in held]
        probabilities = _model_probabilities(train, held)
        model_alone = []
        for i in range(len(held)):
            told = {f for f, p in probabilities.items() if p[i] >= 0.5}
            model_alone.append({f: True for f in told} | {"+model": told})
        print(f"{split}: {len(held)} texts, {len(probabilities)} findings modelled on {len(train)} texts")
        _show("rules alone", _f1(held, read))
        _show("model alone at 0.50", _f1(held, model_alone))
        for threshold in args.thresholds:
            filled = []
            for i, reading in enumerate(read):
                added = {f for f, p in probabilities.items() if p[i] >= threshold and f not in reading}
                filled.append(reading | {f: True for f in added} | {"+model": added})
            _show(f"rules + model fills at {threshold:.2f}", _f1(held, filled),
                  f" ({sum(len(r['+model']) for r in filled)} fills)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
