"""CDS Hooks 2.0: discovery, the services' cards, prefetch and fetching (a real FHIR server on
loopback), feedback, CORS, and the JWT security the specification requires."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient

from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings
from tests.fhir_support import (
    ICD,
    LOINC,
    condition,
    patient,
    plantar_fasciitis_records,
    searchset,
    spondyloarthritis_records,
)

BASE = "http://127.0.0.1"
ISSUER = "https://ehr.example.org"
EC_KEY = ec.generate_private_key(ec.SECP384R1())
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_EC_KEY = ec.generate_private_key(ec.SECP384R1())
P256_KEY = ec.generate_private_key(ec.SECP256R1())

# The card as CDS Hooks 2.0 defines it (https://cds-hooks.hl7.org/2.0/#card-attributes)
CARD_SCHEMA = {
    "type": "object",
    "required": ["summary", "indicator", "source"],
    "properties": {
        "uuid": {"type": "string"},
        "summary": {"type": "string", "maxLength": 139},
        "detail": {"type": "string"},
        "indicator": {"enum": ["info", "warning", "critical"]},
        "source": {"type": "object", "required": ["label"], "properties": {
            "label": {"type": "string"}, "url": {"type": "string", "pattern": "^https?://"}}},
        "suggestions": {"type": "array", "items": {"type": "object", "required": ["label"], "properties": {
            "actions": {"type": "array", "items": {"type": "object", "required": ["type", "description"],
                                                   "properties": {"type": {"enum": ["create", "update", "delete"]}}}}}}},
        "selectionBehavior": {"enum": ["at-most-one", "any"]},
        "overrideReasons": {"type": "array", "items": {"type": "object", "required": ["code", "system", "display"]}},
        "links": {"type": "array", "items": {"type": "object", "required": ["label", "url", "type"],
                                             "properties": {"type": {"enum": ["absolute", "smart"]}}}},
    },
    "dependentRequired": {"suggestions": ["selectionBehavior"]},
}
RESPONSE_SCHEMA = {"type": "object", "required": ["cards"], "properties": {"cards": {"type": "array", "items": CARD_SCHEMA}}}


def _jwk(public_key: Any, kid: str) -> dict[str, Any]:
    algorithm = jwt.algorithms.ECAlgorithm if isinstance(public_key, ec.EllipticCurvePublicKey) else jwt.algorithms.RSAAlgorithm
    return {**json.loads(algorithm.to_jwk(public_key)), "kid": kid}


@pytest.fixture()
def trust_file(tmp_path: Path, fhir_server: str) -> Path:
    (tmp_path / "rsa.json").write_text(json.dumps({"keys": [_jwk(RSA_KEY.public_key(), "rsa-1")]}))
    path = tmp_path / "trust.json"
    path.write_text(json.dumps({"issuers": [
        {"iss": ISSUER, "jwks": {"keys": [_jwk(EC_KEY.public_key(), "ec-1"), _jwk(P256_KEY.public_key(), "p256")]},
         "fhir_servers": [fhir_server, "http://127.0.0.1:9/fhir"]},
        {"iss": "https://rsa-ehr.example.org", "jwks_file": "rsa.json"},
    ]}))
    return path


@pytest.fixture()
def client(tmp_path: Path, trust_file: Path):
    app = create_app(Settings(database_path=tmp_path / "cds.sqlite3", cds_trust=trust_file))
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as test_client:
        yield test_client


def token(service: str, *, key: Any = EC_KEY, alg: str = "ES384", kid: str = "ec-1", iss: str = ISSUER,
          aud: str | None = None, lifetime: int = 300, jti: str | None = None, drop: str | None = None) -> str:
    now = int(time.time())
    claims = {"iss": iss, "aud": aud or f"{BASE}/cds-services/{service}", "exp": now + lifetime, "iat": now,
              "jti": jti or str(uuid.uuid4())}
    if drop:
        claims.pop(drop)
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid, "typ": "JWT"})


def signed(service: str, **options: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(service, **options)}"}


def hook_request(hook: str, records: list[dict[str, Any]], **context: Any) -> dict[str, Any]:
    """A hook call with its prefetch, shaped as the specification's example requests."""
    person = next(r for r in records if r["resourceType"] == "Patient")
    by_type = {t: [r for r in records if r["resourceType"] == t] for t in ("Condition", "Observation", "DiagnosticReport")}
    return {
        "hookInstance": str(uuid.uuid4()), "fhirServer": "http://127.0.0.1:9/fhir", "hook": hook,
        "fhirAuthorization": {"access_token": "some-opaque-fhir-access-token", "token_type": "Bearer",
                              "expires_in": 300, "scope": "user/Patient.read user/Observation.read",
                              "subject": "cds-service4"},
        "context": {"userId": "Practitioner/example", "patientId": person["id"], "encounterId": "89284", **context},
        "prefetch": {"patient": person, "conditions": searchset(*by_type["Condition"]),
                     "observations": searchset(*by_type["Observation"]),
                     "reports": searchset(*by_type["DiagnosticReport"])},
    }


