"""Assess a case: differential, origin, coexisting causes, explanation and localisation.

:class:`Assessment` holds the arrays computed for one case; its methods build the typed parts of
the result (:mod:`heelpath.services.result`) that the CLI, the HTTP API and the reports all show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from heelpath.engine import (
    CompiledModel,
    evidence_vector,
    infer,
    leave_one_out_log_odds,
    origin_label,
    origin_probabilities,
)
from heelpath.engine.localisation import localise
from heelpath.knowledge import KnowledgeBase
from heelpath.knowledge.schema import ESTIMATE, EvidenceRow, Prior
from heelpath.services.case import Case, Evidence, to_evidence
from heelpath.services.result import (
    CaseEcho,
    Citation,
    Coexisting,
    DifferentialEntry,
    EvidenceSummary,
    ExplanationItem,
    Localisation,
    LocalisationSite,
    OriginResult,
    PriorBasis,
)

EXPLAINED_CONDITIONS = 6
NO_STUDY = EvidenceSummary(basis="no condition-specific study: the finding's rate in heel pain generally",
                           quality=ESTIMATE)


@dataclass
class Assessment:
    """Everything computed for one case; its methods give the typed parts of the result."""

    case: Case
    evidence: Evidence
    model: CompiledModel
    marginals: np.ndarray
    prior_marginals: np.ndarray
    state_probs: np.ndarray
    effects: np.ndarray  # (C, k) leave-one-out log odds
    observed: list[str]

    @property
    def kb(self) -> KnowledgeBase:
        return self.model.kb

    def ranked(self) -> list[tuple[str, float]]:
        order = np.argsort(-self.marginals, kind="stable")
        return [(self.model.condition_ids[i], float(self.marginals[i])) for i in order]

    def probability(self, condition_id: str) -> float:
        return float(self.marginals[self.model.condition_index[condition_id]])

    def case_echo(self) -> CaseEcho:
        return CaseEcho(setting=self.case.setting, age=self.case.age, sex=self.case.sex, side=self.case.side,
                        answers=self.evidence.given)

    def differential(self) -> list[DifferentialEntry]:
        """Every condition, most probable first; the leading ones with their explanation."""
        model, kb = self.model, self.kb
        out = []
        for rank, (condition_id, probability) in enumerate(self.ranked()):
            condition = kb.condition(condition_id)
            explained = rank < EXPLAINED_CONDITIONS
            out.append(DifferentialEntry(
                id=condition_id,
                name=condition.name,
                lay_name=condition.lay_name,
                origin=condition.origin,
                serious=condition.serious,
                probability=round(probability, 4),
                prior=round(float(self.prior_marginals[model.condition_index[condition_id]]), 4),
                icd10cm=list(condition.icd10cm),
                snomed=condition.snomed,
                explanation=self._explain(condition_id) if explained else None,
                prior_basis=self._prior_basis(condition_id) if explained else None,
            ))
        return out

    def origin(self) -> OriginResult:
        label, mass = origin_label(self.model, self.state_probs)
        involves = origin_probabilities(self.model, self.state_probs)
        return OriginResult(label=label, probabilities={k: round(v, 4) for k, v in mass.items()},
                            involves={k: round(v, 4) for k, v in involves.items()})

    def coexisting(self) -> Coexisting:
        model = self.model
        top_state = int(np.argmax(self.state_probs))
        two_causes = float(self.state_probs[model.membership.sum(axis=1) == 2].sum())
        return Coexisting(
            probability_two_causes=round(two_causes, 4),
            most_probable_state=[model.condition_ids[i] for i in model.states[top_state]],
            most_probable_state_probability=round(float(self.state_probs[top_state]), 4),
        )

    def _explain(self, condition_id: str) -> list[ExplanationItem]:
        model, kb = self.model, self.kb
        c = model.condition_index[condition_id]
        items = []
        for k, finding_id in enumerate(self.observed):
            effect = float(self.effects[c, k])
            if abs(effect) < 0.05:
                continue
            row = model.rows_used.get((condition_id, finding_id))
            items.append(ExplanationItem(
                finding=finding_id,
                label=kb.finding(finding_id).label,
                answer=self.evidence.answers[finding_id],
                direction="for" if effect > 0 else "against",
                log_odds=round(effect, 3),
                odds_ratio=round(float(np.exp(effect)), 3),
                evidence=_row_summary(row, kb) if row else NO_STUDY,
            ))
        items.sort(key=lambda item: -abs(item.log_odds))
        return items

    def _prior(self, condition_id: str) -> Prior:
        return next(p for p in self.kb.priors if p.condition == condition_id and p.setting == self.case.setting)

    def _prior_basis(self, condition_id: str) -> PriorBasis:
        prior = self._prior(condition_id)
        return PriorBasis(quality=prior.quality, reference=citation(self.kb, prior.reference), note=prior.note)

    def localisation(self, cautions: list[str]) -> Localisation:
        """The nerve-lesion localisation, with the cautions the rule book gives for this case."""
        kb = self.kb
        loc = localise(kb.localisation, self.evidence.answers)
        return Localisation(
            level=loc.level,
            cautions=cautions,
            sites=[
                LocalisationSite(
                    id=s.site_id,
                    label=s.label,
                    level=s.level,
                    score=s.score,
                    localised=s.score >= loc.threshold,
                    findings_for=list(s.for_findings),
                    findings_against=list(s.against_findings),
                    sources=citations(kb, s.sources),
                )
                for s in loc.sites
            ],
        )

    def estimates_used(self, top: int = 3) -> list[str]:
        """Plain notes on which figures behind the leading causes are estimates."""
        kb = self.kb
        notes = []
        for condition_id, _ in self.ranked()[:top]:
            prior = self._prior(condition_id)
            name = kb.condition(condition_id).name
            if prior.quality == ESTIMATE:
                notes.append(f"The starting probability of {name} is an estimate: {prior.note}.")
            estimated = [
                f for f in self.observed
                if (row := self.model.rows_used.get((condition_id, f))) is not None and row.quality == ESTIMATE
            ]
            if estimated:
                notes.append(
                    f"For {name}, the weight of "
                    f"{', '.join(kb.finding(f).label.lower() for f in estimated)} is an estimate (no study found)."
                )
        return notes


@lru_cache(maxsize=4096)
def citation(kb: KnowledgeBase, ref_id: str | None) -> Citation | None:
    """The citation of a reference id; None for an estimate (built once: citations are immutable)."""
    if not ref_id or ref_id == ESTIMATE:
        return None
    ref = kb.references[ref_id]
    return Citation(id=ref.id, citation=ref.citation, doi=ref.doi, pmid=ref.pmid, url=ref.url)


def citations(kb: KnowledgeBase, ref_ids: Iterable[str]) -> list[Citation]:
    return [c for ref_id in ref_ids if (c := citation(kb, ref_id)) is not None]


@lru_cache(maxsize=4096)
def _row_summary(row: EvidenceRow, kb: KnowledgeBase) -> EvidenceSummary:
    lr_pos = row.lr_pos
    if lr_pos is None and row.sens is not None and row.spec is not None:
        lr_pos = row.sens / max(1 - row.spec, row.sens / kb.header.model.lr_cap)
    lr_neg = row.lr_neg
    if lr_neg is None and row.sens is not None and row.spec is not None:
        lr_neg = (1 - row.sens) / row.spec
    return EvidenceSummary(
        sensitivity=row.sens,
        specificity=row.spec,
        lr_pos=None if lr_pos is None else round(lr_pos, 2),
        lr_neg=None if lr_neg is None else round(lr_neg, 2),
        quality=row.quality,
        setting=row.setting,
        note=row.note,
        reference=citation(kb, row.reference),
    )


def assess(case: Case, model: CompiledModel) -> Assessment:
    """Assess one case.

    Raises
    ------
    heelpath.errors.InputError
        The case names unknown findings or has invalid or contradictory answers.
    """
    evidence = to_evidence(model.kb, case)
    vector = evidence_vector(model, evidence.answers)
    log_prior = model.log_prior(case.setting, case.age, case.sex)
    posterior = infer(model, vector, log_prior)
    effects = leave_one_out_log_odds(model, posterior, log_prior)
    return Assessment(
        case=case,
        evidence=evidence,
        model=model,
        marginals=posterior.marginals,
        prior_marginals=posterior.prior_marginals,
        state_probs=posterior.state_probs,
        effects=effects,
        observed=[model.feature_ids[i] for i in posterior.observed],
    )
