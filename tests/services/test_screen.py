"""Population screening: a screened row says what a single assessment of the same patient says
(triage, red flags, causes, origin), bad rows are reported and never dropped, and the chunking,
the file format and the random seed change nothing they should not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import heelpath
from heelpath.errors import CaseFormatError
from heelpath.services.screen import Screener, ScreenSummary, check_columns, screen_rows
from heelpath.services.synth import cohort

HP = heelpath.load()
ROOT = Path(__file__).resolve().parents[2]
CASES = sorted([*(ROOT / "cases" / "vignettes").glob("*.json"), *(ROOT / "cases" / "devset" / "dev").glob("*.json")])


def _row(case_id: str, case: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"id": case_id, "age": case["age"], "sex": case.get("sex"), "side": case.get("side"),
                           "setting": case.get("setting")}
    for finding, answer in case.get("findings", {}).items():
        if isinstance(answer, dict):  # a side, or its absence, as a table cell says it
            answer = answer["side"] if answer.get("present") and answer.get("side") else answer.get("present")
        row[finding] = answer
    return row


def _structured() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in CASES:
        case = json.loads(path.read_text())["case"]
        if not case.get("text"):
            cases.append((path.stem, case))
    return cases


def test_a_screened_row_says_what_the_single_assessment_says():
    cases = _structured()
    assert len(cases) >= 100
    summary = ScreenSummary()
    out = Screener(HP).score([_row(i, c) for i, c in cases], 1, summary)
    assert summary.bad == [] and summary.scored == len(cases)
    by_id = {row_id: i for i, row_id in enumerate(out["id"])}
    for case_id, case in cases:
        single, i = HP.assess(case), by_id[case_id]
        red_flags = {r.id for r in single.triage.rules_fired if r.kind == "red_flag"}
        assert out["triage"][i] == single.triage.level, case_id
        assert set(filter(None, out["red_flags"][i].split(";"))) == red_flags, case_id
        assert out["flag_red_flag"][i] == bool(red_flags)
        assert [out[f"cause_{k}"][i] for k in (1, 2, 3)] == [e.id for e in single.differential[:3]], case_id
        assert out["p_cause_1"][i] == pytest.approx(single.differential[0].probability, abs=1e-4)
        assert out["origin"][i] == single.origin.label, case_id
        assert out["p_spinal"][i] == pytest.approx(single.origin.involves["spinal"], abs=1e-4)
        assert out["p_unexplained"][i] == pytest.approx(single.unexplained.probability, abs=1e-4)
        assert out["flag_probably_spinal"][i] == (single.origin.involves["spinal"] >= HP.codes.cards.spinal.at_least)


def test_every_bad_row_is_reported_with_its_row_and_reason_and_the_rest_scored():
    rows = [{"id": "ok", "age": "45", "pain_under_heel": "yes"}, {"id": "no-age", "age": ""},
            {"id": "bad-age", "age": "old"}, {"id": "bad-cell", "age": 50, "fever": "perhaps"},
            {"id": "not-sided", "age": 50, "fever": "left"}, {"id": "range", "age": 50, "duration_weeks": "-3"},
            {"id": "contradiction", "age": 50, "side": "left", "bilateral_heel_pain": "true"},
            {"id": "ok2", "age": 30.0, "first_step_pain": 1}]
    summary = ScreenSummary()
    out = Screener(HP).score(rows, 10, summary)
    assert out["id"] == ["ok", "ok2"]
    assert [(row, row_id) for row, row_id, _ in summary.bad] == [
        (11, "no-age"), (12, "bad-age"), (13, "bad-cell"), (14, "not-sided"), (15, "range"), (16, "contradiction")]
    assert all(reason for _, _, reason in summary.bad)


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_rows_are_handed_over_chunk_by_chunk_and_none_kept(workers):
    rows = [{"id": f"r{i}", "age": "" if i % 3 == 0 else "40", "fever": "no"} for i in range(30)]
    chunks = ((start + 1, rows[start:start + 10]) for start in range(0, 30, 10))
    handed: list[list[tuple[int, str, str]]] = []
    written: list[Any] = []
    summary = screen_rows(HP, chunks, written.append, workers=workers, reject=handed.append)
    assert [[row for row, _, _ in part] for part in handed] == [[1, 4, 7, 10], [13, 16, 19], [22, 25, 28]]
    assert summary.bad == [] and summary.rejected == 10 and summary.scored == 20 and len(written) == 3


def test_columns_that_are_neither_case_fields_nor_findings_refuse_the_table():
    with pytest.raises(CaseFormatError, match="fevr"):
        check_columns(HP, ["id", "age", "fevr"])
    with pytest.raises(CaseFormatError, match="'age'"):
        check_columns(HP, ["id", "fever"])


@settings(max_examples=5, deadline=None)
@given(st.integers(1, 50))
def test_chunking_changes_nothing(size):
    table, _ = next(cohort(HP, 60, seed=3))
    rows = [dict(zip(table, values)) for values in zip(*table.values())]
    whole = Screener(HP).score(rows, 1, ScreenSummary())
    parts: dict[str, list[Any]] = {}
    screener = Screener(HP)
    for start in range(0, len(rows), size):
        for key, values in screener.score(rows[start:start + size], start + 1, ScreenSummary()).items():
            parts.setdefault(key, []).extend(values)
    order = {row_id: i for i, row_id in enumerate(parts["id"])}
    for key in whole:
        assert [parts[key][order[row_id]] for row_id in whole["id"]] == whole[key], key


def test_the_same_seed_draws_the_same_cohort_and_the_truth_is_apart():
    first, truth = next(cohort(HP, 50, seed=7))
    again, _ = next(cohort(HP, 50, seed=7))
    other, _ = next(cohort(HP, 50, seed=8))
    assert first == again and first != other
    assert truth["id"] == first["id"] and "causes" not in first
    assert set(truth["causes"]) <= {*(";".join(HP.model.condition_ids[c] for c in s) or "none" for s in HP.model.states)}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "heelpath", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_synth_then_screen_end_to_end(tmp_path: Path, suffix: str):
    people, screened = tmp_path / f"people{suffix}", tmp_path / f"screened{suffix}"
    assert run("synth", "300", "-o", str(people), "--seed", "2").returncode == 0
    proc = run("screen", str(people), "-o", str(screened), "--chunk", "100")
    assert proc.returncode == 0, proc.stderr
    table = pq.read_table(screened) if suffix == ".parquet" else pacsv.read_csv(screened)
    assert table.num_rows == 300
    if suffix == ".parquet":
        assert table.schema.metadata[b"kb_hash"].decode() == HP.kb.content_hash
    else:
        assert set(table.column("kb_hash").to_pylist()) == {HP.kb.content_hash}
    assert set(table.column("triage").to_pylist()) <= {"self_care", "routine", "soon", "urgent", "emergency"}
    assert pacsv.read_csv(screened.with_name(screened.stem + ".bad.csv")).num_rows == 0


def test_screen_reports_bad_rows_in_a_side_file_and_exits_1(tmp_path: Path):
    source = tmp_path / "people.csv"
    source.write_text("id,age,sex,fever,bladder_dysfunction\na,45,female,no,\nb,,male,,\nc,70,male,,yes\n")
    proc = run("screen", str(source), "-o", str(tmp_path / "out.csv"))
    assert proc.returncode == 1 and "line 3 (b)" in proc.stderr
    bad = pacsv.read_csv(tmp_path / "out.bad.csv").to_pylist()
    assert bad == [{"line": 3, "id": "b", "reason": "age is missing"}]
    out = pacsv.read_csv(tmp_path / "out.csv").to_pylist()
    level_a = HP.assess({"age": 45, "sex": "female", "findings": {"fever": False}}).triage.level
    assert [(r["id"], r["triage"], r["red_flags"] or "") for r in out] == [("a", level_a, ""),
                                                                          ("c", "emergency", "ces_sphincter")]


@pytest.mark.parametrize("content, words", [
    ("id,age,fevr\n1,40,yes\n", "fevr"),
    ("", "empty"),
    ("id,age\n1,40\n", None),
])
def test_screen_refuses_a_bad_table_with_exit_2(tmp_path: Path, content, words):
    source = tmp_path / "people.csv"
    source.write_text(content)
    proc = run("screen", str(source), "-o", str(tmp_path / "out.txt" if words is None else tmp_path / "out.csv"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert words is None or words in proc.stderr


def test_a_fhir_bulk_export_is_screened_one_row_per_patient(tmp_path: Path):
    from heelpath.services.fhir.records import assess_records
    from tests.fhir_support import ICD, collection, condition, plantar_fasciitis_records, spondyloarthritis_records

    first = spondyloarthritis_records()
    second = plantar_fasciitis_records()
    second[0]["id"], second[1]["subject"] = "p2", {"reference": "Patient/p2"}
    export = tmp_path / "export"
    export.mkdir()
    (export / "Patient.ndjson").write_text(f"{json.dumps(first[0])}\n{json.dumps(second[0])}\n")
    others = [*first[1:], second[1], condition("c9", ICD, "E11.9", pid="p3")]
    (export / "Condition.ndjson").write_text("\n".join(json.dumps(r) for r in others) + "\nnot json\n")
    proc = run("screen", str(export), "-o", str(tmp_path / "out.csv"))
    assert proc.returncode == 1, proc.stderr
    rows = {r["id"]: r for r in pacsv.read_csv(tmp_path / "out.csv").to_pylist()}
    assert set(rows) == {"p1", "p2"}
    single, _ = assess_records(HP, collection(*first))
    assert (rows["p1"]["cause_1"], rows["p1"]["triage"]) == (single.differential[0].id, single.triage.level)
    bad = pacsv.read_csv(tmp_path / "out.bad.csv").to_pylist()
    assert {b["id"] for b in bad} == {"Condition.ndjson:7", "p3"}
    notes = pacsv.read_csv(tmp_path / "out.notes.csv").to_pylist()
    assert any(n["patient"] == "p3" and "no age" in n["note"] for n in notes)


CELLS = st.sampled_from([None, "", " ", True, False, "yes", "No", "TRUE", "0", "1", 1, 0, 2, "left", "both",
                         "maybe", "right "])
AGES = st.sampled_from([None, "", 45, "45", 30.5, "70", "old", -1, 121, "nan", True])
PLAIN_COLUMNS = ["fever", "pain_under_heel", "ankle_reflex_reduced", "ankle_reflex_reduced_bilateral",
                 "bilateral_heel_pain", "leg_pain_radiating_below_knee", "bladder_dysfunction", "duration_weeks"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "age": AGES, "sex": st.sampled_from([None, "female", "Male", "x"]),
    "side": st.sampled_from([None, "left", "both", "unknown", "up"]),
    "setting": st.sampled_from([None, "primary_care", "self_assessment", "ward"]),
    **{column: CELLS for column in PLAIN_COLUMNS}}), min_size=1, max_size=25))
def test_the_column_path_and_the_row_path_give_the_same_output(rows):
    """What a CSV gives (every cell as text): the array path for plain rows, the per-row path for
    the rest, must say what the per-row path says for every row."""
    import pyarrow as pa

    order = ["id", "age", "sex", "side", "setting", *PLAIN_COLUMNS]  # a table's columns: one order for every row
    rows = [{"id": f"r{i}", **row} for i, row in enumerate(rows)]
    as_text = [{k: None if row[k] is None else str(row[k]) for k in order} for row in rows]
    batch = pa.RecordBatch.from_pylist(as_text, schema=pa.schema([(k, pa.string()) for k in as_text[0]]))
    by_rows, by_columns = ScreenSummary(), ScreenSummary()
    expected = Screener(HP).score([dict(r) for r in as_text], 1, by_rows)
    assert Screener(HP).score_batch(batch, 1, by_columns) == expected
    assert by_columns.bad == by_rows.bad and by_columns.scored == by_rows.scored


@settings(max_examples=20, deadline=None)
@given(st.lists(st.fixed_dictionaries({"age": st.integers(0, 120),
                                       **{c: st.sampled_from([None, True, False]) for c in PLAIN_COLUMNS[:-1]}}),
                min_size=1, max_size=25))
def test_typed_parquet_columns_take_the_same_paths(rows):
    import pyarrow as pa

    rows = [{"id": f"r{i}", "age": row["age"], **{c: row[c] for c in PLAIN_COLUMNS[:-1]}} for i, row in enumerate(rows)]
    schema = pa.schema([("id", pa.string()), ("age", pa.int64()), *((c, pa.bool_()) for c in PLAIN_COLUMNS[:-1])])
    by_rows, by_columns = ScreenSummary(), ScreenSummary()
    expected = Screener(HP).score([dict(r) for r in rows], 1, by_rows)
    assert Screener(HP).score_batch(pa.RecordBatch.from_pylist(rows, schema=schema), 1, by_columns) == expected
    assert by_columns.bad == by_rows.bad


def test_two_worker_processes_write_what_one_writes(tmp_path: Path):
    people = tmp_path / "people.parquet"
    assert run("synth", "450", "-o", str(people), "--seed", "9").returncode == 0
    for workers in ("1", "2"):
        proc = run("screen", str(people), "-o", str(tmp_path / f"w{workers}.parquet"), "--chunk", "100",
                   "--workers", workers)
        assert proc.returncode == 0, proc.stderr
    assert pq.read_table(tmp_path / "w1.parquet").equals(pq.read_table(tmp_path / "w2.parquet"))


def test_reading_a_parquet_file_holds_one_row_group_not_all_read_so_far(tmp_path: Path):
    import numpy as np
    import pyarrow as pa

    from heelpath.services.tables import read_chunks

    path, groups = tmp_path / "many.parquet", 100
    rng = np.random.default_rng(0)
    with pq.ParquetWriter(path, pa.schema([(f"c{i}", pa.float64()) for i in range(4)])) as writer:
        for _ in range(groups):  # random numbers: the file is as big in memory as on disk
            writer.write_table(pa.table({f"c{i}": rng.random(1000) for i in range(4)}))
    before, held = pa.total_allocated_bytes(), 0
    for _, _batch in read_chunks(path, [], 500):
        held = max(held, pa.total_allocated_bytes() - before)
    # a read cache kept for the file's life would hold the whole file (3.2 MB) by the end
    assert held < path.stat().st_size / 10


def test_small_chunks_are_written_as_few_parquet_row_groups(tmp_path: Path, monkeypatch):
    from heelpath.services import tables

    chunks = [{"id": [f"p{i}" for i in range(start, start + 100)], "x": [float(start)] * 100}
              for start in range(0, 5000, 100)]
    with tables.TableWriter(tmp_path / "few.parquet", types={"id": "string", "x": "float64"}) as writer:
        for chunk in chunks:
            writer.write(chunk)
    monkeypatch.setattr(tables, "ROW_GROUP_BYTES", 20_000)  # a row group is bounded, not the whole file
    with tables.TableWriter(tmp_path / "bounded.parquet", types={"id": "string", "x": "float64"}) as writer:
        for chunk in chunks:
            writer.write(chunk)
    few, bounded = pq.ParquetFile(tmp_path / "few.parquet"), pq.ParquetFile(tmp_path / "bounded.parquet")
    # a row group per chunk would leave metadata in the writer and the footer growing with the rows
    assert few.num_row_groups == 1
    assert 1 < bounded.num_row_groups < len(chunks)
    expected = [i for chunk in chunks for i in chunk["id"]]
    assert few.read().column("id").to_pylist() == bounded.read().column("id").to_pylist() == expected


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([None, True, False]), min_size=1, max_size=70), st.integers(0, 69))
def test_a_boolean_column_is_read_cell_for_cell_whatever_its_offset(cells, start):
    import pyarrow as pa

    from heelpath.engine.inference import ABSENT, PRESENT, UNKNOWN
    from heelpath.services.screen import _plain_codes

    column = pa.array(cells, pa.bool_()).slice(min(start, len(cells)))
    expected = [UNKNOWN if c is None else PRESENT if c else ABSENT for c in column.to_pylist()]
    assert _plain_codes(column, pa).tolist() == expected


def test_a_bulk_export_is_grouped_on_disk_patient_by_patient(tmp_path: Path):
    from heelpath.services.bulk import BulkExport
    from tests.fhir_support import ICD, condition, patient

    export = tmp_path / "export"
    export.mkdir()
    (export / "Patient.ndjson").write_text("".join(json.dumps(patient(p)) + "\n" for p in ("p3", "p1", "p2")))
    conditions = [condition(f"c{i}", ICD, "E11.9", pid=p) for i, p in enumerate(("p3", "p1", "p3"))]
    (export / "Condition.ndjson").write_text("\n".join(json.dumps(c) for c in conditions) + "\n{broken\n")
    with BulkExport(export) as grouped:
        folder = Path(grouped._folder.name)
        assert grouped.patients == 3
        assert [(p, [r["resourceType"] for r in rs]) for p, rs in grouped.records()] == [
            ("p1", ["Condition", "Patient"]), ("p2", ["Patient"]), ("p3", ["Condition", "Condition", "Patient"])]
        assert [(line, place) for line, place, _ in grouped.bad_lines()] == [(4, "Condition.ndjson:4")]
    assert not folder.exists()


def test_a_writer_closed_without_rows_leaves_its_header_and_on_an_error_no_file(tmp_path: Path):
    from heelpath.services.tables import TableWriter

    with TableWriter(tmp_path / "empty.csv", types={"line": "int64", "reason": "string"}):
        pass
    assert (tmp_path / "empty.csv").read_text().strip() == '"line","reason"'
    with pytest.raises(RuntimeError), TableWriter(tmp_path / "failed.csv", types={"line": "int64"}):
        raise RuntimeError("stopped before any row")
    assert not (tmp_path / "failed.csv").exists()