def draft_orders(*codes: tuple[str, str], pid: str = "p1") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {
        "resourceType": "ServiceRequest", "id": f"sr{i}", "status": "draft", "intent": "order",
        "subject": {"reference": f"Patient/{pid}"}, "code": {"coding": [{"system": system, "code": code}]}}}
        for i, (system, code) in enumerate(codes)]}


# -- discovery and cards --------------------------------------------------------------------------


def test_discovery_lists_the_services_with_their_prefetch(client):
    response = client.get("/cds-services")
    assert response.status_code == 200
    services = {s["id"]: s for s in response.json()["services"]}
    assert {s["hook"] for s in services.values()} == {"patient-view", "order-select", "order-sign"}
    for service in services.values():
        assert service["description"] and service["prefetch"]["patient"] == "Patient/{{context.patientId}}"


def test_patient_view_card_for_possible_spondyloarthritis(client):
    response = client.post("/cds-services/heelpath-patient-view",
                           json=hook_request("patient-view", spondyloarthritis_records()),
                           headers=signed("heelpath-patient-view"))
    assert response.status_code == 200, response.text
    body = response.json()
    jsonschema.validate(body, RESPONSE_SCHEMA)
    [card] = body["cards"]
    assert "spondyloarthritis" in card["summary"] and card["indicator"] == "info"
    assert card["source"]["url"].startswith("https://") and "NG65" in card["source"]["label"]
    assert card["links"][0]["url"] == f"{BASE}/clinician"
    assert "supports, and does not replace, a clinician" in card["detail"]


def test_patient_view_says_nothing_without_heel_pain_or_with_a_local_cause(client):
    records = [r for r in spondyloarthritis_records() if r.get("id") != "c1"]  # no foot pain on the problem list
    for case in (records, plantar_fasciitis_records()):
        response = client.post("/cds-services/heelpath-patient-view", json=hook_request("patient-view", case),
                               headers=signed("heelpath-patient-view"))
        assert response.status_code == 200 and response.json() == {"cards": []}


def test_a_recent_warning_sign_on_the_record_is_a_critical_card_to_ask_not_a_diagnosis(client):
    today = time.strftime("%Y-%m-%d")
    retention = {**condition("c2", ICD, "R33.9", "Retention of urine"), "onsetDateTime": today}
    old_fever = {**condition("c3", ICD, "R50.9", "Fever"), "onsetDateTime": "2020-01-01"}
    records = [patient(birth="1950-01-01"), condition("c1", ICD, "M79.672"), retention, old_fever]
    response = client.post("/cds-services/heelpath-patient-view", json=hook_request("patient-view", records),
                           headers=signed("heelpath-patient-view"))
    assert response.status_code == 200, response.text
    jsonschema.validate(response.json(), RESPONSE_SCHEMA)
    [card] = response.json()["cards"]
    assert card["indicator"] == "critical" and card["summary"].startswith("Ask today: new bladder problems")
    assert "If present now" in card["detail"] and "cauda equina" in card["detail"].lower()


