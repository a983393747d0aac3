"""The FHIR Questionnaire generated from the knowledge base, and QuestionnaireResponses read back.

Nothing here is hand-written content: every item is a finding of findings.yaml (its lay question as
the text, its clinician wording, who answers it and whether it is a warning sign in extensions,
its codes), grouped by the screens of screens.yaml. A lateralised finding has a nested "which
side" item enabled by a yes; a yes/no finding derived from a number (pain over 6 weeks) is left out
because the number is asked. The Questionnaire carries the knowledge base's version and hash.
"""

from __future__ import annotations

from typing import Any

from heelpath.errors import InteroperabilityError
from heelpath.knowledge.schema import Finding
from heelpath.services.context import Heelpath
from heelpath.services.fhir.resources import checked

ABOUT = ("age", "sex", "side")
SIDES = ("left", "right", "both")
_GENDER = "http://hl7.org/fhir/administrative-gender"
_UCUM = "http://unitsofmeasure.org"
_UNIT_EXT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
_MIN_EXT = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX_EXT = "http://hl7.org/fhir/StructureDefinition/maxValue"
SIDE_SUFFIX = ".side"


def questionnaire_url(hp: Heelpath) -> str:
    return hp.codes.url("Questionnaire", "heel-pain")


def questionnaire(hp: Heelpath) -> dict[str, Any]:
    """The whole heel-pain Questionnaire, validated."""
    return checked({
        **questionnaire_header(hp),
        "item": [about_group(hp), *_groups(hp)],
    }, "Questionnaire")


def questionnaire_header(hp: Heelpath) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": "heelpath-heel-pain",
        "url": questionnaire_url(hp),
        "identifier": [{"system": hp.codes.url("NamingSystem", "kb-hash"), "value": hp.kb.content_hash}],
        "version": hp.kb.version,
        "name": "HeelpathHeelPain",
        "title": "Heel pain: where it comes from, warning signs and what to do next",
        "status": "active",
        "subjectType": ["Patient"],
        "description": f"Generated from the heelpath knowledge base {hp.kb.version}. {hp.rules.advice.disclaimer}",
    }


def about_group(hp: Heelpath) -> dict[str, Any]:
    return {"linkId": "about", "type": "group", "text": "About you", "item": [about_item(hp, key) for key in ABOUT]}


def about_item(hp: Heelpath, key: str) -> dict[str, Any]:
    if key == "age":
        return {"linkId": "age", "type": "integer", "text": "How old are you?", "required": True,
                "extension": [_ext(_MIN_EXT, "valueInteger", 0), _ext(_MAX_EXT, "valueInteger", 120)]}
    if key == "sex":
        return {"linkId": "sex", "type": "choice", "text": "Sex",
                "answerOption": [{"valueCoding": {"system": _GENDER, "code": code, "display": code.capitalize()}}
                                 for code in ("female", "male", "unknown")]}
    return {"linkId": "side", "type": "choice", "text": "Which heel hurts?",
            "answerOption": [{"valueCoding": _side(hp, code)} for code in (*SIDES, "unknown")]}


def _groups(hp: Heelpath) -> list[dict[str, Any]]:
    placed: set[str] = set()
    groups = []
    for screen in hp.kb.screens:
        members = [hp.kb.finding(f) for f in screen.members if _asked(hp.kb.finding(f))]
        placed.update(screen.members)
        if members:
            groups.append({"linkId": f"screen.{screen.id}", "type": "group",
                           "text": screen.lay_text or screen.clinician_text,
                           "item": [finding_item(hp, f) for f in members]})
    rest = [f for f in hp.kb.findings if f.id not in placed and _asked(f)]
    for answered_by, title in (("patient", "More about the pain"), ("clinician", "Examination"),
                               ("test", "Test results")):
        members = [f for f in rest if f.answered_by == answered_by]
        if members:
            groups.append({"linkId": f"more.{answered_by}", "type": "group", "text": title,
                           "item": [finding_item(hp, f) for f in members]})
    return groups


def _asked(finding: Finding) -> bool:
    return not finding.derived and finding.type in ("boolean", "number")


def finding_item(hp: Heelpath, finding: Finding) -> dict[str, Any]:
    """One finding as a Questionnaire item (with its nested side item when it is lateralised)."""
    codes = [{"system": hp.codes.url("CodeSystem", "finding"), "code": finding.id, "display": finding.label}]
    codes += [{"system": c.uri, "code": c.code, "display": c.display} for c in hp.codes.codes_of_finding(finding.id)
              if not c.prefix]
    extensions = [
        _ext(hp.codes.url("StructureDefinition", "clinician-text"), "valueString", finding.clinician_question),
        _ext(hp.codes.url("StructureDefinition", "answered-by"), "valueCode", finding.answered_by),
    ]
    if finding.id in hp.red_flag_findings:
        extensions.append(_ext(hp.codes.url("StructureDefinition", "warning-sign"), "valueBoolean", True))
    item: dict[str, Any] = {"linkId": finding.id, "code": codes, "text": finding.lay_question or finding.clinician_question}
    if finding.type == "number":
        low, high = finding.bounds
        value_type = "valueDecimal"
        unit = finding.unit or ""
        extensions += [_ext(_UNIT_EXT, "valueCoding", {"system": _UCUM, "code": hp.codes.units[unit], "display": unit}),
                       _ext(_MIN_EXT, value_type, low), _ext(_MAX_EXT, value_type, high)]
        item["type"] = "decimal"
    else:
        item["type"] = "boolean"
    if finding.lateralised:
        item["item"] = [{
            "linkId": finding.id + SIDE_SUFFIX, "type": "choice", "text": "On which side?",
            "enableWhen": [{"question": finding.id, "operator": "=", "answerBoolean": True}],
            "answerOption": [{"valueCoding": _side(hp, code)} for code in SIDES],
        }]
    item["extension"] = extensions
    return item


