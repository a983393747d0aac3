"""Time of the FHIR and CDS Hooks work, in process (no network): what one request costs the server.

Prints the median and 95th percentile of each operation over ``--repeat`` runs:
the Questionnaire generated and validated; a patient's Bundle read, assessed and written as a
validated result Bundle; one SDC $next-question step; a CDS Hooks patient-view and order-select
call through the ASGI app (JWT check with its replay store, prefetch read, cards).

Run: .venv/bin/python benchmarks/fhir_cds.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from tests.fhir_support import LOINC, collection, searchset, spondyloarthritis_records

import heelpath
from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings
from heelpath.services.fhir.questionnaire import questionnaire
from heelpath.services.fhir.records import assess_records
from heelpath.services.fhir.result_bundle import result_bundle
from heelpath.services.fhir.sdc import next_question

BASE = "http://127.0.0.1"


def timed(label: str, work: Callable[[], object], repeat: int) -> None:
    work()  # warm
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"{label:<52} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    repeat = parser.parse_args().repeat
    hp = heelpath.load()
    records = spondyloarthritis_records()
    bundle = collection(*records)

    timed("Questionnaire generated and validated", lambda: questionnaire(hp), max(5, repeat // 10))

    def assess_bundle() -> object:
        result, read = assess_records(hp, bundle)
        return result_bundle(hp, result, "Patient/p1", read.issues())

    timed("records Bundle -> assessment -> result Bundle", assess_bundle, repeat)
    answered = {"resourceType": "QuestionnaireResponse", "status": "in-progress", "item": [
        {"linkId": "age", "answer": [{"valueInteger": 50}]}, {"linkId": "sex", "answer": [{"valueCoding": {"code": "male"}}]},
        {"linkId": "side", "answer": [{"valueCoding": {"code": "left"}}]}]}
    timed("$next-question (after about-you)", lambda: next_question(hp, answered), repeat)

    key = ec.generate_private_key(ec.SECP384R1())
    folder = Path(tempfile.mkdtemp(prefix="heelpath-bench-"))
    trust = folder / "trust.json"
    trust.write_text(json.dumps({"issuers": [{"iss": "https://ehr.example.org", "jwks": {"keys": [
        {**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key())), "kid": "k"}]}}]}))
    client = TestClient(create_app(Settings(database_path=folder / "b.sqlite3", cds_trust=trust)), base_url=BASE)
    prefetch = {"patient": records[0], "conditions": searchset(*records[1:3]), "observations": searchset(*records[3:]),
                "reports": searchset()}

    def call(service: str, context: dict[str, object]) -> None:
        now = int(time.time())
        token = jwt.encode({"iss": "https://ehr.example.org", "aud": f"{BASE}/cds-services/{service}", "iat": now,
                            "exp": now + 60, "jti": str(uuid.uuid4())}, key, algorithm="ES384", headers={"kid": "k"})
        body = {"hook": service.removeprefix("heelpath-"), "hookInstance": str(uuid.uuid4()),
                "context": {"userId": "Practitioner/1", "patientId": "p1", **context}, "prefetch": prefetch}
        response = client.post(f"/cds-services/{service}", json=body, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text

    timed("CDS Hooks patient-view (JWT, prefetch, cards)", lambda: call("heelpath-patient-view", {}), repeat)
    orders = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {
        "resourceType": "ServiceRequest", "id": "sr0", "status": "draft", "intent": "order",
        "subject": {"reference": "Patient/p1"}, "code": {"coding": [{"system": LOINC, "code": "30679-5"}]}}}]}
    timed("CDS Hooks order-select (one lumbar MRI order)",
          lambda: call("heelpath-order-select", {"selections": ["ServiceRequest/sr0"], "draftOrders": orders}), repeat)
    client.close()


if __name__ == "__main__":
    main()
