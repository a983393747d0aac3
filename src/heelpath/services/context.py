"""The loaded knowledge, ready to use: what every service is given instead of hidden globals.

:func:`load` reads and checks a knowledge base, compiles its model and rule book, and returns a
frozen :class:`Heelpath`; its methods are the library's entry points:

>>> import heelpath
>>> hp = heelpath.load()
>>> result = hp.assess({"age": 45, "findings": {"first_step_pain": True}})
>>> result.triage.level, result.differential[0].id
('self_care', 'plantar_fasciitis')
>>> hp.step({"mode": "lay"}).next_questions[0].id
'age'
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heelpath.engine import CompiledModel, compile_model
from heelpath.errors import CaseFormatError
from heelpath.knowledge import KnowledgeBase, load_kb_from
from heelpath.knowledge.codes import CodeMap, load_codes_from
from heelpath.knowledge.lexicon import Lexicon, ReaderSpec, load_lexicon_from
from heelpath.knowledge.loader import DATA_DIR
from heelpath.knowledge.rules import RuleBook, load_rules_from, node_findings
from heelpath.services.assessment import Assessment
from heelpath.services.assessment import assess as assess_case
from heelpath.services.case import Case
from heelpath.services.next_steps import next_steps
from heelpath.services.result import AssessmentResult, TextIntakeResult, TextMention
from heelpath.services.triage import cautions, triage

if TYPE_CHECKING:
    from heelpath.services.intake import TextIntake
    from heelpath.services.interview import InterviewPolicy, InterviewState, InterviewStep


_INTAKE_LOCK = threading.Lock()


@dataclass(frozen=True, eq=False)
class Heelpath:
    """A knowledge base with its compiled model, rule book, lexicon and terminology map; immutable and
    thread-safe.

    Build it with :func:`load`. Every method uses this knowledge and nothing else.
    """

    kb: KnowledgeBase
    model: CompiledModel
    rules: RuleBook
    lexicon: Lexicon
    codes: CodeMap

    @property
    def version(self) -> str:
        return self.kb.version

    def assess(
        self,
        case: Case | Mapping[str, Any],
        text: str | None = None,
        *,
        age: float | None = None,
        sex: str | None = None,
        side: str | None = None,
        setting: str | None = None,
    ) -> AssessmentResult:
        """Assess one case: differential, origin, localisation, triage and next steps.

        Parameters
        ----------
        case
            A :class:`~heelpath.services.case.Case` or a mapping in the case format
            (docs/case-format.md).
        text
            Free text read by the text intake; it fills in only what the case does not answer.
        age, sex, side, setting
            Override the case's fields.

        Raises
        ------
        heelpath.InputError
            The case is malformed, names an unknown finding, or has invalid or contradictory
            answers (also a ``ValueError``).
        """
        overrides = {"age": age, "sex": sex, "side": side, "setting": setting}
        if isinstance(case, Case) and not case.text and text is None and all(v is None for v in overrides.values()):
            return self.assessed(case)[1]  # validated, nothing to merge
        data = case.model_dump(exclude_none=True) if isinstance(case, Case) else case
        if not isinstance(data, Mapping):
            raise CaseFormatError(f"a case must be a mapping, got {type(case).__name__}")
        data = dict(data)
        for key, value in overrides.items():
            if value is not None:
                data[key] = value
        if text is not None:
            data["text"] = text
        data, intake = self.with_text(data)
        if data.get("age") is None:
            raise CaseFormatError("age is required: give it in the case, with --age, or in the text")
        return self.assessed(Case.from_data(data), intake)[1]

    def with_text(self, data: dict[str, Any]) -> tuple[dict[str, Any], TextIntake | None]:
        """A case in the case format with its ``text`` read: the text fills in only what the case does
        not answer (a hedged warning sign counts as present until confirmed); the intake, if any."""
        data = dict(data)
        intake = None
        if data.get("text"):
            if not isinstance(data["text"], str):
                raise CaseFormatError("text: expected a string")
            given = data.get("findings") or {}
            if not isinstance(given, Mapping):
                raise CaseFormatError(f"findings: expected an object of finding id -> answer, got {type(given).__name__}")
            intake = self.read_text(data["text"])
            findings = dict(given)
            for finding_id, answer in intake.to_case_findings().items():
                findings.setdefault(finding_id, answer)
            unsettled = set(self.to_confirm(intake))
            for mention in intake.findings:
                # a warning sign said with a hedge ("I think I wet myself") counts until it is confirmed
                if mention.hedged and mention.finding_id in unsettled:
                    side = mention.side
                    findings.setdefault(mention.finding_id, {"present": True, "side": side} if side else True)
            data["findings"] = findings
            stated = intake.to_case()
            for key in ("age", "sex", "side"):
                value = stated.get(key)
                if data.get(key) in (None, "unknown") and value is not None:
                    data[key] = value
        return data, intake

    def assessed(self, case: Case, intake: TextIntake | None = None) -> tuple[Assessment, AssessmentResult]:
        """The engine's arrays for a validated case, and its result (for services that need both)."""
        assessment = assess_case(case, self.model)
        triaged = triage(assessment, self.rules)
        return assessment, AssessmentResult(
            **self.kb.provenance(),
            case=assessment.case_echo(),
            differential=assessment.differential(),
            origin=assessment.origin(),
            unexplained=assessment.unexplained(self.rules.advice.unexplained, self.rules.advice.no_heel_finding),
            coexisting=assessment.coexisting(),
            localisation=assessment.localisation(cautions(assessment, self.rules)),
            notes=assessment.evidence.notes,
            estimates_used=assessment.estimates_used(),
            safety_net=self.rules.advice.safety_net,
            disclaimer=self.rules.advice.disclaimer,
            triage=triaged,
            next_steps=next_steps(assessment, triaged, self.rules),
            text_intake=None if intake is None else _intake_result(intake, self.to_confirm(intake)),
        )

    @cached_property
    def red_flag_findings(self) -> frozenset[str]:
        """Every finding a red-flag rule reads."""
        return frozenset(f for flag in self.rules.red_flags for f in node_findings(self.rules.node(flag)))

    def to_confirm(self, intake: TextIntake) -> list[str]:
        """Red-flag findings a text mentions without settling (hedged, past, conditional, about a
        relative, named without a yes or no, or only their subject named), and that no other
        mention settles: never dropped, they are asked first. A relative's counts because a text
        about "grandma" may be written for her. A hedged one counts as present in an assessment
        until it is confirmed. A denial settles what was said before it, not what other words leave open
        after it ("Numbness around your buttocks? No. ... wiping feels far away since Tuesday"): that is asked."""
        last_said: dict[str, int] = {}  # where each finding's last settled mention ends
        for f in intake.findings:
            if f.asserted:
                last_said[f.finding_id] = max(last_said.get(f.finding_id, 0), f.end)
        settled = {f.finding_id for f in intake.findings if f.asserted and f.present}
        return sorted({f.finding_id for f in intake.findings
                       if not f.asserted and f.finding_id in self.red_flag_findings
                       and f.start >= last_said.get(f.finding_id, 0)} - settled)

    def with_reader(self, reader: ReaderSpec | None) -> Heelpath:
        """This knowledge with another statistical text reader, or none (the rules alone): for validation."""
        return replace(self, lexicon=replace(self.lexicon, reader=reader))

    def step(self, state: InterviewState | Mapping[str, Any], policy: InterviewPolicy | None = None) -> InterviewStep:
        """One step of the adaptive interview (see :func:`heelpath.services.interview.step`)."""
        from heelpath.services.interview import step

        return step(self, state, policy)

    def read_text(self, text: str) -> TextIntake:
        """Read findings, age, sex, side and durations from free text (loads medspaCy on first use).

        One text is read at a time in a process: the pipeline is shared and CPU-bound under the
        GIL, so readers queue here instead of slowing every other request of a server.
        """
        from heelpath.services.intake import extract

        with _INTAKE_LOCK:
            return extract(text, self.lexicon)


