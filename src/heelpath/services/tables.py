"""Tables in and out of `heelpath screen` and `heelpath synth`: CSV and Parquet, read and written in
bounded chunks with pyarrow so memory stays flat whatever the size (the `screen` extra).

Every CSV cell is read as text (a column's type is never guessed from its first rows); Parquet
columns keep their types. Rows are numbered from 1 (the header is not a row): the ``line`` a CSV
row reports is its line in the file, row + 1 (assuming no cell spans lines).
"""

from __future__ import annotations

import csv as stdcsv
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from heelpath.errors import CaseFormatError, OutputFileError

T = TypeVar("T")
FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
#: Arrow bytes gathered into one Parquet row group (~85,000 rows of screen output)
ROW_GROUP_BYTES = 16 << 20


def table_format(path: Path, role: str) -> str:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise CaseFormatError(f"{role} {path}: give a .csv or .parquet file")
    return kind


def columns_of(path: Path) -> list[str]:
    """The column names of a table file, read without reading its rows."""
    if table_format(path, "input") == "parquet":
        return list(_parquet(path).schema_arrow.names)
    try:
        with path.open(newline="", encoding="utf-8") as stream:
            header = next(stdcsv.reader(stream), None)
    except UnicodeDecodeError:
        raise CaseFormatError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise CaseFormatError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not header:
        raise CaseFormatError(f"{path} is empty: the first line names the columns")
    return [name.strip() for name in header]


def count_rows(path: Path) -> int:
    """How many rows a table has (for the progress bar): Parquet's metadata, or the CSV's line count."""
    if table_format(path, "input") == "parquet":
        return int(_parquet(path).metadata.num_rows)
    with path.open("rb") as stream:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    return max(lines - 1, 0)


def read_chunks(path: Path, columns: list[str], rows: int) -> Iterator[tuple[int, Any]]:
    """(first row number, an Arrow record batch) of at most `rows` rows at a time."""
    number = 1
    for batch in _batches(path, columns, rows):
        yield number, batch
        number += batch.num_rows


def _batches(path: Path, columns: list[str], rows: int) -> Iterator[Any]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if table_format(path, "input") == "parquet":
        yield from _parquet(path).iter_batches(batch_size=rows)
        return
    try:
        reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 20),
                                convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in columns},
                                                                     strings_can_be_null=False))
        for batch in reader:
            for start in range(0, batch.num_rows, rows):
                yield batch.slice(start, rows)
    except pa.ArrowInvalid as exc:
        raise CaseFormatError(f"{path}: not a well-formed CSV table ({str(exc)[:200]})") from None


def _parquet(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        # pre_buffer's read cache keeps every row group read until the file is closed: ~the whole
        # compressed file by the end of a screen (32 MB a million rows). Local reads need no cache.
        return pq.ParquetFile(path, pre_buffer=False)
    except (OSError, pa.ArrowInvalid) as exc:
        raise CaseFormatError(f"{path}: not a readable Parquet file ({str(exc)[:200]})") from None


def typed_table(columns: dict[str, list[Any]], types: dict[str, str]) -> Any:
    """Columns as an Arrow table with the given pyarrow type names."""
    import pyarrow as pa

    return pa.table({c: pa.array(v, type=getattr(pa, types[c])()) for c, v in columns.items()})


class TableWriter:
    """Writes chunks of columns to a CSV or Parquet file as they come, with `metadata` (Parquet's file
    metadata; in CSV, a column each). `types` (column -> a pyarrow
    type name such as ``"string"``, ``"float64"``, ``"bool"``) fixes the schema; without it, the
    first chunk's types are used. With `types`, a file closed without a row still gets its header.

    Parquet chunks are gathered into row groups of about ROW_GROUP_BYTES: a row group per chunk
    leaves metadata in the writer, and in the footer a reader holds whole, that grows with the rows."""

    def __init__(self, path: Path, metadata: dict[str, str] | None = None, types: dict[str, str] | None = None) -> None:
        self.path, self.kind, self.metadata, self.types = path, table_format(path, "output"), metadata or {}, types
        self._writer: Any = None
        self._pending: list[Any] = []  # Parquet chunks not yet written as a row group
        self._pending_bytes = 0
        if path.is_dir():
            raise OutputFileError(f"cannot write {path}: it is a folder; give a file name")
        if not path.parent.is_dir():
            raise OutputFileError(f"cannot write {path}: the folder {path.parent} does not exist")

    def write(self, columns: Any) -> None:
        """Write one chunk: a dict of column lists, or an Arrow table already typed."""
        import pyarrow as pa
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        if isinstance(columns, pa.Table):
            table = columns
        elif self.types:
            table = typed_table(columns, self.types)
        else:
            table = pa.table(columns)
        if self.kind == "csv":  # CSV has no file metadata: it goes in columns of its own
            for key, value in self.metadata.items():
                table = table.append_column(key, pa.array([value] * table.num_rows, type=pa.string()))
        if self._writer is None:
            schema = table.schema.with_metadata({k.encode(): v.encode() for k, v in self.metadata.items()})
            try:
                self._writer = pq.ParquetWriter(self.path, schema) if self.kind == "parquet" else \
                    pacsv.CSVWriter(self.path, table.schema)
            except OSError as exc:
                raise OutputFileError(f"cannot write {self.path}: {exc}") from None
            self._schema = table.schema
        if not table.num_rows:
            return
        table = table.cast(self._schema)
        if self.kind == "csv":
            self._writer.write_table(table)
            return
        self._pending.append(table)
        self._pending_bytes += table.nbytes
        if self._pending_bytes >= ROW_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._pending:
            self._writer.write_table(pa.concat_tables(self._pending))
            self._pending, self._pending_bytes = [], 0

    def close(self) -> None:
        if self._writer is not None:
            self._flush()
            self._writer.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None and self._writer is None and self.types:  # nothing written: the header alone
            self.write({column: [] for column in self.types})
        self.close()


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of at most `size`, read as they come."""
    iterator = iter(items)
    while part := list(islice(iterator, size)):
        yield part
