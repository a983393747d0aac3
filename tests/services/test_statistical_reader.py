"""Tests of the statistical text reader: it is trained on development texts only and is current, it only asks
warning signs where the rules read nothing, it changes no reading of the rules, and bad model files are refused."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import heelpath
from heelpath.errors import KBSchemaError
from heelpath.knowledge.lexicon import READER_FILE, read_reader_spec
from heelpath.services.intake import extract
from heelpath.services.validation.lay_texts import reader_training_set

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "heelpath" / "knowledge" / "data"
TEXTS = ROOT / "cases" / "lay_texts" / "texts.jsonl"

pytestmark = pytest.mark.filterwarnings(r"ignore:\[W036\]")
_INFECTED = ("Stepped on a rusty nail in the garden three days ago and now the whole heel is red, hot and swollen and it "
             "hurts much more than a small hole should.")


@pytest.fixture(scope="module")
def context():
    pytest.importorskip("medspacy")
    pytest.importorskip("skops")
    return heelpath.load()


def test_the_reader_is_trained_on_the_current_development_texts_and_never_a_hold_out(context) -> None:
    from heelpath.services.intake.statistical import training_digest

    records = reader_training_set(ROOT / "cases")
    splits = {r["id"]: r["split"] for r in map(json.loads, filter(str.strip, TEXTS.read_text("utf-8").splitlines()))}
    assert records and all(splits[record_id].startswith("dev") for record_id, _, _ in records)
    assert context.lexicon.reader.trained_on["digest"] == training_digest(records), (
        "the development lay texts changed: run `heelpath kb train-reader`")
    assert context.lexicon.reader.trained_on["texts"] == len(records)


def test_the_reader_asks_at_the_cross_validated_threshold(context) -> None:
    """The threshold is the one benchmarks/text_reader_threshold.py chose, not one set by hand when training."""
    import yaml

    from heelpath.services.intake.statistical import THRESHOLD, THRESHOLD_BASIS

    spec = yaml.safe_load((DATA / READER_FILE).read_text("utf-8"))
    assert context.lexicon.reader.threshold == THRESHOLD and spec["threshold_basis"] == THRESHOLD_BASIS


def test_the_reader_asks_at_most_its_bound_in_a_paragraph_and_the_most_probable_first(context) -> None:
    """The shipped bound is the one text_reader.yaml records (none: see MAX_QUESTIONS_BASIS); a bound given is kept,
    and what it keeps is the most probable."""
    from heelpath.services.intake.statistical import MAX_QUESTIONS

    spec = context.lexicon.reader
    assert spec.max_questions == MAX_QUESTIONS
    # a cauda equina story told in words the rules mostly lack: the reader finds several signs that go together
    text = ("Back went at work on Monday lifting boxes and since then it feels odd sitting down, like the saddle is not "
            "mine, and the toilet is different, slower, and I am worried about my legs which feel heavy.")
    unbounded = context.with_reader(dataclasses.replace(spec, max_questions=None)).read_text(text)
    bounded = context.with_reader(dataclasses.replace(spec, max_questions=1)).read_text(text)
    asked_unbounded = {f.finding_id: f.probability for f in unbounded.findings if f.read_by == "model"}
    asked = {f.finding_id: f.probability for f in bounded.findings if f.read_by == "model"}
    assert len(asked_unbounded) > 1 and len(asked) == 1
    assert min(asked.values()) >= max(p for f, p in asked_unbounded.items() if f not in asked)


def test_the_reader_reads_only_warning_signs(context) -> None:
    lexicon = context.lexicon
    assert all(lexicon.is_warning_sign(label) for label in lexicon.reader.labels)


# an infected puncture with no word of a temperature, and a clinic note whose syndrome the rules read only in part
@pytest.mark.parametrize(("text", "asked", "sentence"), [
    (_INFECTED, "fever", "Stepped on a rusty nail in the garden three days ago and now the whole heel is red, hot and "
                         "swollen and it hurts much more than a small hole should."),
    ("Triage: 52M seen in the walk-in centre this evening. LBP for 2/52 after lifting, unable to PU for 9 h, reduced "
     "anal tone on PR.", "saddle_numbness", "LBP for 2/52 after lifting, unable to PU for 9 h, reduced anal tone on PR."),
])
def test_a_warning_sign_the_rules_leave_unread_is_asked_with_its_sentence(context, text: str, asked: str,
                                                                         sentence: str) -> None:
    intake = context.read_text(text)
    by_reader = {f.finding_id: f for f in intake.findings if f.read_by == "model"}
    assert asked in by_reader and asked in context.to_confirm(intake)
    finding = by_reader[asked]
    assert not finding.asserted and finding.modifier == "uncertain" and finding.probability >= context.lexicon.reader.threshold
    assert text[finding.start:finding.end] == finding.text == sentence
    assert asked not in context.with_reader(None).read_text(text).to_case_findings()
    result = context.assess({"age": 50}, text=text)
    mention = next(m for m in result.text_intake.findings if m.finding == asked)
    assert mention.read_by == "model" and asked in result.text_intake.to_confirm


def test_each_paragraph_is_read_on_its_own_so_one_added_takes_nothing_away(context) -> None:
    told = _INFECTED
    other = ("I work in a shoe shop and stand all day on a hard floor, and I have had plantar fasciitis before in the "
             "other foot which settled with stretches and insoles after a few months.")
    for text in (told, told + "\n\n" + other, other + "\n\n" + told):
        assert "fever" in context.to_confirm(context.read_text(text))


def test_a_text_shorter_than_most_it_learnt_from_is_left_to_the_rules(context) -> None:
    assert context.lexicon.reader.trained_on["min_words"] > 3
    assert not [f for f in context.read_text("I have a cold.").findings if f.read_by == "model"]


_WORDS = ["my", "heel", "hurts", "no", "fever", "back", "pain", "legs", "weak", "numb", "bum", "wee", "can't", "feel",
          "foot", "cold", "white", "38.9", "toilet", "wipe", "not", "mum", "has", "since", "yesterday", "and", ".", ","]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30))
def test_the_reader_never_counts_a_finding_nor_changes_a_reading_of_the_rules(context, words: list[str]) -> None:
    text = " ".join(words)
    with_reader, rules = extract(text, context.lexicon), extract(text, context.lexicon, statistical=False)
    assert [f for f in with_reader.findings if f.read_by == "rules"] == rules.findings
    added = [f for f in with_reader.findings if f.read_by == "model"]
    assert all(not f.asserted and context.lexicon.is_warning_sign(f.finding_id) for f in added)
    assert not {f.finding_id for f in added} & {f.finding_id for f in rules.findings}
    assert with_reader.to_case_findings() == rules.to_case_findings()


@pytest.fixture
def reader_folder(tmp_path: Path) -> Path:
    for name in (READER_FILE, "text_reader.skops"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def _spec(folder: Path) -> dict:
    import yaml

    return yaml.safe_load((folder / READER_FILE).read_text("utf-8"))


@pytest.mark.parametrize(("change", "named"), [
    ({"threshold": 1.5}, "threshold"),
    ({"threshold": True}, "threshold"),
    ({"max_questions": 0}, "max_questions"),
    ({"max_questions": "one"}, "max_questions"),
    ({"model": "missing.skops"}, "model"),
    ({"labels": ["not_a_finding"]}, "not_a_finding"),
    ({"trained_on": None}, "trained_on"),
    ({"colour": "blue"}, "colour"),
])
def test_a_bad_reader_file_is_refused_by_name(reader_folder: Path, change: dict, named: str) -> None:
    from heelpath.knowledge.lexicon import finding_ids_of

    ids = finding_ids_of(heelpath.load().kb)
    with pytest.raises(ValueError, match=named):
        read_reader_spec(_spec(reader_folder) | change, reader_folder, ids)


def test_a_model_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("skops")
    from heelpath.services.intake.statistical import load_model

    bad = tmp_path / "text_reader.skops"
    bad.write_bytes(b"not a zip")
    with pytest.raises(KBSchemaError, match="text_reader.skops"):
        load_model(bad)


def test_without_the_reader_file_the_rules_read_alone(reader_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("text_reader.*"))
    assert heelpath.load(folder).lexicon.reader is None


def test_the_fast_scorer_gives_the_pipelines_own_probabilities() -> None:
    """The reader's probabilities are one matrix product of the fitted weights; they must equal the pipeline's."""
    pytest.importorskip("skops")
    import numpy as np

    from heelpath.services.intake.statistical import _scorer, load_model

    path = heelpath.load().lexicon.reader.model
    texts = ["I can't feel the toilet paper when I wipe.", "My foot went cold and white an hour ago.", "heel pain"]
    assert np.allclose(_scorer(path)(texts), load_model(path).predict_proba(texts), rtol=0, atol=1e-12)
