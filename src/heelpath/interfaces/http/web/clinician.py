"""The clinician's pages: history, examination and tests on one form, with a live summary.

=====================================  =======================================================
route                                  page
=====================================  =======================================================
``GET /clinician``                     history and examination findings on one page
``POST /clinician``                    the same page with its summary filled in (no JavaScript)
``POST /clinician/panel``              the summary alone (htmx, as findings are entered)
``POST /clinician/results``            the full result page
=====================================  =======================================================
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

import heelpath
from heelpath.errors import InputError
from heelpath.interfaces.http import report
from heelpath.interfaces.http.report import result_view
from heelpath.interfaces.http.web.shared import FORM_SKIPS, SIDES, dumps, knowledge_base, page, parse_number
from heelpath.knowledge import KnowledgeBase
from heelpath.services.case import Case
from heelpath.services.interview import InterviewState, catalogue

router = APIRouter(include_in_schema=False)

def clinician_groups(kb: KnowledgeBase, values: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The clinician form: history by topic, examination by region, tests by kind."""
    values = values or {}
    red_flags = {f for rule in catalogue(heelpath.load(), "clinician").rules for f in rule.findings}
    placed: set[str] = set()

    def item(f) -> dict[str, Any]:
        placed.add(f.id)
        return {
            "id": f.id, "label": f.label, "type": f.type, "unit": f.unit, "range": f.range,
            "lateralised": f.lateralised, "red_flag": f.id in red_flags,
            "hint": f.how_to_examine or (f.clinician_question if f.clinician_question != f.label else None),
            "value": values.get(f"f.{f.id}", ""), "side": values.get(f"s.{f.id}", ""),
            "number": values.get(f"n.{f.id}") or None,
        }

    def usable(f) -> bool:
        return not f.derived and f.type in ("boolean", "number") and f.id not in FORM_SKIPS and f.id not in placed

    groups: list[dict[str, Any]] = []
    history = [f for f in kb.findings if f.answered_by == "patient"]
    for group in kb.screens:
        members = [kb.finding(m) for m in group.members if kb.has_finding(m)]
        findings = [item(f) for f in members if usable(f) and f.answered_by == "patient"]
        if findings:
            title = group.clinician_text.split(":")[0]
            groups.append({"id": f"history-{group.id}", "title": f"History: {title}", "findings": findings})
    rest = [item(f) for f in history if usable(f)]
    if rest:
        groups.append({"id": "history-other", "title": "History: other", "findings": rest})
    exam = [f for f in kb.findings if f.answered_by == "clinician"]
    for region in kb.display.exam_regions:
        findings = [item(f) for f in exam if f.region == region.id and usable(f)]
        if findings:
            groups.append({"id": f"exam-{region.id}", "title": f"Examination: {region.title}", "findings": findings})
    rest = [item(f) for f in exam if usable(f)]
    if rest:
        groups.append({"id": "exam-other", "title": "Examination: other", "findings": rest})
    tests: dict[str, list[dict[str, Any]]] = {}
    for f in kb.findings:
        if f.answered_by == "test" and usable(f):
            tests.setdefault(kb.display.test_kind(f.id), []).append(item(f))
    for title, findings in tests.items():
        groups.append({"id": "tests-" + title.split()[0].lower(), "title": f"Tests: {title}", "findings": findings})
    for i, g in enumerate(groups):
        g["answered"] = sum(1 for f in g["findings"] if f["value"] or f["number"])
        g["open"] = i < 2 or g["answered"] > 0
    return groups


