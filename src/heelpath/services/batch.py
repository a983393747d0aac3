"""Batch screening: score a table of cases at once with the vectorised engine.

Input is JSON Lines, one case per line (docs/case-format.md), optionally with an "id". Each line is
validated on its own; a bad line is reported with its line number and never silently dropped.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from heelpath.engine import CompiledModel, evidence_vector, given_explained_columns, infer_batch
from heelpath.engine.model import ORIGIN_KEYS, UNEXPLAINED
from heelpath.errors import HeelpathError
from heelpath.services.case import Case, to_evidence

CHUNK = 20000


@dataclass
class BatchSummary:
    scored: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)


def _parse_lines(lines: Iterable[str], model: CompiledModel, summary: BatchSummary) -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise HeelpathError("a case must be a JSON object")
            case_id = str(data.pop("id", number))
            if data.get("text"):
                raise HeelpathError("free text is not read in batch mode; give structured findings")
            case = Case.from_data(data)
            evidence = to_evidence(model.kb, case)
        except json.JSONDecodeError as exc:
            summary.invalid.append((number, f"not valid JSON: {exc.msg}"))
            continue
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
    """Score every case in `source` (JSON Lines) and write a CSV to `target`."""
    summary = BatchSummary()
    projection = np.hstack([model.membership, model.origin_involvement])
    n_conditions = len(model.condition_ids)
    with source.open(encoding="utf-8") as lines, target.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        header = ["id"]
        for k in range(1, top + 1):
            header += [f"cause_{k}", f"probability_{k}"]
        header += [f"p_{o}" for o in ORIGIN_KEYS] + ["kb_version", "kb_hash"]
        writer.writerow(header)
        provenance = [model.kb.version, model.kb.content_hash]
        rows = _parse_lines(lines, model, summary)
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
