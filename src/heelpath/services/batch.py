"""Batch screening: score a table of cases at once with the vectorised engine.

Input is JSON Lines, one case per line (docs/case-format.md), optionally with an "id". Each line is
validated on its own; a bad line is reported with its line number and never silently dropped.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

import numpy as np

from heelpath.engine import CompiledModel, evidence_vector, given_explained_columns, infer_batch
from heelpath.engine.model import ORIGIN_KEYS, UNEXPLAINED
from heelpath.errors import CaseFormatError, HeelpathError, OutputFileError
from heelpath.services.case import Case, to_evidence
from heelpath.services.jsonio import decode, parse_json

CHUNK = 20000


@dataclass
class BatchSummary:
    scored: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)


def count_cases(source: Path) -> int:
    """How many non-blank lines `source` has; refuses a file that is not all UTF-8 (see `_numbered_lines`)."""
    try:
        with source.open("rb") as stream:
            return sum(1 for _ in _numbered_lines(stream, source))
    except OSError as exc:
        raise CaseFormatError(f"cannot read {source}: {exc.strerror or exc}") from None


def _numbered_lines(stream: BinaryIO, source: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-blank line.

    A file that is not UTF-8 is refused whole, at its first bad line: the whole file was saved in
    another encoding (UTF-16, Latin-1), so skipping the lines that fail would drop cases at random.
    """
    for number, raw in enumerate(stream, start=1):
        line = decode(raw, f"{source} line {number}")
        if line.strip():
            yield number, line


def _parse_lines(lines: Iterable[tuple[int, str]], model: CompiledModel,
                 summary: BatchSummary) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    for number, line in lines:
        try:
            data = parse_json(line)
            if not isinstance(data, dict):
                raise HeelpathError("a case must be a JSON object")
            case_id = str(data.pop("id", number))
            if data.get("text"):
                raise HeelpathError("free text is not read in batch mode; give structured findings")
            case = Case.from_data(data)
            evidence = to_evidence(model.kb, case)
        except HeelpathError as exc:
            summary.invalid.append((number, str(exc)))
            continue
        yield case_id, evidence_vector(model, evidence.answers), model.log_prior(case.setting, case.age, case.sex)


def score_jsonl(
    source: Path,
    target: Path,
    model: CompiledModel,
    top: int = 3,
    progress: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Score every case in `source` (JSON Lines) and write a CSV to `target`.

    Raises
    ------
    OutputFileError
        `target` cannot be written, or is `source` itself (writing would erase the cases).
    CaseFormatError
        `source` is not UTF-8 (call :func:`count_cases` first to find out before anything is written).
    """
    summary = BatchSummary()
    projection = np.hstack([model.membership, model.origin_involvement])
    n_conditions = len(model.condition_ids)
    if target.exists() and target.samefile(source):
        raise OutputFileError(f"cannot write {target}: it is the input file, and writing would erase its cases")
    with source.open("rb") as stream, open_output(target) as out:
        writer = csv.writer(out)
        header = ["id"]
        for k in range(1, top + 1):
            header += [f"cause_{k}", f"probability_{k}"]
        header += [f"p_{o}" for o in ORIGIN_KEYS] + ["kb_version", "kb_hash"]
        writer.writerow(header)
        provenance = [model.kb.version, model.kb.content_hash]
        rows = _parse_lines(_numbered_lines(stream, source), model, summary)
        while True:
            block = [row for _, row in zip(range(CHUNK), rows)]
            if not block:
                break
            ids = [b[0] for b in block]
            scores = infer_batch(model, np.stack([b[1] for b in block]), np.stack([b[2] for b in block]),
                                 projection=projection)
            scores = given_explained_columns(scores, n_conditions + ORIGIN_KEYS.index(UNEXPLAINED))
            marginals, origins = scores[:, :n_conditions], scores[:, n_conditions:]
            order = np.argsort(-marginals, axis=1)[:, :top]
            for i, case_id in enumerate(ids):
                row = [case_id]
                for c in order[i]:
                    row += [model.condition_ids[c], f"{marginals[i, c]:.4f}"]
                writer.writerow(row + [f"{p:.4f}" for p in origins[i]] + provenance)
            summary.scored += len(block)
            if progress:
                progress(len(block))
    return summary


def open_output(target: Path) -> TextIO:
    """`target` opened for writing UTF-8 text; OutputFileError names why it cannot be."""
    try:
        return target.open("w", newline="", encoding="utf-8")
    except IsADirectoryError:
        raise OutputFileError(f"cannot write {target}: it is a folder; give a file name") from None
    except FileNotFoundError:
        raise OutputFileError(f"cannot write {target}: the folder {target.parent} does not exist") from None
    except OSError as exc:
        raise OutputFileError(f"cannot write {target}: {exc.strerror or exc}") from None
