"""The same screening on Apache Spark: each partition is scored by :class:`~heelpath.services.screen.Screener`
inside ``mapInArrow``, so a row means on a cluster exactly what it means on one machine.

Every executor checks that its knowledge base has the driver's content hash before it scores a
row (a cluster with another heelpath version installed fails instead of mixing results). Spark
writes OUTPUT as a folder of part files (its way); bad rows go to NAME.bad.csv beside it with their
id and reason (Spark keeps no line numbers). The `spark` extra installs PySpark; a Java 17 runtime is
needed (scripts/system-deps.sh installs one). docs/screening.md says how to submit it to a cluster.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from heelpath.errors import CaseFormatError
from heelpath.services.context import Heelpath
from heelpath.services.screen import ScreenSummary, check_columns, output_columns, output_types
from heelpath.services.tables import TableWriter, chunked, table_format

BAD = "bad_reason"


def local_session(cores: int = 2) -> Any:
    """A Spark session on this machine: no web UI, bound to loopback, workers on this Python."""
    import os
    import sys

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (SparkSession.builder.master(f"local[{cores}]").appName("heelpath-screen")
            .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", str(cores))
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "5000").getOrCreate())


def _score_partitions(kb_hash: str) -> Any:
    """The function each executor runs on its Arrow batches."""

    def score(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        import heelpath
        from heelpath.services.screen import Screener

        hp = heelpath.load()
        if hp.kb.content_hash != kb_hash:
            raise RuntimeError(f"this executor's knowledge base is {hp.kb.content_hash[:12]}, the driver's is "
                               f"{kb_hash[:12]}: install the same heelpath wheel on every node")
        screener = Screener(hp)
        types = output_types()
        for batch in batches:
            summary = ScreenSummary()
            out = screener.score_batch(batch, 1, summary)
            columns = {c: pa.array(v, type=getattr(pa, types[c])()) for c, v in out.items()}
            columns[BAD] = pa.nulls(len(out["id"]), pa.string())
            yield pa.RecordBatch.from_pydict(columns)
            if summary.bad:
                bad = {c: pa.nulls(len(summary.bad), type=getattr(pa, types[c])()) for c in out}
                bad["id"] = pa.array([row_id for _, row_id, _ in summary.bad], pa.string())
                bad[BAD] = pa.array([reason for _, _, reason in summary.bad], pa.string())
                yield pa.RecordBatch.from_pydict(bad)

    return score


def screen_spark(hp: Heelpath, source: Path, output: Path, spark: Any) -> ScreenSummary:
    """Screen `source` (CSV or Parquet) into the folder `output` with `spark`; bad rows beside it."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    kind = table_format(source, "input")
    reader = spark.read
    frame = reader.option("header", True).option("inferSchema", False).csv(str(source)) if kind == "csv" \
        else reader.parquet(str(source))
    check_columns(hp, list(frame.columns))
    spark_types = {"string": T.StringType(), "float64": T.DoubleType(), "bool_": T.BooleanType()}
    schema = T.StructType([T.StructField(c, spark_types[t], True) for c, t in output_types().items()]
                          + [T.StructField(BAD, T.StringType(), True)])
    scored = frame.mapInArrow(_score_partitions(hp.kb.content_hash), schema).cache()
    good = scored.filter(F.col(BAD).isNull()).select(*output_columns())
    writer = good.write.mode("overwrite")
    if table_format(output, "output") == "csv":
        writer.option("header", True).csv(str(output))
    else:
        writer.parquet(str(output))
    summary = ScreenSummary(scored=good.count())
    # bad rows reach the driver a partition at a time and are written in chunks: none kept
    with TableWriter(output.with_name(output.stem + ".bad.csv"), types={"id": "string", "reason": "string"}) as bad:
        rows = scored.filter(F.col(BAD).isNotNull()).select("id", BAD).toLocalIterator()
        for part in chunked(rows, 5000):
            bad.write({"id": [r["id"] for r in part], "reason": [r[BAD] for r in part]})
            summary.rejected += len(part)
    scored.unpersist()
    if summary.scored == 0 and not summary.rejected:
        raise CaseFormatError(f"{source} has no rows")
    return summary