def _side(hp: Heelpath, code: str) -> dict[str, str]:
    return {"system": hp.codes.url("CodeSystem", "side"), "code": code, "display": code.capitalize()}


def _ext(url: str, kind: str, value: Any) -> dict[str, Any]:
    return {"url": url, kind: value}


# -- QuestionnaireResponse -> answers ------------------------------------------------------------


def read_response(hp: Heelpath, response: Any) -> tuple[dict[str, Any], list[str]]:
    """The answers of a QuestionnaireResponse: ``({"age":..., "sex":..., "side":..., "answers": {...}}, notes)``.

    An item present with no answer was asked and not known (``"unknown"``). An item the
    Questionnaire does not have, or an answer of the wrong kind, raises InteroperabilityError naming
    its linkId.
    """
    response = checked(response, "QuestionnaireResponse")
    if response.get("status") == "entered-in-error":
        raise InteroperabilityError("the QuestionnaireResponse was entered in error")
    notes = []
    canonical = str(response.get("questionnaire") or "")
    url, _, version = canonical.partition("|")
    if url and url != questionnaire_url(hp) and not url.startswith("#"):
        raise InteroperabilityError(f"QuestionnaireResponse.questionnaire {url!r} is not {questionnaire_url(hp)!r}")
    if version and version != hp.kb.version:
        notes.append(f"answered on questionnaire version {version}; read with knowledge base {hp.kb.version}")
    read: dict[str, Any] = {"answers": {}}
    unknown: list[str] = []
    items = _answer_items(response.get("item") or [])
    links = [item["linkId"] for item in items]
    repeated = sorted({link for link in links if links.count(link) > 1})
    if repeated:
        raise InteroperabilityError(f"item(s) answered more than once: {', '.join(repeated[:10])}")
    for item in items:
        _read_item(hp, item, read, unknown)
    if unknown:
        raise InteroperabilityError(f"unknown questionnaire item(s): {', '.join(sorted(unknown)[:10])}")
    return read, notes


def _answer_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every question item, groups opened (a side item stays nested in its finding's item)."""
    found = []
    for item in items:
        if item.get("linkId") == "about" or str(item.get("linkId", "")).startswith(("screen.", "more.")):
            found.extend(_answer_items(item.get("item") or []))
        else:
            found.append(item)
    return found


def _read_item(hp: Heelpath, item: dict[str, Any], read: dict[str, Any], unknown: list[str]) -> None:
    link = item["linkId"]
    answers = item.get("answer") or []
    if len(answers) > 1:
        raise InteroperabilityError(f"item {link}: one answer expected, got {len(answers)}")
    value = _value(answers[0]) if answers else None
    if link in ABOUT:
        read[link] = _about(link, value)
        return
    if not hp.kb.has_finding(link) or not _asked(hp.kb.finding(link)):
        unknown.append(link)
        return
    finding = hp.kb.finding(link)
    if value is None:
        read["answers"][link] = "unknown"
        return
    if finding.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InteroperabilityError(f"item {link}: expected a number of {finding.unit}")
        read["answers"][link] = value
        return
    if not isinstance(value, bool):
        raise InteroperabilityError(f"item {link}: expected a yes/no (valueBoolean) answer")
    side = _nested_side(item, answers[0])
    read["answers"][link] = {"present": value, "side": side} if side and finding.lateralised else value


def _nested_side(item: dict[str, Any], answer: dict[str, Any]) -> str | None:
    nested = [*(answer.get("item") or []), *(item.get("item") or [])]
    for child in nested:
        if str(child.get("linkId", "")).endswith(SIDE_SUFFIX):
            values = [_value(a) for a in child.get("answer") or []]
            if values and values[0] not in SIDES:
                raise InteroperabilityError(f"item {child['linkId']}: expected left, right or both")
            return values[0] if values else None
    return None


def _about(link: str, value: Any) -> Any:
    if link == "age":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 120:
            raise InteroperabilityError("item age: expected an age in years from 0 to 120")
        return value
    allowed = ("female", "male", "unknown") if link == "sex" else (*SIDES, "unknown")
    if value is None:
        return "unknown"
    if value not in allowed:
        raise InteroperabilityError(f"item {link}: expected one of {', '.join(allowed)}")
    return value


def _value(answer: dict[str, Any]) -> Any:
    for key in ("valueBoolean", "valueInteger", "valueDecimal"):
        if key in answer:
            return answer[key]
    coding = answer.get("valueCoding")
    if isinstance(coding, dict):
        return coding.get("code")
    raise InteroperabilityError(f"an answer of a kind heelpath does not read: {', '.join(sorted(answer)) or 'empty'}")


def case_from_response(hp: Heelpath, response: Any, setting: str = "self_assessment") -> tuple[dict[str, Any], list[str]]:
    """A QuestionnaireResponse as a case (docs/case-format.md), with notes on how it was read."""
    read, notes = read_response(hp, response)
    if read.get("age") is None:
        raise InteroperabilityError("item age: the age is required")
    findings = {k: (None if v == "unknown" else v) for k, v in read["answers"].items()}
    case = {"setting": setting, "age": read["age"], "findings": findings,
            "sex": read.get("sex") if read.get("sex") in ("female", "male") else None,
            "side": read.get("side") or "unknown"}
    return {k: v for k, v in case.items() if v is not None}, notes
