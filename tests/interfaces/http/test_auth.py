"""Saved assessments are read only with credentials: API tokens with scopes, a clinician's web
sign-in, or the owner key of one record; every read, export and delete is audited."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from heelpath.errors import InputError

from .api_support import CLINICIAN, PASSWORD, api_token, assert_problem, example_case, make_client, sign_in


@pytest.fixture()
def anonymous(tmp_path: Path):
    with make_client(tmp_path / "auth.sqlite3", token_scopes=None) as client:
        yield client


def _save(client: TestClient) -> dict:
    response = client.post("/api/assessments", json={"consent": True, "case": example_case()})
    assert response.status_code == 201, response.text
    return response.json()


READS = ["/api/assessments", "/api/assessments/export"]


@pytest.mark.parametrize("path", READS)
def test_reading_saved_assessments_needs_a_token(anonymous, path):
    _save(anonymous)  # saving needs no account
    response = anonymous.get(path)
    assert_problem(response, 401, "unauthenticated", "API token")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("credentials", [
    "Bearer hp_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  # well formed, unknown
    "Bearer not-a-token",
    "Bearer ",
    "Basic ZHI6cGFzcw==",
])
def test_a_wrong_or_malformed_token_is_a_401(anonymous, credentials):
    response = anonymous.get("/api/assessments", headers={"Authorization": credentials})
    assert response.status_code == 401


def test_each_scope_allows_its_own_action_only(anonymous):
    record = _save(anonymous)
    read = {"Authorization": f"Bearer {api_token(anonymous, ('read',))}"}
    export = {"Authorization": f"Bearer {api_token(anonymous, ('export',))}"}
    delete = {"Authorization": f"Bearer {api_token(anonymous, ('delete',))}"}
    one = f"/api/assessments/{record['id']}"
    assert anonymous.get("/api/assessments", headers=read).json()["total"] == 1
    assert anonymous.get(one, headers=read).status_code == 200
    assert_problem(anonymous.get("/api/assessments/export", headers=read), 403, "forbidden", "'export'")
    assert_problem(anonymous.delete(one, headers=read), 403, "forbidden", "'delete'")
    assert_problem(anonymous.get("/api/assessments", headers=export), 403, "forbidden", "'read'")
    assert anonymous.get("/api/assessments/export", headers=export).status_code == 200
    assert anonymous.delete(one, headers=delete).status_code == 204


def test_a_revoked_token_or_a_removed_user_is_refused_at_once(anonymous):
    token = api_token(anonymous, ("read",))
    headers = {"Authorization": f"Bearer {token}"}
    accounts = anonymous.app.state.accounts
    assert anonymous.get("/api/assessments", headers=headers).status_code == 200
    assert accounts.revoke_token(token.split("_")[1])
    assert anonymous.get("/api/assessments", headers=headers).status_code == 401
    second = {"Authorization": f"Bearer {api_token(anonymous, ('read',))}"}
    assert accounts.remove_user(CLINICIAN)
    assert anonymous.get("/api/assessments", headers=second).status_code == 401


def test_tokens_and_passwords_are_kept_only_as_hashes(anonymous, tmp_path):
    token = api_token(anonymous, ("read",))
    record = _save(anonymous)
    with sqlite3.connect(tmp_path / "auth.sqlite3") as db:
        dump = "\n".join(db.iterdump())
    assert token.split("_", 2)[2] not in dump
    assert record["owner_key"] not in dump
    assert PASSWORD not in dump and "$argon2id$" in dump


def test_the_owner_key_opens_its_own_record_and_no_other(anonymous):
    mine, other = _save(anonymous), _save(anonymous)
    key = {"X-Owner-Key": mine["owner_key"]}
    assert anonymous.get(f"/api/assessments/{mine['id']}", headers=key).json()["id"] == mine["id"]
    assert anonymous.get(f"/api/assessments/{mine['id']}/export", headers=key).status_code == 200
    assert anonymous.get(f"/api/assessments/{other['id']}", headers=key).status_code == 401
    assert anonymous.get("/api/assessments", headers=key).status_code == 401  # no list for an owner
    assert "owner_key" not in anonymous.get(f"/api/assessments/{mine['id']}", headers=key).json()
    assert anonymous.delete(f"/api/assessments/{mine['id']}", headers=key).status_code == 204
    assert anonymous.get(f"/api/assessments/{mine['id']}", headers=key).status_code == 401


def test_every_read_export_and_delete_is_audited_without_free_text(anonymous):
    case = {**example_case(), "text": "my secret words about my heel"}
    record = anonymous.post("/api/assessments", json={"consent": True, "case": case}).json()
    token = api_token(anonymous, ("read", "export", "delete"))
    headers = {"Authorization": f"Bearer {token}"}
    anonymous.get("/api/assessments", headers=headers)
    anonymous.get(f"/api/assessments/{record['id']}", headers=headers)
    anonymous.get("/api/assessments/export", headers=headers)
    anonymous.delete(f"/api/assessments/{record['id']}", headers=headers)
    anonymous.get("/api/assessments", headers={"Authorization": f"Bearer {api_token(anonymous, ('export',))}"})
    log = anonymous.app.state.accounts.audit_log()
    actions = [(e.action, e.record_id) for e in reversed(log)]
    assert actions == [("list", None), ("read", record["id"]), ("export-all", None), ("delete", record["id"]),
                       ("refused:list", None)]
    assert {e.actor for e in log} == {f"token:{token.split('_')[1]}", log[0].actor}
    assert "secret words" not in json.dumps([vars(e) for e in log])


# -- the web app -----------------------------------------------------------------------------


def test_the_saved_list_asks_for_sign_in_and_a_wrong_password_is_refused(anonymous):
    response = anonymous.get("/saved", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fsaved"
    page = anonymous.get("/login").text
    assert "No clinician accounts exist yet" in page
    anonymous.app.state.accounts.add_user(CLINICIAN, PASSWORD, "admin")
    wrong = anonymous.post("/login", data={"name": CLINICIAN, "password": "not the password"})
    assert wrong.status_code == 401 and "not right" in wrong.text
    unknown = anonymous.post("/login", data={"name": "nobody", "password": PASSWORD})
    assert unknown.status_code == 401
    assert anonymous.get("/saved/export", follow_redirects=False).status_code == 303
    failed = [e.actor for e in anonymous.app.state.accounts.audit_log() if e.action == "sign-in-failed"]
    assert sorted(failed) == ["(unknown user)", CLINICIAN]  # a name that is no account is not kept


def test_sign_in_opens_the_list_and_sign_out_ends_the_session_on_the_server(anonymous):
    _save(anonymous)
    sign_in(anonymous)
    cookie = anonymous.cookies.get("heelpath_session")
    assert cookie and "Saved assessments" in anonymous.get("/saved").text
    anonymous.post("/logout")
    assert anonymous.get("/saved", follow_redirects=False).status_code == 303
    anonymous.cookies.set("heelpath_session", cookie)  # a copied cookie dies with the session
    assert anonymous.get("/saved", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_httponly_and_samesite_strict(anonymous):
    anonymous.app.state.accounts.add_user(CLINICIAN, PASSWORD, "admin")
    response = anonymous.post("/login", data={"name": CLINICIAN, "password": PASSWORD}, follow_redirects=False)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_sign_in_never_redirects_off_site(anonymous, target):
    anonymous.app.state.accounts.add_user(CLINICIAN, PASSWORD, "admin")
    response = anonymous.post("/login", data={"name": CLINICIAN, "password": PASSWORD, "next": target},
                              follow_redirects=False)
    assert response.headers["location"] == "/saved"


def test_whoever_saved_on_the_web_reopens_exports_and_deletes_through_the_link_alone(anonymous):
    saved = anonymous.post("/saved", data={"case": json.dumps(example_case()), "consent": "yes"},
                           follow_redirects=False)
    link = saved.headers["location"]
    assert "?key=" in link
    page = anonymous.get(link).text
    record_id = link.split("/")[2].split("?")[0]
    key = link.split("key=")[1].split("&")[0]
    assert f"/saved/{record_id}/export?key={key}" in page and f"/saved/{record_id}/delete?key={key}" in page
    assert anonymous.get(f"/saved/{record_id}/export?key={key}").status_code == 200
    assert anonymous.get(f"/saved/{record_id}", follow_redirects=False).status_code == 303  # no key: sign in
    assert anonymous.get(f"/saved/{record_id}?key=wrong").status_code == 404
    assert anonymous.get("/saved", follow_redirects=False).status_code == 303  # a key opens no list
    gone = anonymous.post(f"/saved/{record_id}/delete?key={key}")
    assert gone.status_code == 200 and "was deleted" in gone.text
    assert anonymous.get(f"/saved/{record_id}?key={key}").status_code == 404


def test_repeated_failed_sign_ins_pause_sign_in_from_that_address(anonymous):
    from heelpath.interfaces.http.web import signin

    anonymous.app.state.accounts.add_user(CLINICIAN, PASSWORD, "admin")
    for _ in range(signin.MAX_FAILURES):
        assert anonymous.post("/login", data={"name": CLINICIAN, "password": "guess " * 3}).status_code == 401
    paused = anonymous.post("/login", data={"name": CLINICIAN, "password": PASSWORD}, follow_redirects=False)
    assert paused.status_code == 429 and "Too many failed sign-ins" in paused.text
    assert "heelpath_session" not in paused.headers.get("set-cookie", "")


def test_a_clinician_reads_and_exports_but_deleting_is_an_admins(anonymous):
    record = _save(anonymous)
    accounts = anonymous.app.state.accounts
    accounts.add_user("dr.reader", "a long pass phrase", "clinician")
    with pytest.raises(InputError, match="only read, export"):
        accounts.create_token("dr.reader", ["delete"], "too much")
    headers = {"Authorization": f"Bearer {accounts.create_token('dr.reader', ['read', 'export'], 'ok')}"}
    assert anonymous.get(f"/api/assessments/{record['id']}", headers=headers).status_code == 200
    assert_problem(anonymous.delete(f"/api/assessments/{record['id']}", headers=headers), 403, "forbidden", "'delete'")
    anonymous.post("/login", data={"name": "dr.reader", "password": "a long pass phrase"})
    listing = anonymous.get("/saved").text
    assert f'data-id="{record["id"]}"' in listing and "/delete" not in listing  # no delete offered
    assert "Delete it" not in anonymous.get(f"/saved/{record['id']}").text
    refused = anonymous.post(f"/saved/{record['id']}/delete")
    assert refused.status_code == 403
    assert anonymous.get(f"/saved/{record['id']}").status_code == 200  # still there