def test_order_select_warns_against_a_lumbar_mri_for_plantar_fasciitis_and_offers_to_drop_it(client):
    request = hook_request("order-select", plantar_fasciitis_records(), selections=["ServiceRequest/sr0"],
                           draftOrders=draft_orders((LOINC, "30679-5"), (LOINC, "24612-4")))
    response = client.post("/cds-services/heelpath-order-select", json=request, headers=signed("heelpath-order-select"))
    assert response.status_code == 200, response.text
    body = response.json()
    jsonschema.validate(body, RESPONSE_SCHEMA)
    [card] = body["cards"]  # only the selected order
    assert card["indicator"] == "warning" and "MRI of the lumbar spine" in card["summary"]
    drop = card["suggestions"][0]["actions"][0]
    assert drop == {"type": "delete", "description": "Remove the MRI of the lumbar spine order",
                    "resourceId": ["ServiceRequest/sr0"]}
    assert card["overrideReasons"] and all(r["display"] for r in card["overrideReasons"])


def test_an_order_without_an_id_gets_a_card_without_suggestions_and_order_select_needs_selections(client):
    orders = draft_orders((LOINC, "30679-5"))
    del orders["entry"][0]["resource"]["id"]
    request = hook_request("order-sign", plantar_fasciitis_records(), draftOrders=orders)
    response = client.post("/cds-services/heelpath-order-sign", json=request, headers=signed("heelpath-order-sign"))
    [card] = response.json()["cards"]
    assert card["indicator"] == "warning" and "suggestions" not in card
    request = hook_request("order-select", plantar_fasciitis_records(), draftOrders=draft_orders((LOINC, "30679-5")))
    response = client.post("/cds-services/heelpath-order-select", json=request, headers=signed("heelpath-order-select"))
    assert response.status_code == 400 and "selections" in response.text


def test_order_sign_judges_every_draft_order_and_says_when_a_test_is_appropriate(client):
    records = [*spondyloarthritis_records()[:3], condition("c3", ICD, "H20.9", "Unspecified iridocyclitis")]
    request = hook_request("order-sign", records, draftOrders=draft_orders(
        ("http://www.ama-assn.org/go/cpt", "81374"), (LOINC, "30679-5"), ("http://example.org/local", "X1")))
    response = client.post("/cds-services/heelpath-order-sign", json=request, headers=signed("heelpath-order-sign"))
    assert response.status_code == 200, response.text
    cards = {c["summary"]: c for c in response.json()["cards"]}
    assert "HLA-B27 and CRP: appropriate for this patient" in cards
    assert len(cards) == 2  # the local code is not a test heelpath knows: no card
    mri = cards["MRI of the lumbar spine: not recommended for this patient"]
    replace = mri["suggestions"][1]
    assert replace["isRecommended"] and not mri["suggestions"][0]["isRecommended"]
    assert [a["type"] for a in replace["actions"]] == ["delete", "create"]
    proposal = replace["actions"][1]["resource"]
    assert proposal["subject"] == {"reference": "Patient/p1"} and proposal["intent"] == "proposal"


# -- prefetch and fetching --------------------------------------------------------------------------


class _FhirServer(BaseHTTPRequestHandler):
    resources: dict[str, Any] = {}
    seen: list[tuple[str, str | None]] = []

    def do_GET(self) -> None:
        path = unquote(self.path)
        type(self).seen.append((path, self.headers.get("Authorization")))
        body = self.resources.get(path.split("&")[0])
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "application/fhir+json")
        self.end_headers()
        self.wfile.write(json.dumps(body or {"resourceType": "OperationOutcome"}).encode())

    def log_message(self, *args: Any) -> None:
        """Keep the stdlib's per-request log out of the test output."""


@pytest.fixture()
def fhir_server():
    records = spondyloarthritis_records()
    _FhirServer.resources = {
        "/fhir/Patient/p1": records[0],
        "/fhir/Condition?patient=p1": searchset(*records[1:3]),
        "/fhir/Observation?patient=p1": searchset(*records[3:]),
        "/fhir/DiagnosticReport?patient=p1": searchset(),
    }
    _FhirServer.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FhirServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/fhir"
    server.shutdown()
    server.server_close()


