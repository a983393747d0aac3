"""The `heelpath` command line.

Every heelpath error becomes a one-line message on stderr and exit status 2; nothing else
escapes as a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape

from heelpath.interfaces.cli_errors import friendly_errors

app = typer.Typer(help="heelpath: heel-pain decision support (supports, does not replace, a clinician).",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
kb_app = typer.Typer(help="Inspect and validate the knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
out = Console()
err = Console(stderr=True)


@app.command()
@friendly_errors
def assess(
    case_file: Optional[Path] = typer.Argument(None, help="Case JSON file ('-' for stdin), at most 1 MiB; "
                                                          "see docs/case-format.md."),
    as_json: bool = typer.Option(False, "--json", help="Print the machine-readable result (--output json)."),
    output: str = typer.Option("text", "--output", help="text, json, or fhir (a FHIR R4 Bundle)."),
    fhir: Optional[Path] = typer.Option(None, "--fhir", help="Read the case from a FHIR R4 Bundle of a patient's "
                                                              "records or a QuestionnaireResponse (JSON)."),
    text: Optional[str] = typer.Option(None, "--text", help="Free-text description, read by the text intake."),
    age: Optional[float] = typer.Option(None, "--age", help="Age when no case file gives it."),
    sex: Optional[str] = typer.Option(None, "--sex", help="female or male."),
    side: Optional[str] = typer.Option(None, "--side", help="left, right or both."),
    setting: Optional[str] = typer.Option(None, "--setting", help="self_assessment or primary_care."),
) -> None:
    """Assess a case: ranked causes, origin, localisation, triage and next steps."""
    import heelpath
    from heelpath.errors import CaseFormatError

    output = "json" if as_json else output
    if output not in ("text", "json", "fhir"):
        raise CaseFormatError(f"--output {output!r}: expected text, json or fhir")
    if fhir and case_file:
        raise CaseFormatError("give a case file or --fhir, not both")
    context = heelpath.load()
    patient: str | None = None
    issues: list[tuple[str, str]] = []
    if fhir:
        from heelpath.interfaces.cli_fhir import assess_fhir

        result, patient, issues = assess_fhir(context, fhir, text, age=age, sex=sex, side=side, setting=setting)
    else:
        data = _read_case(case_file) if case_file else {}
        result = context.assess(data, text, age=age, sex=sex, side=side, setting=setting)
    if output == "fhir":
        from heelpath.services.fhir.result_bundle import result_bundle

        sys.stdout.write(json.dumps(result_bundle(context, result, patient, issues), indent=2, ensure_ascii=False) + "\n")
    elif output == "json":
        sys.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        from heelpath.interfaces.render import render_result

        render_result(out, result, context.kb)


def _read_case(case_file: Path) -> dict[str, Any]:
    from heelpath.errors import CaseFormatError
    from heelpath.services.jsonio import parse_json, read_file, read_text

    if str(case_file) == "-":
        where = "stdin"
        raw = read_text(sys.stdin.buffer, where)  # as bytes: the text layer would let bad UTF-8 through
    else:
        where = str(case_file)
        raw = read_file(case_file, "case file")
    data = parse_json(raw, where)
    if not isinstance(data, dict):
        raise CaseFormatError(f"{where}: a case must be a JSON object")
    case = data.get("case")
    return case if isinstance(case, dict) else data  # a vignette file: the case sits under "case"


@app.command()
@friendly_errors
def schema(which: str = typer.Argument(..., help="case or result")) -> None:
    """Print the JSON Schema of case files or of `assess --json` results."""
    from heelpath.schemas import generated_schema

    sys.stdout.write(json.dumps(generated_schema(which), indent=2) + "\n")


@kb_app.command("validate")
@friendly_errors
def kb_validate(skip_icd: bool = typer.Option(False, "--skip-icd", help="Skip the (slow) ICD-10-CM code check.")) -> None:
    """Check schema, references, numbers, codes and citations; exit 1 on any error."""
    from heelpath.knowledge import load_kb
    from heelpath.knowledge.validate import validate

    kb = load_kb()
    report = validate(kb, check_icd=not skip_icd)
    for warning in report.warnings:
        out.print(f"[yellow]warning:[/] {warning}", highlight=False)
    for error in report.errors:
        err.print(f"[bold red]error:[/] {error}", highlight=False)
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    out.print(f"knowledge base {kb.version} ({kb.content_hash[:12]}): {counts}", highlight=False)
    if not report.ok:
        err.print(f"[bold red]{len(report.errors)} error(s)[/]")
        raise typer.Exit(1)
    out.print("[green]valid[/]")


@kb_app.command("info")
@friendly_errors
def kb_info() -> None:
    """Version, content hash and size of the knowledge base."""
    from heelpath.knowledge import load_kb

    kb = load_kb()
    out.print(f"{kb.header.name} {kb.version}\nhash {kb.content_hash}\n"
              f"{len(kb.conditions)} conditions, {len(kb.findings)} findings, {len(kb.evidence)} evidence rows, "
              f"{len(kb.references)} references", highlight=False)


@kb_app.command("findings")
@friendly_errors
def kb_findings(who: Optional[str] = typer.Option(None, help="patient, clinician or test")) -> None:
    """List finding ids with their type and question."""
    from rich.table import Table

    from heelpath.knowledge import load_kb

    table = Table("id", "type", "by", "side?", "question")
    for f in load_kb().findings:
        if who and f.answered_by != who:
            continue
        table.add_row(f.id, f.type + (f" ({f.unit})" if f.unit else ""), f.answered_by,
                      "yes" if f.lateralised else "", f.lay_question or f.clinician_question)
    out.print(table)


@kb_app.command("rules")
@friendly_errors
def kb_rules() -> None:
    """Every red flag and triage rule with its level, sources and timing (Markdown)."""
    import heelpath
    from heelpath.knowledge.rules import rules_table

    typer.echo(rules_table(heelpath.load().rules), nl=False)


@kb_app.command("conditions")
@friendly_errors
def kb_conditions() -> None:
    """List condition ids with origin and codes."""
    from rich.table import Table

    from heelpath.knowledge import load_kb

    table = Table("id", "name", "origin", "serious", "ICD-10-CM", "SNOMED CT")
    for c in load_kb().conditions:
        table.add_row(c.id, c.name, c.origin, "yes" if c.serious else "", ", ".join(c.icd10cm), c.snomed or "")
    out.print(table)


@kb_app.command("train-reader")
@friendly_errors
def kb_train_reader(
    cases: Optional[Path] = typer.Option(None, help="The cases/ folder of a source checkout (default: this one's)."),
    threshold: Optional[float] = typer.Option(
        None, min=0.01, max=0.99, help="Probability at which the reader asks a warning sign (default: the one chosen by "
                                       "benchmarks/text_reader_threshold.py)."),
) -> None:
    """Train the statistical text reader of warning signs on the development lay texts (never a hold-out) and
    write it into the knowledge base."""
    import heelpath
    from heelpath.knowledge.loader import DATA_DIR
    from heelpath.services.intake.statistical import THRESHOLD, THRESHOLD_BASIS, write_reader
    from heelpath.services.validation.lay_texts import reader_training_set
    from heelpath.services.validation.suites import cases_folder

    records = reader_training_set(cases_folder(cases))
    basis = "Set by hand when the reader was trained: not cross-validated."
    if threshold is None:
        threshold, basis = THRESHOLD, THRESHOLD_BASIS
    spec = write_reader(records, heelpath.load().lexicon, DATA_DIR, threshold, basis)
    out.print(f"trained on {len(records)} development texts: {spec.model} reads {len(spec.labels)} findings",
              highlight=False)


@app.command()
@friendly_errors
def demo() -> None:
    """Assess the bundled example cases and print their results."""
    import heelpath
    from heelpath.examples import example_paths
    from heelpath.interfaces.render import render_result

    context = heelpath.load()
    for path in example_paths():
        out.rule(f"example: {path.stem}")
        render_result(out, context.assess(_read_case(path)), context.kb)


@app.command()
@friendly_errors
def batch(
    source: Path = typer.Argument(..., help="Cases as JSON Lines, one case per line (optional \"id\")."),
    output: Path = typer.Option(..., "--output", "-o", help="CSV file to write."),
    top: int = typer.Option(3, min=1, max=20, help="How many causes to write per case."),
) -> None:
    """Score a table of cases with the vectorised engine (batch screening)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    import heelpath
    from heelpath.errors import CaseFormatError
    from heelpath.services.batch import count_cases, score_jsonl

    if not source.is_file():
        raise CaseFormatError(f"no such input file: {source}")
    total = count_cases(source)  # also refuses a file that is not UTF-8, before any output is written
    with Progress(TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("scoring", total=total)
        summary = score_jsonl(source, output, heelpath.load().model, top=top,
                              progress=lambda n: bar.advance(task, n))
    out.print(f"scored {summary.scored} case(s) -> {escape(str(output))}", highlight=False)
    for line, problem in summary.invalid[:20]:
        # escaped, as problems quote the input; one line each, however long
        err.print(f"[bold red]line {line}:[/] {escape(problem)}", highlight=False, soft_wrap=True)
    if summary.invalid:
        err.print(f"[bold red]{len(summary.invalid)} invalid line(s) not scored[/]")
        raise typer.Exit(1)


from heelpath.interfaces.cli_serve import register as _register_serve  # noqa: E402

_register_serve(app)

from heelpath.interfaces.cli_interview import interview  # noqa: E402

app.command()(interview)

from heelpath.interfaces.cli_fhir import cds_app, fhir_app  # noqa: E402
from heelpath.interfaces.cli_report import report_app  # noqa: E402
from heelpath.interfaces.cli_screen import register as _register_screen  # noqa: E402

app.add_typer(fhir_app, name="fhir")
app.add_typer(cds_app, name="cds")
app.add_typer(report_app, name="report")
_register_screen(app)


def main() -> None:  # pragma: no cover - console entry point
    app()
