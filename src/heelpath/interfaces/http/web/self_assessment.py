"""The self-assessment: questions in plain words, one screen at a time, then the result.

The interview's state travels in hidden form fields. A description of the pain in the person's
own words is read by the text intake (when installed), and what it understood is confirmed item
by item before it counts as an answer.

=====================================  =======================================================
route                                  page
=====================================  =======================================================
``GET /self``, ``POST /self``          self-assessment, one screen at a time, then the result
=====================================  =======================================================
"""

from __future__ import annotations

import logging
import math
from functools import lru_cache
from importlib.util import find_spec
from typing import Any, Required

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import TypeAdapter
from starlette.datastructures import FormData
from typing_extensions import TypedDict  # pydantic reads typing's TypedDict only from Python 3.12

import heelpath
from heelpath.errors import HeelpathError, InputError
from heelpath.interfaces.http import report
from heelpath.interfaces.http.report import result_view
from heelpath.interfaces.http.web.shared import (
    SIDES,
    dumps,
    error_page,
    json_field,
    knowledge_base,
    page,
    parse_number,
)
from heelpath.services.interview import CONFIRM_FIRST, InterviewState, InterviewStep, case_data, read_description

log = logging.getLogger("heelpath.web")

router = APIRouter(include_in_schema=False)

#: longest free-text description read by the text intake
MAX_TEXT = 2000


@lru_cache(maxsize=1)
def intake_available() -> bool:
    """Whether the free-text intake (and its NLP dependencies) can be used."""
    try:
        spec = find_spec("heelpath.services.intake")
    except (ImportError, ValueError):
        return False
    # a folder without __init__ (a namespace package) is not the intake
    return spec is not None and spec.origin is not None and find_spec("medspacy") is not None


def _lay_state(data: Any) -> InterviewState:
    if not isinstance(data, dict):
        raise InputError("state: not a form value heelpath wrote")
    data = {**data, "mode": "lay"}
    return InterviewState.from_data(data)


class _Screen(TypedDict, total=False):
    """The hidden ``screen`` field: which screen was shown and its finding ids."""

    kind: str
    ids: list[str]


class _Record(TypedDict, total=False):
    """One answered screen in the hidden ``history`` field."""

    kind: str
    ids: list[str]
    regions: list[str]
    keep: list[int]


class _Pending(TypedDict, total=False):
    """One item read from a description, waiting to be confirmed (the hidden ``pending`` field)."""

    finding: Required[str]
    value: Required[bool | int | float | str | dict[str, bool | str | None]]
    label: str
    answer_words: str
    span: str | None


SCREEN = TypeAdapter(_Screen)
HISTORY = TypeAdapter(list[_Record])
PENDING = TypeAdapter(list[_Pending])


def case_from_state(state: InterviewState) -> dict[str, Any]:
    """The case (docs/case-format.md) that an interview's answers amount to; "unknown" is null."""
    return case_data(state)


def step(state: InterviewState) -> InterviewStep:
    return heelpath.load().step(state)


def _screen(s: InterviewStep) -> dict[str, Any]:
    group = s.group
    questions = s.next_questions
    if group is not None and group.kind == "about_you":
        kind = "about_you"
    elif group is not None and group.id == "where":
        kind = "where"
    elif len(questions) > 1 or (group is not None and group.kind == "checklist"):
        kind = "checklist"
    elif questions and questions[0].type == "number":
        kind = "number"
    else:
        kind = "single"
    return {
        "kind": kind,
        "title": (group.text if group is not None else "") or (questions[0].text if questions else ""),
        "questions": questions,
        "ids": [] if kind == "about_you" else [q.id for q in questions],
        "red_flag": group is not None and group.red_flag,
        "region_findings": knowledge_base().display.region_findings,
    }


def _progress(s: InterviewStep | None, history: list[dict[str, Any]]) -> dict[str, int]:
    if s is None:
        done = len(history)
        return {"done_screens": done, "total": done + 2, "percent": 0}
    asked = len(history)  # the screens this person has answered (text-derived answers are not screens)
    remaining = max(1, s.progress.estimated_remaining)
    total = asked + remaining
    return {"done_screens": asked, "total": total, "percent": round(100 * asked / total) if total else 0}


