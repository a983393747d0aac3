"""`heelpath report validation`: the validation report as one self-contained page (or PDF); it needs the
`report` extra (Jinja2, matplotlib, WeasyPrint) and the cases/ folder of a source checkout."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from heelpath.interfaces.cli_errors import friendly_errors

report_app = typer.Typer(help="Reports anyone can regenerate.", no_args_is_help=True)
err = Console(stderr=True)


@report_app.command("validation")
@friendly_errors
def validation(
    output: Path = typer.Option(..., "--output", "-o", help="The .html file to write (with --pdf: the .pdf)."),
    pdf: bool = typer.Option(False, "--pdf", help="Write PDF instead of HTML."),
    quick: bool = typer.Option(False, "--quick", help="Small samples: a check of the report, not its figures."),
    cases: Path | None = typer.Option(None, "--cases", help="The cases/ folder (default: this checkout's)."),
) -> None:
    """Accuracy, calibration, triage, the interview, the text intake, evidence coverage and speed, with plots."""
    import heelpath
    from heelpath.errors import InputError
    from heelpath.interfaces.validation_report import render_html, render_pdf
    from heelpath.services.validation.run import STEPS, run_validation

    if output.suffix.lower() != (".pdf" if pdf else ".html"):
        raise InputError(f"{output}: the report is written to a {'.pdf' if pdf else '.html'} file")
    if not output.parent.is_dir():
        raise InputError(f"{output.parent} is not a folder")
    context = heelpath.load()
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=err, transient=True) as progress:
        task = progress.add_task("validating", total=len(STEPS) + 1)

        def step(name: str) -> None:
            progress.update(task, description=name, completed=STEPS.index(name))

        run = run_validation(context, cases, quick=quick, progress=step)
        progress.update(task, description="writing", completed=len(STEPS))
        html = render_html(run)
        if pdf:
            output.write_bytes(render_pdf(html))
        else:
            output.write_text(html, encoding="utf-8")
    err.print(f"validation report written to {output}")
