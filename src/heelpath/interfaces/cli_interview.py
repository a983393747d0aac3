"""`heelpath interview`: the adaptive interview in the terminal, typed or scripted.

Interactive keys: ``y`` / ``n`` / ``?`` (don't know), ``l`` / ``r`` / ``b`` (present on the left,
right or both sides), a number where a number is asked, ``back`` to change the previous answer,
``quit`` to stop and see the result so far. A checklist takes the numbers of the items that apply
(``1 3``), ``none``, ``?`` (not sure about any) or ``?2`` (not sure about item 2).

Scripted (``--answers FILE``, ``-`` for stdin): the answers come from a JSON object (a case file,
an interview state, or ``{finding_id: answer}``) or from lines ``finding_id=yes|no|unknown|left|
right|both|<number>`` (with ``age=``, ``sex=``, ``side=``, ``setting=``); a question the file does
not answer is answered "don't know".
"""

from __future__ import annotations

import json
import re
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape  # messages quote what was typed or read, and "[/x]" would be read as markup
from rich.panel import Panel
from rich.text import Text

from heelpath.errors import CaseFormatError, HeelpathError, InvalidAnswerError
from heelpath.interfaces.cli_errors import friendly_errors

if TYPE_CHECKING:
    from heelpath.services.interview import InterviewProgress, Question, QuestionScreen

ABOUT_FIELDS = ("age", "sex", "side", "setting")
SEX_WORDS = {"f": "female", "female": "female", "m": "male", "male": "male", "?": "unknown", "unknown": "unknown",
             "": "unknown"}
SIDE_WORDS = {"l": "left", "left": "left", "r": "right", "right": "right", "b": "both", "both": "both",
              "?": "unknown", "unknown": "unknown", "": "unknown"}


class Mode(str, Enum):
    lay = "lay"
    clinician = "clinician"


class _Back(Exception):
    """The user typed 'back'."""


class _Quit(Exception):
    """The user typed 'quit'."""


@friendly_errors
def interview(
    mode: Mode = typer.Option(Mode.lay, "--mode", help="lay: a person with heel pain (history only); "
                                                       "clinician: history, examination and test results."),
    answers: Optional[str] = typer.Option(None, "--answers", metavar="FILE",
                                          help="Answer from a file instead of prompts (JSON, or lines "
                                               "finding_id=yes|no|unknown|left|right|both|<number>); '-' for stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print the final result (and the transcript) as JSON."),
    setting: Optional[str] = typer.Option(None, "--setting", help="self_assessment or primary_care "
                                                                  "(default: by mode)."),
    max_questions: Optional[int] = typer.Option(None, "--max-questions", min=1, max=200,
                                                help="Stop after this many screens."),
    text: Optional[str] = typer.Option(None, "--text", help="The pain in your own words (lay mode asks for it "
                                                            "when not given). What it says is confirmed "
                                                            "before it counts (scripted: used where the "
                                                            "answers are silent); warning signs it leaves "
                                                            "unsettled are asked first."),
) -> None:
    """Adaptive interview: asks the most telling question next and stops when the answer is settled."""
    from heelpath.services.interview import InterviewState

    base: dict[str, Any] = {"mode": mode.value}
    if setting is not None:
        base["setting"] = setting
    if max_questions is not None:
        base["max_questions"] = max_questions
    state = InterviewState.from_data(base)
    out = Console(stderr=as_json)  # with --json, questions and progress go to stderr
    if answers is not None:
        script = read_answers(answers)
        final, transcript, unused = run_scripted(state, script, out if not as_json else None, text)
        if unused:
            Console(stderr=True).print(f"[yellow]note:[/] not asked, so not used: {', '.join(sorted(unused))}",
                                       highlight=False)
    else:
        final, transcript = run_interactive(state, out, text)
    if as_json:
        document = {**final, "progress": final["progress"].model_dump(),
                    "result": final["result"].to_json() if final["result"] else None, "transcript": transcript}
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    else:
        show_final(out, final)


# --------------------------------------------------------------------------- scripted answers