def _screen_page(request: Request, screen: dict[str, Any], state: InterviewState, history: list[dict[str, Any]],
                 text: str, progress: dict[str, int], prefill: dict[str, Any] | None = None,
                 errors: list[str] | None = None, pending: list[dict[str, Any]] | None = None,
                 status: int = 200) -> HTMLResponse:
    prefill = dict(prefill or {})
    if screen["kind"] == "where":
        answered = case_from_state(state)["findings"]
        regions = set(prefill.get("regions") or []) | set(report.marked_regions(answered))
        prefill["regions"] = sorted(regions)
    prefill.setdefault("regions", [])
    prefill.setdefault("keep", None)
    return page(request, "self.html", {
        "nav": "self",
        "screen": screen,
        "screen_json": dumps({"kind": screen["kind"], "ids": screen["ids"]}),
        "state_json": dumps(state.to_data()),
        "history_json": dumps(history),
        "history_len": len(history),
        "text": text,
        "pending": pending or [],
        "pending_json": dumps(pending) if pending else "",
        "progress": progress,
        "prefill": prefill,
        "errors": errors or [],
        "intake_available": intake_available(),
        "map_side": state.side or "unknown",
    }, status)


def _next(request: Request, state: InterviewState, history: list[dict[str, Any]], text: str,
          prefill: dict[str, Any] | None = None, errors: list[str] | None = None, status: int = 200) -> HTMLResponse:
    """The screen after `state` (or the result when the interview is done)."""
    s = step(state)
    if s.done:
        return _self_results(request, s, state, history, text)
    screen = _screen(s)
    progress = _progress(s, history)
    first_asked = s.group is not None and s.group.id == CONFIRM_FIRST  # unsettled warning signs come first
    if screen["kind"] not in ("about_you", "where") and not first_asked and _map_not_shown(state, history):
        # the body map comes right after the about-you screen, whatever the interview would ask first
        screen = _where_screen(state)
        progress = {**progress, "total": progress["total"] + 1}
    return _screen_page(request, screen, state, history, text, progress, prefill, errors, status=status)


def _where_members(state: InterviewState) -> list[str]:
    kb = knowledge_base()
    group = next((g for g in kb.screens if g.id == "where"), None)
    members = group.members if group is not None else kb.display.region_findings
    return [m for m in members if kb.has_finding(m) and kb.finding(m).lay_question and m not in state.answers]


def _map_not_shown(state: InterviewState, history: list[dict[str, Any]]) -> bool:
    return not any(r.get("kind") == "where" for r in history) and bool(_where_members(state))


def _where_screen(state: InterviewState) -> dict[str, Any]:
    kb = knowledge_base()
    questions = [{"id": m, "text": kb.finding(m).lay_question, "label": kb.finding(m).label, "type": "boolean"}
                 for m in _where_members(state)]
    return {"kind": "where", "title": "Where does it hurt?", "questions": questions, "ids": [q["id"] for q in questions],
            "red_flag": False, "region_findings": knowledge_base().display.region_findings}


def _self_results(request: Request, s: InterviewStep, state: InterviewState, history: list[dict[str, Any]],
                  text: str) -> HTMLResponse:
    case_data = case_from_state(state)
    result = s.result or heelpath.load().assess(case_data)  # the interview ends only after the age is known
    return page(request, "results.html", {
        "nav": "self",
        "v": result_view(result, case_data, "patient"),
        "case_json": dumps(case_data),
        "state_json": dumps(state.to_data()),
        "history_json": dumps(history),
        "text": text,
        "stop_explanation": s.stop_explanation,
    })


@router.get("/self", response_class=HTMLResponse)
def self_start(request: Request) -> HTMLResponse:
    return _next(request, InterviewState(mode="lay"), [], "")


