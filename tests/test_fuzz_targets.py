"""The coverage-guided fuzz target (fuzz/case_and_text.py) runs for a fixed budget of inputs from
its seeds: any exception but the documented InputError is a crash, and fails this test with the
fuzzer's report (its crashing input is written beside the new corpus)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# atheris publishes wheels only for CPython 3.12+ on x86_64 (pyproject installs it there): elsewhere
# this target cannot run, and the Hypothesis fuzzing of the same parsers still does
pytest.importorskip("atheris")

ROOT = Path(__file__).resolve().parents[1]
RUNS = 600  # inputs, not seconds: the budget is the same on every machine


def test_the_case_and_text_parsers_survive_a_fixed_fuzzing_budget(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"  # new inputs go to the first folder, never to the seeds
    corpus.mkdir()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "case_and_text.py"), f"-runs={RUNS}", "-timeout=60",
         f"-artifact_prefix={tmp_path}/", str(corpus), str(ROOT / "fuzz" / "seeds")],
        capture_output=True, text=True, timeout=900, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "DONE" in proc.stderr
