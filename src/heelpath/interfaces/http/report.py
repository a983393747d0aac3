"""What the results page and the report to take to the doctor show, and the report as HTML or PDF.

One view of a result (:func:`result_view`) feeds both the web app's results page and the report,
so the screen and the paper say the same thing. The report is one Jinja2 template
(``templates/report.html``, self-contained: its CSS and pictures are inline) rendered to HTML, and
the same HTML turned into PDF by WeasyPrint (imported only when a PDF is asked for).

>>> from heelpath.services.case import Case
>>> from heelpath.services.pipeline import full_assessment
>>> case = {"age": 45, "side": "left", "findings": {"pain_under_heel": True, "first_step_pain": True}}
>>> html = render_report_html(full_assessment(Case.from_data(case)), case)
>>> "Plantar fasciitis" in html and "Knowledge base" in html
True
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from heelpath.knowledge import KnowledgeBase
from heelpath.services.assessment import default_model

TEMPLATES_DIR = Path(str(resources.files("heelpath.interfaces.http") / "templates"))
STATIC_DIR = Path(str(resources.files("heelpath.interfaces.http") / "static"))

#: how many causes the chart shows
CHART_CAUSES = 8
#: causes whose reasons are listed (the result explains at most the first six)
EXPLAINED = 4
#: a cause below this probability is not explained on the page (it still appears in the chart)
EXPLAIN_FLOOR = 0.02

TRIAGE = {
    "emergency": {"label": "Emergency", "lay": "Go to an emergency department now",
                  "clinician": "Emergency: immediate emergency-department assessment"},
    "urgent": {"label": "Urgent", "lay": "See a doctor today",
               "clinician": "Urgent: same-day assessment"},
    "soon": {"label": "Soon", "lay": "See a clinician within 1-2 weeks",
             "clinician": "Soon: assessment within about 1-2 weeks"},
    "routine": {"label": "Routine", "lay": "Book a routine appointment",
                "clinician": "Routine: non-urgent assessment and management"},
    "self_care": {"label": "Self-care", "lay": "You can start looking after this yourself",
                  "clinician": "Self-care: education and self-management first"},
}
ORIGIN_WORDS = {
    "local": ("the heel itself", "a local heel cause"),
    "spinal": ("the lower back (a nerve in the spine)", "the lumbar spine (referred / radicular)"),
    "systemic": ("an inflammatory condition", "systemic inflammatory disease (spondyloarthritis)"),
    "mimic": ("nerves or blood vessels outside the heel", "a mimic (polyneuropathy or arterial disease)"),
    "both": ("the back AND the heel together", "spinal and local causes together"),
}
QUALITY_WORDS = {
    "verified": "published figure (checked against the source)",
    "secondary": "published figure (from a review)",
    "estimate": "estimate: no study found",
}

#: body-map regions: id, what a person sees, the finding a tick sets, where it is drawn
REGIONS: tuple[dict[str, str], ...] = (
    {"id": "under_heel", "label": "Under the heel", "finding": "pain_under_heel"},
    {"id": "back_of_heel", "label": "Back of the heel", "finding": "pain_back_of_heel"},
    {"id": "achilles", "label": "Tendon just above the heel (Achilles)", "finding": "pain_achilles_above_heel"},
    {"id": "sides_of_heel", "label": "Sides of the heel", "finding": "pain_sides_of_heel"},
    {"id": "inner_ankle", "label": "Inner ankle", "finding": "pain_inner_ankle_to_sole"},
    {"id": "sole", "label": "Sole of the foot", "finding": "pain_inner_ankle_to_sole"},
    {"id": "calf", "label": "Calf (pain running down below the knee)", "finding": "leg_pain_radiating_below_knee"},
    {"id": "back_of_thigh", "label": "Back of the thigh", "finding": "buttock_or_thigh_pain"},
    {"id": "buttock", "label": "Buttock", "finding": "buttock_or_thigh_pain"},
    {"id": "low_back", "label": "Low back", "finding": "low_back_pain"},
)
REGION_FINDINGS: tuple[str, ...] = tuple(dict.fromkeys(r["finding"] for r in REGIONS))

#: localisation site -> the area drawn for it on the dermatome map
SITE_AREAS = {
    "s1_root": "S1",
    "l5_root": "L5",
    "l4_root": "L4",
    "cauda_equina": "saddle",
    "tibial_nerve_tarsal_tunnel": "tibial",
    "medial_calcaneal_nerve": "medial_calcaneal",
    "inferior_calcaneal_nerve": "baxter",
    "sural_nerve": "sural",
    "length_dependent_polyneuropathy": "stocking",
}
AREA_WORDS = {
    "S1": "S1 dermatome: lateral foot, heel and most of the sole, back of the calf",
    "L5": "L5 dermatome: top of the foot, first web space, outer leg",
    "L4": "L4 dermatome: inner leg, inner ankle bone, inner edge of the foot",
    "saddle": "Saddle area (sacral roots S2-S5) and both legs",
    "tibial": "Tibial nerve below the tarsal tunnel: the sole and inner heel",
    "medial_calcaneal": "Medial calcaneal nerve: skin of the inner heel",
    "baxter": "Inferior calcaneal (Baxter's) nerve: muscle to the little toe, no skin area",
    "sural": "Sural nerve: outer heel and outer edge of the foot",
    "stocking": "Both feet, 'stocking' pattern",
}


# --------------------------------------------------------------------------- templates


def _percent(value: Any) -> str:
    """0.4312 -> '43%'; below 1% but above 0 -> '<1%'."""
    if value is None:
        return "-"
    p = float(value)
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 < p < 1:
        return ">99%"
    return f"{p:.0%}"


def _odds(value: float) -> str:
    if value >= 1:
        return f"×{value:.2g}" if value < 10 else f"×{value:.0f}"
    return f"÷{1 / value:.2g}" if value > 0.1 else f"÷{1 / value:.0f}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of the web pages and the report (autoescaped)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(("html", "svg")),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = _percent
    env.filters["odds"] = _odds
    env.globals["REGIONS"] = REGIONS
    env.globals["REGION_LABELS"] = {r["id"]: r["label"] for r in REGIONS}
    env.globals["AREA_WORDS"] = AREA_WORDS
    return env


# --------------------------------------------------------------------------- the view


def _kb() -> KnowledgeBase:
    return default_model().kb


def _text(item: Any, audience: str) -> str:
    """The words of an advice item, whatever its shape (string or object)."""
    if item is None:
        return ""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        keys = ("patient", "lay", "text", "advice", "title", "name", "clinician", "label") if audience == "patient" \
            else ("clinician", "text", "advice", "title", "name", "patient", "lay", "label")
        for key in keys:
            value = item.get(key)
            if isinstance(value, str) and value.strip():
                return value
    return str(item)


def _short_source(ref: dict[str, Any] | None) -> str | None:
    if not ref:
        return None
    citation = ref.get("citation") or ref.get("id") or ""
    author = citation.split(",")[0].split(".")[0].strip()
    year = next((tok.strip(".;:()") for tok in citation.replace("(", " ").replace(";", " ").split()
                 if tok.strip(".;:()").isdigit() and len(tok.strip(".;:()")) == 4), "")
    return f"{author} {year}".strip() or ref.get("id")


def _source(ref: dict[str, Any] | None) -> dict[str, Any] | None:
    if not ref:
        return None
    doi = ref.get("doi")
    pmid = ref.get("pmid")
    link = f"https://doi.org/{doi}" if doi else (f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None)
    return {"short": _short_source(ref), "citation": ref.get("citation"), "link": link}


def _answer_words(kb: KnowledgeBase, finding_id: str, answer: Any) -> str:
    finding = kb.finding(finding_id) if kb.has_finding(finding_id) else None
    if answer is None or answer == "unknown":
        return "Don't know"
    if isinstance(answer, bool):
        return "Yes" if answer else "No"
    if isinstance(answer, (int, float)):
        unit = f" {finding.unit}" if finding is not None and finding.unit else ""
        return f"{answer:g}{unit}"
    if isinstance(answer, dict):
        present = answer.get("present")
        words = _answer_words(kb, finding_id, present if present is not None else None)
        side = answer.get("side")
        if side and present is not None:
            words += " (both sides)" if side == "both" else f" ({side} side)"
        return words
    return str(answer)


def answers_view(case_data: dict[str, Any], audience: str) -> list[dict[str, str]]:
    """The answers as given (in knowledge-base order), with the question or label each answers."""
    kb = _kb()
    given = case_data.get("findings") or {}
    rows = []
    for finding in kb.findings:
        if finding.id not in given:
            continue
        question = finding.lay_question if audience == "patient" and finding.lay_question else finding.label
        rows.append({"id": finding.id, "label": finding.label, "question": question,
                     "answer": _answer_words(kb, finding.id, given[finding.id])})
    return rows


def _present(answer: Any) -> bool:
    if isinstance(answer, dict):
        return answer.get("present") is True
    return answer is True


def marked_regions(findings: dict[str, Any]) -> list[str]:
    """Body-map regions to draw as painful, from the location findings answered yes."""
    return [r["id"] for r in REGIONS if _present(findings.get(r["finding"]))]


def _triage_view(result: dict[str, Any], audience: str) -> dict[str, Any] | None:
    triage = result.get("triage")
    if not isinstance(triage, dict) or not triage.get("level"):
        return None
    level = str(triage["level"])
    words = TRIAGE.get(level, {"label": level.replace("_", " ").title(), "lay": level, "clinician": level})
    if audience == "patient":
        headline = triage.get("headline") or triage.get("patient_advice") or words["lay"]
    else:
        headline = triage.get("headline_clinician") or triage.get("headline") or words["clinician"]
    reasons: list[dict[str, Any]] = []
    rules = [r for r in triage.get("rules_fired") or [] if isinstance(r, dict)]
    # the rules that set the level explain it; lower-level rules it overrides would only confuse
    deciding = [r for r in rules if r.get("level") == level] or rules
    for rule in deciding:
        text = _text({k: rule.get(k) for k in ("patient", "clinician", "reason")}, audience)
        if text and text not in [r["text"] for r in reasons]:
            reasons.append({"title": rule.get("title"), "text": text, "level": rule.get("level"),
                            "source": ", ".join(filter(None, (_short_source(x) for x in rule.get("source") or []
                                                              if isinstance(x, dict))))})
    if not reasons:
        for item in triage.get("reasons") or []:
            text = _text(item, audience)
            if text and text not in [r["text"] for r in reasons]:
                reasons.append({"title": None, "text": text, "level": None, "source": None})
    safety = []
    value = triage.get("safety_net")
    for item in value if isinstance(value, list) else ([value] if value else []):
        # the advice to give is the patient's wording, for either audience
        text = _text(item, "patient")
        if text and text not in safety:
            safety.append(text)
    return {"level": level, "label": words["label"], "headline": headline, "reasons": reasons, "safety_net": safety,
            "red_flag": bool(triage.get("red_flag_floor"))}


def _origin_view(result: dict[str, Any], audience: str) -> dict[str, Any]:
    origin = result["origin"]
    probs = origin.get("probabilities", {})
    involves = origin.get("involves", {})
    label = origin["label"]
    lay, clinical = ORIGIN_WORDS.get(label, (label, label))
    return {
        "label": label,
        "words": lay if audience == "patient" else clinical,
        "back_only": float(probs.get("spinal", 0.0)),
        "heel_only": float(probs.get("local", 0.0)),
        "both": float(probs.get("both", 0.0)),
        "systemic": float(probs.get("systemic", 0.0)),
        "mimic": float(probs.get("mimic", 0.0)),
        "involves_back": float(involves.get("spinal", 0.0)),
        "involves_heel": float(involves.get("local", 0.0)),
    }


def _explanation_view(entry: dict[str, Any], audience: str) -> dict[str, Any]:
    kb = _kb()
    points_for, points_against = [], []
    for item in entry.get("explanation") or []:
        evidence = item.get("evidence") or {}
        quality = evidence.get("quality", "estimate")
        finding = kb.finding(item["finding"]) if kb.has_finding(item["finding"]) else None
        point = {
            "label": item["label"],
            "answer": "yes" if item["answer"] else "no",
            "odds_ratio": item["odds_ratio"],
            "strength": min(1.0, abs(item["log_odds"]) / 3.0),
            "quality": quality,
            "quality_words": QUALITY_WORDS.get(quality, quality),
            "estimate": quality == "estimate",
            "source": _source(evidence.get("reference")),
            "figures": {k: evidence.get(k) for k in ("sensitivity", "specificity", "lr_pos", "lr_neg")
                        if evidence.get(k) is not None},
            "note": evidence.get("note") or evidence.get("basis"),
            "setting": evidence.get("setting") if evidence.get("setting") not in (None, "-") else None,
            "lay_question": finding.lay_question if finding is not None else None,
        }
        (points_for if item["direction"] == "for" else points_against).append(point)
    basis = entry.get("prior_basis") or {}
    return {
        "id": entry["id"],
        "name": entry["name"],
        "lay_name": entry["lay_name"],
        "probability": entry["probability"],
        "prior": entry["prior"],
        "prior_estimate": basis.get("quality") == "estimate",
        "prior_note": basis.get("note"),
        "prior_source": _source(basis.get("reference")),
        "for": points_for,
        "against": points_against,
    }


def _localisation_view(result: dict[str, Any]) -> dict[str, Any]:
    kb = _kb()
    loc = result.get("localisation") or {"level": None, "sites": []}

    def label(finding_id: str) -> str:
        return kb.finding(finding_id).label if kb.has_finding(finding_id) else finding_id

    sites = []
    for site in loc.get("sites", []):
        sites.append({
            "id": site["id"],
            "label": site["label"],
            "level": site["level"],
            "score": site["score"],
            "localised": site["localised"],
            "area": SITE_AREAS.get(site["id"]),
            "area_words": AREA_WORDS.get(SITE_AREAS.get(site["id"], ""), ""),
            "for": [label(f) for f in site.get("findings_for", [])],
            "against": [label(f) for f in site.get("findings_against", [])],
            "sources": [s for s in (_source(r) for r in site.get("sources", []) or []) if s],
        })
    localised = [s for s in sites if s["localised"]]
    return {
        "level": loc.get("level"),
        "sites": sites,
        "localised": localised,
        "areas": [s["area"] for s in localised if s["area"]],
        "considered": [s for s in sites if not s["localised"] and s["score"] > 0],
    }


#: next-step sections in the order a person reads them, with a heading for each audience
STEP_SECTIONS = (
    ("see", "Whom to see", "Referral"),
    ("whom_to_see", "Whom to see", "Referral"),
    ("clinicians", "Whom to see", "Referral"),
    ("examinations", "What the clinician should examine", "Examinations"),
    ("tests", "Tests that may be needed", "Tests and imaging"),
    ("tests_not_recommended", "Tests not needed now", "Tests not recommended"),
    ("treatments", "What to do first", "First treatments"),
    ("first_treatments", "What to do first", "First treatments"),
    ("self_care", "What you can do now", "Self-care advice"),
    ("avoid", "What to avoid", "Avoid"),
    ("tell_the_doctor", "What to tell the doctor", "Key history"),
    ("safety_net", "When to get help sooner", "Safety-netting"),
)


def _steps_view(result: dict[str, Any], audience: str) -> list[dict[str, Any]]:
    steps = result.get("next_steps")
    if not isinstance(steps, dict):
        return []
    known = {key: (lay, clinical) for key, lay, clinical in STEP_SECTIONS}
    order = [key for key, _, _ in STEP_SECTIONS if key in steps] + [k for k in steps if k not in known]
    sections = []
    for key in order:
        items = steps[key]
        if isinstance(items, (str, dict)):
            items = [items]
        if not isinstance(items, list) or not items:
            continue
        lay, clinical = known.get(key, (key.replace("_", " ").capitalize(),) * 2)
        rows = []
        for item in items:
            text = _text(item, audience)
            if not text:
                continue
            detail = None
            when = None
            if isinstance(item, dict) and not (audience == "patient" and key == "examinations"):
                detail = item.get("why") or item.get("reason") or item.get("rationale")
                when = item.get("when") or item.get("timing") or item.get("urgency")
                if not isinstance(detail, str):
                    detail = None
                if not isinstance(when, str):
                    when = None
            source = None
            if isinstance(item, dict):
                refs = item.get("sources") or item.get("source") or item.get("references")
                if isinstance(refs, dict):
                    refs = [refs]
                if isinstance(refs, list):
                    names = [(_short_source(r) if isinstance(r, dict) else str(r)) for r in refs]
                    source = ", ".join(n for n in names if n)
                elif isinstance(refs, str):
                    source = refs
            rows.append({"text": text, "detail": detail, "when": when, "source": source})
        if rows:
            sections.append({"key": key, "heading": lay if audience == "patient" else clinical, "items": rows})
    return sections


def result_view(result: dict[str, Any], case_data: dict[str, Any] | None = None,
                audience: str | None = None) -> dict[str, Any]:
    """Everything the results page and the report show, from a result (and the case as given).

    ``audience`` is ``"patient"`` (plain words) or ``"clinician"``; by default it follows the
    result's setting.
    """
    case_data = case_data if case_data is not None else {
        "setting": result["case"]["setting"], "age": result["case"]["age"], "sex": result["case"]["sex"],
        "side": result["case"]["side"], "findings": result["case"].get("answers", {}),
    }
    audience = audience or ("patient" if result["case"]["setting"] == "self_assessment" else "clinician")
    differential = result["differential"]
    chart = []
    for entry in differential[:CHART_CAUSES]:
        basis = entry.get("prior_basis") or {}
        chart.append({
            "id": entry["id"],
            "name": entry["name"],
            "lay_name": entry["lay_name"],
            "probability": entry["probability"],
            "prior": entry["prior"],
            "serious": entry["serious"],
            "origin": entry["origin"],
            "estimate": basis.get("quality") == "estimate",
            "icd10cm": entry.get("icd10cm") or [],
        })
    explained = [
        _explanation_view(e, audience) for e in differential[:EXPLAINED]
        if e.get("explanation") is not None and (e["probability"] >= EXPLAIN_FLOOR or e is differential[0])
    ]
    co = result.get("coexisting") or {}
    kb = _kb()
    pair = [kb.condition(c) for c in co.get("most_probable_state", []) if kb.has_condition(c)]
    findings = case_data.get("findings") or {}
    return {
        "audience": audience,
        "triage": _triage_view(result, audience),
        "origin": _origin_view(result, audience),
        "chart": chart,
        "explained": explained,
        "two_causes": {
            "probability": float(co.get("probability_two_causes", 0.0)),
            "names": [c.lay_name if audience == "patient" else c.name for c in pair] if len(pair) == 2 else [],
            "pair_probability": float(co.get("most_probable_state_probability", 0.0)),
        },
        "localisation": _localisation_view(result),
        "regions": marked_regions(findings),
        "steps": _steps_view(result, audience),
        "answers": answers_view(case_data, audience),
        "case": {
            "setting": result["case"]["setting"],
            "age": result["case"]["age"],
            "sex": result["case"]["sex"],
            "side": result["case"]["side"],
        },
        "notes": result.get("notes", []),
        "estimates_used": result.get("estimates_used", []),
        "safety_net": result["safety_net"],
        "disclaimer": result["disclaimer"],
        "kb_version": result["kb_version"],
        "kb_hash": result["kb_hash"],
        "text_intake": result.get("text_intake"),
    }


# --------------------------------------------------------------------------- the report


@lru_cache(maxsize=1)
def _site_css() -> str:
    """The web app's stylesheet, inlined in the report so the HTML file stands alone."""
    return (STATIC_DIR / "heelpath.css").read_text(encoding="utf-8")


def render_report_html(result: dict[str, Any], case_data: dict[str, Any] | None = None, *,
                       created: str | None = None, audience: str | None = None, for_pdf: bool = False) -> str:
    """The report to take to the doctor, as one self-contained HTML document."""
    view = result_view(result, case_data, audience)
    when = created or datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        stamp = datetime.fromisoformat(when).astimezone(timezone.utc)
        when_words = stamp.strftime("%d %B %Y, %H:%M UTC")
    except ValueError:
        when_words = when
    return environment().get_template("report.html").render(
        v=view, created=when_words, for_pdf=for_pdf, site_css=_site_css(),
    )


def render_report_pdf(result: dict[str, Any], case_data: dict[str, Any] | None = None, *,
                      created: str | None = None, audience: str | None = None) -> bytes:
    """The same report as PDF (WeasyPrint; imported here so the rest of heelpath starts fast)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_report_html(result, case_data, created=created, audience=audience, for_pdf=True)
    return HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf()


__all__ = [
    "REGIONS",
    "REGION_FINDINGS",
    "answers_view",
    "environment",
    "marked_regions",
    "render_report_html",
    "render_report_pdf",
    "result_view",
]
