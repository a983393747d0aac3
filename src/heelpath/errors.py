"""The errors heelpath raises, and the one formatter of pydantic validation errors.

One base class; a family for each boundary. Interfaces translate them in one place: the HTTP API
to 4xx responses, the CLI to a message and a non-zero exit.
"""

from typing import Any


class HeelpathError(Exception):
    """Base class of every error heelpath raises on purpose."""


class KnowledgeBaseError(HeelpathError):
    """The knowledge base is malformed; raised when it is loaded or validated."""


class KBSchemaError(KnowledgeBaseError):
    """A knowledge-base file does not have the fields or types its schema requires."""


class KBReferenceError(KnowledgeBaseError):
    """A knowledge-base entry names an id (condition, finding, reference) that does not exist."""


class InputError(HeelpathError, ValueError):
    """A case, answer, interview state or text given to heelpath is invalid (also a ValueError)."""


class UnknownFindingError(InputError):
    """A case names a finding id the knowledge base does not define."""


class InvalidAnswerError(InputError):
    """An answer has the wrong type, is out of range, or contradicts another answer."""


class CaseFormatError(InputError):
    """A case file cannot be read as JSON or lacks a required field."""


class OutputFileError(HeelpathError):
    """A file heelpath is told to write cannot or must not be written (a folder, a missing folder, the input)."""


class StorageError(HeelpathError):
    """The store of saved assessments cannot be opened, read or written."""


class InteroperabilityError(HeelpathError):
    """A FHIR resource or CDS Hooks request cannot be mapped."""


_TYPE_TAGS = frozenset({"bool", "int", "float", "str", "none"})


def _is_type_tag(part: object) -> bool:
    """A location part pydantic adds for a union member ('int', 'SidedAnswer', "literal['x']"), not a field."""
    return isinstance(part, str) and (
        part in _TYPE_TAGS or part[:1].isupper() or part.startswith("_") or any(c in part for c in "[(-")
    )


def validation_problems(exc: Any, whole: str = "entry") -> str:
    """One line naming each invalid field of a pydantic ``ValidationError`` and what is wrong with it.

    >>> from pydantic import BaseModel, ValidationError
    >>> class Point(BaseModel):
    ...     x: int | None
    >>> try:
    ...     Point.model_validate({"x": "a"})
    ... except ValidationError as exc:
    ...     print(validation_problems(exc))
    x: Input should be a valid integer, unable to parse string as an integer
    """
    problems: dict[str, dict[str, str]] = {}
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"] if not _is_type_tag(p)) or whole
        problems.setdefault(where, {}).setdefault(err["type"], err["msg"])
    return "; ".join(f"{where}: {_telling(by_type)}" for where, by_type in problems.items())


def _telling(by_type: dict[str, str]) -> str:
    """Of the messages at one place (one per member of a union), the first that says more than
    "wrong type"."""
    return next((m for t, m in by_type.items() if not t.endswith("_type")), next(iter(by_type.values())))
