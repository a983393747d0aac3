"""The JSON API: what each endpoint answers, and a clear 4xx for each kind of bad input."""

from __future__ import annotations

import json
import uuid

import pytest

import heelpath
from heelpath.knowledge import load_kb

from .api_support import assert_problem, example_case, make_client


@pytest.fixture()
def client(tmp_path):
    with make_client(tmp_path / "assessments.sqlite3") as c:
        yield c


# -- reading ---------------------------------------------------------------------------------


def test_health_names_the_versions(client):
    body = client.get("/api/health").json()
    kb = load_kb()
    assert body["status"] == "ok"
    assert (body["kb_version"], body["kb_hash"]) == (kb.version, kb.content_hash)


def test_kb_counts_match_the_knowledge_base(client):
    body = client.get("/api/kb").json()
    kb = load_kb()
    assert body["hash"] == kb.content_hash
    assert body["counts"]["conditions"] == len(kb.conditions)
    assert body["counts"]["findings"] == len(kb.findings)
    assert body["counts"]["evidence_rows"] == len(kb.evidence)


def test_kb_lists_conditions_and_findings(client):
    conditions = client.get("/api/kb/conditions").json()
    assert {c["id"] for c in conditions} == {c.id for c in load_kb().conditions}
    findings = client.get("/api/kb/findings").json()
    assert {f["id"] for f in findings} == {f.id for f in load_kb().findings}
    tests = client.get("/api/kb/findings", params={"answered_by": "test"}).json()
    assert tests and all(f["answered_by"] == "test" for f in tests)
    assert len(tests) < len(findings)


# -- assessing -------------------------------------------------------------------------------


def test_assess_gives_the_same_result_as_the_service(client):
    case = example_case("coexisting_plantar_fasciitis_and_s1")
    response = client.post("/api/assess", json=case)
    assert response.status_code == 200, response.text
    body = response.json()
    expected = heelpath.assess(case).to_json()
    assert body["differential"] == expected["differential"]
    assert body["origin"] == expected["origin"]
    assert body["kb_hash"] == load_kb().content_hash
    assert body["safety_net"] and body["disclaimer"]


def test_assess_follows_the_result_schema(client):
    import jsonschema

    from heelpath.schemas import load_schema

    body = client.post("/api/assess", json=example_case()).json()
    jsonschema.validate(body, load_schema("result"))


def test_lateralised_answer_on_the_other_side_is_noted_not_counted(client):
    case = {"age": 50, "side": "right", "findings": {"ankle_reflex_reduced": {"present": True, "side": "left"}}}
    body = client.post("/api/assess", json=case).json()
    assert any("left side" in note for note in body["notes"])


# -- bad input: each kind gets a 4xx whose message names the problem ----------------------------