def test_missing_prefetch_is_fetched_from_the_fhir_server_with_its_access_token(client, fhir_server):
    request = hook_request("patient-view", spondyloarthritis_records())
    request["fhirServer"] = fhir_server
    del request["prefetch"]["conditions"], request["prefetch"]["observations"]
    response = client.post("/cds-services/heelpath-patient-view", json=request, headers=signed("heelpath-patient-view"))
    assert response.status_code == 200, response.text
    assert "spondyloarthritis" in response.json()["cards"][0]["summary"]
    conditions, observations = sorted(path for path, _ in _FhirServer.seen)
    assert conditions == "/fhir/Condition?patient=p1"
    assert observations.startswith("/fhir/Observation?patient=p1&code=") and "http://loinc.org|1988-5" in observations
    assert {auth for _, auth in _FhirServer.seen} == {"Bearer some-opaque-fhir-access-token"}


def test_a_fhir_server_the_trust_file_does_not_list_is_never_asked(client, fhir_server):
    request = hook_request("patient-view", spondyloarthritis_records())
    request["fhirServer"] = fhir_server.replace("/fhir", "/other")
    del request["prefetch"]["conditions"]
    response = client.post("/cds-services/heelpath-patient-view", json=request, headers=signed("heelpath-patient-view"))
    assert response.status_code == 412 and _FhirServer.seen == []


def test_a_null_prefetch_key_means_no_such_data(client):
    request = hook_request("patient-view", spondyloarthritis_records())
    request["prefetch"]["reports"] = None
    del request["fhirServer"]
    response = client.post("/cds-services/heelpath-patient-view", json=request, headers=signed("heelpath-patient-view"))
    assert response.status_code == 200 and response.json()["cards"]


@pytest.mark.parametrize("server", [None, "http://127.0.0.1:9/fhir", "file:///etc/passwd"])
def test_missing_prefetch_without_a_reachable_fhir_server_is_412(client, server):
    request = hook_request("patient-view", spondyloarthritis_records())
    del request["prefetch"]["patient"]
    if server is None:
        del request["fhirServer"]
    else:
        request["fhirServer"] = server
    response = client.post("/cds-services/heelpath-patient-view", json=request, headers=signed("heelpath-patient-view"))
    assert response.status_code == 412, response.text
    assert response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize("mutate, status", [
    (lambda r: r.pop("context"), 400),
    (lambda r: r.update(hook="order-select"), 400),
    (lambda r: r["context"].pop("patientId"), 400),
    (lambda r: r["prefetch"].update(patient={"resourceType": "Patient", "birthDate": "1970-13-01"}), 400),
    (lambda r: r["prefetch"].update(conditions={"resourceType": "Bundle", "type": "searchset",
                                                "entry": [{"resource": {"resourceType": "Made"}}]}), 400),
    (lambda r: r["context"].update(patientId="../Patient/p2"), 400),
    (lambda r: r["prefetch"].update(patient={**r["prefetch"]["patient"], "id": "p2"}), 400),  # not the context's
])
def test_a_malformed_hook_call_is_a_400_operation_outcome(client, mutate, status):
    request = hook_request("patient-view", spondyloarthritis_records())
    mutate(request)
    response = client.post("/cds-services/heelpath-patient-view", json=request, headers=signed("heelpath-patient-view"))
    assert response.status_code == status, response.text
    assert response.json()["issue"][0]["severity"] == "error"


def test_an_unknown_service_is_404_and_a_non_json_body_is_400(client):
    assert client.post("/cds-services/nope", json={}, headers=signed("nope")).status_code == 404
    response = client.post("/cds-services/heelpath-patient-view", content=b"{not json",
                           headers={**signed("heelpath-patient-view"), "Content-Type": "application/json"})
    assert response.status_code == 400


