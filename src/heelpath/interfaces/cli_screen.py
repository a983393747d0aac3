"""`heelpath screen` (a table of patients scored, triaged and flagged) and `heelpath synth` (a
synthetic cohort); they need the `screen` extra (pyarrow)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from heelpath.interfaces.cli_errors import friendly_errors

err = Console(stderr=True)
out = Console()


@friendly_errors
def screen(
    source: Path = typer.Argument(..., help="Patients: a .csv or .parquet table, one row each, or FHIR Bulk Data "
                                                "(.ndjson, or a folder of them) (docs/screening.md)."),
    output: Path = typer.Option(..., "--output", "-o", help="The .parquet or .csv file to write, one row a patient."),
    chunk: int = typer.Option(5000, "--chunk", min=100, max=200000, help="Rows scored at a time (memory is bounded by it)."),
    engine: str = typer.Option("local", "--engine", help="local (this machine) or spark (OUTPUT becomes a folder)."),
    workers: int = typer.Option(0, "--workers", min=0, max=64,
                                help="Processes for the local engine; 0: one per core from 200,000 rows a core, "
                                     "else one."),
    master: str = typer.Option("local[2]", "--spark-master", help="With --engine spark: the Spark master URL."),
) -> None:
    """Screen a table of patients: top causes, origin, triage, red flags and flags, row by row.

    Rows that cannot be read go to OUTPUT's side file (NAME.bad.csv: line, id, reason); the exit
    status is 1 when there are any.
    """
    if engine not in ("local", "spark"):
        from heelpath.errors import CaseFormatError

        raise CaseFormatError(f"--engine {engine!r}: expected local or spark")
    if engine == "spark":
        _screen_spark(source, output, master)
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    import heelpath
    from heelpath.errors import CaseFormatError, OutputFileError
    from heelpath.services.screen import check_columns, output_types, screen_rows
    from heelpath.services.tables import TableWriter, chunked, columns_of, count_rows, read_chunks

    if not source.exists():
        raise CaseFormatError(f"no such input: {source}")
    if output.exists() and output.resolve() == source.resolve():
        raise OutputFileError(f"cannot write {output}: it is the input file")
    hp = heelpath.load()
    bulk = source.is_dir() or source.suffix.lower() == ".ndjson"
    bad_path = output.with_name(output.stem + ".bad.csv")
    notes_path = output.with_name(output.stem + ".notes.csv")
    shown: list[tuple[int, str, str]] = []  # the first few bad rows, printed at the end
    early_bad: Iterator[tuple[int, str, str]] = iter(())
    notes = 0
    with ExitStack() as stack:
        writer = stack.enter_context(
            TableWriter(output, {"kb_version": hp.kb.version, "kb_hash": hp.kb.content_hash}, output_types()))
        bad_writer = stack.enter_context(TableWriter(bad_path, types={"line": "int64", "id": "string", "reason": "string"}))
        if bulk:  # FHIR Bulk Data: one row per patient
            from heelpath.services.bulk import BulkExport, patient_rows

            export = stack.enter_context(BulkExport(source))
            notes_out = stack.enter_context(TableWriter(notes_path, types={"patient": "string", "note": "string"}))
            total, early_bad, offset = export.patients, export.bad_lines(), 0

            def chunks() -> Iterator[tuple[int, Any]]:
                nonlocal notes
                for first, rows, read_notes in patient_rows(hp, export, chunk):
                    notes_out.write({"patient": [n[0] for n in read_notes], "note": [n[1] for n in read_notes]})
                    notes += len(read_notes)
                    yield first, rows
        else:
            columns = columns_of(source)
            check_columns(hp, columns)
            total, offset = count_rows(source), 1 if source.suffix.lower() == ".csv" else 0

            def chunks() -> Iterator[tuple[int, Any]]:
                yield from read_chunks(source, columns, chunk)

        bar = stack.enter_context(Progress(TextColumn("screening"), BarColumn(), MofNCompleteColumn(),
                                           TaskProgressColumn(), TextColumn("{task.fields[rate]}"),
                                           TimeRemainingColumn(), console=err, transient=True))
        task = bar.add_task("screening", total=total, rate="")

        def advance(n: int) -> None:
            bar.advance(task, n)
            elapsed = bar.tasks[0].elapsed or 0
            bar.update(task, rate=f"{bar.tasks[0].completed / elapsed:,.0f} rows/s" if elapsed else "")

        def reject(rows: list[tuple[int, str, str]]) -> None:  # written as they come: none kept
            bad_writer.write({"line": [r[0] for r in rows], "id": [r[1] for r in rows], "reason": [r[2] for r in rows]})
            shown.extend(rows[:10 - len(shown)])

        early = 0
        for part in chunked(early_bad, 5000):  # lines of an export not read
            reject(part)
            early += len(part)
        if workers == 0:  # a worker's start-up ate the gain at 200,000 rows; two won at 400,000 (8.2 s vs 9.2 s)
            workers = min(os.cpu_count() or 1, max(1, total // 200_000))
        summary = screen_rows(hp, chunks(), writer.write, advance, workers,
                              reject=lambda rows: reject([(row + offset, i, reason) for row, i, reason in rows]))
    bad_count = early + summary.rejected
    if bulk:
        out.print(f"{notes} note(s) on how the records were read (records not read, signs to ask): "
                  f"{escape(str(notes_path))}", highlight=False)
    out.print(f"screened {summary.scored} patient(s) -> {escape(str(output))}", highlight=False)
    if bad_count:
        for line, row_id, reason in shown:
            err.print(f"[bold red]line {line} ({escape(row_id)}):[/] {escape(reason)}", highlight=False, soft_wrap=True)
        err.print(f"[bold red]{bad_count} row(s) not screened[/]: {escape(str(bad_path))}")
        raise typer.Exit(1)


def _screen_spark(source: Path, output: Path, master: str) -> None:
    from pyspark.sql import SparkSession

    import heelpath
    from heelpath.errors import CaseFormatError
    from heelpath.services.screen_spark import local_session, screen_spark

    if not source.exists():
        raise CaseFormatError(f"no such input: {source}")
    spark = local_session() if master == "local[2]" else \
        SparkSession.builder.master(master).appName("heelpath-screen").getOrCreate()
    try:
        summary = screen_spark(heelpath.load(), source, output, spark)
    finally:
        spark.stop()
    out.print(f"screened {summary.scored} patient(s) -> {escape(str(output))}/ (Spark)", highlight=False)
    if summary.rejected:
        err.print(f"[bold red]{summary.rejected} row(s) not screened[/]: "
                  f"{escape(str(output.with_name(output.stem + '.bad.csv')))}")
        raise typer.Exit(1)


@friendly_errors
def synth(
    n: int = typer.Argument(..., min=1, max=100_000_000, help="How many people."),
    output: Path = typer.Option(..., "--output", "-o", help="The .parquet or .csv file to write."),
    seed: int = typer.Option(0, "--seed", help="Random seed (the same seed gives the same cohort)."),
    answered: float = typer.Option(0.5, "--answered", min=0.0, max=1.0,
                                   help="Share of findings answered (the rest are unknown, as in real records)."),
) -> None:
    """A synthetic cohort drawn from the model's own priors and likelihoods; the truth (the causes
    drawn) goes to NAME.truth.csv. For benchmarks and tests: it measures the model against itself."""
    from rich.progress import Progress

    import heelpath
    from heelpath.services.synth import cohort
    from heelpath.services.tables import TableWriter

    hp = heelpath.load()
    truth_path = output.with_name(output.stem + ".truth.csv")
    with TableWriter(output) as table_out, TableWriter(truth_path) as truth_out, \
            Progress(console=err, transient=True) as bar:
        task = bar.add_task("drawing", total=n)
        for table, truth in cohort(hp, n, seed, answered):
            table_out.write(table)
            truth_out.write(truth)
            bar.advance(task, len(truth["id"]))
    out.print(f"{n} people -> {escape(str(output))} (truth: {escape(str(truth_path))})", highlight=False)


def register(app: typer.Typer) -> None:
    """Add `screen` and `synth` when pyarrow (the screen extra) is installed."""
    from importlib.util import find_spec

    if find_spec("pyarrow") is None:
        return
    app.command("screen")(screen)
    app.command("synth")(synth)