@router.post("/self", response_class=HTMLResponse)
async def self_answer(request: Request) -> HTMLResponse:
    form = await request.form()
    try:
        state = _lay_state(json_field(form, "state", {}))
        history = json_field(form, "history", [], HISTORY)
        screen = json_field(form, "screen", {"kind": "about_you", "ids": []}, SCREEN)
        text = str(form.get("text") or "")
        if len(text) > MAX_TEXT:  # the description travels in a hidden field: longer is not heelpath's
            raise InputError(f"the description field is {len(text)} characters long; the limit is {MAX_TEXT}")
        action = form.get("action") or "next"
        if action == "back":
            return _back(request, state, history, text)
        return _answer(request, form, state, history, screen, text, str(action))
    except InputError as exc:
        return error_page(request, "This form could not be read", str(exc), 400, "/self", "Start again")


def _answer(request: Request, form: FormData, state: InterviewState, history: list[dict[str, Any]],
            screen: dict[str, Any], text: str, action: str) -> HTMLResponse:
    kb = knowledge_base()
    kind = screen.get("kind")
    ids = screen.get("ids", [])
    unknown = action == "unknown"

    if kind == "about_you":
        return _about_you(request, form, state, history)

    if kind == "confirm":
        pending = json_field(form, "pending", [], PENDING)
        keep = {int(str(k)) for k in form.getlist("keep") if str(k).isdigit()}
        chosen = {p["finding"]: p["value"] for i, p in enumerate(pending) if i in keep}
        try:
            new_state = state.with_answers(chosen)
            step(new_state)  # contradictions show here, on the confirmation screen
        except InputError as exc:
            return _screen_page(request, _confirm_screen(), state, history, text, _progress(None, history),
                                {"keep": sorted(keep)}, [str(exc)], pending, status=422)
        history = [*history, {"kind": "confirm", "ids": list(chosen), "keep": sorted(keep)}]
        return _next(request, new_state, history, text)

    if kind not in ("where", "checklist", "single", "number"):
        return _next(request, state, history, text)

    answers: dict[str, Any] = {}
    errors: list[str] = []
    record: dict[str, Any] = {"kind": kind, "ids": ids}
    if kind == "where":
        valid = {r.id: r.finding for r in knowledge_base().display.body_map}
        regions = [r for r in form.getlist("region") if r in valid]
        record["regions"] = regions
        ticked = {valid[r] for r in regions}
        for finding_id in ids:
            if unknown:
                answers[finding_id] = "unknown"
            elif finding_id in knowledge_base().display.region_findings:
                answers[finding_id] = finding_id in ticked
            else:
                answers[finding_id] = form.get(f"a.{finding_id}") == "yes"
    elif kind == "checklist":
        for finding_id in ids:
            if unknown or (form.get(f"u.{finding_id}") and form.get(f"a.{finding_id}") != "yes"):
                answers[finding_id] = "unknown"
            else:
                answers[finding_id] = form.get(f"a.{finding_id}") == "yes"
    elif kind == "single":
        for finding_id in ids:
            value = "unknown" if unknown else form.get(f"a.{finding_id}")
            if value not in ("yes", "no", "unknown"):
                errors.append("Choose Yes, No or Don't know.")
            else:
                answers[finding_id] = {"yes": True, "no": False}.get(value, "unknown")
    elif kind == "number":
        for finding_id in ids:
            if unknown:
                answers[finding_id] = "unknown"
                continue
            raw = str(form.get(f"a.{finding_id}") or "").strip()
            finding = kb.finding(finding_id) if kb.has_finding(finding_id) else None
            number = parse_number(raw)
            if finding is None or number is None:
                errors.append("Enter a number, or choose Don't know.")
                continue
            low, high = finding.range or (0, math.inf)
            if not low <= number <= high:
                errors.append(f"Enter a number from {low:g} to {high:g}, or choose Don't know.")
                continue
            answers[finding_id] = int(number) if number.is_integer() else number
    if errors:
        return _next(request, state, history, text, prefill={}, errors=errors, status=422)
    try:
        new_state = state.with_answers(answers)
    except InputError as exc:
        return _next(request, state, history, text, errors=[str(exc)], status=422)
    return _next(request, new_state, [*history, record], text)


