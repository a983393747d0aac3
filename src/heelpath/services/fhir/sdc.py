"""The adaptive interview as the SDC ``$next-question`` operation.

In: a QuestionnaireResponse (bare, or as the ``questionnaire-response`` parameter of a Parameters),
its answers so far. Out: the same answers and the next screen of questions as a new
QuestionnaireResponse whose contained Questionnaire holds exactly the items asked so far; its
status is ``completed`` when the interview stops. The interview is the one every other interface
uses (:meth:`Heelpath.step`), so an SDC form filler gets the same questions and the same result.
"""

from __future__ import annotations

from typing import Any

from heelpath.errors import InteroperabilityError
from heelpath.services.context import Heelpath
from heelpath.services.fhir.questionnaire import (
    ABOUT,
    SIDE_SUFFIX,
    about_item,
    finding_item,
    questionnaire_header,
    read_response,
)
from heelpath.services.fhir.resources import checked
from heelpath.services.interview import InterviewState, InterviewStep, SidedReply

CONTAINED_ID = "asked"


def mode_url(hp: Heelpath) -> str:
    return hp.codes.url("StructureDefinition", "interview-mode")


def next_question(hp: Heelpath, body: Any) -> tuple[dict[str, Any], InterviewStep]:
    """The next QuestionnaireResponse, and the interview step it shows."""
    response = _response_of(body)
    read, _ = read_response(hp, response)
    mode = next((e.get("valueCode") for e in response.get("extension") or [] if e.get("url") == mode_url(hp)), "lay")
    if mode not in ("lay", "clinician"):
        raise InteroperabilityError(f"interview mode {mode!r}: expected lay or clinician")
    state = InterviewState.from_data({"mode": mode, **{k: read.get(k) for k in ABOUT}, "answers": read["answers"]})
    step = hp.step(state)
    return checked(_response(hp, state, step), "QuestionnaireResponse"), step


def _response_of(body: Any) -> dict[str, Any]:
    if isinstance(body, dict) and body.get("resourceType") == "Parameters":
        for parameter in body.get("parameter") or []:
            if isinstance(parameter, dict) and parameter.get("name") == "questionnaire-response":
                return parameter.get("resource") or {}
        raise InteroperabilityError("Parameters: no questionnaire-response parameter")
    if not isinstance(body, dict):
        raise InteroperabilityError("expected a QuestionnaireResponse or a Parameters resource")
    return body


def _response(hp: Heelpath, state: InterviewState, step: InterviewStep) -> dict[str, Any]:
    asked_items: list[dict[str, Any]] = []
    answered: list[dict[str, Any]] = []
    for key in ABOUT:
        value = getattr(state, key)
        if value is not None:
            asked_items.append(about_item(hp, key))
            answered.append(_about_answer(hp, key, value))
    for finding_id, value in state.answers.items():
        asked_items.append(finding_item(hp, hp.kb.finding(finding_id)))
        answered.append(_finding_answer(hp, finding_id, value))
    if not step.done and step.next_questions:
        group = step.group
        items = [about_item(hp, q.id) if q.id in ABOUT else finding_item(hp, hp.kb.finding(q.id))
                 for q in step.next_questions]
        asked_items.append({"linkId": f"screen.{group.id if group else 'next'}", "type": "group",
                            "text": group.text if group else "Next questions", "item": items})
    header = questionnaire_header(hp)
    contained = {**{k: v for k, v in header.items() if k not in ("url", "version", "identifier")},
                 "id": CONTAINED_ID, "derivedFrom": [f"{header['url']}|{header['version']}"], "item": asked_items}
    return {
        "resourceType": "QuestionnaireResponse",
        "contained": [contained],
        "questionnaire": f"#{CONTAINED_ID}",
        "status": "completed" if step.done else "in-progress",
        "extension": [{"url": mode_url(hp), "valueCode": state.mode}],
        "item": answered,
    }


def _about_answer(hp: Heelpath, key: str, value: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": key}
    if value == "unknown":
        return item
    if key == "age":
        item["answer"] = [{"valueInteger": int(value)} if float(value).is_integer() else {"valueDecimal": value}]
    else:
        option = next(o["valueCoding"] for o in about_item(hp, key)["answerOption"] if o["valueCoding"]["code"] == value)
        item["answer"] = [{"valueCoding": option}]
    return item


def _finding_answer(hp: Heelpath, finding_id: str, value: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": finding_id}
    if isinstance(value, SidedReply):
        if value.present in (None, "unknown"):
            return item
        answer: dict[str, Any] = {"valueBoolean": value.present}
        if value.side:
            answer["item"] = [{"linkId": finding_id + SIDE_SUFFIX, "answer": [{"valueCoding": {"system": hp.codes.url("CodeSystem", "side"),
                                                                                  "code": value.side}}]}]
        item["answer"] = [answer]
    elif isinstance(value, bool):
        item["answer"] = [{"valueBoolean": value}]
    elif isinstance(value, (int, float)):
        item["answer"] = [{"valueDecimal": float(value)}]
    return item
