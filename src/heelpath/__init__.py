"""heelpath: clinical decision support for heel pain.

Tells heel pain referred from the lumbar spine or caused by systemic inflammation apart from local
heel causes, catches red flags and says what to do next. It supports, and does not replace, a
clinician.

>>> import heelpath
>>> result = heelpath.assess({"age": 45, "findings": {"first_step_pain": True}})
>>> result.triage.level, result.differential[0].id
('self_care', 'plantar_fasciitis')

``heelpath.load()`` gives the loaded knowledge (:class:`Heelpath`) whose ``assess``, ``step``
(the adaptive interview) and ``read_text`` (free-text intake) are the library's entry points.
"""

__version__ = "0.1.0"

from heelpath.errors import (
    CaseFormatError,
    HeelpathError,
    InputError,
    InteroperabilityError,
    InvalidAnswerError,
    KBReferenceError,
    KBSchemaError,
    KnowledgeBaseError,
    StorageError,
    UnknownFindingError,
)
from heelpath.services.case import Case
from heelpath.services.context import Heelpath, assess, load
from heelpath.services.result import AssessmentResult

__all__ = [
    "AssessmentResult",
    "Case",
    "CaseFormatError",
    "Heelpath",
    "HeelpathError",
    "InputError",
    "InteroperabilityError",
    "InvalidAnswerError",
    "KBReferenceError",
    "KBSchemaError",
    "KnowledgeBaseError",
    "StorageError",
    "UnknownFindingError",
    "__version__",
    "assess",
    "load",
]
