"""People's own words, from published patient information (cases/lay_texts, written by someone who
does not edit the lexicon; each text cites the leaflet or guideline it follows). Only the development
texts are read here: the held-out ones are scored once per release by benchmarks/lay_texts.py."""

import json
from pathlib import Path

import pytest

import heelpath
from heelpath.services.validation.lay_texts import WORKED_DEV_SPLITS

FOLDER = Path(__file__).resolve().parents[2] / "cases" / "lay_texts"
TEXTS = [json.loads(line) for line in (FOLDER / "texts.jsonl").read_text().splitlines() if line.strip()]
DEV = [t for t in TEXTS if t["split"] in WORKED_DEV_SPLITS]
RED_FLAGS = set(json.loads((FOLDER / "red_flags.json").read_text()))  # the set's own list (its README)


@pytest.fixture(scope="module")
def context():
    pytest.importorskip("medspacy")
    return heelpath.load()


def _present(intake) -> set[str]:
    return {f for f, v in intake.to_case_findings().items() if (v["present"] if isinstance(v, dict) else v) is True}


def test_every_text_cites_its_source_and_every_family_is_covered():
    assert all(t["source"]["citation"] for t in TEXTS)
    assert len({t["family"] for t in DEV}) >= 20


@pytest.mark.parametrize("text", [t for t in DEV if t["red_flag_expected"]], ids=lambda t: f"{t['id']}-{t['family']}")
def test_a_warning_sign_in_lay_words_is_caught_or_asked_first(context, text):
    intake = context.read_text(text["text"])
    wanted = {f for f, v in text["gold"].items() if v and f in RED_FLAGS}
    assert wanted & (_present(intake) | set(context.to_confirm(intake))), text["text"]


@pytest.mark.parametrize("text", [t for t in DEV if not t["red_flag_expected"]], ids=lambda t: f"{t['id']}-{t['family']}")
def test_a_denied_past_quoted_hedged_or_relatives_warning_sign_is_not_asserted(context, text):
    assert not (_present(context.read_text(text["text"])) & RED_FLAGS), text["text"]


def test_what_the_texts_state_is_read_mostly_right(context):
    right = total = 0
    for text in DEV:
        answers = {f: (v["present"] if isinstance(v, dict) else v) for f, v in
                   context.read_text(text["text"]).to_case_findings().items()}
        for finding, want in text["gold"].items():
            total += 1
            right += answers.get(finding) == want
    assert right / total >= 0.8  # recall over the gold answers (benchmarks/lay_texts.py prints it)
