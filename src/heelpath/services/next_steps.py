"""Next steps for the person and the clinician: whom to see, which examinations and tests, first
treatments, what to avoid, and a plain warning when both a spinal and a local cause are probable.

Everything except the examinations comes from ``next_steps.yaml`` (cited rules). The examinations
are chosen per case: the unanswered clinician-examination findings with the highest expected
information gain over the assessment's posterior (``heelpath.engine.expected_information_gain``),
each with how to perform it (``findings.yaml`` ``how_to_examine``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from heelpath.engine import CompiledModel, expected_information_gain
from heelpath.knowledge.rules import RuleBook
from heelpath.knowledge.schema import ESTIMATE
from heelpath.services.assessment import Assessment, citations
from heelpath.services.result import Examination, NextStepItem, NextSteps, Triage
from heelpath.services.triage import AssessmentFacts, describe, rule_checks

MAX_EXAMINATIONS = 4
MIN_GAIN_BITS = 0.01
SEPARATES_TOP = 4  # leading conditions an examination is described against


def next_steps(assessment: Assessment, triage: Triage, book: RuleBook) -> NextSteps:
    """Next steps for one assessment and its triage (docs/triage-and-next-steps.md)."""
    kb = assessment.kb
    facts = AssessmentFacts(assessment, fired={r.id for r in triage.rules_fired}, rank=triage.rank)
    sections: dict[str, list[NextStepItem]] = {
        section: [] for section in ("see", "tests", "tests_not_recommended", "treatments", "avoid")}
    both_causes: NextStepItem | None = None
    checks = rule_checks(book)
    for step in book.next_steps:
        ok, because = checks[step.id](facts)
        if not ok:
            continue
        item = NextStepItem(
            id=step.id,
            patient=step.patient,
            clinician=step.clinician,
            why=step.why,
            because=describe(because, kb),
            source=citations(kb, step.source),
            who=step.who,
            test=step.tests[0] if step.tests else None,
            tests=list(step.tests),
            note=step.note,
        )
        if step.section == "both_causes":
            both_causes = both_causes or item
        else:
            sections[step.section].append(item)
    tests, not_recommended = _one_advice_per_test(sections["tests"], sections["tests_not_recommended"])
    return NextSteps(
        see=sections["see"],
        examinations=examinations(assessment),
        tests=tests,
        tests_not_recommended=not_recommended,
        treatments=sections["treatments"],
        avoid=sections["avoid"],
        both_causes_warning=both_causes,
    )


def _one_advice_per_test(
    tests: list[NextStepItem], not_recommended: list[NextStepItem],
) -> tuple[list[NextStepItem], list[NextStepItem]]:
    """A test both advised and advised against: the advice to do it wins (it comes from red flags
    or probabilities); a test advised twice is listed once (first item wins)."""
    advised: set[str] = set()
    kept = []
    for item in tests:
        if item.test in advised:
            continue
        advised.update(item.tests)
        kept.append(item)
    seen: set[str] = set()
    kept_not = []
    for item in not_recommended:
        named = set(item.tests)
        if named & advised or named & seen:
            continue
        seen.update(named)
        kept_not.append(item)
    return kept, kept_not


def examinations(assessment: Assessment, limit: int = MAX_EXAMINATIONS) -> list[Examination]:
    """The unanswered clinician examinations that would best separate the leading causes."""
    model, kb = assessment.model, assessment.kb
    answers = assessment.evidence.answers
    features = np.array([i for i in _examinable(model) if model.feature_ids[i] not in answers], dtype=np.intp)
    if not features.size:
        return []
    gains = expected_information_gain(model, assessment.explained_probs, features)
    order = np.argsort(-gains, kind="stable")
    top = [c for c, _ in assessment.ranked[:SEPARATES_TOP]]
    top_rows = [model.condition_index[c] for c in top]
    out = []
    for k in order[:limit].tolist():
        if gains[k] < MIN_GAIN_BITS:
            break
        finding_id = model.feature_ids[features[k]]
        finding = kb.finding(finding_id)
        rates = dict(zip(top, model.likelihood[top_rows, features[k]].tolist()))
        points_to = max(rates, key=rates.__getitem__)
        against = [c for c in top if c != points_to and rates[c] < rates[points_to] / 2]
        sources = []
        for c in top:
            row = model.rows_used.get((c, finding_id))
            if row is not None and row.quality != ESTIMATE and row.reference and row.reference not in sources:
                sources.append(row.reference)
        lay_to = kb.condition(points_to).lay_name
        why = (f"A positive result points to {kb.condition(points_to).name}"
               + (f" rather than {', '.join(kb.condition(c).name for c in against)}" if against else "")
               + f"; expected to reduce uncertainty by {gains[k]:.2f} bits.")
        out.append(Examination(
            finding=finding_id,
            label=finding.label,
            patient=f"Ask the clinician to check: {_plain_label(finding.label)}. It helps to tell "
                    f"'{lay_to}' apart from other causes.",
            clinician=f"{finding.clinician_question}. How: {finding.how_to_examine}",
            how_to_examine=finding.how_to_examine or "",
            why=why,
            gain_bits=round(float(gains[k]), 4),
            positive_rate={c: round(r, 3) for c, r in rates.items()},
            source=citations(kb, sources),
            evidence_quality="published" if sources else ESTIMATE,
        ))
    return out


@lru_cache(maxsize=8)
def _examinable(model: CompiledModel) -> tuple[int, ...]:
    """The model's findings a clinician examines (with instructions), by feature index."""
    kb = model.kb
    return tuple(
        i for i, finding_id in enumerate(model.feature_ids)
        if (f := kb.finding(finding_id)).answered_by == "clinician" and f.how_to_examine and not f.derived
    )


def _plain_label(label: str) -> str:
    """'Windlass test positive' -> 'Windlass test': the examination, not its result."""
    for suffix in (" positive", " painful", " abnormal"):
        if label.endswith(suffix):
            label = label[: -len(suffix)]
    return label
