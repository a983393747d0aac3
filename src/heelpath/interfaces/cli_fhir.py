"""`heelpath fhir ...` and `heelpath cds ...`, and reading a FHIR file for `heelpath assess --fhir`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console

from heelpath.interfaces.cli_errors import friendly_errors

fhir_app = typer.Typer(help="FHIR R4: the generated Questionnaire.", no_args_is_help=True)
cds_app = typer.Typer(help="CDS Hooks: what clinicians did with the cards.", no_args_is_help=True)
err = Console(stderr=True)


def assess_fhir(context: Any, path: Path, text: str | None,
                **overrides: Any) -> tuple[Any, str | None, list[tuple[str, str]]]:
    """Assess a Bundle of records or a QuestionnaireResponse: the result, the patient reference and
    what the records left open (each also printed on stderr)."""
    from heelpath.services.fhir.questionnaire import case_from_response
    from heelpath.services.fhir.records import assess_records
    from heelpath.services.jsonio import parse_json, read_file

    data = parse_json(read_file(path, "FHIR file"), str(path))
    if isinstance(data, dict) and data.get("resourceType") == "QuestionnaireResponse":
        case, notes = case_from_response(context, data)
        for note in notes:
            err.print(f"note: {note}", highlight=False)
        return context.assess(case, text, **overrides), None, []
    if text:
        from heelpath.errors import CaseFormatError

        raise CaseFormatError("--text is read with a case or a QuestionnaireResponse, not with a Bundle of records")
    result, records = assess_records(context, data, **overrides)
    for severity, message in records.issues():
        err.print(f"{'ask' if severity == 'warning' else 'not read'}: {message}", highlight=False, soft_wrap=True)
    return result, f"Patient/{records.patient_id}" if records.patient_id else None, records.issues()


@fhir_app.command("questionnaire")
@friendly_errors
def questionnaire(output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write it to this file.")) -> None:
    """Print the Questionnaire generated from the knowledge base (FHIR R4 JSON)."""
    import heelpath
    from heelpath.services.fhir.questionnaire import questionnaire as generate

    document = json.dumps(generate(heelpath.load()), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(document)
    else:
        from heelpath.services.batch import open_output

        with open_output(output) as stream:
            stream.write(document)


@cds_app.command("feedback")
@friendly_errors
def feedback(db: Optional[Path] = typer.Option(None, "--db", dir_okay=False,
                                               show_default="HEELPATH_DATABASE_URL, HEELPATH_DB or the default file",
                                               help="The database the server keeps feedback in.")) -> None:
    """Summarise what clinicians did with heelpath's CDS Hooks cards: accepted or overridden, and why."""
    from rich.table import Table

    from heelpath.interfaces.http.config import Settings
    from heelpath.services.cds_records import CdsRecords
    from heelpath.services.storage import AssessmentStore

    settings = Settings.from_env()
    store = AssessmentStore(db if db is not None else settings.database)
    try:
        counts = CdsRecords(store).summary()
    finally:
        store.close()
    out = Console()
    if not counts:
        out.print(f"no CDS Hooks feedback in {store.where}")
        return
    table = Table("service", "outcome", "override reason", "cards", "suggestions accepted", title="CDS Hooks feedback")
    for row in counts:
        table.add_row(row.service, row.outcome, row.reason or "", str(row.count), str(row.suggestions))
    out.print(table)
