"""Small knowledge bases built in memory, for engine tests and the exact-inference oracle."""

from __future__ import annotations

from pathlib import Path

from heelpath.knowledge.loader import KnowledgeBase, load_kb
from heelpath.knowledge.schema import (
    Condition,
    EvidenceRow,
    Finding,
    Group,
    KBHeader,
    Prior,
)


def make_kb(
    priors: dict[str, float],
    likelihoods: dict[tuple[str, str], float],
    reference: dict[str, float],
    groups: list[tuple[str, list[str], float]] = (),
    comorbidity: float = 0.1,
    max_causes: int = 2,
    floor: float = 0.001,
    unexplained: float = 0.0,
    unexplained_rates: dict[str, float] | None = None,
) -> KnowledgeBase:
    """A knowledge base with the given priors, P(finding | condition) and reference rates."""
    real = load_kb()
    group_of = {m: gid for gid, members, _ in groups for m in members}
    conditions = tuple(
        Condition(id=c, name=c, lay_name=c, description=c, lay_description=c, origin="local",
                  serious=False, lateralised=False, icd10cm=["M72.2"])
        for c in priors
    )
    findings = tuple(
        Finding(id=f, type="boolean", label=f, lay_question=f, clinician_question=f, answered_by="patient",
                region="heel", lateralised=False, reference_rate=r, reference_source="estimate",
                unexplained_rate=(unexplained_rates or {}).get(f),
                unexplained_source="estimate" if f in (unexplained_rates or {}) else None,
                group=group_of.get(f))
        for f, r in reference.items()
    )
    header = KBHeader.model_validate({
        "name": "synthetic", "version": "0.0.1",
        "settings": {"default": "self_assessment", "known": ["self_assessment"]},
        "model": {"max_causes": max_causes, "comorbidity_prior": comorbidity,
                  "comorbidity_prior_source": "estimate", "probability_floor": floor, "lr_cap": 20,
                  "unexplained_prior": unexplained, "unexplained_prior_source": "estimate"},
    })
    return KnowledgeBase(
        header=header,
        conditions=conditions,
        findings=findings,
        groups=tuple(Group(id=g, description=g, members=m, discount=d, source="estimate") for g, m, d in groups),
        evidence=tuple(EvidenceRow(condition=c, finding=f, sens=p, quality="estimate") for (c, f), p in likelihoods.items()),
        priors=tuple(Prior(condition=c, setting="self_assessment", prior=p, quality="estimate") for c, p in priors.items()),
        prior_modifiers=(),
        references={},
        localisation=real.localisation,
        screens=(),
        display=real.display,
        content_hash="synthetic",
        data_dir=Path("."),
    )
