"""`heelpath interview`: scripted from a file or stdin, typed in a real pseudo-terminal, bad input."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from heelpath.errors import InvalidAnswerError
from heelpath.examples import example_paths
from heelpath.interfaces.cli_interview import parse_checklist
from heelpath.services.interview import Question

EXAMPLES = {p.stem: p for p in example_paths()}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PLANTAR = """# a person with plantar heel pain
age=46
sex=female
side=right
pain_under_heel=yes
first_step_pain=yes
pain_after_prolonged_standing=yes
recent_activity_increase=yes
duration_weeks=4
"""


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "heelpath", "interview", *args], input=stdin,
                          capture_output=True, text=True, timeout=300)


def scripted(tmp_path: Path, text: str, *args) -> dict:
    answers = tmp_path / "answers.txt"
    answers.write_text(text)
    proc = run("--answers", str(answers), "--json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_scripted_lines_run_the_whole_interview(tmp_path):
    final = scripted(tmp_path, PLANTAR)
    assert final["done"] and final["stop_reason"] == "settled"
    assert final["stop_explanation"]
    assert final["result"]["differential"][0]["id"] == "plantar_fasciitis"
    assert final["result"]["triage"]["level"] in ("self_care", "routine")
    screens = final["transcript"]
    assert screens[0]["group"] == "about_you"
    assert {q["id"] for q in screens[0]["questions"]} == {"age", "sex", "side"}
    assert len(screens) == final["progress"]["asked"]
    asked = [q["id"] for s in screens for q in s["questions"]]
    assert "pain_under_heel" in asked and "symptoms_over_6_weeks" not in asked
    answered = {q["id"]: q["answer"] for s in screens for q in s["questions"]}
    assert answered["pain_under_heel"] is True and answered["bladder_dysfunction"] == "unknown"


def test_a_case_file_on_stdin_is_a_script(tmp_path):
    proc = run("--answers", "-", "--json", stdin=EXAMPLES["plantar_fasciitis_self_assessment"].read_text())
    assert proc.returncode == 0, proc.stderr
    final = json.loads(proc.stdout)
    assert final["state"]["age"] == 46 and final["state"]["side"] == "right"
    assert final["result"]["differential"][0]["id"] == "plantar_fasciitis"


def test_the_readable_run_shows_each_question_and_the_result(tmp_path):
    answers = tmp_path / "answers.txt"
    answers.write_text(PLANTAR)
    proc = run("--answers", str(answers))
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    assert "How old are you? -> 46" in text
    assert "Is the pain under your heel, where it touches the ground? -> yes" in text
    assert "Stopped after" in text and "Ranked causes" in text and "Triage" in text
    assert "does not replace" in text


def test_a_red_flag_in_the_script_ends_in_an_emergency(tmp_path):
    final = scripted(tmp_path, PLANTAR + "bladder_dysfunction=yes\n")
    assert final["result"]["triage"]["level"] == "emergency"
    assert final["stop_reason"] == "emergency"


def test_clinician_script_with_sides(tmp_path):
    text = """age=52