def read_answers(source: str) -> dict[str, Any]:
    """Read an answers file into ``{"age": .., "sex": .., "side": .., "setting": .., "answers": {..}}``.

    Raises
    ------
    CaseFormatError
        The file cannot be read, or is neither a JSON object nor ``key=value`` lines.
    UnknownFindingError, InvalidAnswerError
        A line names an unknown finding or gives an answer the finding cannot take.
    """
    from heelpath.services.jsonio import parse_json, read_file, read_text

    if source == "-":
        where = "stdin"
        raw = read_text(sys.stdin.buffer, where)  # as bytes: the text layer would let bad UTF-8 through
    else:
        where = source
        raw = read_file(Path(source), "answers file")
    if raw.lstrip().startswith(("{", "[")):
        data = parse_json(raw, where)
        if not isinstance(data, dict):
            raise CaseFormatError(f"{where}: the answers must be a JSON object")
        return _from_mapping(data, where)
    return _from_lines(raw, where)


def _from_mapping(data: dict[str, Any], where: str) -> dict[str, Any]:
    import heelpath

    kb = heelpath.load().kb
    script: dict[str, Any] = {"answers": {}}
    findings: dict[str, Any] = {}
    for key, value in data.items():
        if key in ABOUT_FIELDS:
            script[key] = value
        elif key in ("answers", "findings"):
            if not isinstance(value, dict):
                raise CaseFormatError(f"{where}: '{key}' must be an object of finding id -> answer")
            for finding_id, answer in value.items():
                _add_once(findings, finding_id, answer, where)
        elif key in ("mode", "text", "max_questions"):
            continue  # the command-line options decide these; a case's free text is not read here
        else:
            _add_once(findings, key, value, where)
    for finding_id, value in findings.items():
        script["answers"][finding_id] = _typed(kb, finding_id, value)
    for key in ("sex", "side"):
        if isinstance(script.get(key), str):
            words = SEX_WORDS if key == "sex" else SIDE_WORDS
            script[key] = words.get(script[key].strip().lower(), script[key])
    return script


def _add_once(findings: dict[str, Any], finding_id: str, value: Any, where: str) -> None:
    # a finding both at the top level and under "answers" (or "findings"): keeping either hides the other
    if finding_id in findings:
        raise CaseFormatError(f"{where}: the finding {finding_id!r} is answered twice; answer it once")
    findings[finding_id] = value


def _typed(kb: Any, finding_id: str, value: Any) -> Any:
    from heelpath.services.interview import UNKNOWN, parse_answer

    if isinstance(value, str):
        return parse_answer(kb, finding_id, value)
    if value is None:
        return UNKNOWN
    if not kb.has_finding(finding_id):
        parse_answer(kb, finding_id, "?")  # raises UnknownFindingError naming it
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return parse_answer(kb, finding_id, repr(value))
    return value  # booleans and {"present", "side"} objects: validated by the interview