def _intake_result(intake: TextIntake, to_confirm: list[str]) -> TextIntakeResult:
    return TextIntakeResult(
        to_confirm=to_confirm,
        findings=[TextMention.of(f) for f in intake.findings],
        understood_nothing=not intake.findings,
    )


def load(data_dir: str | Path | None = None, *, max_causes: int | None = None) -> Heelpath:
    """Load a knowledge base and everything compiled from it.

    Parameters
    ----------
    data_dir
        A knowledge-base folder (the layout of ``heelpath/knowledge/data``); the packaged one by
        default, loaded once per process.
    max_causes
        1 (a single cause) or 2 (up to two coexisting causes); the knowledge base's setting by
        default.

    Raises
    ------
    heelpath.KnowledgeBaseError
        A data file is malformed or names something that does not exist; the message names it.
    """
    folder = DATA_DIR if data_dir is None else Path(data_dir)
    if folder == DATA_DIR:
        return _packaged(max_causes)
    return _build(folder, max_causes)


@lru_cache(maxsize=4)
def _packaged(max_causes: int | None) -> Heelpath:
    return _build(DATA_DIR, max_causes)


def _build(folder: Path, max_causes: int | None) -> Heelpath:
    kb = load_kb_from(folder)
    rules = load_rules_from(folder, kb)
    return Heelpath(kb=kb, model=compile_model(kb, max_causes), rules=rules, lexicon=load_lexicon_from(folder, kb),
                    codes=load_codes_from(folder, kb, (t for step in rules.next_steps for t in step.tests)))


def assess(case: Case | Mapping[str, Any], text: str | None = None, **options: Any) -> AssessmentResult:
    """:meth:`Heelpath.assess` on the packaged knowledge base."""
    return load().assess(case, text, **options)
