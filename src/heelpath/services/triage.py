"""Triage: how urgently the person needs care, which rule or finding decided it, and safety-netting.

Red flags are evaluated first, on the answers alone (never on a probability), and set a floor.
Pattern and probability rules can only raise the level. The final level is the highest level of
every red flag and rule that fired; when none fired it is the rule book's ``default_level``.

>>> import heelpath
>>> heelpath.assess({"age": 50, "findings": {"saddle_numbness": True}}).triage.level
'emergency'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from heelpath.engine.rules import Because, Check, scalar
from heelpath.knowledge.loader import KnowledgeBase
from heelpath.knowledge.rules import LEVELS, RedFlag, RuleBook, TriageRule, level_rank
from heelpath.services.assessment import Assessment, citations
from heelpath.services.result import FiredRule, SafetyNetAdvice, Triage

RED_FLAG, PATTERN = "red_flag", "pattern"


@dataclass
class AssessmentFacts:
    """The facts a rule condition reads, built from one assessment.

    ``any_side=True`` (used for red flags) counts a lateralised finding present on either side:
    a red-flag sign on the other leg still matters to the person, even though it is not evidence
    for this heel.
    """

    assessment: Assessment
    any_side: bool = False
    fired: set[str] = field(default_factory=set)
    rank: int | None = None

    age: float = field(init=False)
    setting: str = field(init=False)
    _present: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        a = self.assessment
        self._present = a.present_any_side if self.any_side else a.present
        self.age, self.setting = float(a.case.age), a.case.setting

    def present(self, finding_id: str) -> bool:
        return finding_id in self._present

    def absent(self, finding_id: str) -> bool:
        return finding_id in self.assessment.absent

    def answered(self, finding_id: str) -> bool:
        return finding_id in self.assessment.evidence.answers

    def probability(self, condition_ids: tuple[str, ...]) -> float:
        return self.assessment.probability_of_any(condition_ids)

    def leading(self) -> tuple[str, float]:
        return self.assessment.ranked[0]

    def origin(self, involves: str) -> float:
        return self.assessment.origin_involvement[involves]

    def rule_fired(self, rule_id: str) -> bool:
        return rule_id in self.fired

    def triage_rank(self) -> int | None:
        return self.rank


@lru_cache(maxsize=8)
def rule_checks(book: RuleBook) -> dict[str, Check]:
    """Every rule's compiled check, by rule id (built once per rule book)."""
    return {rule.id: scalar(book.node(rule)) for rule in book.all_rules()}


def describe(because: Iterable[Because], kb: KnowledgeBase, lay: bool = False) -> list[str]:
    """Plain words for the atoms that made a rule fire, without repeats."""
    out: list[str] = []
    for b in because:
        if b.kind == "finding":
            text = kb.finding(str(b.subject)).label
        elif b.kind == "absent":
            text = f"no {kb.finding(str(b.subject)).label.lower()}"
        elif b.kind == "age":
            text = f"age {b.value:g}"
        elif b.kind == "probability":
            ids = b.subject if isinstance(b.subject, tuple) else (str(b.subject),)
            names = [kb.condition(c).lay_name if lay else kb.condition(c).name for c in ids]
            text = f"{' or '.join(names)}: {b.value:.0%} likely"
        elif b.kind == "leading":
            name = kb.condition(str(b.subject)).lay_name if lay else kb.condition(str(b.subject)).name
            text = f"most likely cause {name} ({b.value:.0%})"
        elif b.kind == "origin":
            text = f"pain involving a {str(b.subject).replace('_', ' and ')} cause: {b.value:.0%}"
        else:
            continue  # unanswered, setting, rule and triage atoms are context, not reasons
        if text not in out:
            out.append(text)
    return out


def triage(assessment: Assessment, book: RuleBook) -> Triage:
    """Triage one assessment (see docs/triage-and-next-steps.md)."""
    kb = assessment.kb
    checks = rule_checks(book)
    answers_only = AssessmentFacts(assessment, any_side=True)
    fired: list[FiredRule] = []
    for flag in book.red_flags:  # red flags first, on the answers alone
        ok, because = checks[flag.id](answers_only)
        if ok:
            fired.append(_fired(flag, RED_FLAG, because, kb))
    facts = AssessmentFacts(assessment, fired={f.id for f in fired})
    for rule in book.triage.rules:
        ok, because = checks[rule.id](facts)
        if ok:
            fired.append(_fired(rule, PATTERN, because, kb))
            facts.fired.add(rule.id)

    level = max((f.level for f in fired), key=level_rank) if fired else book.triage.default_level
    floor = max((f.level for f in fired if f.kind == RED_FLAG), key=level_rank, default=None)
    assert floor is None or level_rank(level) >= level_rank(floor)  # red flags are never talked down
    fired.sort(key=lambda f: -level_rank(f.level))  # stable: red flags before rules at a level
    deciding = [f for f in fired if f.level == level]

    facts.rank = level_rank(level)
    safety_net: list[SafetyNetAdvice] = []
    seen: set[str] = set()
    for f in fired:
        if f.safety_net and f.safety_net not in seen:
            seen.add(f.safety_net)
            safety_net.append(SafetyNetAdvice(id=f.id, patient=f.safety_net, clinician=f.clinician, source=f.source))
    for item in book.triage.safety_net:
        if checks[item.id](facts)[0] and item.patient not in seen:
            seen.add(item.patient)
            safety_net.append(SafetyNetAdvice(id=item.id, patient=item.patient, clinician=item.clinician,
                                              source=citations(kb, item.source)))

    text = book.triage.levels[level]
    if deciding:
        set_by = "; ".join(f.title for f in deciding)
        reasons = [f.patient for f in deciding]
    else:
        set_by = "no red flag and no pattern rule fired: the default level"
        reasons = ["Nothing in the answers points to a serious or urgent cause, and no single cause is clear yet."]
    return Triage(
        level=level,
        label=text.label,
        rank=level_rank(level),
        levels=list(LEVELS),
        headline=text.patient,
        headline_clinician=text.clinician,
        set_by=set_by,
        red_flag_floor=floor,
        reasons=reasons,
        rules_fired=fired,
        safety_net=safety_net,
        patient_advice=text.patient,
        clinician_advice=" ".join([text.clinician] + [f.clinician for f in deciding]),
    )


def cautions(assessment: Assessment, book: RuleBook) -> list[str]:
    """The cautions of the rule book that hold for this assessment (clinician wording)."""
    facts = AssessmentFacts(assessment)
    checks = rule_checks(book)
    return [c.clinician for c in book.advice.cautions if checks[c.id](facts)[0]]


def _fired(rule: RedFlag | TriageRule, kind: str, because: list[Because], kb: KnowledgeBase) -> FiredRule:
    return FiredRule(
        id=rule.id,
        kind=kind,
        level=rule.level,
        title=rule.title,
        reason=rule.patient,
        patient=rule.patient,
        clinician=rule.clinician,
        because=describe(because, kb),
        findings=sorted({str(b.subject) for b in because if b.kind == "finding"}),
        safety_net=rule.safety_net,
        suspects=rule.suspects if isinstance(rule, RedFlag) else [],
        source=citations(kb, rule.source),
        timing=rule.timing,
        note=rule.note,
    )
