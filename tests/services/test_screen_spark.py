"""The Spark engine gives the local engine's rows (a real Spark in local mode: no UI, loopback), and
an executor whose knowledge base differs from the driver's refuses to score."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import heelpath
from heelpath.services.screen_spark import _score_partitions, local_session, screen_spark

HP = heelpath.load()


@pytest.fixture(scope="module")
def spark():
    session = local_session()
    yield session
    session.stop()


def _rows(table: pa.Table) -> list[dict]:
    return sorted(table.to_pylist(), key=lambda r: r["id"])


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_spark_and_local_screens_give_identical_rows(tmp_path: Path, spark, suffix: str):
    people = tmp_path / f"people{suffix}"
    made = subprocess.run([sys.executable, "-m", "heelpath", "synth", "400", "-o", str(people), "--seed", "5"],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    if suffix == ".csv":  # two rows that cannot be read
        with people.open("a") as stream:
            columns = people.read_text().splitlines()[0].count(",")
            stream.write("bad1,old" + "," * (columns - 1) + "\n" + "bad2,40,female,primary_care,middle" + "," * (columns - 4) + "\n")
    local = tmp_path / f"local{suffix}"
    proc = subprocess.run([sys.executable, "-m", "heelpath", "screen", str(people), "-o", str(local)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == (1 if suffix == ".csv" else 0), proc.stderr
    distributed = tmp_path / f"spark{suffix}"
    summary = screen_spark(HP, people, distributed, spark)
    read = pq.read_table if suffix == ".parquet" else pacsv.read_csv
    local_rows = _rows(read(local).drop_columns([c for c in ("kb_version", "kb_hash") if suffix == ".csv"]))
    spark_rows = _rows(pq.read_table(distributed) if suffix == ".parquet" else
                       pa.concat_tables([pacsv.read_csv(p) for p in sorted(distributed.glob("part-*.csv"))]))
    assert summary.scored == len(local_rows) == len(spark_rows) == 400
    assert spark_rows == local_rows
    local_bad = pacsv.read_csv(tmp_path / "local.bad.csv").to_pylist()
    spark_bad = pacsv.read_csv(tmp_path / "spark.bad.csv").to_pylist()
    assert sorted((b["id"], b["reason"]) for b in local_bad) == sorted((b["id"], b["reason"]) for b in spark_bad)
    assert summary.rejected == len(local_bad) == (2 if suffix == ".csv" else 0)


def test_an_executor_with_another_knowledge_base_refuses_to_score():
    batch = pa.RecordBatch.from_pylist([{"id": "1", "age": "40"}])
    with pytest.raises(RuntimeError, match="install the same heelpath wheel"):
        list(_score_partitions("0" * 64)(iter([batch])))
    [scored] = list(_score_partitions(HP.kb.content_hash)(iter([batch])))
    assert scored.num_rows == 1
