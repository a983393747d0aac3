"""What the results page and the report to take to the doctor show, and the report as HTML or PDF.

One view of a result (:func:`result_view`) feeds both the web app's results page and the report,
so the screen and the paper say the same thing. The report is one Jinja2 template
(``templates/report.html``, self-contained: its CSS and pictures are inline) rendered to HTML, and
the same HTML turned into PDF by WeasyPrint (imported only when a PDF is asked for).

>>> import heelpath
>>> case = {"age": 45, "side": "left", "findings": {"pain_under_heel": True, "first_step_pain": True}}
>>> html = render_report_html(heelpath.assess(case), case)
>>> "Plantar fasciitis" in html and "Knowledge base" in html
True
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

import heelpath
from heelpath.knowledge import KnowledgeBase
from heelpath.services.result import (
    AssessmentResult,
    Citation,
    DifferentialEntry,
    Examination,
    Localisation,
    NextStepItem,
    NextSteps,
    OriginResult,
    Triage,
)

TEMPLATES_DIR = Path(str(resources.files("heelpath.interfaces.http") / "templates"))
STATIC_DIR = Path(str(resources.files("heelpath.interfaces.http") / "static"))

#: how many causes the chart shows
CHART_CAUSES = 8
#: causes whose reasons are listed (the result explains at most the first six)
EXPLAINED = 4
#: a cause below this probability is not explained on the page (it still appears in the chart)
EXPLAIN_FLOOR = 0.02

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
    display = heelpath.load().kb.display
    env.globals["REGIONS"] = display.body_map
    env.globals["REGION_LABELS"] = {r.id: r.label for r in display.body_map}
    env.globals["AREA_WORDS"] = {a.area: a.words for a in display.site_areas}
    return env


# --------------------------------------------------------------------------- the view


def _kb() -> KnowledgeBase:
    return heelpath.load().kb


def _short_source(ref: Citation) -> str:
    author = ref.citation.split(",")[0].split(".")[0].strip()
    year = next((tok.strip(".;:()") for tok in ref.citation.replace("(", " ").replace(";", " ").split()
                 if tok.strip(".;:()").isdigit() and len(tok.strip(".;:()")) == 4), "")
    return f"{author} {year}".strip() or ref.id


def _sources(refs: list[Citation]) -> str:
    return ", ".join(_short_source(r) for r in refs)


def _source(ref: Citation | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    link = f"https://doi.org/{ref.doi}" if ref.doi else (
        f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/" if ref.pmid else ref.url)
    return {"short": _short_source(ref), "citation": ref.citation, "link": link}


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
    return [r.id for r in _kb().display.body_map if _present(findings.get(r.finding))]


def _triage_view(triage: Triage, audience: str) -> dict[str, Any]:
    level = triage.level
    patient = audience == "patient"
    # the rules that set the level explain it; lower-level rules it overrides would only confuse
    deciding = [r for r in triage.rules_fired if r.level == level] or triage.rules_fired
    reasons: list[dict[str, Any]] = []
    for rule in deciding:
        text = rule.patient if patient else rule.clinician
        if text not in [r["text"] for r in reasons]:
            reasons.append({"title": rule.title, "text": text, "level": rule.level, "source": _sources(rule.source)})
    if not reasons:
        reasons = [{"title": None, "text": text, "level": None, "source": None} for text in triage.reasons]
    # the advice to give is the patient's wording, for either audience
    safety = list(dict.fromkeys(item.patient for item in triage.safety_net))
    return {"level": level, "label": triage.label,
            "headline": triage.headline if patient else triage.headline_clinician,
            "reasons": reasons, "safety_net": safety, "red_flag": triage.red_flag_floor is not None}


def _origin_view(origin: OriginResult, audience: str) -> dict[str, Any]:
    probs, involves = origin.probabilities, origin.involves
    words = _kb().display.origins[origin.label]
    return {
        "label": origin.label,
        "words": words.patient if audience == "patient" else words.clinician,
        "back_only": probs.get("spinal", 0.0),
        "heel_only": probs.get("local", 0.0),
        "both": probs.get("both", 0.0),
        "systemic": probs.get("systemic", 0.0),
        "mimic": probs.get("mimic", 0.0),
        "involves_back": involves.get("spinal", 0.0),
        "involves_heel": involves.get("local", 0.0),
    }


def _explanation_view(entry: DifferentialEntry) -> dict[str, Any]:
    kb = _kb()
    points_for: list[dict[str, Any]] = []
    points_against: list[dict[str, Any]] = []
    for item in entry.explanation or []:
        evidence = item.evidence
        finding = kb.finding(item.finding) if kb.has_finding(item.finding) else None
        figures = {"sensitivity": evidence.sensitivity, "specificity": evidence.specificity,
                   "lr_pos": evidence.lr_pos, "lr_neg": evidence.lr_neg}
        point = {
            "label": item.label,
            "answer": "yes" if item.answer else "no",
            "odds_ratio": item.odds_ratio,
            "strength": min(1.0, abs(item.log_odds) / 3.0),
            "quality": evidence.quality,
            "quality_words": kb.display.evidence_quality.get(evidence.quality, evidence.quality),
            "estimate": evidence.quality == "estimate",
            "source": _source(evidence.reference),
            "figures": {k: v for k, v in figures.items() if v is not None},
            "note": evidence.note or evidence.basis,
            "setting": evidence.setting if evidence.setting not in (None, "-") else None,
            "lay_question": finding.lay_question if finding is not None else None,
        }
        (points_for if item.direction == "for" else points_against).append(point)
    basis = entry.prior_basis
    return {
        "id": entry.id,
        "name": entry.name,
        "lay_name": entry.lay_name,
        "probability": entry.probability,
        "prior": entry.prior,
        "prior_estimate": basis is not None and basis.quality == "estimate",
        "prior_note": basis.note if basis else None,
        "prior_source": _source(basis.reference) if basis else None,
        "for": points_for,
        "against": points_against,
    }


def _localisation_view(loc: Localisation) -> dict[str, Any]:
    kb = _kb()

    def label(finding_id: str) -> str:
        return kb.finding(finding_id).label if kb.has_finding(finding_id) else finding_id

    display = kb.display
    sites = [{
        "id": site.id,
        "label": site.label,
        "level": site.level,
        "score": site.score,
        "localised": site.localised,
        "area": area.area if (area := display.area_of(site.id)) else None,
        "area_words": area.words if area else "",
        "for": [label(f) for f in site.findings_for],
        "against": [label(f) for f in site.findings_against],
        "sources": [s for s in (_source(r) for r in site.sources) if s],
    } for site in loc.sites]
    localised = [s for s in sites if s["localised"]]
    return {
        "level": loc.level,
        "sites": sites,
        "localised": localised,
        "areas": [s["area"] for s in localised if s["area"]],
        "considered": [s for site, s in zip(loc.sites, sites) if not site.localised and site.score > 0],
    }


#: next-step sections in the order a person reads them, with a heading for each audience
STEP_SECTIONS = (
    ("see", "Whom to see", "Referral"),
    ("examinations", "What the clinician should examine", "Examinations"),
    ("tests", "Tests that may be needed", "Tests and imaging"),
    ("tests_not_recommended", "Tests not needed now", "Tests not recommended"),
    ("treatments", "What to do first", "First treatments"),
    ("avoid", "What to avoid", "Avoid"),
)


def _steps_view(steps: NextSteps, audience: str) -> list[dict[str, Any]]:
    patient = audience == "patient"
    sections = []
    for key, lay, clinical in STEP_SECTIONS:
        items: list[NextStepItem] | list[Examination] = getattr(steps, key)
        rows = [{
            "text": item.patient if patient else item.clinician,
            # a person is told which examination to ask for, not why it separates the causes
            "detail": None if patient and key == "examinations" else item.why,
            "source": _sources(item.source),
        } for item in items]
        if rows:
            sections.append({"key": key, "heading": lay if patient else clinical, "items": rows})
    return sections


def result_view(result: AssessmentResult, case_data: dict[str, Any] | None = None,
                audience: str | None = None) -> dict[str, Any]:
    """Everything the results page and the report show, from a result (and the case as given).

    ``audience`` is ``"patient"`` (plain words) or ``"clinician"``; by default it follows the
    result's setting.
    """
    case = result.case
    if case_data is None:
        case_data = {"setting": case.setting, "age": case.age, "sex": case.sex, "side": case.side,
                     "findings": case.answers}
    audience = audience or ("patient" if case.setting == "self_assessment" else "clinician")
    differential = result.differential
    chart = [{
        "id": entry.id,
        "name": entry.name,
        "lay_name": entry.lay_name,
        "probability": entry.probability,
        "prior": entry.prior,
        "serious": entry.serious,
        "origin": entry.origin,
        "estimate": entry.prior_basis is not None and entry.prior_basis.quality == "estimate",
        "icd10cm": entry.icd10cm,
    } for entry in differential[:CHART_CAUSES]]
    explained = [
        _explanation_view(e) for e in differential[:EXPLAINED]
        if e.explanation is not None and (e.probability >= EXPLAIN_FLOOR or e is differential[0])
    ]
    co = result.coexisting
    kb = _kb()
    pair = [kb.condition(c) for c in co.most_probable_state if kb.has_condition(c)]
    return {
        "audience": audience,
        "triage": _triage_view(result.triage, audience),
        "origin": _origin_view(result.origin, audience),
        "unexplained": {
            "flagged": result.unexplained.flagged,
            "probability": result.unexplained.probability,
            "reason": result.unexplained.reason,
            "text": result.unexplained.patient if audience == "patient" else result.unexplained.clinician,
            "poorly_explained": result.unexplained.poorly_explained,
        },
        "chart": chart,
        "explained": explained,
        "two_causes": {
            "probability": co.probability_two_causes,
            "names": [c.lay_name if audience == "patient" else c.name for c in pair] if len(pair) == 2 else [],
            "pair_probability": co.most_probable_state_probability,
        },
        "localisation": _localisation_view(result.localisation),
        "regions": marked_regions(case_data.get("findings") or {}),
        "steps": _steps_view(result.next_steps, audience),
        "answers": answers_view(case_data, audience),
        "case": {"setting": case.setting, "age": case.age, "sex": case.sex, "side": case.side},
        "notes": result.notes,
        "estimates_used": result.estimates_used,
        "safety_net": result.safety_net,
        "disclaimer": result.disclaimer,
        "kb_version": result.kb_version,
        "kb_hash": result.kb_hash,
        "text_intake": result.text_intake.model_dump() if result.text_intake else None,
    }


# --------------------------------------------------------------------------- the report


@lru_cache(maxsize=1)
def _site_css() -> str:
    """The web app's stylesheet, inlined in the report so the HTML file stands alone."""
    return (STATIC_DIR / "heelpath.css").read_text(encoding="utf-8")


def render_report_html(result: AssessmentResult, case_data: dict[str, Any] | None = None, *,
                       created: str | None = None, audience: str | None = None, for_pdf: bool = False) -> str:
    """The report to take to the doctor, as one self-contained HTML document."""
    view = result_view(result, case_data, audience)
    when = created or datetime.now(UTC).isoformat(timespec="seconds")
    try:
        stamp = datetime.fromisoformat(when).astimezone(UTC)
        when_words = stamp.strftime("%d %B %Y, %H:%M UTC")
    except ValueError:
        when_words = when
    return environment().get_template("report.html").render(
        v=view, created=when_words, for_pdf=for_pdf, site_css=_site_css(),
    )


def render_report_pdf(result: AssessmentResult, case_data: dict[str, Any] | None = None, *,
                      created: str | None = None, audience: str | None = None) -> bytes:
    """The same report as PDF (WeasyPrint; imported here so the rest of heelpath starts fast)."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    html = render_report_html(result, case_data, created=created, audience=audience, for_pdf=True)
    return HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf()


__all__ = [
    "answers_view",
    "environment",
    "marked_regions",
    "render_report_html",
    "render_report_pdf",
    "result_view",
]
