"""The store of saved assessments: durability settings, layout version, lazy creation, concurrency."""

from __future__ import annotations

import dataclasses
import sqlite3
import stat
import threading

import pytest

from heelpath.errors import StorageError
from heelpath.services.storage import SCHEMA_VERSION, AssessmentStore, export_document

KB = {"kb_version": "0.1.0", "kb_hash": "a" * 64}
RESULT = {"case": {"setting": "primary_care", "age": 40}, "origin": {"label": "local"},
          "differential": [{"id": "plantar_fasciitis", "name": "Plantar fasciitis", "probability": 0.8}]}


@pytest.fixture()
def store(tmp_path):
    s = AssessmentStore(tmp_path / "store.sqlite3")
    yield s
    s.close()


def test_save_get_list_delete(store):
    saved = store.save({"age": 40}, RESULT, **KB)
    again = store.get(saved.id)
    assert saved.owner_key and again == dataclasses.replace(saved, owner_key=None)  # the key is not kept
    assert again.case == {"age": 40} and again.result == RESULT and again.kb_hash == KB["kb_hash"]
    records, total = store.list()
    assert total == 1 and records == [again]
    assert records[0].summary()["top_condition"]["id"] == "plantar_fasciitis"
    assert store.delete(saved.id) is True
    assert store.get(saved.id) is None
    assert store.delete(saved.id) is False
    assert store.list() == ([], 0)


def test_nothing_is_created_before_the_first_save(tmp_path):
    path = tmp_path / "folder" / "store.sqlite3"
    store = AssessmentStore(path)
    assert store.list() == ([], 0)
    assert store.get("0" * 32) is None
    assert store.delete("0" * 32) is False
    assert list(store.all()) == []
    assert not path.exists() and not path.parent.exists()
    store.save({"age": 1}, RESULT, **KB)
    assert path.exists()
    store.close()


def test_file_is_private_wal_and_fully_synchronous(store):
    store.save({"age": 40}, RESULT, **KB)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    with sqlite3.connect(store.path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_new_data_folder_is_private_even_under_umask_000(tmp_path):
    import os

    old = os.umask(0)
    try:
        store = AssessmentStore(tmp_path / "data" / "store.sqlite3")
        store.save({"age": 40}, RESULT, **KB)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    store.close()


def _files_hold(path, marker: bytes) -> list[str]:
    return [p.name for p in path.parent.glob(path.name + "*") if marker in p.read_bytes()]


def test_a_deleted_record_leaves_no_text_in_any_file(store):
    marker = "private words 7f3a9c"
    keep = store.save({"age": 50, "text": "another person"}, RESULT, **KB)
    gone = store.save({"age": 40, "text": marker}, RESULT, **KB)
    assert _files_hold(store.path, marker.encode())  # it is on disk while saved
    assert store.delete(gone.id)
    assert _files_hold(store.path, marker.encode()) == []  # database, write-ahead log and shared memory
    assert store.get(keep.id) is not None


def test_closing_empties_the_write_ahead_log(store):
    store.save({"age": 40}, RESULT, **KB)
    wal = store.path.with_name(store.path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    store.close()
    assert not wal.exists() or wal.stat().st_size == 0


def test_layout_version_is_recorded_and_a_newer_one_refused(tmp_path):
    path = tmp_path / "store.sqlite3"
    store = AssessmentStore(path)
    store.save({"age": 40}, RESULT, **KB)
    store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(StorageError, match="layout version"):
        AssessmentStore(path).list()


def test_records_survive_reopening(tmp_path):
    path = tmp_path / "store.sqlite3"
    first = AssessmentStore(path)
    ids = [first.save({"age": age}, RESULT, **KB).id for age in range(5)]
    first.close()
    second = AssessmentStore(path)
    records, total = second.list(limit=10)
    assert total == 5
    assert [r.id for r in records] == ids[::-1]
    assert [r.case["age"] for r in second.all()] == list(range(5))
    second.close()


def test_a_file_that_is_not_a_database_is_a_storage_error(tmp_path):
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"this is not an SQLite database, just some text" * 100)
    with pytest.raises(StorageError, match="store"):
        AssessmentStore(path).list()


def test_concurrent_saves_from_threads_and_two_stores(tmp_path):
    path = tmp_path / "store.sqlite3"
    stores = [AssessmentStore(path), AssessmentStore(path)]  # as two server processes would
    saved: list[str] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        for k in range(15):
            record = stores[n % 2].save({"age": n, "k": k}, RESULT, **KB)
            with lock:
                saved.append(record.id)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records, total = stores[0].list(limit=500)
    assert total == 90 == len(saved)
    assert {r.id for r in records} == set(saved)
    for s in stores:
        s.close()


def test_export_document_is_self_describing(store):
    saved = store.save({"age": 40}, RESULT, **KB)
    document = export_document([saved])
    assert document["format"] == "heelpath-assessment"
    assert document["format_version"] == 1
    assert document["assessments"] == [saved.to_dict()]


def test_results_with_non_finite_numbers_are_refused(store):
    with pytest.raises(ValueError):
        store.save({"age": 40}, {"probability": float("nan")}, **KB)
    assert store.list() == ([], 0)