@pytest.mark.parametrize(
    ("body", "kind", "phrases"),
    [
        ({"age": 40, "findings": {"no_such_finding": True}}, "unknown-finding", ["no_such_finding"]),
        ({"age": "forty"}, "invalid-request", ["age:", "valid number"]),
        ({"age": 40, "findings": {"first_step_pain": 1}}, "invalid-answer", ["first_step_pain", "true, false"]),
        ({"age": 40, "findings": {"low_back_pain": "yes"}}, "invalid-request",
         ["findings.low_back_pain", "expected true, false or null"]),
        ({"age": 40, "findings": {"first_step_pain": "yes"}}, "invalid-request",
         ["findings.first_step_pain", '"side": "left"|"right"|"both"']),
        ({"age": 40, "findings": {"duration_weeks": "ten"}}, "invalid-request",
         ["findings.duration_weeks", "expected a number of weeks"]),
        ({"age": 40, "findings": {"duration_weeks": 5000}}, "invalid-answer", ["duration_weeks", "outside"]),
        ({"age": 40, "findings": {"duration_weeks": True}}, "invalid-answer", ["duration_weeks", "number"]),
        ({"age": 40, "findings": {"ankle_reflex_reduced": {"present": True, "side": "up"}}}, "invalid-request",
         ["findings.ankle_reflex_reduced.side"]),
        ({"age": 40, "findings": {"low_back_pain": {"present": True, "side": "left"}}}, "invalid-answer",
         ["low_back_pain", "not answered per side"]),
        ({"age": 40, "side": "left", "findings": {"bilateral_heel_pain": True}}, "invalid-answer",
         ["contradictory", "bilateral_heel_pain"]),
        ({"age": 40, "findings": {"duration_weeks": 2, "symptoms_over_6_weeks": True}}, "invalid-answer",
         ["contradictory", "symptoms_over_6_weeks"]),
        ({"age": 40, "findings": {"ankle_reflex_reduced": False, "ankle_reflex_reduced_bilateral": True}},
         "invalid-answer", ["contradictory", "ankle_reflex_reduced_bilateral"]),
        ({"age": 130}, "invalid-request", ["age:", "less than or equal to 120"]),
        ({"age": True}, "invalid-request", ["age:"]),
        ({"findings": {}}, "invalid-request", ["age: required"]),
        ({"age": 40, "sex": "other"}, "invalid-request", ["sex:", "'female' or 'male'"]),
        ({"age": 40, "symptoms": []}, "invalid-request", ["symptoms: unknown field"]),
        ({"age": 40, "findings": []}, "invalid-request", ["findings:"]),
        ([{"age": 40}], "invalid-request", ["body: the body must be a JSON object"]),
    ],
)
def test_bad_case_is_a_422_naming_the_problem(client, body, kind, phrases):
    assert_problem(client.post("/api/assess", json=body), 422, kind, *phrases)


@pytest.mark.parametrize("raw", [b'{"age": 40,', b"{age: 40}", b"\xff\xfe", b'{"age": 40} trailing'])
def test_malformed_json_is_a_400(client, raw):
    response = client.post("/api/assess", content=raw, headers={"content-type": "application/json"})
    assert_problem(response, 400, "malformed-json", "not valid JSON")


@pytest.mark.parametrize("raw", [b'{"age": ' + b"9" * 5000 + b"}", b"[" * 50000 + b"]" * 50000])
def test_json_the_parser_refuses_is_a_400(client, raw):
    response = client.post("/api/assess", content=raw, headers={"content-type": "application/json"})
    assert_problem(response, 400, "malformed-json", "could not be read as JSON")


@pytest.mark.parametrize(
    ("path", "raw", "key"),
    [
        ("/api/assess", b'{"age": 40, "findings": {"fever": true, "fever": false}}', "fever"),
        ("/api/assess", b'{"age": 40, "age": 50}', "age"),
        ("/api/interview/step", b'{"age": 40, "answers": {"fever": true, "fever": "unknown"}}', "fever"),
        ("/api/assessments", b'{"consent": true, "case": {"age": 40}, "consent": true}', "consent"),
    ],
)
def test_a_key_given_twice_is_a_422_not_silently_the_last(client, path, raw, key):
    response = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert_problem(response, 422, "duplicate-key", repr(key), "twice")
    assert client.get("/api/assessments").json()["total"] == 0


def test_missing_body_and_wrong_content_type_are_named(client):
    assert_problem(client.post("/api/assess"), 422, "invalid-request", "a JSON body is required")
    response = client.post("/api/assess", content=b"age=40", headers={"content-type": "text/plain"})
    assert_problem(response, 422, "invalid-request", "JSON object", "Content-Type: application/json")


def test_non_finite_numbers_are_rejected_not_a_server_error(client):
    for raw in (b'{"age": NaN}', b'{"age": 40, "findings": {"duration_weeks": Infinity}}'):
        response = client.post("/api/assess", content=raw, headers={"content-type": "application/json"})
        assert response.status_code == 422, response.text


def test_oversized_body_is_a_413_without_reading_it(client):
    raw = b'{"age": 40, "text": "' + b"a" * (300 * 1024) + b'"}'
    response = client.post("/api/assess", content=raw, headers={"content-type": "application/json"})
    assert_problem(response, 413, "too-large", "KiB")


