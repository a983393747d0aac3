"""Refactoring guard: every golden case gives the same differential, triage and next steps, and every
simulated interview asks the same screens, as recorded in golden.json (see snapshot.py)."""

import json

import pytest

from tests.golden.snapshot import GOLDEN, snapshot

RECORDED = json.loads(GOLDEN.read_text())
NOW = snapshot()


@pytest.mark.parametrize("name", sorted(RECORDED["cases"]))
def test_case_result_is_unchanged(name):
    assert NOW["cases"][name] == RECORDED["cases"][name]


def test_no_golden_case_is_missing_or_new():
    assert sorted(NOW["cases"]) == sorted(RECORDED["cases"])


@pytest.mark.parametrize("index", range(len(RECORDED["interviews"])))
def test_interview_path_is_unchanged(index):
    assert NOW["interviews"][index] == RECORDED["interviews"][index]