def _from_lines(raw: str, where: str) -> dict[str, Any]:
    import heelpath
    from heelpath.services.interview import parse_answer

    kb = heelpath.load().kb
    script: dict[str, Any] = {"answers": {}}
    for number, line in enumerate(raw.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise CaseFormatError(f"{where} line {number}: expected finding_id=answer, got {line!r}")
        if key == "age":
            script["age"] = _age(value, f"{where} line {number}")
        elif key == "sex":
            script["sex"] = _word(SEX_WORDS, value, "sex", "female, male or unknown")
        elif key == "side":
            script["side"] = _word(SIDE_WORDS, value, "side", "left, right, both or unknown")
        elif key == "setting":
            script["setting"] = value
        else:
            try:
                script["answers"][key] = parse_answer(kb, key, value)
            except HeelpathError as exc:
                raise type(exc)(f"{where} line {number}: {exc}") from None
    return script


def _age(text: str, where: str = "age") -> float | int:
    try:
        value = float(text)
    except ValueError:
        raise InvalidAnswerError(f"{where}: age must be a number of years, got {text!r}") from None
    if not 0 <= value <= 120:
        raise InvalidAnswerError(f"{where}: age {value:g} is outside 0-120")
    return int(value) if value.is_integer() else value


def _word(words: dict[str, str], text: str, what: str, choices: str) -> str:
    key = text.strip().lower()
    if key not in words:
        raise InvalidAnswerError(f"{what}: expected {choices}, got {text!r}")
    return words[key]


def run_scripted(state: Any, script: dict[str, Any], console: Console | None,
                 text: str | None = None) -> tuple[dict[str, Any], list[Any], set[str]]:
    """Run the interview answering from `script`; questions it does not answer get "don't know".

    A description (`text`) answers what the script leaves unanswered; the warning signs it names
    without settling are asked first, and answered from the script like any other question.
    """
    import heelpath
    from heelpath.services.interview import UNKNOWN, read_description

    context = heelpath.load()
    given = dict(script.get("answers", {}))
    if "setting" in script:
        state = state.with_answers({}, setting=script["setting"])
    transcript: list[dict[str, Any]] = []
    if text:
        described = read_description(context, text)
        read = {f: v for f, v in described.answers.items() if f not in given}
        transcript.append({"screen": "description", "read": read, "confirm_first": described.to_confirm})
        if console is not None:
            console.print("[bold]Read from the description[/]")
            for finding_id, value in read.items():
                console.print(f"  {context.kb.finding(finding_id).label} -> {_show(value)}", highlight=False)
        state = _described_state(state, read, described.to_confirm)
    while True:
        current = context.step(state)
        if current.done:
            break
        answers: dict[str, Any] = {}
        fields: dict[str, Any] = {}
        for q in current.next_questions:
            if q.id == "age":
                if script.get("age") is None:
                    raise CaseFormatError("the answers give no age (add age=<years>)")
                fields["age"] = script["age"]
            elif q.id in ("sex", "side"):
                fields[q.id] = script.get(q.id) or UNKNOWN
            else:
                answers[q.id] = given.get(q.id, UNKNOWN)
                derived = [r.finding for r in context.kb.finding(q.id).derives if r.finding in given]
                if q.id not in given and derived:  # the file answers the derived yes/no findings
                    del answers[q.id]
                    answers.update({d: given[d] for d in derived})
        transcript.append(_record(current, {**fields, **answers}))
        if console is not None:
            _echo(console, current, {**fields, **answers})
        state = state.with_answers(answers, **fields)
    unused = set(given) - set(state.answers)
    return _final(current, state), transcript, unused


def _described_state(state: Any, answers: dict[str, Any], confirm_first: list[str]) -> Any:
    from heelpath.services.interview import InterviewState

    state = state.with_answers(answers)
    if confirm_first:
        state = InterviewState.from_data({**state.to_data(), "confirm_first": confirm_first})
    return state


def _record(current: Any, answered: dict[str, Any]) -> dict[str, Any]:
    return {
        "screen": current.progress.asked + 1,
        "group": current.group.id if current.group else None,
        "questions": [{"id": q.id, "text": q.text, "answer": answered.get(q.id)}
                      for q in current.next_questions] + [
            {"id": k, "text": None, "answer": v} for k, v in answered.items()
            if k not in {q.id for q in current.next_questions}],
    }


def _echo(console: Console, current: Any, answered: dict[str, Any]) -> None:
    console.print(f"[bold]{_progress_line(current.progress)}[/] {current.group.text}", highlight=False)
    for q in current.next_questions:
        console.print(f"  {q.text} -> {_show(answered.get(q.id))}", highlight=False)


def _show(answer: Any) -> str:
    """An answer as console markup (escaped: a scripted answer is echoed before it is validated)."""
    if answer is True:
        return "yes"
    if answer is False:
        return "no"
    if isinstance(answer, dict):
        return f"{_show(answer.get('present'))} ({escape(str(answer.get('side')))})"
    return "don't know" if answer in (None, "unknown") else escape(str(answer))


def _final(current: Any, state: Any) -> dict[str, Any]:
    return {
        "done": current.done,
        "stop_reason": current.stop_reason,
        "stop_explanation": current.stop_explanation,
        "progress": current.progress,
        "state": state.to_data(),
        "result": current.result,
    }


# --------------------------------------------------------------------------- interactive


def _progress_line(progress: InterviewProgress) -> str:
    done, left = progress.asked, progress.estimated_remaining
    total = max(done + left, 1)
    filled = round(10 * done / total)
    return f"[{'■' * filled}{'□' * (10 - filled)}] question {done + 1}, about {left} more."


def run_interactive(state: Any, console: Console, text: str | None = None) -> tuple[dict[str, Any], list[Any]]:
    """Ask in the terminal until the interview stops; 'back' returns to the previous screen.

    In lay mode the person describes the pain in their own words after the about-you screen
    (or gives `text`); each item read from it counts only once confirmed.
    """
    import heelpath

    context = heelpath.load()
    console.print(Panel(
        "Answer with y (yes), n (no) or ? (don't know); l / r / b say the side (left, right, both).\n"
        "Type back to change your previous answer, quit to stop and see the result so far.",
        title="heelpath interview", border_style="cyan"), highlight=False)
    history: list[tuple[Any, int]] = []  # (state, transcript length) before each screen
    transcript: list[dict[str, Any]] = []
    while True:
        current = context.step(state)
        if current.done:
            return _final(current, state), transcript
        console.print()
        if current.group is not None and current.group.alert:
            console.print(Panel(Text(current.group.alert, style="bold"), title="Go now: emergency",
                                border_style="red", subtitle="a few more questions for your report, or quit"))
        console.print(Text(_progress_line(current.progress), style="dim"))
        try:
            fields, answers = _ask_screen(console, current, state)
        except _Back:
            if not history:
                console.print("[yellow]This is the first question; there is nothing to go back to.[/]")
                continue
            state, kept = history.pop()
            del transcript[kept:]
            continue
        except _Quit:
            return _stopped(current, state), transcript
        history.append((state, len(transcript)))
        transcript.append(_record(current, {**fields, **answers}))
        state = state.with_answers(answers, **fields)
        if current.group is not None and current.group.kind == "about_you" and state.mode == "lay":
            try:
                state = _ask_description(console, context, state, transcript, text)
            except _Back:
                state, kept = history.pop()
                del transcript[kept:]
            except _Quit:
                return _stopped(context.step(state), state), transcript


def _stopped(current: Any, state: Any) -> dict[str, Any]:
    final = _final(current, state)
    final["stop_reason"] = "stopped_by_user"
    final["stop_explanation"] = "You stopped the interview; this is the result from the answers so far."
    if final["result"] is None:
        raise CaseFormatError("stopped before an age was given, so there is no result") from None
    return final


def _ask_description(console: Console, context: Any, state: Any, transcript: list[dict[str, Any]],
                     text: str | None) -> Any:
    """The pain in the person's own words: each item read is shown and counts once confirmed."""
    from heelpath.errors import InputError
    from heelpath.services.interview import read_description

    while True:
        if text is None:
            console.print()
            console.print("[bold]In your own words, what is the pain like?[/] (one line)")
            text = _read(console, "Your words (Enter to skip): ")
        if not text:
            return state
        try:
            described = read_description(context, text)
            break
        except ImportError:
            console.print("[yellow]Reading descriptions needs the nlp extra (pip install 'heelpath[nlp]'); "
                          "the questions follow.[/]")
            return state
        except InputError as exc:
            console.print(f"[red]{escape(str(exc))}[/]", highlight=False)
            text = None
    items = list(described.answers.items())
    wrong: set[int] = set()
    if items:
        console.print("I read:")
        for n, (finding_id, value) in enumerate(items, start=1):
            words = described.words.get(finding_id)
            source = f'  [dim]from "{escape(words)}"[/]' if words else ""
            console.print(f"  {n:>2}. {context.kb.finding(finding_id).label}: {_show(value)}{source}",
                          highlight=False)
        while True:
            reply = _read(console, "Numbers of any that are wrong (e.g. 2), or Enter if all are right: ")
            try:
                wrong = _item_numbers(reply, len(items))
                break
            except InvalidAnswerError as exc:
                console.print(f"[red]{escape(str(exc))}[/]", highlight=False)
    else:
        console.print("[dim]Nothing in it answers a question directly; the questions follow.[/]")
    confirmed = {finding_id: value for n, (finding_id, value) in enumerate(items, start=1) if n not in wrong}
    if described.to_confirm:
        console.print("[bold red]You mentioned warning signs I could not be sure about: they are asked first.[/]")
    transcript.append({"screen": "description", "read": confirmed, "confirm_first": described.to_confirm})
    return _described_state(state, confirmed, described.to_confirm)


def _item_numbers(text: str, count: int) -> set[int]:
    """Item numbers from a reply such as ``1 3`` (empty: none)."""
    numbers: set[int] = set()
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        if not token.isdigit() or not 1 <= int(token) <= count:
            raise InvalidAnswerError(f"{token!r} is not an item number (1-{count})")
        numbers.add(int(token))
    return numbers


def _read(console: Console, prompt: str) -> str:
    try:
        text = console.input(prompt)
    except EOFError:
        raise CaseFormatError("the input ended before the interview did (use --answers to script it)") from None
    word = text.strip()
    if word.lower() == "back":
        raise _Back
    if word.lower() in ("quit", "exit"):
        raise _Quit
    return word


def _ask_screen(console: Console, current: Any, state: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    group = current.group
    if group.kind == "about_you":
        return _ask_about_you(console, current.next_questions), {}
    if group.kind == "checklist":
        return {}, _ask_checklist(console, group, current.next_questions, state)
    q = current.next_questions[0]
    if group.red_flag:
        console.print("[bold red]Warning-sign check[/]")
    return {}, {q.id: _ask_single(console, q, state)}


def _ask_about_you(console: Console, questions: list[Question]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for q in questions:
        while True:
            if q.id == "age":
                text = _read(console, f"[bold]{q.text}[/] (years) ")
                try:
                    fields["age"] = _age(text)
                    break
                except InvalidAnswerError as exc:
                    console.print(f"[red]{escape(str(exc))}[/]")
            else:
                words, hint = (SEX_WORDS, "f / m / ? ") if q.id == "sex" else (SIDE_WORDS, "l / r / b / ? ")
                text = _read(console, f"[bold]{q.text}[/] {hint}")
                if text.lower() in words:
                    fields[q.id] = words[text.lower()]
                    break
                console.print(f"[red]Please answer {hint.strip()}[/]")
    return fields


def _ask_single(console: Console, q: Question, state: Any) -> Any:
    import heelpath
    from heelpath.services.interview import parse_answer

    kb = heelpath.load().kb
    console.print(f"[bold]{q.text}[/]", highlight=False)
    if q.how_to_examine:
        console.print(f"  [dim]How: {q.how_to_examine}[/]", highlight=False)
    if q.type == "number":
        low, high = q.range or (0, 0)
        hint = f"number of {q.unit} ({low:g}-{high:g}) or ? "
    else:
        hint = "y / n / ?" + (" / l / r / b" if q.lateralised else "") + " "
    while True:
        text = _read(console, hint)
        try:
            return parse_answer(kb, q.id, text or "?")
        except HeelpathError as exc:
            console.print(f"[red]{escape(str(exc))}[/]", highlight=False)


_TOKEN = re.compile(r"^(\?)?(\d+)([lrb])?$")


def parse_checklist(text: str, questions: list[Question]) -> dict[str, Any]:
    """Answers from a checklist reply: numbers of the items that apply, ``none``, ``?`` or ``?N``.

    Items not named are answered "no". ``3l`` / ``3r`` / ``3b`` give the side of item 3.

    Raises
    ------
    InvalidAnswerError
        A token is not an item number, names an item twice, or gives a side to an item without one.
    """
    from heelpath.services.interview import UNKNOWN

    word = text.strip().lower()
    if word in ("?", "unknown", "not sure"):
        return {q.id: UNKNOWN for q in questions}
    answers: dict[str, Any] = {q.id: False for q in questions}
    if word in ("none", "no", "n", "0", ""):
        return answers
    seen: set[int] = set()
    for token in re.split(r"[\s,;]+", word):
        match = _TOKEN.match(token)
        if not match:
            raise InvalidAnswerError(f"{token!r} is not an item number (e.g. 1 3, none, ? or ?2)")
        unsure, number, side = match.group(1), int(match.group(2)), match.group(3)
        if not 1 <= number <= len(questions) or number in seen:
            raise InvalidAnswerError(f"item {number} is not on the list (1-{len(questions)})"
                                     if number not in seen else f"item {number} is named twice")
        seen.add(number)
        q = questions[number - 1]
        if unsure:
            answers[q.id] = UNKNOWN
        elif side:
            if not q.lateralised:
                raise InvalidAnswerError(f"item {number} is not answered per side")
            answers[q.id] = {"present": True, "side": {"l": "left", "r": "right", "b": "both"}[side]}
        else:
            answers[q.id] = True
    return answers


def _ask_checklist(console: Console, group: QuestionScreen, questions: list[Question], state: Any) -> dict[str, Any]:
    style = "bold red" if group.red_flag else "bold"
    console.print(Text(group.text, style=style))
    for n, q in enumerate(questions, start=1):
        console.print(f"  {n:>2}. {q.text}", highlight=False)
        if q.how_to_examine:
            console.print(f"      [dim]How: {q.how_to_examine}[/]", highlight=False)
    hint = "Numbers that apply (e.g. 1 3), none, ? (not sure), ?2 (not sure of 2): "
    while True:
        text = _read(console, hint)
        try:
            return parse_checklist(text, questions)
        except InvalidAnswerError as exc:
            console.print(f"[red]{escape(str(exc))}[/]", highlight=False)


def show_final(console: Console, final: dict[str, Any]) -> None:
    from heelpath.interfaces.render import render_result

    console.print()
    console.rule("Result")
    reason = final.get("stop_explanation") or ""
    console.print(f"[bold]Stopped after {final['progress'].asked} question(s):[/] {reason}", highlight=False)
    import heelpath

    render_result(console, final["result"], heelpath.load().kb)
