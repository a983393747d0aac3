"""FHIR Bulk Data NDJSON (one resource a line: Patient, Condition, Observation, DiagnosticReport, in
one file or a folder of them, as a `$export` writes them) read as screening rows, one per patient.

Resources are grouped by patient (a Patient's id, the others' ``subject``) and each patient's
records are read by the one FHIR reader (:mod:`heelpath.services.fhir.records`), so a warning sign
on the record is never counted and every record that sets nothing is reported. Grouping goes through
a temporary SQLite file (sorted there, read back one patient at a time), so memory stays flat
whatever the size of the export; the disk holds about the export's size while it runs.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import date
from itertools import groupby
from pathlib import Path
from types import TracebackType
from typing import Any

from heelpath.errors import CaseFormatError, HeelpathError
from heelpath.services.context import Heelpath
from heelpath.services.fhir.records import read_records
from heelpath.services.fhir.resources import checked
from heelpath.services.jsonio import decode, parse_json

_BATCH = 5000  # lines inserted at a time


class BulkExport:
    """An export's resources grouped by patient on disk, and the lines that could not be used.

    Use as a context manager (the temporary file is removed on exit)."""

    def __init__(self, source: Path) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="heelpath-bulk-")
        self._db = sqlite3.connect(Path(self._folder.name) / "export.sqlite")
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                               "CREATE TABLE resource (patient TEXT, seq INTEGER, json TEXT);"
                               "CREATE TABLE bad (seq INTEGER PRIMARY KEY, line INTEGER, place TEXT, reason TEXT);")
        try:
            self._read(source)
            self._db.execute("CREATE INDEX by_patient ON resource (patient, seq)")
            self.patients = int(self._db.execute("SELECT COUNT(DISTINCT patient) FROM resource").fetchone()[0])
        except BaseException:
            self.close()
            raise

    def _read(self, source: Path) -> None:
        seq, good, bad = 0, [], []
        for path in ndjson_files(source):
            with path.open("rb") as stream:
                for number, raw in enumerate(stream, start=1):
                    seq += 1
                    where = f"{path.name}:{number}"
                    try:
                        text = decode(raw, where)
                        if not text.strip():
                            continue
                        resource = checked(parse_json(text, where))
                        good.append((_patient_of(resource), seq, text))  # checked leaves it as read
                    except HeelpathError as exc:
                        bad.append((seq, number, where, str(exc)))
                    if len(good) + len(bad) >= _BATCH:
                        self._store(good, bad)
                        good, bad = [], []
        self._store(good, bad)

    def _store(self, good: list[tuple[str, int, str]], bad: list[tuple[int, int, str, str]]) -> None:
        self._db.executemany("INSERT INTO resource VALUES (?, ?, ?)", good)
        self._db.executemany("INSERT INTO bad VALUES (?, ?, ?, ?)", bad)

    def bad_lines(self) -> Iterator[tuple[int, str, str]]:
        """(line, file:line, reason) of every line not used, in file order."""
        yield from self._db.execute("SELECT line, place, reason FROM bad ORDER BY seq")

    def records(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(patient id, their resources in file order), patient by patient in id order."""
        rows = self._db.execute("SELECT patient, json FROM resource ORDER BY patient, seq")
        for patient, group in groupby(rows, key=lambda row: row[0]):
            yield patient, [json.loads(text) for _, text in group]

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    def __enter__(self) -> BulkExport:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()


def ndjson_files(source: Path) -> list[Path]:
    files = sorted(source.glob("*.ndjson")) if source.is_dir() else [source]
    if not files:
        raise CaseFormatError(f"{source}: no .ndjson files")
    return files


def _patient_of(resource: dict[str, Any]) -> str:
    if resource.get("resourceType") == "Patient":
        if not resource.get("id"):
            raise CaseFormatError("a Patient without an id")
        return str(resource["id"])
    reference = str((resource.get("subject") or resource.get("patient") or {}).get("reference") or "")
    if not reference.startswith("Patient/"):
        raise CaseFormatError(f"{resource.get('resourceType')}/{resource.get('id')}: no subject Patient reference")
    return reference.removeprefix("Patient/")


def patient_rows(hp: Heelpath, export: BulkExport, chunk: int, today: date | None = None,
                 ) -> Iterator[tuple[int, list[dict[str, Any]], list[tuple[str, str]]]]:
    """(first row number, screening rows, records not read as (patient, message)) a chunk at a time."""
    rows: list[dict[str, Any]] = []
    notes: list[tuple[str, str]] = []
    first = 1
    for patient_id, resources in export.records():
        row: dict[str, Any] = {"id": patient_id}
        try:
            records = read_records(hp, resources, today)
            case = records.case_data()
            row.update({k: v for k, v in case.items() if k != "findings"}, **case["findings"])
            notes += [(patient_id, message) for _, message in records.issues()]
        except HeelpathError as exc:
            row["age"] = None
            notes.append((patient_id, str(exc)))
        rows.append(row)
        if len(rows) == chunk:
            yield first, rows, notes
            first, rows, notes = first + len(rows), [], []
    if rows:
        yield first, rows, notes