def _about_you(request: Request, form: FormData, state: InterviewState, history: list[dict[str, Any]]) -> HTMLResponse:
    raw_age = str(form.get("age") or "").strip()
    sex = form.get("sex") if form.get("sex") in ("female", "male", "unknown") else "unknown"
    side = form.get("side") if form.get("side") in SIDES else "unknown"
    text = str(form.get("describe") or "").strip()
    age = parse_number(raw_age)
    prefill = {"age": raw_age, "sex": sex, "side": side, "text": text}
    errors = []
    if age is None or not 0 <= age <= 120:
        errors.append("Enter your age in years." if not raw_age else "Enter an age from 0 to 120 years.")
    if len(text) > MAX_TEXT:  # never cut silently: the person shortens it
        errors.append(f"Your description is {len(text)} characters long; please shorten it to {MAX_TEXT} or fewer.")
    if errors:
        fresh = InterviewState(mode="lay", setting=state.setting)
        return _screen_page(request, _screen(step(fresh)), fresh, history, "", _progress(None, history),
                            prefill, errors, status=422)
    assert age is not None
    new_state = InterviewState.from_data({**state.to_data(), "mode": "lay", "age": int(age) if age.is_integer() else age,
                                          "sex": sex, "side": side})
    history = [*history, {"kind": "about_you"}]
    if text and intake_available():
        pending, to_confirm = _understand(text)
        if to_confirm:  # warning signs the text named without settling: asked first
            new_state = InterviewState.from_data({**new_state.to_data(), "confirm_first": to_confirm})
        if pending:
            progress = _progress(step(new_state), history)
            progress["total"] += 1
            return _screen_page(request, _confirm_screen(), new_state, history, text, progress, {}, None, pending)
    return _next(request, new_state, history, text)


def _confirm_screen() -> dict[str, Any]:
    return {"kind": "confirm", "title": "Is this what you meant?", "questions": [], "ids": [], "red_flag": False,
            "region_findings": knowledge_base().display.region_findings}


def _understand(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """What the text intake read in a description, as items the person confirms one by one, and the
    warning signs it named without settling (asked first)."""
    kb = knowledge_base()
    try:
        described = read_description(heelpath.load(), text)
    except (ImportError, HeelpathError) as exc:
        log.warning("text intake unavailable: %s", exc)
        return [], []
    pending = [{
        "finding": finding_id,
        "value": value,
        "label": kb.finding(finding_id).label,
        "answer_words": report._answer_words(kb, finding_id, value),
        "span": described.words.get(finding_id),
    } for finding_id, value in described.answers.items()]
    return pending, described.to_confirm


def _back(request: Request, state: InterviewState, history: list[dict[str, Any]], text: str) -> HTMLResponse:
    history = list(history)
    if not history:
        fresh = InterviewState(mode="lay", setting=state.setting)
        about: dict[str, Any] = {"age": state.age, "sex": state.sex, "side": state.side, "text": text}
        return _screen_page(request, _screen(step(fresh)), fresh, [], text, _progress(None, []), about)
    record = history.pop()
    kind = record.get("kind")
    if kind == "about_you":
        fresh = InterviewState(mode="lay", setting=state.setting)
        about = {"age": state.age, "sex": state.sex, "side": state.side, "text": text}
        return _screen_page(request, _screen(step(fresh)), fresh, history, text, _progress(None, history), about)
    ids = record.get("ids", [])
    data = state.to_data()
    prefill: dict[str, Any] = {i: data["answers"][i] for i in ids if i in data["answers"]}
    data["answers"] = {k: v for k, v in data["answers"].items() if k not in ids}
    state = InterviewState.from_data(data)
    if kind == "confirm":
        pending = _understand(text)[0] if text else []
        if pending:
            return _screen_page(request, _confirm_screen(), state, history, text, _progress(None, history),
                                {"keep": record.get("keep")}, None, pending)
        return _back(request, state, history, text)
    if kind == "where":
        prefill["regions"] = record.get("regions", [])
    return _next(request, state, history, text, prefill=prefill)
