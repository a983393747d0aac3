"""FHIR at the edges: `heelpath assess --fhir`, `--output fhir`, `heelpath fhir questionnaire`, and the
/api/fhir routes (answers in FHIR JSON, errors as OperationOutcome, never a 500)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import heelpath
from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings
from tests.fhir_support import collection, condition, spondyloarthritis_records

HP = heelpath.load()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "heelpath", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(Settings(database_path=tmp_path_factory.mktemp("fhir") / "db.sqlite3"))
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as test_client:
        yield test_client


def test_assess_fhir_reads_a_bundle_and_writes_a_result_bundle(tmp_path: Path):
    bundle = tmp_path / "patient.json"
    records = [*spondyloarthritis_records(), condition("c9", "http://example.org/local", "X1")]
    bundle.write_text(json.dumps(collection(*records)))
    proc = run("assess", "--fhir", str(bundle), "--output", "fhir")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["resourceType"] == "Bundle"
    risk = next(e["resource"] for e in result["entry"] if e["resource"]["resourceType"] == "RiskAssessment")
    assert risk["subject"] == {"reference": "Patient/p1"}
    assert risk["prediction"][0]["outcome"]["text"].startswith("Spondyloarthritis")
    assert "not read: Condition/c9" in proc.stderr
    table = run("assess", "--fhir", str(bundle))
    assert table.returncode == 0 and "Spondyloarthritis" in table.stdout


@pytest.mark.parametrize("content, words", [
    ("{}", "resourceType"),
    ('{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Patient", '
     '"birthDate": "yesterday"}}]}', "birthDate"),
    ("[1, 2]", "JSON object"),
    ("{not json", "JSON"),
])
def test_assess_fhir_refuses_bad_input_with_a_message_and_exit_2(tmp_path: Path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    proc = run("assess", "--fhir", str(path))
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr


def test_assess_output_must_be_known_and_case_and_fhir_exclude_each_other(tmp_path: Path):
    assert run("assess", "--output", "xml", "--age", "40").returncode == 2
    path = tmp_path / "b.json"
    path.write_text(json.dumps(collection(*spondyloarthritis_records())))
    proc = run("assess", str(path), "--fhir", str(path))
    assert proc.returncode == 2 and "not both" in proc.stderr


def test_fhir_questionnaire_command_writes_the_generated_questionnaire(tmp_path: Path):
    target = tmp_path / "q.json"
    proc = run("fhir", "questionnaire", "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    written = json.loads(target.read_text())
    assert written["resourceType"] == "Questionnaire" and written["version"] == HP.kb.version
    assert run("fhir", "questionnaire", "-o", str(tmp_path)).returncode == 2  # a folder


def test_api_serves_the_questionnaire_as_fhir_json(client):
    response = client.get("/api/fhir/Questionnaire/heel-pain")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    assert response.json()["identifier"][0]["value"] == HP.kb.content_hash


def test_api_assess_and_next_question_answer_in_fhir(client):
    bundle = collection(*spondyloarthritis_records())
    assessed = client.post("/api/fhir/$assess", json=bundle)
    assert assessed.status_code == 200, assessed.text
    assert {e["resource"]["resourceType"] for e in assessed.json()["entry"]} >= {"RiskAssessment", "ClinicalImpression"}
    first = client.post("/api/fhir/Questionnaire/heel-pain/$next-question",
                        json={"resourceType": "QuestionnaireResponse", "status": "in-progress"})
    assert first.status_code == 200, first.text
    asked = first.json()["contained"][0]["item"][-1]["item"]
    assert [i["linkId"] for i in asked] == ["age", "sex", "side"]


@pytest.mark.parametrize("path, body, status", [
    ("/api/fhir/$assess", b"{not json", 400),
    ("/api/fhir/$assess", b'{"resourceType": "Observation"}', 422),
    ("/api/fhir/$assess", b'{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": 7}}]}', 422),
    ("/api/fhir/$assess", b'"just a string"', 422),
    ("/api/fhir/$assess", b"\xff\xfe", 400),
    ("/api/fhir/Questionnaire/$next-question", b'{"resourceType": "QuestionnaireResponse", "status": "x"}', 422),
    ("/api/fhir/Questionnaire/$next-question", b'{"resourceType": "QuestionnaireResponse", "status": "in-progress", '
                                               b'"item": [{"linkId": "nope", "answer": [{"valueBoolean": true}]}]}', 422),
])
def test_api_fhir_errors_are_operation_outcomes(client, path, body, status):
    response = client.post(path, content=body, headers={"Content-Type": "application/fhir+json"})
    assert response.status_code == status, response.text
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome" and outcome["issue"][0]["diagnostics"]
