"""FHIR R4 in and out: the generated Questionnaire, QuestionnaireResponses and patient records read
as cases, result Bundles, and the SDC $next-question driven to completion."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import heelpath
from heelpath.errors import InteroperabilityError
from heelpath.services.fhir.questionnaire import SIDE_SUFFIX, case_from_response, questionnaire
from heelpath.services.fhir.records import assess_records, read_records
from heelpath.services.fhir.resources import checked
from heelpath.services.fhir.result_bundle import result_bundle
from heelpath.services.fhir.sdc import next_question
from tests.fhir_support import (
    ICD,
    LOINC,
    SNOMED,
    collection,
    condition,
    lab,
    patient,
    report,
    searchset,
    spondyloarthritis_records,
)

HP = heelpath.load()
TODAY = date(2026, 12, 6)


def _items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for item in items:
        found.append(item)
        found += _items(item.get("item") or [])
    return found


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    return questionnaire(HP)


# -- the Questionnaire ---------------------------------------------------------------------------


def test_questionnaire_has_every_answerable_finding_once_and_carries_the_kb_version_and_hash(generated):
    links = [i["linkId"] for i in _items(generated["item"]) if i["type"] != "group"]
    asked = [f.id for f in HP.kb.findings if not f.derived]
    assert sorted(set(links) - {"age", "sex", "side"} - {f + SIDE_SUFFIX for f in asked}) == sorted(asked)
    assert len(links) == len(set(links))
    assert generated["version"] == HP.kb.version
    assert generated["identifier"][0]["value"] == HP.kb.content_hash
    derived = [f.id for f in HP.kb.findings if f.derived]
    assert derived and not set(derived) & set(links)


def test_lateralised_findings_ask_the_side_only_after_a_yes(generated):
    items = {i["linkId"]: i for i in _items(generated["item"])}
    for finding in HP.kb.findings:
        if finding.derived:
            continue
        item = items[finding.id]
        side = items.get(finding.id + SIDE_SUFFIX)
        assert (side is not None) == finding.lateralised, finding.id
        if side:
            assert side["enableWhen"] == [{"question": finding.id, "operator": "=", "answerBoolean": True}]
            assert [o["valueCoding"]["code"] for o in side["answerOption"]] == ["left", "right", "both"]
        assert item["type"] == ("decimal" if finding.type == "number" else "boolean")


def test_questionnaire_items_carry_both_wordings_the_codes_and_the_warning_sign_mark(generated):
    items = {i["linkId"]: i for i in _items(generated["item"])}
    diabetes = items["diabetes"]
    systems = {c["system"] for c in diabetes["code"]}
    assert {HP.codes.url("CodeSystem", "finding"), SNOMED} <= systems
    extensions = {e["url"]: e for e in items["bladder_dysfunction"]["extension"]}
    assert extensions[HP.codes.url("StructureDefinition", "warning-sign")]["valueBoolean"] is True
    clinician = extensions[HP.codes.url("StructureDefinition", "clinician-text")]["valueString"]
    assert clinician == HP.kb.finding("bladder_dysfunction").clinician_question
    assert HP.codes.url("StructureDefinition", "warning-sign") not in {e["url"] for e in items["first_step_pain"]["extension"]}
    unit = {e["url"]: e for e in items["duration_weeks"]["extension"]}
    assert unit["http://hl7.org/fhir/StructureDefinition/questionnaire-unit"]["valueCoding"]["code"] == "wk"


@pytest.mark.parametrize("breakage, says", [
    (lambda q: q.update(status="nope"), "status"),
    (lambda q: q["item"][0]["item"].append(copy.deepcopy(q["item"][0]["item"][0])), "que-2"),
    (lambda q: q["item"].append({"linkId": "empty", "type": "group", "text": "x"}), "que-1"),
    (lambda q: q["item"][0]["item"][0].update(type="checkbox"), "type"),
    (lambda q: q["item"][0]["item"][0].update(required="maybe"), "required"),
])
def test_a_broken_questionnaire_is_refused_naming_the_problem(generated, breakage, says):
    broken = copy.deepcopy(generated)
    breakage(broken)
    with pytest.raises(InteroperabilityError, match=says):
        checked(broken, "Questionnaire")


# -- QuestionnaireResponse -> case ---------------------------------------------------------------


def _response(answers: dict[str, Any], age: int = 50, sex: str = "female", side: str = "left") -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {"linkId": "age", "answer": [{"valueInteger": age}]},
        {"linkId": "sex", "answer": [{"valueCoding": {"system": "http://hl7.org/fhir/administrative-gender", "code": sex}}]},
        {"linkId": "side", "answer": [{"valueCoding": {"code": side}}]},
    ]
    for finding_id, value in answers.items():
        if value is None:
            items.append({"linkId": finding_id})
        elif isinstance(value, dict):
            items.append({"linkId": finding_id, "answer": [{"valueBoolean": value["present"], "item": [
                {"linkId": finding_id + SIDE_SUFFIX, "answer": [{"valueCoding": {"code": value["side"]}}]}]}]})
        elif isinstance(value, bool):
            items.append({"linkId": finding_id, "answer": [{"valueBoolean": value}]})
        else:
            items.append({"linkId": finding_id, "answer": [{"valueDecimal": value}]})
    return {"resourceType": "QuestionnaireResponse", "status": "completed",
            "questionnaire": f"{HP.codes.url('Questionnaire', 'heel-pain')}|{HP.kb.version}",
            "item": [{"linkId": "about", "item": items[:3]}, {"linkId": "screen.where", "item": items[3:]}]}


def test_a_questionnaire_response_reads_as_the_case_it_answers():
    answers = {"first_step_pain": True, "pain_under_heel": {"present": True, "side": "left"}, "fever": False,
               "duration_weeks": 8.0, "numbness": None}
    case, notes = case_from_response(HP, _response(answers))
    assert notes == []
    assert case == {"setting": "self_assessment", "age": 50, "sex": "female", "side": "left", "findings": {
        "first_step_pain": True, "pain_under_heel": {"present": True, "side": "left"}, "fever": False,
        "duration_weeks": 8.0, "numbness": None}}
    assert HP.assess(case).differential[0].id == "plantar_fasciitis"


BOOLEAN = sorted(f.id for f in HP.kb.findings if f.type == "boolean" and not f.derived)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(BOOLEAN), st.booleans(), max_size=12), st.integers(18, 90))
def test_a_response_and_the_same_case_give_the_same_result(answers, age):
    case, _ = case_from_response(HP, _response(answers, age=age, side="unknown"))
    direct = HP.assess({"age": age, "sex": "female", "findings": answers})
    via = HP.assess(case)
    assert [(e.id, e.probability) for e in via.differential] == [(e.id, e.probability) for e in direct.differential]
    assert via.triage.level == direct.triage.level


@pytest.mark.parametrize("mutate, says", [
    (lambda r: r["item"][1]["item"].append({"linkId": "made_up", "answer": [{"valueBoolean": True}]}), "made_up"),
    (lambda r: r["item"][1]["item"].append({"linkId": "fever", "answer": [{"valueDecimal": 3.0}]}), "fever"),
    (lambda r: r["item"][1]["item"].append({"linkId": "duration_weeks", "answer": [{"valueBoolean": True}]}),
     "duration_weeks"),
    (lambda r: r["item"][0]["item"][0].update(answer=[{"valueInteger": 300}]), "age"),
    (lambda r: r.update(questionnaire="http://other.example/Questionnaire/x"), "not"),
    (lambda r: r.update(status="done"), "status"),
    (lambda r: r["item"][0]["item"].pop(0), "age is required"),
])
def test_a_bad_response_is_refused_naming_the_item(mutate, says):
    response = _response({"fever": False})
    mutate(response)
    with pytest.raises(InteroperabilityError, match=says):
        case_from_response(HP, response)


# -- records -> case ----------------------------------------------------------------------------


def test_records_set_findings_by_their_codes_and_report_what_they_cannot_read():
    records = read_records(HP, [
        *spondyloarthritis_records(),
        condition("c3", ICD, "E11.9", "Type 2 diabetes mellitus without complications"),
        condition("c4", ICD, "K50.90", clinical="resolved"),  # history counts for IBD
        condition("c5", ICD, "Z79.52", clinical="resolved"),  # a past course of steroids does not
        condition("c6", SNOMED, "77176002", verification="refuted"),
        condition("c7", ICD, "R33.9", "Retention of urine"),  # an old symptom is not today's red flag
        condition("c8", ICD, "M48.061", "Spinal stenosis, lumbar"),  # a diagnosis, not a report's result
        report("r1", "M51.17"),
        lab("o3", "8867-4", value=70, unit="/min"),
        {"resourceType": "MedicationStatement", "id": "m1", "status": "active", "subject": {"reference": "Patient/p1"},
         "medicationCodeableConcept": {"text": "naproxen"}},
    ], TODAY)
    assert records.findings == {"psoriasis": True, "hla_b27_positive": True, "crp_raised": True, "diabetes": True,
                                "inflammatory_bowel_disease": True, "smoker": False, "mri_root_compression": True}
    assert (records.age, records.sex, records.patient_id, records.heel_pain) == (32, "male", "p1", True)
    not_read = "\n".join(records.not_read)
    for phrase in ("Condition/c5", "Condition/c7", "Condition/c8", "Observation/o3", "MedicationStatement/m1"):
        assert phrase in not_read


@pytest.mark.parametrize("observation, expected", [
    (lab("o", "1988-5", value=24, high=5), True),
    (lab("o", "1988-5", value=3, high=5), False),
    (lab("o", "1988-5", value=24, high=5, unit="mg/dL"), True),
    (lab("o", "1988-5", interpretation="H"), True),
    (lab("o", "1988-5", value=40, interpretation="N"), False),
    (lab("o", "30341-2", value=40, unit="mm/h", high=20), True),
    (lab("o", "4821-5", concept=(SNOMED, "260385009")), False),
    (lab("o", "26028-1", concept=(LOINC, "LA6576-8")), True),
    (lab("o", "4821-5", interpretation="POS"), True),
    ({**lab("o", "4821-5"), "valueString": "Not detected"}, False),
])
def test_laboratory_results_are_judged_by_their_interpretation_or_reference_range(observation, expected):
    finding = "hla_b27_positive" if observation["code"]["coding"][0]["code"] in ("4821-5", "26028-1") else "crp_raised"
    assert read_records(HP, [observation], TODAY).findings == {finding: expected}


@pytest.mark.parametrize("observation", [
    lab("o", "1988-5", value=24),  # no interpretation, no reference range
    {**lab("o", "1988-5", value=24, high=5), "referenceRange": [{"high": {"value": 5, "unit": "mg/dL"}}]},
    lab("o", "4821-5", value=1, unit="1"),
    {**lab("o", "1988-5"), "dataAbsentReason": {"coding": [{"code": "not-performed"}]}},
    {**lab("o", "1988-5", interpretation="H"), "status": "entered-in-error"},
])
def test_a_result_that_cannot_be_judged_is_reported_not_guessed(observation):
    records = read_records(HP, [observation], TODAY)
    assert records.findings == {}
    assert len(records.not_read) == 1 and "Observation/o" in records.not_read[0]


def test_the_latest_result_wins_and_the_disagreement_is_noted():
    records = read_records(HP, [lab("a", "1988-5", interpretation="H", when="2025-01-01"),
                                lab("b", "1988-5", interpretation="N", when="2026-11-01")], TODAY)
    assert records.findings == {"crp_raised": False}
    assert any("disagree" in note for note in records.notes)


def test_age_from_a_full_or_partial_birth_date():
    assert read_records(HP, [patient(birth="1976-12-07")], TODAY).age == 49
    assert read_records(HP, [patient(birth="1976-12-06")], TODAY).age == 50
    partial = read_records(HP, [patient(birth="1976")], TODAY)
    assert partial.age == 50 and "partial" in partial.notes[0]
    assert read_records(HP, [patient(gender="other")], TODAY).sex is None


def test_a_patients_records_are_assessed_end_to_end():
    result, records = assess_records(HP, collection(*spondyloarthritis_records()), today=TODAY)
    assert result.differential[0].id == "spondyloarthritis_enthesitis"
    assert result.case.age == 32 and records.not_read == []
    nested = collection(patient(), searchset(*spondyloarthritis_records()[1:]))
    assert assess_records(HP, nested, today=TODAY)[0].differential[0].id == "spondyloarthritis_enthesitis"


@pytest.mark.parametrize("bundle, says", [
    ({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": patient(birth="1970-13-01")}]}, "birthDate"),
    ({"resourceType": "Bundle", "type": "nope"}, "type"),
    ({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {**patient(), "gender": "x"}}]}, "gender"),
    ({"resourceType": "Patient", "id": "p"}, "expected a Bundle"),
    ({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Nonsense"}}]}, "Nonsense"),
    (["not", "a", "resource"], "JSON object"),
    (collection(condition("c", ICD, "M72.2")), "no age"),
    ({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {**patient(), "unknownField": 1}}]},
     "unknownField"),
])
def test_a_malformed_or_partial_bundle_is_refused_naming_the_problem(bundle, says):
    with pytest.raises(InteroperabilityError, match=says):
        assess_records(HP, bundle, today=TODAY)


# -- result -> Bundle -----------------------------------------------------------------------------


def test_the_result_bundle_holds_the_ranked_causes_red_flags_and_proposed_tests():
    result = HP.assess({"age": 50, "sex": "male", "side": "left", "findings": {
        "bladder_dysfunction": True, "low_back_pain": True, "leg_pain_radiating_below_knee": {"present": True, "side": "left"}}})
    bundle = result_bundle(HP, result, "Patient/p1", [("information", "Observation/x: not read")])
    checked(bundle, "Bundle")
    by_type: dict[str, list[dict[str, Any]]] = {}
    for entry in bundle["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    risk = by_type["RiskAssessment"][0]
    predicted = {p["outcome"]["text"]: p["probabilityDecimal"] for p in risk["prediction"]}
    assert predicted[result.differential[0].name] == round(result.differential[0].probability, 4)
    assert len(risk["basis"]) == len(by_type["Observation"]) == 3
    assert [i["code"]["text"] for i in by_type["DetectedIssue"]] == [
        f"Red flag: {r.title}" for r in result.triage.rules_fired if r.kind == "red_flag"]
    assert by_type["DetectedIssue"][0]["severity"] == "high"
    requests = by_type["ServiceRequest"]
    assert len(requests) == len(result.next_steps.tests) and requests[0]["intent"] == "proposal"
    assert {"system": "http://loinc.org", "code": "30679-5", "display": "MR Lumbar spine WO contrast"} in \
        requests[0]["code"]["coding"]
    assert "Triage: Emergency" in by_type["ClinicalImpression"][0]["summary"]
    assert by_type["OperationOutcome"][0]["issue"][0]["diagnostics"] == "Observation/x: not read"
    assert "Patient" not in by_type  # the record's own patient is referenced


# -- SDC $next-question ---------------------------------------------------------------------------


PERSON = {"age": 52, "sex": "male", "side": "left"}
PRESENT = {"low_back_pain", "leg_pain_radiating_below_knee", "pain_worse_cough_sneeze", "tingling_pins_needles",
           "s1_sensory_loss", "ankle_reflex_reduced"}


def _native_answer(question) -> Any:
    if question.id in PERSON:
        return PERSON[question.id]
    if question.type == "number":
        return 10
    return question.id in PRESENT


@pytest.mark.parametrize("mode", ["lay", "clinician"])
def test_next_question_runs_to_completed_with_the_native_interviews_result(mode):
    response: dict[str, Any] = {"resourceType": "QuestionnaireResponse", "status": "in-progress",
                                "extension": [{"url": HP.codes.url("StructureDefinition", "interview-mode"),
                                               "valueCode": mode}]}
    for _ in range(80):
        response, step = next_question(HP, {"resourceType": "Parameters", "parameter": [
            {"name": "questionnaire-response", "resource": response}]})
        checked(response, "QuestionnaireResponse")
        if response["status"] == "completed":
            break
        asked = response["contained"][0]["item"][-1]
        assert asked["type"] == "group"
        for item in asked["item"]:
            question = next(q for q in step.next_questions if q.id == item["linkId"])
            value = _native_answer(question)
            if item["linkId"] == "age":
                answer = {"valueInteger": value}
            elif item["linkId"] in ("sex", "side"):
                answer = {"valueCoding": {"code": value}}
            elif item["type"] == "decimal":
                answer = {"valueDecimal": float(value)}
            else:
                answer = {"valueBoolean": value}
            response["item"].append({"linkId": item["linkId"], "answer": [answer]})
    assert response["status"] == "completed"

    state: dict[str, Any] = {"mode": mode, "answers": {}}
    native = HP.step(state)
    while not native.done:
        for question in native.next_questions:
            if question.id in PERSON:
                state[question.id] = PERSON[question.id]
            else:
                state["answers"][question.id] = _native_answer(question)
        native = HP.step(state)
    assert native.result is not None and step.result is not None
    assert [(e.id, e.probability) for e in step.result.differential] == \
        [(e.id, e.probability) for e in native.result.differential]
    assert step.result.triage.level == native.result.triage.level
    assert step.progress.asked == native.progress.asked
    contained_links = {i["linkId"] for i in _items(response["contained"][0]["item"])}
    assert {i["linkId"] for i in response["item"]} <= contained_links


def test_next_question_refuses_what_it_cannot_read():
    with pytest.raises(InteroperabilityError, match="questionnaire-response"):
        next_question(HP, {"resourceType": "Parameters", "parameter": [{"name": "other", "valueString": "x"}]})
    with pytest.raises(InteroperabilityError, match="mode"):
        next_question(HP, {"resourceType": "QuestionnaireResponse", "status": "in-progress", "extension": [
            {"url": HP.codes.url("StructureDefinition", "interview-mode"), "valueCode": "robot"}]})


# -- what a careful reader of records must not get wrong ------------------------------------------


def test_a_diagnosis_under_a_heel_conditions_code_still_sets_its_finding():
    """Bone metastasis and diabetic polyneuropathy are findings, not heel pain."""
    records = read_records(HP, [condition("a", ICD, "C79.51"), condition("b", ICD, "E11.42")], TODAY)
    assert records.findings == {"history_of_cancer": True, "diabetes": True} and not records.heel_pain


@pytest.mark.parametrize("clinical, verification, heel_pain", [
    ("active", "confirmed", True), ("active", None, True), ("resolved", "confirmed", False),
    ("active", "refuted", False), ("active", "provisional", False),
])
def test_heel_pain_on_the_problem_list_counts_only_when_current_and_not_refuted(clinical, verification, heel_pain):
    records = read_records(HP, [condition("h", ICD, "M72.2", clinical=clinical, verification=verification)], TODAY)
    assert records.heel_pain is heel_pain
    assert heel_pain or "Condition/h" in records.not_read[0]


def test_unconfirmed_diagnoses_and_skin_cancers_do_not_count_as_cancer():
    records = read_records(HP, [condition("a", ICD, "C50.911", verification="provisional"),
                                condition("b", ICD, "C44.91")], TODAY)
    assert records.findings == {}
    assert len(records.not_read) == 2


def test_the_latest_result_is_compared_as_instants_across_time_zones():
    late_high = lab("a", "1988-5", interpretation="H", when="2026-10-01T23:00:00-05:00")  # 04:00Z on 2 October
    early_normal = lab("b", "1988-5", interpretation="N", when="2026-10-02T01:00:00Z")
    assert read_records(HP, [late_high, early_normal], TODAY).findings == {"crp_raised": True}


def test_records_of_two_patients_are_refused():
    with pytest.raises(InteroperabilityError, match="more than one patient"):
        read_records(HP, [patient("p1"), patient("p2")], TODAY)
    with pytest.raises(InteroperabilityError, match="Patient/p2"):
        read_records(HP, [patient("p1"), condition("c", ICD, "E11.9", pid="p2")], TODAY)


def test_a_next_page_an_empty_entry_and_how_records_were_read_are_all_reported():
    page = {**searchset(condition("c", ICD, "E11.9")), "link": [{"relation": "next", "url": "http://ehr/p2"}]}
    page["entry"].append({"fullUrl": "http://ehr/x"})
    records = read_records(HP, [patient(birth="1976"), page], TODAY)
    messages = [m for _, m in records.issues()]
    assert any("next page" in m for m in messages) and any("no resource" in m for m in messages)
    assert any("partial birth date" in m for m in messages)


def test_an_item_answered_twice_or_a_response_entered_in_error_is_refused():
    twice = _response({"fever": False})
    twice["item"][1]["item"].append({"linkId": "fever", "answer": [{"valueBoolean": True}]})
    with pytest.raises(InteroperabilityError, match="more than once: fever"):
        case_from_response(HP, twice)
    with pytest.raises(InteroperabilityError, match="entered in error"):
        case_from_response(HP, {**_response({}), "status": "entered-in-error"})
