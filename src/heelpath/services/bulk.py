"""FHIR Bulk Data NDJSON (one resource a line: Patient, Condition, Observation, DiagnosticReport, in
one file or a folder of them, as a `$export` writes them) read as screening rows, one per patient.

Resources are grouped by patient (a Patient's id, the others' ``subject``) and each patient's
records are read by the one FHIR reader (:mod:`heelpath.services.fhir.records`), so a warning sign
on the record is never counted and every record that sets nothing is reported. Grouping holds the
records of the whole export in memory: a limit of this reader, unlike the table readers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from heelpath.errors import CaseFormatError, HeelpathError
from heelpath.services.context import Heelpath
from heelpath.services.fhir.records import read_records
from heelpath.services.fhir.resources import checked
from heelpath.services.jsonio import decode, parse_json


@dataclass
class BulkExport:
    """Each patient's resources, and the lines that could not be used."""

    patients: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    bad: list[tuple[int, str, str]] = field(default_factory=list)  # (line, file:line, reason)


def ndjson_files(source: Path) -> list[Path]:
    files = sorted(source.glob("*.ndjson")) if source.is_dir() else [source]
    if not files:
        raise CaseFormatError(f"{source}: no .ndjson files")
    return files


def read_export(source: Path) -> BulkExport:
    export = BulkExport()
    for path in ndjson_files(source):
        with path.open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                where = f"{path.name}:{number}"
                try:
                    text = decode(raw, where)
                    if not text.strip():
                        continue
                    resource = checked(parse_json(text, where))
                    export.patients.setdefault(_patient_of(resource), []).append(resource)
                except HeelpathError as exc:
                    export.bad.append((number, where, str(exc)))
    return export


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
    ids = sorted(export.patients)
    for start in range(0, len(ids), chunk):
        rows, notes = [], []
        for patient_id in ids[start:start + chunk]:
            row: dict[str, Any] = {"id": patient_id}
            try:
                records = read_records(hp, export.patients[patient_id], today)
                case = records.case_data()
                row.update({k: v for k, v in case.items() if k != "findings"}, **case["findings"])
                notes += [(patient_id, message) for _, message in records.issues()]
            except HeelpathError as exc:
                row["age"] = None
                notes.append((patient_id, str(exc)))
            rows.append(row)
        yield start + 1, rows, notes