# -- security --------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _by_hand(service: str, alg: str, secret: bytes | None) -> str:
    """A token PyJWT would refuse to make: unsigned, or HMAC-signed with the issuer's public key."""
    now = int(time.time())
    header = _b64(json.dumps({"alg": alg, "typ": "JWT", "kid": "ec-1"}).encode())
    claims = _b64(json.dumps({"iss": ISSUER, "aud": f"{BASE}/cds-services/{service}", "exp": now + 300, "iat": now,
                              "jti": str(uuid.uuid4())}).encode())
    signature = _b64(hmac.new(secret, f"{header}.{claims}".encode(), hashlib.sha384).digest()) if secret else ""
    return f"{header}.{claims}.{signature}"


PUBLIC_PEM = EC_KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
SERVICE = "heelpath-patient-view"
REFUSED = {
    "no token": None,
    "not a bearer token": "Basic dXNlcjpwYXNz",
    "not a JWT": "Bearer not.a.jwt",
    "alg none": f"Bearer {_by_hand(SERVICE, 'none', None)}",
    "HMAC with a shared secret": f"Bearer {token(SERVICE, key='a' * 64, alg='HS384')}",
    "HMAC with the public key as secret": f"Bearer {_by_hand(SERVICE, 'HS384', PUBLIC_PEM)}",
    "ES256 (not ES384)": f"Bearer {token(SERVICE, key=P256_KEY, alg='ES256', kid='p256')}",
    "wrong kid": f"Bearer {token(SERVICE, kid='ec-9')}",
    "signed by another key": f"Bearer {token(SERVICE, key=OTHER_EC_KEY)}",
    "untrusted issuer": f"Bearer {token(SERVICE, iss='https://evil.example')}",
    "wrong aud": f"Bearer {token(SERVICE, aud=f'{BASE}/cds-services/heelpath-order-select')}",
    "expired": f"Bearer {token(SERVICE, lifetime=-120)}",
    "no jti": f"Bearer {token(SERVICE, drop='jti')}",
    "no iat": f"Bearer {token(SERVICE, drop='iat')}",
    "no exp": f"Bearer {token(SERVICE, drop='exp')}",
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_call_without_an_acceptable_jwt_is_refused_with_401(client, case):
    authorization = REFUSED[case]
    headers = {"Authorization": authorization} if authorization else {}
    response = client.post(f"/cds-services/{SERVICE}", json=hook_request("patient-view", spondyloarthritis_records()),
                           headers=headers)
    assert response.status_code == 401, (case, response.text)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["issue"][0]["code"] == "security"


def test_a_replayed_token_is_refused_and_rs384_from_a_jwks_file_is_accepted(client):
    request = hook_request("patient-view", spondyloarthritis_records())
    once = signed(SERVICE)
    assert client.post(f"/cds-services/{SERVICE}", json=request, headers=once).status_code == 200
    replay = client.post(f"/cds-services/{SERVICE}", json=request, headers=once)
    assert replay.status_code == 401 and "replay" in replay.json()["issue"][0]["diagnostics"]
    rsa_signed = signed(SERVICE, key=RSA_KEY, alg="RS384", kid="rsa-1", iss="https://rsa-ehr.example.org")
    assert client.post(f"/cds-services/{SERVICE}", json=request, headers=rsa_signed).status_code == 200


def test_a_token_is_remembered_through_the_leeway_and_lives_at_most_five_minutes(client):
    request = hook_request("patient-view", spondyloarthritis_records())
    now = int(time.time())

    def made(iat: int, exp: int) -> dict[str, str]:
        claims = {"iss": ISSUER, "aud": f"{BASE}/cds-services/{SERVICE}", "iat": iat, "exp": exp, "jti": str(uuid.uuid4())}
        return {"Authorization": "Bearer " + jwt.encode(claims, EC_KEY, algorithm="ES384", headers={"kid": "ec-1"})}

    just_expired = made(now - 100, now - 5)  # still inside the 30 s leeway
    assert client.post(f"/cds-services/{SERVICE}", json=request, headers=just_expired).status_code == 200
    assert client.post(f"/cds-services/{SERVICE}", json=request, headers=just_expired).status_code == 401
    for iat, exp in ((now, now + 3600), (now, 10**12), (now + 600, now + 700)):
        response = client.post(f"/cds-services/{SERVICE}", json=request, headers=made(iat, exp))
        assert response.status_code == 401, (iat, exp, response.text)


def test_without_a_trust_file_every_call_is_refused(tmp_path):
    app = create_app(Settings(database_path=tmp_path / "cds.sqlite3"))
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as bare:
        response = bare.post(f"/cds-services/{SERVICE}", json=hook_request("patient-view", spondyloarthritis_records()),
                             headers=signed(SERVICE))
    assert response.status_code == 401 and "--cds-trust" in response.json()["issue"][0]["diagnostics"]


def test_the_public_url_is_the_audience_behind_a_proxy(tmp_path, trust_file):
    app = create_app(Settings(database_path=tmp_path / "cds.sqlite3", cds_trust=trust_file,
                              public_url="https://heelpath.example.org"))
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as proxied:
        request = hook_request("patient-view", spondyloarthritis_records())
        assert proxied.post(f"/cds-services/{SERVICE}", json=request, headers=signed(SERVICE)).status_code == 401
        public = signed(SERVICE, aud=f"https://heelpath.example.org/cds-services/{SERVICE}")
        assert proxied.post(f"/cds-services/{SERVICE}", json=request, headers=public).status_code == 200


# -- CORS and feedback ----------------------------------------------------------------------------


def test_browser_ehrs_may_call_from_another_origin_but_the_api_stays_same_origin(client):
    preflight = client.options(f"/cds-services/{SERVICE}", headers={
        "Origin": "https://ehr.example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == "*"
    cross = client.post(f"/cds-services/{SERVICE}", json=hook_request("patient-view", spondyloarthritis_records()),
                        headers={**signed(SERVICE), "Origin": "https://ehr.example.org"})
    assert cross.status_code == 200 and cross.headers["access-control-allow-origin"] == "*"
    api = client.post("/api/assess", json={"age": 40}, headers={"Origin": "https://ehr.example.org"})
    assert api.status_code == 403 and "access-control-allow-origin" not in api.headers


def test_feedback_is_stored_without_free_text_and_summarised(client, tmp_path):
    service = "heelpath-order-select"
    feedback = {"feedback": [
        {"card": "9368d37b-283f-44a0-93ea-547cebab93ab", "outcome": "overridden",
         "overrideReason": {"reason": {"code": "patient-preference", "system": "http://heelpath.org/fhir/CodeSystem/override-reason",
                                       "display": "Patient preference"}, "userComment": "private words"},
         "outcomeTimestamp": "2026-12-06T10:00:00Z"},
        {"card": "1f0b9b8e-8f3c-4f2b-9b52-1d1a2c3f4e5d", "outcome": "accepted",
         "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}], "outcomeTimestamp": "2026-12-06T10:01:00Z"},
    ]}
    response = client.post(f"/cds-services/{service}/feedback", json=feedback, headers=signed(f"{service}/feedback"))
    assert response.status_code == 200, response.text
    assert response.json() == {"stored": 2}
    for bad_item in ({"card": "x", "outcome": "maybe"},
                     {"card": "x", "outcome": "overridden", "overrideReason": {"reason": "str"}, "outcomeTimestamp": "t"},
                     {"card": "x", "outcome": "accepted", "acceptedSuggestions": ["a"], "outcomeTimestamp": "t"}):
        bad = client.post(f"/cds-services/{service}/feedback", json={"feedback": [bad_item]},
                          headers=signed(f"{service}/feedback"))
        assert bad.status_code == 400, bad.text
    unsigned = client.post(f"/cds-services/{service}/feedback", json=feedback)
    assert unsigned.status_code == 401
    database = tmp_path / "cds.sqlite3"
    assert b"private words" not in database.read_bytes()
    from typer.testing import CliRunner

    from heelpath.interfaces.cli import app

    summary = CliRunner().invoke(app, ["cds", "feedback", "--db", str(database)], env={"COLUMNS": "200"})
    assert summary.exit_code == 0, summary.output
    assert "overridden" in summary.output and "patient-preference" in summary.output and "accepted" in summary.output
