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
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from heelpath.engine import evidence_vector, given_explained_columns, infer_batch
from heelpath.engine.inference import ABSENT, PRESENT, UNKNOWN
from heelpath.engine.model import ORIGIN_CATEGORIES, ORIGIN_KEYS, UNEXPLAINED
from heelpath.errors import CaseFormatError, HeelpathError
from heelpath.knowledge.rules import LEVELS
from heelpath.services.case import SETTINGS, Case, to_evidence
from heelpath.services.context import Heelpath
from heelpath.services.vector_triage import any_side_present, vector_triage

CASE_COLUMNS = ("id", "age", "sex", "side", "setting", "text")
TOP = 3
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_SIDES = {"left", "right", "both"}


#: a row not screened: (row number, id, reason)
BadRow = tuple[int, str, str]


@dataclass
class ScreenSummary:
    scored: int = 0
    rejected: int = 0  # bad rows, all counted
    bad: list[BadRow] = field(default_factory=list)  # bad rows not yet handed to screen_rows' `reject`


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
        if column == "age":
            case["age"] = _number(column, value)
        elif column == "text":
            case["text"] = str(value)
        elif column in CASE_COLUMNS:
            case[column] = str(value).strip().lower()
        else:
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


_OTHER = 9  # a cell that is not a plain yes, no or empty
_SEXES = (None, "female", "male")
#: a boolean cell's code from (known, value) as 2 * known + value
_BOOL_CODES = np.array([UNKNOWN, UNKNOWN, ABSENT, PRESENT], dtype=np.int8)


@dataclass
class _Rows:
    """Valid rows of a chunk as arrays, one entry a row."""

    ids: np.ndarray  # str
    setting: np.ndarray  # str
    age: np.ndarray  # float
    sex: np.ndarray  # "female", "male" or None
    evidence: np.ndarray  # (n, F) int8
    present: np.ndarray  # (n, F) bool: answered present on either side (what red flags also read)
    number: np.ndarray  # row numbers

    def take(self, index: np.ndarray) -> _Rows:
        return _Rows(*(getattr(self, f.name)[index] for f in fields(_Rows)))

    @staticmethod
    def concat(parts: list[_Rows]) -> _Rows:
        return _Rows(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(_Rows)))

    @staticmethod
    def empty(features: int) -> _Rows:
        return _Rows(np.array([], object), np.array([], object), np.array([], float), np.array([], object),
                     np.zeros((0, features), np.int8), np.zeros((0, features), bool), np.array([], np.int64))


def _plain_codes(column: Any, pa: Any) -> np.ndarray:
    """PRESENT / ABSENT / UNKNOWN for plain yes, no and empty cells of one column, _OTHER otherwise."""
    import pyarrow.compute as pc

    if pa.types.is_boolean(column.type):  # straight from the bitmaps: the commonest column by far
        n, offset = len(column), column.offset
        validity, values = column.buffers()[:2]

        def bits(buffer: Any) -> np.ndarray:
            return np.unpackbits(np.frombuffer(buffer, np.uint8), count=offset + n, bitorder="little")[offset:]

        known = bits(validity) if validity is not None and column.null_count else np.ones(n, np.uint8)
        return _BOOL_CODES[known * 2 + bits(values)]
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        values = column.cast(pa.float64()).to_numpy(zero_copy_only=False)
        codes = np.where(np.isnan(values), UNKNOWN, np.where(values == 1, PRESENT, np.where(values == 0, ABSENT, _OTHER)))
        return codes.astype(np.int8)
    if pa.types.is_null(column.type):
        return np.full(len(column), UNKNOWN, dtype=np.int8)
    words = _words(column, pa)
    yes = pc.is_in(words, value_set=pa.array(sorted(_TRUE))).to_numpy(zero_copy_only=False)
    no = pc.is_in(words, value_set=pa.array(sorted(_FALSE))).to_numpy(zero_copy_only=False)
    empty = _blanks(words)
    return np.where(yes, PRESENT, np.where(no, ABSENT, np.where(empty, UNKNOWN, _OTHER))).astype(np.int8)


def _words(column: Any, pa: Any) -> Any:
    """A column's cells as trimmed lower-case text (nulls stay null)."""
    import pyarrow.compute as pc

    return pc.utf8_lower(pc.utf8_trim_whitespace(column.cast(pa.string())))


def _blanks(words: Any) -> np.ndarray:
    """Which trimmed cells are empty or null."""
    import pyarrow.compute as pc

    return pc.fill_null(pc.equal(words, ""), True).to_numpy(zero_copy_only=False)


