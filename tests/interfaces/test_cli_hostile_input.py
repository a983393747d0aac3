"""Hostile input to the command line: one line on stderr naming the problem, exit 2, no traceback.

Each test runs the real CLI in a subprocess; the hostile files are built once per module.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DEEP = 5000
LONG_NUMBER = "1" + "0" * 5000  # int() refuses more than 4,300 digits


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "heelpath", *args], input=stdin, capture_output=True, timeout=120)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(errors="replace"),
                                       proc.stderr.decode(errors="replace"))


def assert_refused(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr[-2000:]
    for word in words:
        assert word in proc.stderr


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    texts = {
        "deep_list.json": "[" * 100_000 + "]" * 100_000,
        "deep_findings.json": '{"age": 40, "findings": ' + '{"a": ' * DEEP + "true" + "}" * DEEP + "}",
        "long_age.json": '{"age": ' + LONG_NUMBER + "}",
        "long_answer.json": '{"age": 40, "findings": {"duration_weeks": ' + LONG_NUMBER + "}}",
        "too_large.json": '{"age": 40}' + " " * (1024 * 1024),  # valid JSON, over the 1 MiB limit
        "long_text.json": '{"age": 40, "text": "' + "a" * 20_001 + '"}',
        "twice_age.json": '{"age": 40, "age": 50}',
        "twice_finding.json": '{"age": 40, "findings": {"numbness": true, "numbness": false}}',
        "twice_across.json": '{"age": 40, "numbness": true, "answers": {"numbness": false}}',
        "markup_id.json": '{"age": 40, "findings": {"[/x]": true}}',
        "one.jsonl": '{"age": 40}\n',
        "bad_lines.jsonl": "\n".join(['{"age": 40}', "[" * 100_000 + "]" * 100_000, '{"age": 40, "age": 50}',
                                     '{"age": 41}']) + "\n",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "not_utf8.json").write_bytes(b'{"age": 40, "sex": "\xff\xfe\xfa"}')
    (folder / "not_utf8.jsonl").write_bytes(b'{"age": 40}\n{"age": 41, "sex": "\xff\xfe\xfa"}\n')
    (folder / "a_folder").mkdir()
    return folder


@pytest.mark.parametrize("name", ["deep_list.json", "deep_findings.json"])
@pytest.mark.parametrize("command", [["assess"], ["interview", "--answers"]])
def test_deeply_nested_json_is_refused(files: Path, command: list[str], name: str) -> None:
    assert_refused(run(*command, str(files / name)), "nested more than 16 levels")


@pytest.mark.parametrize("name", ["long_age.json", "long_answer.json"])
@pytest.mark.parametrize("command", [["assess"], ["interview", "--answers"]])
def test_a_number_of_thousands_of_digits_is_refused(files: Path, command: list[str], name: str) -> None:
    assert_refused(run(*command, str(files / name)), "a number has 5001 characters", "limit is 100")


def test_a_case_file_over_1_mib_is_refused_with_the_limit(files: Path) -> None:
    assert_refused(run("assess", str(files / "too_large.json")), "larger than 1 MiB")


def test_a_case_on_stdin_over_1_mib_is_refused(files: Path) -> None:
    assert_refused(run("assess", "-", stdin=(files / "too_large.json").read_bytes()), "stdin", "larger than 1 MiB")


def test_text_over_20000_characters_is_refused(files: Path) -> None:
    assert_refused(run("assess", str(files / "long_text.json")), "20001 characters", "20000")
    assert_refused(run("assess", "--age", "40", "--text", "a" * 20_001), "20001 characters", "20000")


def test_a_case_file_that_is_not_utf8_is_refused(files: Path) -> None:
    assert_refused(run("assess", str(files / "not_utf8.json")), "not UTF-8", "0xff")


@pytest.mark.parametrize("command", [["assess", "-"], ["interview", "--answers", "-"]])
def test_stdin_that_is_not_utf8_is_refused(files: Path, command: list[str]) -> None:
    assert_refused(run(*command, stdin=(files / "not_utf8.json").read_bytes()), "stdin", "not UTF-8")


def test_a_batch_file_that_is_not_utf8_is_refused_before_anything_is_written(files: Path) -> None:
    target = files / "not_written.csv"
    assert_refused(run("batch", str(files / "not_utf8.jsonl"), "-o", str(target)), "line 2", "not UTF-8")
    assert not target.exists()


@pytest.mark.parametrize("output, words", [("a_folder", "is a folder"),
                                           ("no_such_folder/out.csv", "does not exist"),
                                           ("one.jsonl", "is the input file")])
def test_a_batch_output_that_cannot_be_written_is_refused(files: Path, output: str, words: str) -> None:
    assert_refused(run("batch", str(files / "one.jsonl"), "-o", str(files / output)), words)
    assert (files / "one.jsonl").read_text() == '{"age": 40}\n'  # never erased by writing over it


@pytest.mark.parametrize("name, key", [("twice_age.json", "'age'"), ("twice_finding.json", "'numbness'")])
@pytest.mark.parametrize("command", [["assess"], ["interview", "--answers"]])
def test_a_key_given_twice_is_refused_by_name(files: Path, command: list[str], name: str, key: str) -> None:
    assert_refused(run(*command, str(files / name)), key, "twice")


def test_an_interview_finding_answered_at_the_top_and_under_answers_is_refused(files: Path) -> None:
    assert_refused(run("interview", "--answers", str(files / "twice_across.json")), "'numbness'", "twice")


def test_markup_in_the_input_is_quoted_not_interpreted(files: Path) -> None:
    assert_refused(run("assess", str(files / "markup_id.json")), "unknown finding id '[/x]'")


def test_batch_reports_deep_and_duplicate_lines_by_number_and_scores_the_rest(files: Path) -> None:
    target = files / "scored.csv"
    proc = run("batch", str(files / "bad_lines.jsonl"), "-o", str(target))
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 1  # as for any invalid line: the others are scored, the bad ones listed
    assert "line 2: JSON nested more than 16 levels deep" in proc.stderr
    assert "line 3: the key 'age' appears twice" in proc.stderr
    assert "scored 2 case(s)" in proc.stdout
    assert [row.split(",")[0] for row in target.read_text().splitlines()[1:]] == ["1", "4"]