sex=male
side=left
leg_pain_radiating_below_knee=left
low_back_pain=yes
tingling_pins_needles=left
ankle_reflex_reduced=left
plantar_flexion_weakness=left
slr_positive=left
s1_sensory_loss=left
"""
    final = scripted(tmp_path, text, "--mode", "clinician")
    assert final["result"]["differential"][0]["id"] == "s1_radiculopathy"
    asked = {q["id"] for s in final["transcript"] for q in s["questions"]}
    assert asked & {"ankle_reflex_reduced", "slr_positive", "s1_sensory_loss"}


def test_answers_the_interview_never_needed_are_reported(tmp_path):
    answers = tmp_path / "answers.txt"
    answers.write_text(PLANTAR + "mri_root_compression=no\n")
    proc = run("--answers", str(answers), "--json")
    assert proc.returncode == 0, proc.stderr
    assert "not asked, so not used: mri_root_compression" in proc.stderr


@pytest.mark.parametrize(
    "content, words",
    [
        ("age=46\nheel_hurts_a_lot=yes\n", "heel_hurts_a_lot"),
        ("age=46\nnumbness=perhaps\n", "numbness"),
        ("age=46\nduration_weeks=5000\n", "outside"),
        ("age=46\nlow_back_pain=left\n", "not answered per side"),
        ("age=old\n", "age"),
        ("sex=female\nside=left\n", "no age"),
        ("age=46\njust some words\n", "line 2"),
        ('{"age": 46, "findings": {"numbness": 3}}', "numbness"),
        ('{"age": 46,,}', "not valid JSON"),
    ],
)
def test_bad_answers_give_a_message_and_a_non_zero_exit(tmp_path, content, words):
    answers = tmp_path / "answers.txt"
    answers.write_text(content)
    proc = run("--answers", str(answers))
    assert proc.returncode == 2
    assert words in " ".join(proc.stderr.split())
    assert "Traceback" not in proc.stderr + proc.stdout


def test_missing_answers_file_and_bad_mode(tmp_path):
    proc = run("--answers", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2 and "no such answers file" in proc.stderr
    proc = run("--mode", "robot")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_typed_answers_that_end_too_soon_exit_cleanly():
    proc = run(stdin="46\nf\n")
    assert proc.returncode == 2
    assert "input ended" in proc.stderr and "Traceback" not in proc.stderr


def _item(finding_id, lateralised):
    return Question(id=finding_id, text=finding_id, type="boolean", options=None, lateralised=lateralised,
                    group="g", red_flag=False, required=False)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 3", {"a": True, "b": False, "c": True}),
        ("none", {"a": False, "b": False, "c": False}),
        ("?", {"a": "unknown", "b": "unknown", "c": "unknown"}),
        ("2, ?3", {"a": False, "b": True, "c": "unknown"}),
        ("1l", {"a": {"present": True, "side": "left"}, "b": False, "c": False}),
    ],
)
def test_checklist_replies(text, expected):
    questions = [_item("a", True), _item("b", False), _item("c", False)]
    assert parse_checklist(text, questions) == expected


@pytest.mark.parametrize("text", ["4", "1 1", "x", "2l"])
def test_bad_checklist_replies(text):
    questions = [_item("a", True), _item("b", False), _item("c", False)]
    with pytest.raises(InvalidAnswerError):
        parse_checklist(text, questions)


# --------------------------------------------------------------------------- a real terminal


class Terminal:
    """The interview running in a pseudo-terminal, read and typed into like a person would."""

    def __init__(self, *args: str) -> None:
        import pty

        self.master, slave = pty.openpty()
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "160", "TERM": "xterm"}
        self.proc = subprocess.Popen([sys.executable, "-m", "heelpath", "interview", *args], stdin=slave,
                                     stdout=slave, stderr=slave, env=env, close_fds=True)
        os.close(slave)
        self.output = ""
        self.read_to = 0

    def wait_for(self, *prompts: str, limit: float = 120.0) -> str:
        """Read until one of `prompts` appears in new output; return it ('' when the program ended)."""
        give_up = time.monotonic() + limit  # a guard against a hang, not a speed assertion
        while time.monotonic() < give_up:
            # read_to counts characters of the text without ANSI codes; only what follows the prompt
            # found is left unread (a busy machine may deliver two prompts in one chunk)
            fresh = ANSI.sub("", self.output)[self.read_to:]
            found = [(fresh.index(p), p) for p in prompts if p in fresh]
            if found:
                at, prompt = min(found)
                self.read_to += at + len(prompt)
                return prompt
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    return ""
                self.output += chunk.decode("utf-8", "replace")
            elif self.proc.poll() is not None:
                return ""
        raise AssertionError(f"no prompt {prompts} within the time limit; output so far:\n{self.text[-2000:]}")

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    @property
    def text(self) -> str:
        return ANSI.sub("", self.output)

    def close(self) -> int:
        """Read what is left (a full terminal buffer would block the program) and wait for the exit."""
        try:
            while self.wait_for("\0never printed\0") != "":
                pass
        except AssertionError:
            pass
        try:
            return self.proc.wait(timeout=60)
        finally:
            os.close(self.master)


PROMPTS = {"(years)": "46", "f / m / ?": "f", "l / r / b / ?": "r", "Enter to skip": "", "Numbers that apply": "none",
           "y / n / ?": "n", "number of": "10"}


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_interactive_interview_in_a_pseudo_terminal_with_back_and_dont_know():
    term = Terminal()
    try:
        assert term.wait_for("(years)") == "(years)"
        term.type("forty")  # not a number: asked again
        assert term.wait_for("(years)") == "(years)"
        term.type("46")
        assert term.wait_for("f / m / ?")
        term.type("f")
        assert term.wait_for("l / r / b / ?")
        term.type("r")
        assert term.wait_for("Enter to skip")  # the pain in their own words: skipped
        term.type("")
        assert term.wait_for("Numbers that apply") == "Numbers that apply"
        term.type("back")  # back to the first screen: age, sex and side are asked again
        assert term.wait_for("(years)") == "(years)"
        term.type("46")
        term.wait_for("f / m / ?")
        term.type("f")
        term.wait_for("l / r / b / ?")
        term.type("r")
        term.wait_for("Enter to skip")
        term.type("")
        assert term.wait_for("Numbers that apply")
        term.type("?")  # don't know, for the whole checklist
        screens = 2
        while True:
            prompt = term.wait_for(*PROMPTS)
            if not prompt:
                break
            term.type(PROMPTS[prompt])
            screens += 1
            assert screens < 40, "the interview should stop by itself"
        assert term.close() == 0
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
    text = " ".join(term.text.split())
    assert "question 2, about" in text  # the progress indicator
    assert "This is the first question" not in text
    assert "Stopped after" in text and "Ranked causes" in text and "Triage" in text


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_interactive_emergency_shows_go_now_and_quit_shows_the_result():
    term = Terminal()
    try:
        term.wait_for("(years)")
        term.type("50")
        term.wait_for("f / m / ?")
        term.type("m")
        term.wait_for("l / r / b / ?")
        term.type("l")
        term.wait_for("Enter to skip")
        term.type("")
        for _ in range(6):  # tick the bladder item on the nerve warning-sign screen
            term.wait_for("Numbers that apply")
            screen = term.text[term.text.rfind("Tick every one"):]
            lines = [line for line in screen.splitlines() if re.match(r"\s+\d+\. ", line)]
            bladder = next((line.split(".")[0].strip() for line in lines if "pass urine" in line), None)
            if bladder:
                term.type(bladder)
                break
            term.type("none")
        else:
            raise AssertionError("the bladder question was not asked among the first screens")
        assert term.wait_for("Go now", "Stopped after") == "Go now"  # told at once, before any more questions
        term.wait_for(*PROMPTS)
        term.type("quit")
        assert term.close() == 0
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
    text = " ".join(term.text.split())
    assert "Triage: Emergency" in text
    assert "You stopped the interview" in text and "Ranked causes" in text


# --------------------------------------------------------------------------- the pain in one's own words

HEDGED_BLADDER = ("It hurts under my heel with the first steps in the morning. "
                  "I think I might have had some trouble passing urine.")


def test_a_scripted_description_answers_what_the_script_leaves_and_asks_unsettled_warning_signs_first(tmp_path):
    final = scripted(tmp_path, "age=46\nsex=female\nside=right\nbladder_dysfunction=no\n", "--text", HEDGED_BLADDER)
    described = final["transcript"][0]
    assert described["screen"] == "description"
    assert described["read"].get("first_step_pain") is True
    assert "bladder_dysfunction" not in described["read"]  # hedged: not an answer
    assert "bladder_dysfunction" in described["confirm_first"]
    screens = final["transcript"][1:]
    assert screens[0]["group"] == "about_you"
    assert screens[1]["group"] == "confirm_first"  # before any other question
    assert {q["id"]: q["answer"] for q in screens[1]["questions"]}["bladder_dysfunction"] is False
    assert final["result"]["triage"]["level"] != "emergency"


def test_an_unsettled_warning_sign_left_unanswered_is_not_dropped(tmp_path):
    final = scripted(tmp_path, "age=46\nsex=female\nside=right\n", "--text", HEDGED_BLADDER)
    asked = [q["id"] for s in final["transcript"][1:] for q in s.get("questions", [])]
    assert "bladder_dysfunction" in asked
    assert final["result"] is not None


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_interactive_description_is_confirmed_item_by_item_and_unsettled_warning_signs_come_first():
    term = Terminal("--json")
    try:
        for prompt, reply in (("(years)", "46"), ("f / m / ?", "f"), ("l / r / b / ?", "r")):
            term.wait_for(prompt)
            term.type(reply)
        term.wait_for("Enter to skip")
        term.type(HEDGED_BLADDER)
        assert term.wait_for("Numbers of any that are wrong") == "Numbers of any that are wrong"
        read = term.text[term.text.rfind("I read:"):]
        items = [line for line in read.splitlines() if re.match(r"\s+\d+\. ", line)]
        assert any("first step" in line.lower() for line in items), read
        term.type("")  # all right
        assert term.wait_for("Numbers that apply", "y / n / ?")
        first = term.text[term.text.rfind("asked first"):]
        assert "urine" in first.lower() or "bladder" in first.lower(), first
        term.type("quit")
        assert term.close() == 0
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
    final = json.loads(term.text[term.text.index("{"):])
    described = next(s for s in final["transcript"] if s.get("screen") == "description")
    assert described["read"].get("first_step_pain") is True
    assert "bladder_dysfunction" in described["confirm_first"]
