"""The statistical reader beside the rules: a bag-of-words model of which warning signs a lay text tells.

The rules read what the lexicon names, with its negation, time and person; people also tell warning signs in words
no rule has ("it felt like someone had turned a tap off in my leg"). The reader is a TF-IDF of words and word pairs
with one logistic regression per warning sign (scikit-learn), trained on the development lay texts only
(``heelpath kb train-reader``), never on a hold-out. It fills only the rules' silence, and only with questions: a
warning sign it reads at or above its threshold that the rules read in no way (said, denied, asked, a relative's, in
the past) is asked first, never counted, so red flags stay deterministic rules. The sentence that told it most is
kept, with the probability, for people to check.

It is a model of words, not of meaning: it sees no negation or person, and it learns which findings go together
as well as which are told. Read for the other findings it was wrong in every one of 90 readings on the older text
corpus, whose gold is complete (findings it guessed from the story, not from the words), so it reads only warning
signs, and only to ask them.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from heelpath.errors import KBSchemaError
from heelpath.knowledge.lexicon import READER_FILE, Lexicon, ReaderSpec
from heelpath.services.intake.model import ExtractedFinding

MODEL_FILE = "text_reader.skops"
THRESHOLD = 0.2  # chosen as THRESHOLD_BASIS says
THRESHOLD_BASIS = (
    "An estimate, not a clinical figure: the lowest threshold at which, each development batch held out in turn, at "
    "most one text in ten telling no warning sign is given a reader question (benchmarks/text_reader_threshold.py).")
MAX_QUESTIONS: int | None = None  # no bound, as MAX_QUESTIONS_BASIS says
MAX_QUESTIONS_BASIS = (
    "No bound. Each development batch held out in turn, one question a text (its most probable) lost none of the texts "
    "only the reader's question catches and cut its questions from 0.53 to 0.32 a text "
    "(benchmarks/text_reader_threshold.py), but on the hold-out texts it turned 3 warning-sign texts of 530 from asked "
    "to missed: a warning sign asked matters more than a question spared.")
#: a finding is learnt only when at least this many training texts tell it
MIN_POSITIVES = 3
_SENTENCE = re.compile(r"\S.*?(?:[.!?]+(?=\s)|$)", re.MULTILINE)  # "38.6" is no sentence end
_PARAGRAPH = re.compile(r"\S(?:.|\n(?!\s*\n))*")  # up to a blank line


def train(texts: Sequence[str], told: Sequence[set[str]], readable: set[str],
          min_positives: int = MIN_POSITIVES) -> tuple[Any, tuple[str, ...]]:
    """Fit the reader: ``told[i]`` is the findings text ``i`` tells of its patient now (its gold "true" ids); it
    learns those of `readable` told in at least `min_positives` texts.

    Returns the fitted scikit-learn pipeline and its labels, in the order of its probabilities.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    counts: dict[str, int] = {}
    for ids in told:
        for finding_id in ids & readable:
            counts[finding_id] = counts.get(finding_id, 0) + 1
    labels = tuple(sorted(f for f, n in counts.items() if n >= min_positives))
    y = np.array([[label in ids for label in labels] for ids in told], dtype=int)
    pipeline = Pipeline([
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
        # balanced: most findings are told in few texts; C=4 is the setting tried on the dev15 and dev16 first looks
        ("findings", OneVsRestClassifier(LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000))),
    ])
    pipeline.fit(list(texts), y)
    return pipeline, labels


def training_digest(records: Iterable[tuple[str, str, set[str]]]) -> str:
    """A digest of (id, text, findings told) records: a model file is current when its digest matches."""
    rows = sorted((record_id, text, sorted(told)) for record_id, text, told in records)
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8")).hexdigest()


