"""The command line: readable output, a stable JSON result, clear errors without tracebacks."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from heelpath.examples import example_paths
from heelpath.schemas import generated_schema, load_schema

EXAMPLES = {p.stem: p for p in example_paths()}


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "heelpath", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_assess_json_follows_the_result_schema():
    proc = run("assess", str(EXAMPLES["s1_radiculopathy_clinician"]), "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    jsonschema.validate(result, load_schema("result"))
    assert result["kb_version"] and len(result["kb_hash"]) == 64
    assert "does not replace" in result["disclaimer"]
    assert result["safety_net"]


def test_assess_table_names_the_causes_and_the_disclaimer():
    proc = run("assess", str(EXAMPLES["plantar_fasciitis_self_assessment"]))
    assert proc.returncode == 0, proc.stderr
    assert "Ranked causes" in proc.stdout
    assert "Plantar fasciitis" in proc.stdout
    assert "does not replace" in proc.stdout.replace("\n", " ")


def test_case_from_stdin():
    proc = run("assess", "-", "--json", stdin=EXAMPLES["plantar_fasciitis_self_assessment"].read_text())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["differential"][0]["id"]


@pytest.mark.parametrize(
    "content, words",
    [
        ('{"age": 40, "findings": {"heel_hurts_a_lot": true}}', "heel_hurts_a_lot"),
        ('{"age": 40, "findings": {"numbness": "yes"}}', "numbness"),
        ('{"age": 130}', "age"),
        ('{"age": 40,,}', "not valid JSON"),
        ('{"findings": {}}', "age is required"),
        ('{"age": 40, "findings": {"duration_weeks": 5000}}', "outside"),
    ],
)
def test_bad_input_gives_a_message_and_non_zero_exit(tmp_path: Path, content, words):
    case = tmp_path / "case.json"
    case.write_text(content)
    proc = run("assess", str(case))
    assert proc.returncode == 2
    assert words in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_missing_file_is_named():
    proc = run("assess", "/nonexistent/case.json")
    assert proc.returncode == 2 and "no such case file" in proc.stderr


@pytest.mark.parametrize("which", ["case", "result"])
def test_shipped_schemas_are_the_generated_ones(which):
    assert load_schema(which) == generated_schema(which)


@pytest.mark.parametrize("path", sorted(EXAMPLES.values()), ids=lambda p: p.stem)
def test_bundled_examples_follow_the_case_schema(path):
    jsonschema.validate(json.loads(path.read_text()), load_schema("case"))


def test_a_vignette_file_is_assessed_from_its_case():
    vignette = sorted((Path(__file__).resolve().parents[2] / "cases" / "vignettes").glob("*.json"))[0]
    proc = run("assess", str(vignette), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["case"]["age"] == json.loads(vignette.read_text())["case"]["age"]


def test_kb_rules_prints_every_rule_with_its_timing():
    import heelpath

    proc = run("kb", "rules")
    assert proc.returncode == 0, proc.stderr
    book = heelpath.load().rules
    for rule in (*book.red_flags, *book.triage.rules):
        assert f"| `{rule.id}` |" in proc.stdout and rule.timing in proc.stdout
