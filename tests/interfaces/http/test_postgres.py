"""The PostgreSQL server mode (HEELPATH_DATABASE_URL): the same store, accounts and API on a real
PostgreSQL server started for the tests (tests/postgres.py)."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from fastapi.testclient import TestClient

from heelpath.errors import InputError, StorageError
from heelpath.interfaces.http.app import create_app
from heelpath.interfaces.http.config import Settings
from heelpath.services.accounts import Accounts
from heelpath.services.storage import SCHEMA_VERSION, AssessmentStore

from .api_support import example_case

KB = {"kb_version": "0.1.0", "kb_hash": "a" * 64}
RESULT = {"case": {"setting": "primary_care", "age": 40}, "origin": {"label": "local"},
          "differential": [{"id": "plantar_fasciitis", "name": "Plantar fasciitis", "probability": 0.8}]}


@pytest.fixture()
def store(postgres_url):
    s = AssessmentStore(postgres_url)
    yield s
    s.close()


def test_save_get_list_delete_and_the_owner_key(store):
    saved = store.save({"age": 40}, RESULT, **KB)
    again = store.get(saved.id)
    assert again == dataclasses.replace(saved, owner_key=None)
    assert store.is_owner(saved.id, saved.owner_key) and not store.is_owner(saved.id, "guess")
    records, total = store.list()
    assert total == 1 and records == [again]
    assert store.delete(saved.id) is True and store.get(saved.id) is None and store.delete(saved.id) is False
    assert store.list() == ([], 0)


def test_a_lost_connection_fails_one_call_and_the_next_reconnects(store):
    saved = store.save({"age": 40}, RESULT, **KB)
    store._conn.raw.close()  # as when the server restarts
    with pytest.raises(StorageError):
        store.get(saved.id)
    assert store.get(saved.id).id == saved.id


def test_a_damaged_row_is_skipped_in_lists_and_reported_when_opened(store, postgres_url):
    import psycopg

    good, bad = store.save({"age": 40}, RESULT, **KB), store.save({"age": 41}, RESULT, **KB)
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("UPDATE assessments SET result_json = 'null' WHERE id = %s", (bad.id,))
    records, total = store.list()
    assert [r.id for r in records] == [good.id] and total == 2
    assert [r.id for r in store.all()] == [good.id]
    with pytest.raises(StorageError, match="damaged"):
        store.get(bad.id)


def test_the_layout_is_versioned_and_a_newer_one_refused(postgres_url):
    import psycopg

    AssessmentStore(postgres_url).count()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        conn.execute("UPDATE schema_version SET version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(StorageError, match="layout version"):
        AssessmentStore(postgres_url).count()


def test_concurrent_saves_from_threads_and_two_stores(postgres_url):
    first, second = AssessmentStore(postgres_url), AssessmentStore(postgres_url)
    ids: list[str] = []
    lock = threading.Lock()

    def writer(store: AssessmentStore, n: int) -> None:
        for k in range(10):
            saved = store.save({"age": 20 + n + k}, RESULT, **KB)
            with lock:
                ids.append(saved.id)

    threads = [threading.Thread(target=writer, args=(first if n % 2 else second, n)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(ids) == 60 and first.count() == 60
    assert {r.id for r in second.all()} == set(ids)


def test_accounts_tokens_sessions_and_the_audit_log(store):
    accounts = Accounts(store)
    accounts.add_user("dr.khan", "a long pass phrase", "clinician")
    with pytest.raises(InputError, match="already"):
        accounts.add_user("dr.khan", "another pass phrase", "clinician")
    assert accounts.sign_in("dr.khan", "a long pass phrase") and not accounts.sign_in("dr.khan", "wrong password")
    token = accounts.create_token("dr.khan", ["read"], "ward")
    assert accounts.check_token(token).scopes == ("read",)
    assert accounts.revoke_token(token.split("_")[1]) and accounts.check_token(token) is None
    session = accounts.start_session(accounts.sign_in("dr.khan", "a long pass phrase"))
    assert accounts.check_session(session).name == "dr.khan"
    accounts.end_session(session)
    assert accounts.check_session(session) is None
    accounts.record("dr.khan", "list")
    assert [e.action for e in accounts.audit_log()] == ["list"]
    assert accounts.remove_user("dr.khan") and not accounts.configured()


def test_the_api_saves_and_reads_through_postgresql(postgres_url):
    with TestClient(create_app(Settings(database_url=postgres_url)), base_url="http://127.0.0.1") as client:
        saved = client.post("/api/assessments", json={"consent": True, "case": example_case()}).json()
        accounts = client.app.state.accounts
        accounts.add_user("dr.khan", "a long pass phrase", "admin")
        token = accounts.create_token("dr.khan", ["read", "delete"], "tests")
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/assessments", headers=headers).json()["total"] == 1
        mine = client.get(f"/api/assessments/{saved['id']}", headers={"X-Owner-Key": saved["owner_key"]})
        assert mine.json()["case"] == saved["case"]
        assert client.delete(f"/api/assessments/{saved['id']}", headers=headers).status_code == 204
        assert client.get("/api/assessments", headers=headers).json()["total"] == 0


def test_an_unreachable_server_is_a_503_with_a_safe_message(tmp_path):
    url = "postgresql://heelpath:secret@127.0.0.1:1/nowhere"
    with TestClient(create_app(Settings(database_url=url)), raise_server_exceptions=False,
                    base_url="http://127.0.0.1") as client:
        response = client.post("/api/assessments", json={"consent": True, "case": example_case()})
        assert response.status_code == 503 and "secret" not in response.text
    assert "secret" not in AssessmentStore(url).where
