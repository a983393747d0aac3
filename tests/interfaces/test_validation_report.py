"""The validation report: built in quick mode from the command line, every section with its plot and
table, self-contained (no network), as HTML and as PDF; bad options exit 2 with a message."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import heelpath
from heelpath.interfaces.cli import app
from heelpath.interfaces.validation_report import render_pdf
from heelpath.services.validation.figures import reliability, wilson

SECTIONS = {  # section id -> words its heading or text must hold
    "accuracy": "top-3", "calibration": "Brier", "triage": "Red-flag rules", "interview": "screens",
    "text-intake": "false red flags", "evidence": "most influential estimates", "speed": "machine",
}
PLOTTED = ("accuracy", "calibration", "triage", "interview", "text-intake", "evidence")
runner = CliRunner()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("report") / "validation.html"
    result = runner.invoke(app, ["report", "validation", "-o", str(path), "--quick"])
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8")


def _section(html: str, section: str) -> str:
    match = re.search(rf'<section id="{section}">(.*?)</section>', html, flags=re.S)
    assert match, f"section {section} is missing"
    return match.group(1)


def test_the_quick_report_has_every_section_with_its_plot_and_table(report):
    kb = heelpath.load().kb
    assert kb.version in report and kb.content_hash in report
    assert "does not replace, a clinician" in report
    for section, words in SECTIONS.items():
        body = _section(report, section)
        assert words in body, section
        assert "<table" in body, section
        if section in PLOTTED:
            assert re.search(r"<svg[^>]*>.*?<(?:path|rect|use|text)\b.*?</svg>", body, flags=re.S), section
    # every red-flag rule of the rule book is listed with how often it fired
    for flag in heelpath.load().rules.red_flags:
        assert f"<td>{flag.id}</td>" in _section(report, "triage")


def test_the_report_loads_nothing_from_the_network(report):
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", report)
    assert "@import" not in report and "url(http" not in report


def test_the_report_prints_as_pdf(report, tmp_path):
    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "validation.pdf"
    path.write_bytes(pdf)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: run scripts/system-deps.sh (Debian package poppler-utils)"
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    for heading in ("Accuracy", "Calibration", "Triage", "Text intake", "Evidence coverage", "Speed"):
        assert heading in text


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "report.txt"], ".html file"),
    (["-o", "report.html", "--pdf"], ".pdf file"),
    (["-o", "no/such/folder/report.html"], "not a folder"),
    (["-o", "report.html", "--cases", "."], "no vignettes/ folder"),
])
def test_bad_options_exit_2_naming_the_problem(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", "validation", *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not list(Path(tmp_path).glob("report.*"))


def test_wilson_interval_holds_the_proportion_and_narrows_with_n():
    for hits, n in ((0, 5), (3, 5), (5, 5), (30, 50)):
        low, high = wilson(hits, n)
        assert 0 <= low <= hits / n <= high <= 1
    assert np.diff(wilson(30, 50)) > np.diff(wilson(300, 500))


def test_reliability_of_perfect_and_of_overconfident_predictions():
    rng = np.random.default_rng(0)
    p = rng.random((4000, 3))
    truth = (rng.random((4000, 3)) < p).astype(float)
    calibrated = reliability("calibrated", p, truth)
    assert calibrated.expected_calibration_error < 0.03
    assert sum(calibrated.counts) == p.size
    overconfident = reliability("overconfident", np.where(p > 0.5, 1.0, 0.0), truth)
    assert overconfident.expected_calibration_error > calibrated.expected_calibration_error
    assert reliability("exact", truth, truth).brier == 0
