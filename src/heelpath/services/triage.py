"""Triage: how urgently the person needs care, which rule or finding decided it, and safety-netting.

Red flags are evaluated first, on the answers alone (never on a probability), and set a floor.
Pattern and probability rules can only raise the level. The final level is the highest level of
every red flag and rule that fired; when none fired it is the rule book's ``default_level``.

>>> from heelpath.services.case import Case
>>> from heelpath.services.assessment import assess
>>> result = triage(assess(Case.from_data({"age": 50, "findings": {"saddle_numbness": True}})))
>>> result["level"]
'emergency'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from heelpath.knowledge.loader import KnowledgeBase
from heelpath.knowledge.rules import LEVELS, Because, RuleBook, level_rank, load_rules
from heelpath.services.assessment import Assessment

RED_FLAG, PATTERN = "red_flag", "pattern"
ORIGIN_KEYS = ("local", "spinal", "systemic", "mimic", "spinal_and_local")


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
    level: str | None = None
    _origin: dict[str, float] | None = None
    _probabilities: dict[tuple[str, ...], float] = field(default_factory=dict)

    @property
    def age(self) -> float:
        return float(self.assessment.case.age)

    @property
    def setting(self) -> str:
        return self.assessment.case.setting

    def present(self, finding_id: str) -> bool:
        if self.assessment.evidence.answers.get(finding_id) is True:
            return True
        if not self.any_side:
            return False
        given = self.assessment.evidence.given.get(finding_id)
        return given is True or (isinstance(given, dict) and given.get("present") is True)

    def absent(self, finding_id: str) -> bool:
        return self.assessment.evidence.answers.get(finding_id) is False

    def answered(self, finding_id: str) -> bool:
        return finding_id in self.assessment.evidence.answers

    def probability(self, condition_ids: list[str]) -> float:
        key = tuple(condition_ids)
        cached = self._probabilities.get(key)
        if cached is None:
            model = self.assessment.model
            if len(condition_ids) == 1:
                cached = self.assessment.probability(condition_ids[0])
            else:
                columns = [model.condition_index[c] for c in condition_ids]
                cached = float(self.assessment.state_probs @ model.membership[:, columns].max(axis=1))
            self._probabilities[key] = cached
        return cached

    def leading(self) -> tuple[str, float]:
        marginals = self.assessment.marginals
        top = int(np.argmax(marginals))
        return self.assessment.model.condition_ids[top], float(marginals[top])

    def origin(self, involves: str) -> float:
        if self._origin is None:
            mass = self.assessment.state_probs @ self.assessment.model.origin_involvement
            self._origin = {key: float(p) for key, p in zip(ORIGIN_KEYS, mass)}
        return self._origin[involves]

    def rule_fired(self, rule_id: str) -> bool:
        return rule_id in self.fired

    def triage_level(self) -> str | None:
        return self.level


def describe(because: list[Because], kb: KnowledgeBase, lay: bool = False) -> list[str]:
    """Plain words for the atoms that made a rule fire, without repeats."""
    out: list[str] = []
    for b in because:
        if b.kind == "finding":
            text = kb.finding(b.subject).label
        elif b.kind == "absent":
            text = f"no {kb.finding(b.subject).label.lower()}"
        elif b.kind == "age":
            text = f"age {b.value:g}"
        elif b.kind == "probability":
            names = [kb.condition(c).lay_name if lay else kb.condition(c).name for c in b.subject]
            text = f"{' or '.join(names)}: {b.value:.0%} likely"
        elif b.kind == "leading":
            name = kb.condition(b.subject).lay_name if lay else kb.condition(b.subject).name
            text = f"most likely cause {name} ({b.value:.0%})"
        elif b.kind == "origin":
            text = f"pain involving a {b.subject.replace('_', ' and ')} cause: {b.value:.0%}"
        else:
            continue  # unanswered, setting, rule and triage atoms are context, not reasons
        if text not in out:
            out.append(text)
    return out


def _citations(kb: KnowledgeBase, ref_ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for ref_id in ref_ids:
        ref = kb.references[ref_id]
        out.append({"id": ref.id, "citation": ref.citation, "doi": ref.doi, "pmid": ref.pmid, "url": ref.url})
    return out


def triage(assessment: Assessment, book: RuleBook | None = None) -> dict[str, Any]:
    """Triage one assessment (see docs/triage-and-next-steps.md for the result's shape)."""
    book = book or load_rules()
    kb = assessment.kb
    answers_only = AssessmentFacts(assessment, any_side=True)
    fired: list[dict[str, Any]] = []
    for flag in book.red_flags:  # red flags first, on the answers alone
        ok, because = book.check(flag, answers_only)
        if ok:
            fired.append(_fired(flag, RED_FLAG, because, kb))
    facts = AssessmentFacts(assessment, fired={f["id"] for f in fired})
    for rule in book.triage.rules:
        ok, because = book.check(rule, facts)
        if ok:
            fired.append(_fired(rule, PATTERN, because, kb))
            facts.fired.add(rule.id)

    if fired:
        level = max((f["level"] for f in fired), key=level_rank)
    else:
        level = book.triage.default_level
    floor = max((f["level"] for f in fired if f["kind"] == RED_FLAG), key=level_rank, default=None)
    assert floor is None or level_rank(level) >= level_rank(floor)  # red flags are never talked down
    fired.sort(key=lambda f: -level_rank(f["level"]))  # stable: red flags before rules at a level
    deciding = [f for f in fired if f["level"] == level]

    facts.level = level
    safety_net: list[dict[str, Any]] = []
    seen: set[str] = set()
    for f in fired:
        if f["safety_net"] and f["safety_net"] not in seen:
            seen.add(f["safety_net"])
            safety_net.append({"id": f["id"], "patient": f["safety_net"], "clinician": f["clinician"],
                               "source": f["source"]})
    for item in book.triage.safety_net:
        ok = book.check(item, facts)[0]
        if ok and item.patient not in seen:
            seen.add(item.patient)
            safety_net.append({"id": item.id, "patient": item.patient, "clinician": item.clinician,
                               "source": _citations(kb, item.source)})

    text = book.triage.levels[level]
    if deciding:
        set_by = "; ".join(f["title"] for f in deciding)
        reasons = [f["patient"] for f in deciding]
    else:
        set_by = "no red flag and no pattern rule fired: the default level"
        reasons = ["Nothing in the answers points to a serious or urgent cause, and no single cause is clear yet."]
    return {
        "level": level,
        "rank": level_rank(level),
        "levels": list(LEVELS),
        "headline": text.patient,
        "headline_clinician": text.clinician,
        "set_by": set_by,
        "red_flag_floor": floor,
        "reasons": reasons,
        "rules_fired": fired,
        "safety_net": safety_net,
        "patient_advice": text.patient,
        "clinician_advice": " ".join([text.clinician] + [f["clinician"] for f in deciding]),
    }


def _fired(rule, kind: str, because: list[Because], kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "id": rule.id,
        "kind": kind,
        "level": rule.level,
        "title": rule.title,
        "reason": rule.patient,
        "patient": rule.patient,
        "clinician": rule.clinician,
        "because": describe(because, kb),
        "findings": sorted({b.subject for b in because if b.kind == "finding"}),
        "safety_net": rule.safety_net,
        "suspects": list(getattr(rule, "suspects", [])),
        "source": _citations(kb, rule.source),
        "note": rule.note,
    }