def write_reader(records: Sequence[tuple[str, str, set[str]]], lexicon: Lexicon, data_dir: Path, threshold: float,
                 threshold_basis: str) -> ReaderSpec:
    """Train the reader on (id, text, findings told) records for the lexicon's warning signs and write its model
    file and ``text_reader.yaml`` in `data_dir`; returns what the yaml says."""
    import skops.io as sio
    import yaml

    signs = {finding_id for finding_id in lexicon.findings if lexicon.is_warning_sign(finding_id)}
    pipeline, labels = train([text for _, text, _ in records], [told for _, _, told in records], signs)
    sio.dump(pipeline, data_dir / MODEL_FILE, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    lengths = sorted(len(text.split()) for _, text, _ in records)
    trained_on = {"texts": len(records), "digest": training_digest(records),
                  "min_words": lengths[len(lengths) // 20]}  # 95% of the training texts are at least this long
    spec = {"model": MODEL_FILE, "threshold": threshold, "threshold_basis": threshold_basis,
            "max_questions": MAX_QUESTIONS, "max_questions_basis": MAX_QUESTIONS_BASIS, "labels": list(labels),
            "trained_on": trained_on}
    (data_dir / READER_FILE).write_text(
        f"# written by `heelpath kb train-reader`; see heelpath.services.intake.statistical\n"
        f"{yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100)}", encoding="utf-8")
    return ReaderSpec(data_dir / MODEL_FILE, threshold, labels, trained_on, MAX_QUESTIONS)


@lru_cache(maxsize=4)
def load_model(path: Path) -> Any:
    """The fitted pipeline in a model file. skops loads only the types it trusts (scikit-learn's own, NumPy's and
    SciPy's arrays), so a tampered or foreign file cannot run code.

    Raises
    ------
    KBSchemaError
        The file is not a model file, or holds a type skops does not trust.
    """
    import skops.io as sio

    try:
        return sio.load(path)
    except Exception as exc:  # skops raises its own, zipfile's and json's errors
        raise KBSchemaError(f"{path.name}: not a text reader model skops can load safely ({exc})") from None


@lru_cache(maxsize=4)
def _scorer(path: Path) -> Any:
    """The pipeline's probabilities as one matrix product: each sign's logistic regression on the TF-IDF words, the
    same numbers as ``predict_proba`` without scikit-learn's per-estimator checks, which cost more than the sums."""
    import numpy as np
    from scipy.special import expit

    model = load_model(path)
    words, findings = model.steps[0][1], model.steps[-1][1]
    if not (getattr(findings, "multilabel_", False)
            and all(hasattr(e, "coef_") and e.coef_.shape[0] == 1 for e in findings.estimators_)):
        return model.predict_proba
    weights = np.vstack([e.coef_ for e in findings.estimators_]).T
    intercepts = np.concatenate([e.intercept_ for e in findings.estimators_])
    return lambda texts: expit(words.transform(texts) @ weights + intercepts)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    text: str


def model_findings(text: str, read: set[str], lexicon: Lexicon) -> list[ExtractedFinding]:
    """The warning signs the reader finds in `text` at or above its threshold that the rules left unread (`read`:
    every finding id the rules read in any way), to be asked.

    It reads each paragraph on its own, as it learnt from texts of one, and asks at most the reader's ``max_questions``
    of each, its most probable: a paragraph added never takes away what another told. A paragraph shorter than most
    texts it was trained on is left to the rules."""
    spec = lexicon.reader
    if spec is None:
        return []
    # a handful of words is not what it learnt from: one word would decide ("I have a cold." is not a cold foot)
    paragraphs = [p for p in _spans(_PARAGRAPH, text) if len(p.text.split()) >= spec.trained_on.get("min_words", 0)]
    if not paragraphs:
        return []
    model = _scorer(spec.model)
    by_paragraph = model([p.text for p in paragraphs])
    # in each paragraph its most probable, up to the bound (none shipped: MAX_QUESTIONS_BASIS says why)
    chosen: dict[int, tuple[float, int]] = {}  # label index -> (probability, paragraph)
    for paragraph, row in enumerate(by_paragraph):
        likely = [i for i, label in enumerate(spec.labels) if row[i] >= spec.threshold and label not in read]
        for i in sorted(likely, key=lambda i: -row[i])[:spec.max_questions]:
            if i not in chosen or row[i] > chosen[i][0]:
                chosen[i] = (float(row[i]), paragraph)
    found = []
    by_sentence: dict[int, tuple[list[_Span], Any]] = {}  # each paragraph's sentences are read once, if needed
    for i, (probability, best) in sorted(chosen.items()):
        label = spec.labels[i]
        if best not in by_sentence:
            sentences = _spans(_SENTENCE, paragraphs[best].text, paragraphs[best].start)
            by_sentence[best] = sentences, model([s.text for s in sentences])
        sentences, probabilities = by_sentence[best]
        evidence = sentences[int(probabilities[:, i].argmax())]
        found.append(ExtractedFinding(label, True, None, evidence.text, evidence.start, evidence.end, "uncertain",
                                      asserted=False, read_by="model", probability=round(probability, 2)))
    return found


def _spans(pattern: re.Pattern[str], text: str, offset: int = 0) -> list[_Span]:
    """The stretches of `text` a pattern finds, without their trailing spaces, at their offsets in the whole text."""
    return [_Span(offset + m.start(), offset + m.start() + len(m.group().rstrip()), m.group().rstrip())
            for m in pattern.finditer(text)]