def _ages(column: Any, pa: Any) -> np.ndarray:
    """Each cell's age, NaN where it is not a plain number (the per-row path then says why)."""
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        return column.cast(pa.float64()).to_numpy(zero_copy_only=False)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        try:
            return column.cast(pa.float64()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:  # a cell that is not a plain number ("old", " 45"): read cell by cell
            return _cell_ages(column)
    return _cell_ages(column)


def _cell_ages(column: Any) -> np.ndarray:
    return np.array([_age(value) for value in column.to_pylist()], dtype=float)


def _age(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


class Screener:
    """Scores chunks of rows; keeps nothing between chunks.

    :meth:`score_batch` reads an Arrow batch column by column: a row whose cells are all plain
    yes/no/empty answers is encoded with array operations, any other row (a side, a number, text, a
    cell it cannot read, a contradiction) goes through :meth:`score`, the per-row path that
    validates exactly as a single case does. A test holds the two paths to the same output.
    """

    def __init__(self, hp: Heelpath) -> None:
        self.hp, self.model = hp, hp.model
        self.triage = vector_triage(hp)
        self.n_conditions = len(self.model.condition_ids)
        # what the rules read, then each origin's involvement and category mass, in one pass
        self.projection = np.hstack([self.triage.projection, self.model.origin_involvement,
                                     self.model.origin_category])
        self.flag_ids = [flag.id for flag in hp.rules.red_flags]
        self.condition_names = np.array(self.model.condition_ids)
        self.category_names = np.array(ORIGIN_CATEGORIES)
        self.level_names = np.array(LEVELS)
        self.variants = [(self.model.feature_index[f.id], self.model.feature_index[f.bilateral_variant])
                         for f in hp.kb.findings if f.bilateral_variant]
        self.bilateral = self.model.feature_index["bilateral_heel_pain"]
        self.spinal_at = hp.codes.cards.spinal.at_least
        self.systemic_at = hp.codes.cards.systemic.at_least

    def score(self, rows: list[dict[str, Any]], first_row: int, summary: ScreenSummary) -> dict[str, list[Any]]:
        """Columns (:func:`output_columns`) for the rows that are valid; the others go to `summary.bad`."""
        return self._scored(self._validated(rows, first_row, summary), summary)

    def score_batch(self, batch: Any, first_row: int, summary: ScreenSummary) -> dict[str, list[Any]]:
        """:meth:`score` for an Arrow record batch, plain rows encoded column by column."""
        fast, plain = self._plain_rows(batch, first_row)
        slow = np.flatnonzero(~fast)
        if not len(slow):
            return self._scored(plain, summary)
        rows = batch.take(slow).to_pylist()
        for i, row in zip(slow, rows):
            row["_row"] = first_row + int(i)
        merged = _Rows.concat([plain, self._validated(rows, first_row, summary)])
        return self._scored(merged.take(np.argsort(merged.number, kind="stable")), summary)

    def _validated(self, rows: list[dict[str, Any]], first_row: int, summary: ScreenSummary) -> _Rows:
        valid = []
        for offset, row in enumerate(rows):
            number = row.pop("_row", first_row + offset)
            row_id = str(row.get("id") if not _blank(row.get("id")) else number)
            try:
                data, _ = self.hp.with_text(case_of(self.hp, row))
                if data.get("age") is None:
                    raise CaseFormatError("age is missing")
                case = Case.from_data(data)
                evidence = to_evidence(self.model.kb, case)
            except HeelpathError as exc:
                summary.bad.append((number, row_id, str(exc)))
                summary.rejected += 1
                continue
            valid.append((row_id, case.setting, case.age, case.sex, evidence_vector(self.model, evidence.answers),
                          any_side_present(self.model, evidence.given), number))
        if not valid:
            return _Rows.empty(len(self.model.feature_ids))
        ids, settings, ages, sexes, vectors, present, numbers = zip(*valid)
        return _Rows(np.array(ids, object), np.array(settings, object), np.array(ages, float), np.array(sexes, object),
                     np.stack(vectors), np.stack(present), np.array(numbers, np.int64))

    def _plain_rows(self, batch: Any, first_row: int) -> tuple[np.ndarray, _Rows]:
        """Which rows hold only plain answers, and those rows encoded, column by column."""
        import pyarrow as pa

        n, model = batch.num_rows, self.model
        names = batch.schema.names
        ages = _ages(batch.column(names.index("age")), pa)
        with np.errstate(invalid="ignore"):
            fast = (ages >= 0) & (ages <= 120)
        case_fields = {}
        for name, allowed, default in (("sex", ("female", "male"), None),
                                       ("side", ("left", "right", "both", "unknown"), "unknown"),
                                       ("setting", SETTINGS, "self_assessment")):
            words = _words(batch.column(names.index(name)), pa) if name in names else pa.nulls(n, pa.string())
            blank = _blanks(words)
            words = words.to_numpy(zero_copy_only=False)
            fast &= blank | np.isin(words, allowed)
            case_fields[name] = np.where(blank, default, words)
        if "text" in names:
            fast &= _blanks(_words(batch.column(names.index("text")), pa))
        evidence = np.full((len(model.feature_ids), n), UNKNOWN, dtype=np.int8).T  # filled a column at a time
        for name in names:
            if name in CASE_COLUMNS:
                continue
            codes = _plain_codes(batch.column(names.index(name)), pa)
            if self.hp.kb.finding(name).type != "boolean":
                fast &= codes == UNKNOWN
                continue
            fast &= codes != _OTHER
            evidence[:, model.feature_index[name]] = np.where(codes == _OTHER, UNKNOWN, codes)
        for finding, variant in self.variants:  # absent finding: its bilateral variant absent too
            absent = evidence[:, finding] == ABSENT
            fast &= ~(absent & (evidence[:, variant] == PRESENT))
            evidence[:, variant] = np.where(absent, ABSENT, evidence[:, variant])
        side = case_fields["side"]
        both = np.where(side == "both", PRESENT, np.where(np.isin(side, ["left", "right"]), ABSENT, UNKNOWN))
        column = evidence[:, self.bilateral]
        fast &= (column == UNKNOWN) | (both == UNKNOWN) | (column == both)
        evidence[:, self.bilateral] = np.where(both != UNKNOWN, both, column)
        numbers = np.arange(first_row, first_row + n, dtype=np.int64)
        rows = _Rows(self._ids(batch.column(names.index("id")), numbers, pa), case_fields["setting"], ages,
                     case_fields["sex"], evidence, evidence == PRESENT, numbers)
        return fast, rows.take(np.flatnonzero(fast))

    @staticmethod
    def _ids(column: Any, numbers: np.ndarray, pa: Any) -> np.ndarray:
        """Each row's id as text, its row number where the id is blank (as :meth:`_validated` does)."""
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            import pyarrow.compute as pc

            blank = _blanks(pc.utf8_trim_whitespace(column))
            cells = column.to_numpy(zero_copy_only=False)
        else:
            cells = np.array([None if _blank(v) else str(v) for v in column.to_pylist()], object)
            blank = np.equal(cells, None)
        return np.where(blank, numbers.astype(str).astype(object), cells)

    def _scored(self, rows: _Rows, summary: ScreenSummary) -> dict[str, list[Any]]:
        """The output columns of the valid rows, in their order."""
        n, n_c, width = len(rows.number), self.n_conditions, self.triage.projection.shape[1]
        projected = np.empty((n, self.projection.shape[1]))
        ranks, red = np.zeros(n, np.int64), np.zeros((len(self.flag_ids), n), bool)
        for setting in np.unique(rows.setting):
            at = np.flatnonzero(rows.setting == setting)
            projected[at] = infer_batch(self.model, rows.evidence[at], self._log_priors(setting, rows.take(at)),
                                        projection=self.projection)
            ranks[at], red[:, at] = self.triage.evaluate(rows.evidence[at], projected[at, :width], rows.age[at],
                                                         setting, rows.present[at])
        summary.scored += n
        rules_view = projected[:, :width]
        involvement = given_explained_columns(projected[:, width:width + len(ORIGIN_KEYS)],
                                              ORIGIN_KEYS.index(UNEXPLAINED))
        category = projected[:, width + len(ORIGIN_KEYS):]
        marginals = self.triage.given_explained(rules_view)[:, :n_c]
        order = np.argsort(-marginals, axis=1, kind="stable")[:, :TOP]
        out: dict[str, list[Any]] = {"id": rows.ids.tolist()}
        for k in range(TOP):
            out[f"cause_{k + 1}"] = self.condition_names[order[:, k]].tolist()
            out[f"p_cause_{k + 1}"] = np.round(marginals[np.arange(n), order[:, k]], 4).tolist()
        out["origin"] = self.category_names[np.argmax(category, axis=1)].tolist()
        for j, key in enumerate(ORIGIN_KEYS):
            out[f"p_{key}"] = np.round(involvement[:, j], 4).tolist()
        out["triage"] = self.level_names[ranks].tolist()
        out["red_flags"] = self._flag_lists(red)
        out["flag_probably_spinal"] = (involvement[:, ORIGIN_KEYS.index("spinal")] >= self.spinal_at).tolist()
        out["flag_possible_spondyloarthritis"] = (
            involvement[:, ORIGIN_KEYS.index("systemic")] >= self.systemic_at).tolist()
        out["flag_red_flag"] = red.any(axis=0).tolist()
        return {column: out[column] for column in output_columns()}

    def _flag_lists(self, red: np.ndarray) -> list[str]:
        """Each row's fired red flags joined by ";", joined once per distinct set (rows share few)."""
        if not red.shape[1]:
            return []
        packed = np.ascontiguousarray(np.packbits(red, axis=0, bitorder="little").T)
        keys = packed.view(np.dtype((np.void, packed.shape[1]))).reshape(-1)
        _, first, which = np.unique(keys, return_index=True, return_inverse=True)
        names = np.array([";".join(self.flag_ids[r] for r in np.flatnonzero(red[:, i])) for i in first], object)
        return names[which.reshape(-1)].tolist()

    def _log_priors(self, setting: str, rows: _Rows) -> np.ndarray:
        """(n, S) log priors, one computed per distinct (age, sex)."""
        sex = (rows.sex == "female") * _SEXES.index("female") + (rows.sex == "male") * _SEXES.index("male")
        key = rows.age.astype(np.int64) * len(_SEXES) + sex
        distinct, inverse = np.unique(key, return_inverse=True)
        return np.stack([self.model.log_prior(setting, k // len(_SEXES), _SEXES[k % len(_SEXES)])
                         for k in distinct])[inverse]


RowSource = Iterator[tuple[int, Any]]


def screen_rows(hp: Heelpath, chunks: RowSource, write: Callable[[Any], None],
                progress: Callable[[int], None] | None = None, workers: int = 1,
                reject: Callable[[list[BadRow]], None] | None = None) -> ScreenSummary:
    """Score every chunk ((first row number, a list of row dicts or an Arrow batch)) and hand each
    chunk's columns (a dict of lists, or from workers an Arrow table) to `write`, in input order.
    Each chunk's bad rows go to `reject` as they come (nothing kept: memory stays flat however many
    there are); without it they gather in the summary. With `workers` above 1, chunks are scored in
    that many processes (each loads the same knowledge base and checks its hash), at most two chunks
    each in flight, so memory stays bounded."""
    summary = ScreenSummary()

    def hand_over(bad: list[BadRow]) -> None:
        if reject is not None:
            if bad:
                reject(bad)
            summary.bad = []

    if workers <= 1:
        screener = Screener(hp)
        for first_row, rows in chunks:
            write(_score_chunk(screener, first_row, rows, summary))
            hand_over(summary.bad)
            if progress:
                progress(_size(rows))
        return summary
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    pending: deque[tuple[Future[tuple[Any, ScreenSummary]], int]] = deque()

    def collect() -> None:
        future, size = pending.popleft()
        columns, part = future.result()
        summary.scored += part.scored
        summary.rejected += part.rejected
        summary.bad.extend(part.bad)
        write(columns)
        hand_over(summary.bad)
        if progress:
            progress(size)

    context = multiprocessing.get_context("spawn")  # pyarrow's threads make fork unsafe
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(str(hp.kb.data_dir), hp.kb.content_hash)) as pool:
        for first_row, rows in chunks:
            pending.append((pool.submit(_worker_chunk, first_row, rows), _size(rows)))
            if len(pending) >= 2 * workers:
                collect()
        while pending:
            collect()
    return summary


def _size(rows: Any) -> int:
    return len(rows) if isinstance(rows, list) else int(rows.num_rows)


def _score_chunk(screener: Screener, first_row: int, rows: Any, summary: ScreenSummary) -> dict[str, list[Any]]:
    if isinstance(rows, list):
        return screener.score(rows, first_row, summary)
    return screener.score_batch(rows, first_row, summary)


_WORKER: Screener | None = None


def _start_worker(data_dir: str, kb_hash: str) -> None:
    from threadpoolctl import threadpool_limits

    import heelpath

    # one BLAS thread: the workers already fill the cores (two workers with two threads each took 23 s for
    # a million rows, with one thread each 13 s)
    threadpool_limits(1, user_api="blas")
    global _WORKER
    hp = heelpath.load(data_dir)
    if hp.kb.content_hash != kb_hash:
        raise RuntimeError("a screening worker loaded another knowledge base than the main process")
    _WORKER = Screener(hp)


def _worker_chunk(first_row: int, rows: Any) -> tuple[Any, ScreenSummary]:
    """One chunk scored in a worker, returned as an Arrow table (far cheaper to send back than lists)."""
    from heelpath.services.tables import typed_table

    assert _WORKER is not None, "screening worker not started"
    part = ScreenSummary()
    return typed_table(_score_chunk(_WORKER, first_row, rows, part), output_types()), part