def clinician_case(form: FormData) -> tuple[dict[str, Any] | None, list[str]]:
    """The case a clinician's form describes, and what is wrong with it (nothing: an empty list)."""
    kb = knowledge_base()
    errors: list[str] = []
    raw_age = str(form.get("age") or "").strip()
    age = parse_number(raw_age)
    if age is None:
        errors.append("Enter the patient's age in years." if not raw_age else f"Age: {raw_age!r} is not a number.")
    elif not 0 <= age <= 120:
        errors.append("Age must be from 0 to 120 years.")
    findings: dict[str, Any] = {}
    for f in kb.findings:
        if f.derived or f.id in FORM_SKIPS:
            continue
        if f.type == "number":
            raw = str(form.get(f"n.{f.id}") or "").strip()
            if not raw:
                continue
            number = parse_number(raw)
            low, high = f.range or (0, math.inf)
            if number is None or not low <= number <= high:
                errors.append(f"{f.label}: enter a number from {low:g} to {high:g} {f.unit or ''}".rstrip() + ".")
                continue
            findings[f.id] = int(number) if number.is_integer() else number
        elif f.type == "boolean":
            value = form.get(f"f.{f.id}")
            if value not in ("yes", "no"):
                continue
            side = form.get(f"s.{f.id}") if f.lateralised else None
            present = value == "yes"
            findings[f.id] = {"present": present, "side": side} if side in ("left", "right", "both") else present
    if errors:
        return None, errors
    data = {
        "setting": form.get("setting") if form.get("setting") in ("primary_care", "self_assessment") else "primary_care",
        "age": int(age) if age is not None and age.is_integer() else age,
        "sex": form.get("sex") if form.get("sex") in ("female", "male") else None,
        "side": form.get("side") if form.get("side") in SIDES else "unknown",
        "findings": findings,
    }
    try:
        Case.from_data(data)
    except InputError as exc:
        return None, [str(exc)]
    return data, []


def _form_values(form: FormData) -> dict[str, str]:
    return {k: str(v) for k, v in form.items() if isinstance(v, str) and v != ""}


def _clinician_panel(case_data: dict[str, Any]) -> dict[str, Any]:
    """The live summary: the result, and the examinations or tests that would tell most next."""
    state = InterviewState.from_data({
        "mode": "clinician",
        "setting": case_data["setting"],
        "age": case_data["age"],
        "sex": case_data["sex"] or "unknown",
        "side": case_data["side"],
        "answers": case_data["findings"],
    })
    context = heelpath.load()
    s = context.step(state)
    result = s.result or context.assess(case_data)
    v = result_view(result, case_data, "clinician")
    top = v["chart"][0] if v["chart"] else None
    status = (f"Summary updated: {top['name']} {report._percent(top['probability'])}"
              + (f"; triage {v['triage']['label']}" if v["triage"] else "")) if top else "Summary updated."
    return {"v": v, "next_questions": s.next_questions[:5], "stop_explanation": s.stop_explanation,
            "oob_status": status}


def _clinician_page(request: Request, form: FormData | None, *, with_panel: bool,
                    errors: list[str] | None = None) -> HTMLResponse:
    values = _form_values(form) if form is not None else {}
    about = {"age": values.get("age"), "sex": values.get("sex", ""), "side": values.get("side", "unknown"),
             "setting": values.get("setting", "primary_care")}
    context: dict[str, Any] = {"nav": "clinician", "groups": clinician_groups(knowledge_base(), values), "about": about,
                               "errors": errors or [], "v": None}
    status = 422 if errors else 200
    if with_panel and form is not None:
        case_data, errors = clinician_case(form)
        if errors or case_data is None:
            context["errors"] = errors
            status = 422
        else:
            context.update(_clinician_panel(case_data))
            context["status"] = context.pop("oob_status")
    return page(request, "clinician.html", context, status)


@router.get("/clinician", response_class=HTMLResponse)
def clinician(request: Request) -> HTMLResponse:
    return _clinician_page(request, None, with_panel=False)


@router.post("/clinician", response_class=HTMLResponse)
async def clinician_update(request: Request) -> HTMLResponse:
    return _clinician_page(request, await request.form(), with_panel=True)


@router.post("/clinician/panel", response_class=HTMLResponse)
async def clinician_panel(request: Request) -> HTMLResponse:
    form = await request.form()
    if not str(form.get("age") or "").strip():
        return page(request, "_clinician_panel.html", {"v": None, "js_hint_hidden": True})
    case_data, errors = clinician_case(form)
    if errors or case_data is None:
        return page(request, "_clinician_panel.html", {"panel_error": " ".join(errors), "v": None,
                                                       "oob_status": " ".join(errors)})
    return page(request, "_clinician_panel.html", _clinician_panel(case_data))


@router.post("/clinician/results", response_class=HTMLResponse)
async def clinician_results(request: Request) -> HTMLResponse:
    form = await request.form()
    case_data, errors = clinician_case(form)
    if errors or case_data is None:
        return _clinician_page(request, form, with_panel=False, errors=errors)
    result = heelpath.load().assess(case_data)
    return page(request, "results.html", {
        "nav": "clinician",
        "v": result_view(result, case_data, "clinician"),
        "case_json": dumps(case_data),
        "clinician_form": sorted(_form_values(form).items()),
    })