def test_unknown_api_path_and_method_are_problems(client):
    assert_problem(client.get("/api/no-such-thing"), 404, "not-found", "/api/no-such-thing")
    assert_problem(client.put("/api/assess", json={}), 405, "method-not-allowed", "PUT")


def test_bad_query_parameter_is_named(client):
    assert_problem(client.get("/api/kb/findings", params={"answered_by": "robot"}), 422, "invalid-request",
                   "query.answered_by")
    assert_problem(client.get("/api/assessments", params={"limit": 0}), 422, "invalid-request", "query.limit")


# -- interview -------------------------------------------------------------------------------


def test_interview_starts_with_age_sex_and_side(client):
    body = client.post("/api/interview/step", json={}).json()
    assert body["done"] is False
    assert body["result"] is None
    assert [q["id"] for q in body["next_questions"]] == ["age", "sex", "side"]


def test_interview_runs_to_a_stop_when_every_answer_is_sent_back(client):
    state = {"mode": "lay", "age": 46, "sex": "female", "side": "right",
             "answers": {"pain_under_heel": True, "first_step_pain": True}}
    for _ in range(40):
        response = client.post("/api/interview/step", json=state)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["result"]["kb_hash"] == load_kb().content_hash
        if body["done"]:
            break
        assert body["next_questions"]
        for question in body["next_questions"]:
            state["answers"][question["id"]] = False if question["type"] == "boolean" else "unknown"
    assert body["done"], "the interview never stopped"
    assert body["stop_reason"] in ("settled", "emergency", "nothing_left", "max_questions")
    assert body["stop_explanation"]


@pytest.mark.parametrize(
    ("state", "kind", "phrases"),
    [
        ({"age": 40, "sex": "male", "side": "left", "answers": {"no_such_finding": True}}, "unknown-finding",
         ["no_such_finding"]),
        ({"age": 40, "sex": "male", "side": "left", "answers": {"bilateral_heel_pain": True}}, "invalid-answer",
         ["contradictory", "bilateral_heel_pain"]),
        ({"age": 40, "answers": {"low_back_pain": "maybe"}}, "invalid-request",
         ["answers.low_back_pain", 'expected true, false, "unknown" or null']),
        ({"mode": "robot"}, "invalid-request", ["mode:"]),
        ({"age": 40, "history": []}, "invalid-request", ["history: unknown field"]),
    ],
)
def test_bad_interview_state_is_a_422_naming_the_problem(client, state, kind, phrases):
    assert_problem(client.post("/api/interview/step", json=state), 422, kind, *phrases)


# -- free text -------------------------------------------------------------------------------


def test_parse_text_gives_spans_and_modifiers(client):
    pytest.importorskip("medspacy")
    text = "52 year old man. Shooting pain down the left leg. No fever. His mother had psoriasis."
    response = client.post("/api/parse-text", json={"text": text})
    assert response.status_code == 200, response.text
    body = response.json()
    by_id = {m["finding"]: m for m in body["findings"]}
    assert by_id["fever"]["present"] is False and by_id["fever"]["modifier"] == "negated"
    assert by_id["family_history_spa"]["modifier"] == "family"
    for mention in body["findings"]:
        assert text[mention["start"]:mention["end"]] == mention["span"]
    assert body["age"] == 52 and body["sex"] == "male"
    assert body["case"]["findings"]["fever"] is False


def test_parse_text_and_assess_list_warning_signs_to_confirm(client):
    pytest.importorskip("medspacy")
    text = "Back pain. I think I wet myself. The physio said go to A&E if I get numbness down below."
    parsed = client.post("/api/parse-text", json={"text": text}).json()

    def by_rules(body):  # the statistical reader may ask the signs that go with these (read_by "model")
        return [f for f in body["to_confirm"]
                if not any(m["finding"] == f and m["read_by"] == "model" for m in body["findings"])]

    assert by_rules(parsed) == ["bladder_dysfunction", "saddle_numbness"]
    # the advice answered "no" settles its condition: only the hedged mention is left to confirm
    answered = client.post("/api/parse-text", json={"text": text[:-1] + " - I haven't."}).json()
    assert by_rules(answered) == ["bladder_dysfunction"]
    assert any(m["hedged"] for m in parsed["findings"] if m["finding"] == "bladder_dysfunction")
    assert not any(m["hedged"] for m in parsed["findings"] if m["finding"] == "saddle_numbness")  # conditional
    assessed = client.post("/api/assess", json={"age": 50, "text": text}).json()
    assert assessed["text_intake"]["to_confirm"] == parsed["to_confirm"]
    first = client.post("/api/interview/step", json={"mode": "lay", "age": 50, "sex": "male", "side": "left",
                                                      "confirm_first": parsed["to_confirm"]}).json()
    assert [q["id"] for q in first["next_questions"]] == parsed["to_confirm"]


