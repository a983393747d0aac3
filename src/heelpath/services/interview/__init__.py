"""The adaptive interview: ask the most telling question next, stop when the answer is settled.

The interview is *stateless*: a caller sends everything answered so far and gets back the current
result, the next question (or a screen of grouped questions), whether to stop, and why. The same
step serves the terminal interview, the HTTP API and the web app.

>>> import heelpath
>>> hp = heelpath.load()
>>> [q.id for q in hp.step({"mode": "lay"}).next_questions]
['age', 'sex', 'side']
>>> later = hp.step({"mode": "lay", "age": 46, "sex": "female", "side": "right"})
>>> later.group.red_flag  # warning signs are screened straight after age, sex and side
True

Modules: :mod:`.state` (the state and typed answers), :mod:`.catalogue` (what can be asked),
:mod:`.screening` (red flags to decide), :mod:`.candidates` and :mod:`.lookahead` (scoring the
next screens), :mod:`.policy` (the tuning), :mod:`.step` (the choice and the stopping rule) and
:mod:`.described` (a person's own description, confirmed before it counts).
"""

from heelpath.services.interview.catalogue import Catalogue, catalogue
from heelpath.services.interview.described import Description, read_description
from heelpath.services.interview.policy import DEFAULT_POLICY, InterviewPolicy
from heelpath.services.interview.screening import screening_needed, screens_asked
from heelpath.services.interview.state import (
    DEFAULT_SETTING,
    MODES,
    UNKNOWN,
    InterviewState,
    SidedReply,
    case_data,
    parse_answer,
)
from heelpath.services.interview.step import (
    CONFIRM_FIRST,
    STOP_REASONS,
    InterviewProgress,
    InterviewStep,
    Question,
    QuestionOption,
    QuestionScreen,
    step,
)

__all__ = [
    "CONFIRM_FIRST",
    "DEFAULT_POLICY",
    "DEFAULT_SETTING",
    "MODES",
    "STOP_REASONS",
    "UNKNOWN",
    "Catalogue",
    "Description",
    "InterviewPolicy",
    "InterviewProgress",
    "InterviewState",
    "InterviewStep",
    "Question",
    "QuestionOption",
    "QuestionScreen",
    "SidedReply",
    "case_data",
    "catalogue",
    "parse_answer",
    "read_description",
    "screening_needed",
    "screens_asked",
    "step",
]
