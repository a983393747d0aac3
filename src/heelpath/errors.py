"""The errors heelpath raises.

One base class; a family for each boundary. Interfaces translate them in one place: the HTTP API
to 4xx responses, the CLI to a message and a non-zero exit.
"""


class HeelpathError(Exception):
    """Base class of every error heelpath raises on purpose."""


class KnowledgeBaseError(HeelpathError):
    """The knowledge base is malformed; raised when it is loaded or validated."""


class KBSchemaError(KnowledgeBaseError):
    """A knowledge-base file does not have the fields or types its schema requires."""


class KBReferenceError(KnowledgeBaseError):
    """A knowledge-base entry names an id (condition, finding, reference) that does not exist."""


class KBConsistencyError(KnowledgeBaseError):
    """Knowledge-base numbers are out of range or contradict each other."""


class InputError(HeelpathError):
    """A case or answer given to heelpath is invalid."""


class UnknownFindingError(InputError):
    """A case names a finding id the knowledge base does not define."""


class InvalidAnswerError(InputError):
    """An answer has the wrong type, is out of range, or contradicts another answer."""


class CaseFormatError(InputError):
    """A case file cannot be read as JSON or lacks a required field."""


class StorageError(HeelpathError):
    """The store of saved assessments cannot be opened, read or written."""


class InteroperabilityError(HeelpathError):
    """A FHIR resource or CDS Hooks request cannot be mapped."""
