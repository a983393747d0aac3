"""Batch screening: same answers as one-by-one assessment; bad lines reported, never dropped."""

import csv
import json

import pytest

import heelpath
from heelpath.services.assessment import assess
from heelpath.services.batch import score_jsonl
from heelpath.services.case import Case

CASES = [
    {"id": "pf", "age": 45, "sex": "female", "side": "right",
     "findings": {"first_step_pain": True, "pain_under_heel": True, "tingling_pins_needles": False}},
    {"id": "s1", "age": 44, "sex": "male", "setting": "primary_care", "side": "left",
     "findings": {"leg_pain_radiating_below_knee": True, "ankle_reflex_reduced": {"present": True, "side": "left"}}},
    {"age": 12, "findings": {"pain_back_of_heel": True, "pain_with_activity": True}},
]


def test_batch_matches_single_assessment(tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.csv"
    source.write_text("\n".join(json.dumps(c) for c in CASES) + "\n")
    summary = score_jsonl(source, target, heelpath.load().model, top=3)
    assert summary.scored == 3 and not summary.invalid
    rows = list(csv.DictReader(target.open()))
    assert [r["id"] for r in rows] == ["pf", "s1", "3"]
    for case, row in zip(CASES, rows):
        single = assess(Case.from_data({k: v for k, v in case.items() if k != "id"}), heelpath.load().model).ranked
        assert row["cause_1"] == single[0][0]
        assert float(row["probability_1"]) == pytest.approx(single[0][1], abs=1e-4)
        assert row["kb_hash"] == heelpath.load().model.kb.content_hash


def test_bad_lines_are_reported_with_line_numbers(tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.csv"
    source.write_text(json.dumps(CASES[0]) + "\n{oops\n" + json.dumps({"age": 40, "findings": {"zzz": True}}) + "\n")
    summary = score_jsonl(source, target, heelpath.load().model)
    assert summary.scored == 1
    assert [n for n, _ in summary.invalid] == [2, 3]
    assert "zzz" in summary.invalid[1][1]