def test_parse_text_says_which_mentions_the_statistical_reader_asked(client):
    pytest.importorskip("skops")
    text = ("Stepped on a rusty nail in the garden three days ago and now the whole heel is red, hot and swollen and it "
            "hurts much more than a small hole should.")
    body = client.post("/api/parse-text", json={"text": text}).json()
    by_reader = [m for m in body["findings"] if m["read_by"] == "model"]
    assert [m["finding"] for m in by_reader] == ["fever"] and "fever" in body["to_confirm"]
    assert not by_reader[0]["asserted"] and 0.5 <= by_reader[0]["probability"] <= 1
    assert all(m["read_by"] == "rules" and m["probability"] is None for m in body["findings"] if m not in by_reader)


def test_assess_with_text_reports_what_was_read(client):
    pytest.importorskip("medspacy")
    response = client.post("/api/assess", json={"age": 40, "text": "pain under the heel, no tingling"})
    assert response.status_code == 200, response.text
    mentions = response.json()["text_intake"]["findings"]
    assert {"finding": "tingling_pins_needles", "present": False} in [
        {"finding": m["finding"], "present": m["present"]} for m in mentions]


@pytest.mark.parametrize(
    ("body", "phrases"),
    [({"text": 5}, ["text:", "valid string"]), ({}, ["text: required"]),
     ({"text": "x" * 20001}, ["text:", "at most 20000"]), ({"text": "heel", "lang": "en"}, ["lang: unknown field"])],
)
def test_bad_parse_text_request_is_a_422(client, body, phrases):
    assert_problem(client.post("/api/parse-text", json=body), 422, "invalid-request", *phrases)


# -- saved assessments -------------------------------------------------------------------------


