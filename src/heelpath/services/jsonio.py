"""Reading the JSON people give heelpath (case files, answers files, batch lines) with limits.

`json.loads` alone is unsafe for such input: it keeps the last of two equal keys (hiding a
contradictory answer: ``{"numbness": true, "numbness": false}``), recurses once per level of
nesting (deep input raises RecursionError), and refuses an integer of over 4,300 digits with a
bare ValueError. Here each becomes a CaseFormatError that names the problem.

Limits, far above any real case (the bundled vignettes are under 4 KB and nest 4 deep):
a file is at most 1 MiB, JSON nests at most 16 levels, a number has at most 100 characters.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, BinaryIO

from heelpath.errors import CaseFormatError

MAX_BYTES = 1024 * 1024
MAX_SIZE = "1 MiB"  # MAX_BYTES in words, for messages
MAX_DEPTH = 16
MAX_NUMBER_LENGTH = 100


def read_file(path: Path, what: str = "file") -> str:
    """The text of `path`; refused if it is not a file, unreadable, over MAX_BYTES or not UTF-8."""
    if not path.is_file():
        raise CaseFormatError(f"no such {what}: {path}")
    try:
        with path.open("rb") as stream:
            return read_text(stream, str(path))
    except OSError as exc:
        raise CaseFormatError(f"cannot read {path}: {exc.strerror or exc}") from None


def read_text(stream: BinaryIO, where: str) -> str:
    """The text of `stream` (a file or stdin), read no further than the limit."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CaseFormatError(f"{where} is larger than {MAX_SIZE}, the limit for one case")
    return decode(data, where)


def decode(data: bytes, where: str) -> str:
    """`data` as UTF-8 (as JSON must be), or a CaseFormatError naming the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseFormatError(f"{where} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                              f"save it as UTF-8") from None


def parse_json(raw: str, where: str | None = None) -> Any:
    """Parse `raw`, refusing a key given twice in one object, deep nesting and over-long numbers.

    Raises
    ------
    CaseFormatError
        The text is not valid JSON or breaks one of the limits; `where` (a file name) prefixes the message.
    """
    prefix = f"{where}: " if where else ""
    if len(raw) > MAX_BYTES:  # a file was bounded when read; a batch line is bounded here
        raise CaseFormatError(f"{prefix}longer than {MAX_SIZE}, the limit for one case")
    try:
        data = json.loads(raw, object_pairs_hook=_refuse_duplicates, parse_int=_int, parse_float=_float)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno} column {exc.colno}" if "\n" in raw.strip() else f"column {exc.colno}"
        raise CaseFormatError(f"{prefix}not valid JSON ({exc.msg} at {at})") from None
    except RecursionError:  # the parser recurses per level and gives up near 1,000
        raise CaseFormatError(f"{prefix}JSON nested more than {MAX_DEPTH} levels deep") from None
    except CaseFormatError as exc:
        raise CaseFormatError(f"{prefix}{exc}") from None
    if _deeper_than(data, MAX_DEPTH):
        raise CaseFormatError(f"{prefix}JSON nested more than {MAX_DEPTH} levels deep")
    return data


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) < len(pairs):  # json.loads would keep the last value silently
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise CaseFormatError(f"the key {key!r} appears twice in one object; give each field or answer once")
            seen.add(key)
    return data


def _int(text: str) -> int:
    _check_length(text)
    return int(text)


def _float(text: str) -> float:
    _check_length(text)
    return float(text)


def _check_length(number: str) -> None:
    # int() refuses over 4,300 digits with a ValueError that names no field; no answer needs 100
    if len(number) > MAX_NUMBER_LENGTH:
        raise CaseFormatError(f"a number has {len(number)} characters; the limit is {MAX_NUMBER_LENGTH}")


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether containers nest more than `limit` levels (walked without recursion)."""
    stack = [(data, 1)] if isinstance(data, (dict, list)) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return False
