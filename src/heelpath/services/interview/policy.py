"""The interview's tuning: when it stops and how it weighs questions, in one frozen object.

These numbers were tuned on simulated patients (``benchmarks/interview.py``), not taken from the
literature; pass another :class:`InterviewPolicy` to ``step`` to try others.
"""

from __future__ import annotations

from dataclasses import dataclass

from heelpath.services.interview.state import InterviewState


@dataclass(frozen=True)
class InterviewPolicy:
    """How the interview chooses its next question and when it stops (see docs/interview.md)."""

    #: stop only when the leading cause has at least this probability ...
    top_floor: float = 0.5
    #: ... and no remaining question has this much chance of changing the leading cause or the triage
    change_limit: float = 0.05
    #: weight of states that contain a serious (must-not-miss) cause in the information gain
    serious_weight: float = 3.0
    #: extra cost of each checklist item after the first, as a share of one question
    item_cost: float = 0.1
    #: test results (imaging, blood, nerve studies) are often not to hand: their gain counts this much
    test_weight: float = 0.5
    #: largest checklist whose every combination of answers is enumerated (2**12 outcomes)
    max_group: int = 12
    #: how many of a question's likeliest answers are run through the triage when checking a stop
    triage_outcomes: int = 24
    #: after the answer that raised an emergency red flag, this many more screens at most, and
    #: only while they would change the leading cause
    emergency_extra_questions: int = 3
    #: how many completions of the unanswered questions are drawn to check that the answer is settled
    completions: int = 64
    #: most screens (the about-you screen counts as one) before the interview stops regardless,
    #: in self-assessment and in clinician mode
    max_questions_lay: int = 20
    max_questions_clinician: int = 30

    def limit(self, state: InterviewState) -> int:
        """The most screens this interview may take (the state may set fewer or more)."""
        default = self.max_questions_lay if state.mode == "lay" else self.max_questions_clinician
        return state.max_questions or default


DEFAULT_POLICY = InterviewPolicy()