def test_nothing_is_stored_without_consent(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    with make_client(database, token_scopes=None) as anonymous:
        for body in ({"consent": False, "case": example_case()}, {"case": example_case()},
                     {"consent": "yes", "case": example_case()}, {"consent": 1, "case": example_case()},
                     {"consent": 1.0, "case": example_case()}, {"consent": "true", "case": example_case()}):
            assert_problem(anonymous.post("/api/assessments", json=body), 422, "consent-required", '"consent": true')
    assert not database.exists()


def test_invalid_case_is_not_saved(client):
    body = {"consent": True, "case": {"age": 40, "findings": {"no_such_finding": True}}}
    assert_problem(client.post("/api/assessments", json=body), 422, "unknown-finding", "no_such_finding")
    assert client.get("/api/assessments").json()["total"] == 0


def test_save_list_get_export_delete(client):
    case = example_case()
    response = client.post("/api/assessments", json={"consent": True, "case": case})
    assert response.status_code == 201, response.text
    saved = response.json()
    assert response.headers["location"] == f"/api/assessments/{saved['id']}"
    assert saved["case"] == case
    assert saved["kb_hash"] == load_kb().content_hash == saved["result"]["kb_hash"]
    assert saved["result"]["differential"][0]["id"] == "s1_radiculopathy"

    listing = client.get("/api/assessments").json()
    assert listing["total"] == 1
    assert listing["items"][0]["id"] == saved["id"]
    assert listing["items"][0]["top_condition"]["id"] == "s1_radiculopathy"

    assert saved.pop("owner_key")  # given once, when it is saved
    assert client.get(f"/api/assessments/{saved['id']}").json() == saved

    export = client.get(f"/api/assessments/{saved['id']}/export")
    assert "attachment" in export.headers["content-disposition"]
    assert export.json()["format"] == "heelpath-assessment"
    assert export.json()["assessments"] == [saved]
    everything = client.get("/api/assessments/export").json()
    assert [a["id"] for a in everything["assessments"]] == [saved["id"]]

    assert client.delete(f"/api/assessments/{saved['id']}").status_code == 204
    assert_problem(client.get(f"/api/assessments/{saved['id']}"), 404, "not-found", saved["id"])
    assert_problem(client.delete(f"/api/assessments/{saved['id']}"), 404, "not-found", saved["id"])
    assert client.get("/api/assessments").json()["total"] == 0


def test_listing_is_newest_first_and_pages(client):
    ids = []
    for age in (30, 40, 50):
        body = {"consent": True, "case": {"age": age, "findings": {"first_step_pain": True}}}
        ids.append(client.post("/api/assessments", json=body).json()["id"])
    page = client.get("/api/assessments", params={"limit": 2}).json()
    assert page["total"] == 3
    assert [item["id"] for item in page["items"]] == ids[::-1][:2]
    rest = client.get("/api/assessments", params={"limit": 2, "offset": 2}).json()
    assert [item["id"] for item in rest["items"]] == ids[:1]


def test_unknown_or_malformed_id(client):
    assert_problem(client.get(f"/api/assessments/{uuid.uuid4()}"), 404, "not-found", "no saved assessment")
    assert_problem(client.get("/api/assessments/not-a-uuid"), 422, "invalid-request", "path.assessment_id")


def test_a_saved_assessment_survives_a_restart(tmp_path):
    database = tmp_path / "restart.sqlite3"
    with make_client(database) as first:
        saved = first.post("/api/assessments", json={"consent": True, "case": example_case()}).json()
        del saved["owner_key"]
    with make_client(database) as second:
        assert second.get(f"/api/assessments/{saved['id']}").json() == saved


def test_unusable_database_is_a_503_with_a_safe_message(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    with make_client(blocker / "assessments.sqlite3", token_scopes=None) as client:
        response = client.post("/api/assessments", json={"consent": True, "case": example_case()})
        body = assert_problem(response, 503, "storage-unavailable", "cannot be read or written")
        assert str(tmp_path) not in json.dumps(body)
        assert client.post("/api/assess", json=example_case()).status_code == 200


# -- documentation -----------------------------------------------------------------------------


def test_openapi_documents_every_error_as_problem_details(client):
    """...but under /api/fhir, where errors are OperationOutcomes (FHIR's own error resource)."""
    schema = client.get("/openapi.json").json()
    api_paths = {p: ops for p, ops in schema["paths"].items() if p.startswith("/api/") and not p.startswith("/api/fhir/")}
    for path, operations in schema["paths"].items():
        if path.startswith("/api/fhir/") and "post" in operations:
            assert "application/fhir+json" in operations["post"]["responses"]["400"]["content"], path
            assert "application/fhir+json" in operations["post"]["responses"]["422"]["content"], path
    assert {"/api/assess", "/api/kb", "/api/health", "/api/assessments"} <= set(api_paths)
    for path, operations in api_paths.items():
        for method, operation in operations.items():
            responses = operation["responses"]
            if "requestBody" in operation:
                assert {"400", "422"} <= set(responses), (method, path)
            if "{assessment_id}" in path:
                assert "404" in responses, (method, path)
            for status, response in responses.items():
                if status[0] in "45":
                    assert list(response["content"]) == ["application/problem+json"], (method, path, status)
                    assert response["content"]["application/problem+json"]["schema"]["$ref"].endswith("/Problem")


def test_openapi_lists_every_answerable_finding(client):
    schema = client.get("/openapi.json").json()
    findings = schema["components"]["schemas"]["Case"]["properties"]["findings"]
    kb = load_kb()
    assert set(findings["properties"]) == {f.id for f in kb.findings if f.type != "choice"}
    assert findings["additionalProperties"] is False
    assert findings["properties"]["duration_weeks"]["maximum"] == kb.finding("duration_weeks").range[1]
