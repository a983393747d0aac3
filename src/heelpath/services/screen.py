"""Population screening: a table of patients scored as single assessments would score them.

Input is a table (CSV or Parquet), one patient a row: ``id``, ``age`` and optionally ``sex``,
``side``, ``setting`` and ``text``, then one column per finding id (docs/screening.md). A finding
cell is ``true``/``false`` (also ``yes``/``no``, ``1``/``0``), empty for not known, ``left``,
``right`` or ``both`` for present on that side, or a number for a number finding. Each row is
validated by the same code as a single case (:func:`heelpath.services.case.to_evidence`), so a red
flag in a screen means exactly what it means in an assessment; the scoring and the triage are the
vectorised engine and rule book, chunk by chunk, so memory stays flat.

A bad row is reported with its row number and the reason, never dropped in silence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from heelpath.engine import evidence_vector, given_explained_columns, infer_batch
from heelpath.engine.model import ORIGIN_CATEGORIES, ORIGIN_KEYS, UNEXPLAINED
from heelpath.errors import CaseFormatError, HeelpathError
from heelpath.knowledge.rules import LEVELS
from heelpath.services.case import Case, to_evidence
from heelpath.services.context import Heelpath
from heelpath.services.vector_triage import any_side_present, vector_triage

CASE_COLUMNS = ("id", "age", "sex", "side", "setting", "text")
TOP = 3
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_SIDES = {"left", "right", "both"}


@dataclass
class ScreenSummary:
    scored: int = 0
    bad: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, id, reason)


def output_columns() -> list[str]:
    columns = ["id"]
    for k in range(1, TOP + 1):
        columns += [f"cause_{k}", f"p_cause_{k}"]
    columns += ["origin", *(f"p_{o}" for o in ORIGIN_KEYS), "triage", "red_flags",
                "flag_probably_spinal", "flag_possible_spondyloarthritis", "flag_red_flag"]
    return columns


def output_types() -> dict[str, str]:
    """The pyarrow type of each output column."""
    def kind(column: str) -> str:
        if column.startswith("p_"):
            return "float64"
        return "bool_" if column.startswith("flag_") else "string"
    return {column: kind(column) for column in output_columns()}


def check_columns(hp: Heelpath, columns: list[str]) -> None:
    """Refuse a table with a column that is neither a case field nor a finding id (a typo would
    otherwise drop that finding for every patient)."""
    unknown = [c for c in columns if c not in CASE_COLUMNS and not hp.kb.has_finding(c)]
    if unknown:
        raise CaseFormatError(f"unknown column(s): {', '.join(unknown[:10])} (a column is a case field "
                              f"({', '.join(CASE_COLUMNS)}) or a finding id: `heelpath kb findings`)")
    for needed in ("id", "age"):
        if needed not in columns:
            raise CaseFormatError(f"the table has no {needed!r} column")


def case_of(hp: Heelpath, row: dict[str, Any]) -> dict[str, Any]:
    """One row as a case (docs/case-format.md); a cell it cannot read raises CaseFormatError."""
    case: dict[str, Any] = {}
    findings: dict[str, Any] = {}
    for column, value in row.items():
        if column == "id" or _blank(value):
            continue
        if column in CASE_COLUMNS:
            case[column] = _number(column, value) if column == "age" else str(value).strip().lower() \
                if column != "text" else str(value)
            continue
        findings[column] = _answer(hp, column, value)
    case["findings"] = findings
    return case


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or (isinstance(value, str) and not value.strip())


def _number(column: str, value: Any) -> float:
    if isinstance(value, bool):
        raise CaseFormatError(f"{column}: expected a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CaseFormatError(f"{column}: expected a number, got {str(value)[:40]!r}") from None
    if not np.isfinite(number):
        raise CaseFormatError(f"{column}: expected a number, got {value!r}")
    return int(number) if number.is_integer() else number


def _answer(hp: Heelpath, column: str, value: Any) -> Any:
    finding = hp.kb.finding(column)
    if finding.type == "number":
        return _number(column, value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    if word in _SIDES:
        if not finding.lateralised:
            raise CaseFormatError(f"{column}: {word!r}, but this finding is not answered per side")
        return {"present": True, "side": word}
    raise CaseFormatError(f"{column}: expected true, false, left, right, both or empty, got {str(value)[:40]!r}")


class Screener:
    """Scores chunks of rows; keeps nothing between chunks."""

    def __init__(self, hp: Heelpath) -> None:
        self.hp, self.model = hp, hp.model
        self.triage = vector_triage(hp)
        self.n_conditions = len(self.model.condition_ids)
        # what the rules read, then each origin's involvement and category mass, in one pass
        self.projection = np.hstack([self.triage.projection, self.model.origin_involvement,
                                     self.model.origin_category])
        self.flag_ids = [flag.id for flag in hp.rules.red_flags]
        self.spinal_at = hp.codes.cards.spinal.at_least
        self.systemic_at = hp.codes.cards.systemic.at_least

    def score(self, rows: list[dict[str, Any]], first_row: int, summary: ScreenSummary) -> dict[str, list[Any]]:
        """Columns (:func:`output_columns`) for the rows that are valid; the others go to `summary.bad`."""
        valid: list[tuple[str, Case, np.ndarray, np.ndarray]] = []
        for offset, row in enumerate(rows):
            row_id = str(row.get("id") if not _blank(row.get("id")) else first_row + offset)
            try:
                data, _ = self.hp.with_text(case_of(self.hp, row))
                if data.get("age") is None:
                    raise CaseFormatError("age is missing")
                case = Case.from_data(data)
                evidence = to_evidence(self.model.kb, case)
            except HeelpathError as exc:
                summary.bad.append((first_row + offset, row_id, str(exc)))
                continue
            valid.append((row_id, case, evidence_vector(self.model, evidence.answers),
                          any_side_present(self.model, evidence.given)))
        out: dict[str, list[Any]] = {column: [] for column in output_columns()}
        for setting in sorted({case.setting for _, case, _, _ in valid}):
            group = [v for v in valid if v[1].setting == setting]
            self._score_group(group, setting, out)
        summary.scored += len(valid)
        return out

    def _score_group(self, group: list[tuple[str, Case, np.ndarray, np.ndarray]], setting: str,
                     out: dict[str, list[Any]]) -> None:
        model, n_c, width = self.model, self.n_conditions, self.triage.projection.shape[1]
        evidence = np.stack([g[2] for g in group])
        log_prior = np.stack([model.log_prior(setting, g[1].age, g[1].sex) for g in group])
        projected = infer_batch(model, evidence, log_prior, projection=self.projection)
        rules_view = projected[:, :width]
        involvement = given_explained_columns(projected[:, width:width + len(ORIGIN_KEYS)],
                                              ORIGIN_KEYS.index(UNEXPLAINED))
        category = projected[:, width + len(ORIGIN_KEYS):]
        ranks, red = self.triage.evaluate(evidence, rules_view, np.array([g[1].age for g in group], dtype=float),
                                          setting, np.stack([g[3] for g in group]))
        marginals = self.triage.given_explained(rules_view)[:, :n_c]
        order = np.argsort(-marginals, axis=1, kind="stable")[:, :TOP]
        for i, (row_id, _, _, _) in enumerate(group):
            out["id"].append(row_id)
            for k in range(TOP):
                c = order[i, k]
                out[f"cause_{k + 1}"].append(model.condition_ids[c])
                out[f"p_cause_{k + 1}"].append(round(float(marginals[i, c]), 4))
            out["origin"].append(ORIGIN_CATEGORIES[int(np.argmax(category[i]))])
            involves = dict(zip(ORIGIN_KEYS, involvement[i].tolist()))
            for key in ORIGIN_KEYS:
                out[f"p_{key}"].append(round(involves[key], 4))
            fired = [self.flag_ids[r] for r in np.flatnonzero(red[:, i])]
            out["triage"].append(LEVELS[int(ranks[i])])
            out["red_flags"].append(";".join(fired))
            out["flag_probably_spinal"].append(involves["spinal"] >= self.spinal_at)
            out["flag_possible_spondyloarthritis"].append(involves["systemic"] >= self.systemic_at)
            out["flag_red_flag"].append(bool(fired))


RowSource = Iterator[tuple[int, list[dict[str, Any]]]]


def screen_rows(hp: Heelpath, chunks: RowSource, write: Callable[[dict[str, list[Any]]], None],
                progress: Callable[[int], None] | None = None) -> ScreenSummary:
    """Score every chunk of rows ((first row number, rows)) and hand each chunk's columns to `write`."""
    screener, summary = Screener(hp), ScreenSummary()
    for first_row, rows in chunks:
        write(screener.score(rows, first_row, summary))
        if progress:
            progress(len(rows))
    return summary
