"""The statistical reader's threshold, chosen by holding out one development batch at a time.

The reader asks a warning sign the rules read in no way when its probability reaches the threshold (see
heelpath.services.intake.statistical). A lower threshold asks more of the signs people tell in words no rule has, and
puts a question to more people who told none. For each development batch it trains the reader, as
``heelpath kb train-reader`` does, on the other batches and reads the batch; it prints, per threshold, the texts telling a
warning sign in which the reader reads one of theirs (whatever the rules read), the texts telling none given a reader
question, and the reader's questions in all texts (what the rules read left out, as in the intake: in a text telling one
warning sign it also asks the signs that go with it). The threshold in ``text_reader.yaml`` is the lowest at which at
most one text in ten telling no warning sign is given a reader question (``--most-asked``).

At that threshold it then bounds the reader's questions in a text to its most probable few: per bound, the texts telling
a warning sign whose rules read none of their signs and in which the reader asks one of them (the texts only the
reader's question catches), the told signs it asks, and its questions a text (the intake bounds each paragraph; most
texts are one), and the smallest that loses none of the texts only the reader's question catches (``--caps``).
``text_reader.yaml`` records no bound: the one this chose lost warning-sign texts on the hold-out (its basis says so).

    python benchmarks/text_reader_threshold.py [--thresholds 0.1 0.2 0.3 0.4 0.5] [--most-asked 0.10] [--caps 1 2 3]
"""

from __future__ import annotations

import argparse
from collections import Counter

import heelpath
from heelpath.services.intake.statistical import train
from heelpath.services.validation.lay_texts import BATCHES, polarity
from heelpath.services.validation.suites import cases_folder, load_lay_texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", nargs="+", type=float, default=[0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5])
    parser.add_argument("--most-asked", type=float, default=0.10,
                        help="the share of texts telling no warning sign that may be given a reader question")
    parser.add_argument("--caps", nargs="+", type=int, default=[1, 2, 3, 4],
                        help="bounds on the reader's questions in one text, tried at the chosen threshold")
    args = parser.parse_args(argv)
    context = heelpath.load()
    lexicon, rules = context.lexicon, context.with_reader(None)
    signs = {f for f in lexicon.findings if lexicon.is_warning_sign(f)}
    min_words = lexicon.reader.trained_on.get("min_words", 0) if lexicon.reader else 0
    development = load_lay_texts(cases_folder(None), tuple("dev" + batch for batch in BATCHES))
    read_by_rules = {r["id"]: {f.finding_id for f in rules.read_text(r["text"]).findings} for r in development}
    reads, asked, questions, all_questions = Counter(), Counter(), Counter(), Counter()
    flag_texts = quiet_texts = 0
    read_texts: list[tuple[set[str], set[str], dict[str, float]]] = []  # told signs, read by the rules, reader's p
    for split in sorted({r["split"] for r in development}):
        held = [r for r in development if r["split"] == split]
        train_on = [r for r in development if r["split"] != split]
        model, labels = train([r["text"] for r in train_on],
                              [{f for f, v in r["gold"].items() if polarity(v)} for r in train_on], signs)
        probabilities = model.predict_proba([r["text"] for r in held])
        for record, row in zip(held, probabilities, strict=True):
            told = {f for f, v in record["gold"].items() if polarity(v) and f in signs}
            if len(record["text"].split()) < min_words:  # left to the rules, as in the intake
                row = row * 0
            read_texts.append((told, read_by_rules[record["id"]], dict(zip(labels, map(float, row), strict=True))))
            for threshold in args.thresholds:
                read = {label for label, p in zip(labels, row, strict=True) if p >= threshold}
                new = read - read_by_rules[record["id"]]
                all_questions[threshold] += len(new)
                if told:
                    reads[threshold] += bool(read & told)
                else:
                    asked[threshold] += bool(new)
                    questions[threshold] += len(new)
            flag_texts += bool(told)
            quiet_texts += not told
    print(f"{len(development)} development texts in {len({r['split'] for r in development})} batches, each held out "
          f"in turn: {flag_texts} tell a warning sign, {quiet_texts} none")
    chosen = None
    for threshold in sorted(args.thresholds):
        share = asked[threshold] / max(1, quiet_texts)
        if chosen is None and share <= args.most_asked:
            chosen = threshold
        print(f"  at {threshold:.2f}: reads a told sign in {reads[threshold]}/{flag_texts} "
              f"({reads[threshold] / max(1, flag_texts):.1%}); asks {asked[threshold]}/{quiet_texts} texts telling "
              f"none ({share:.1%}), {questions[threshold]} questions; {all_questions[threshold]} reader questions in all "
              f"({all_questions[threshold] / len(development):.2f} a text)")
    print(f"lowest threshold asking at most {args.most_asked:.0%} of texts telling none: {chosen}")
    if chosen is not None:
        _bounds(read_texts, chosen, args.caps)
    return 0


def _bounds(read_texts: list[tuple[set[str], set[str], dict[str, float]]], threshold: float, caps: list[int]) -> None:
    """The reader's questions in a text bounded to its most probable few, at `threshold`."""
    print(f"the reader's questions in a text bounded to its most probable, at {threshold:.2f}:")
    only_reader: dict[int | None, int] = {}
    for cap in [*sorted(caps), None]:
        told_asked = questions = 0
        only_reader[cap] = 0
        for told, by_rules, probability in read_texts:
            asked = set(sorted((label for label, p in probability.items() if p >= threshold and label not in by_rules),
                               key=lambda label: -probability[label])[:cap])
            questions += len(asked)
            told_asked += len(told & asked)
            only_reader[cap] += bool(told & asked) and not told & by_rules
        print(f"  {'no bound' if cap is None else f'at most {cap}'}: texts only its question catches {only_reader[cap]}; "
              f"told signs asked {told_asked}; {questions} questions ({questions / len(read_texts):.2f} a text)")
    chosen = next((cap for cap in sorted(caps) if only_reader[cap] == only_reader[None]), None)
    print(f"smallest bound losing none of the texts only the reader's question catches: {chosen}")


if __name__ == "__main__":
    raise SystemExit(main())
