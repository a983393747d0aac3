"""Assess a case: differential, origin, coexisting causes, explanation and localisation.

:class:`Assessment` holds the arrays computed for one case; its methods build the typed parts of
the result (:mod:`heelpath.services.result`) that the CLI, the HTTP API and the reports all show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Literal

import numpy as np
from pydantic import TypeAdapter

from heelpath.engine import (
    CompiledModel,
    evidence_vector,
    given_explained,
    infer,
    leave_one_out_log_odds,
    origin_label,
    origin_probabilities,
)
from heelpath.engine.localisation import localise
from heelpath.engine.model import UNEXPLAINED
from heelpath.knowledge import KnowledgeBase
from heelpath.knowledge.schema import ESTIMATE, Wording
from heelpath.services.case import Case, Evidence, to_evidence
from heelpath.services.result import (
    CaseEcho,
    Citation,
    Coexisting,
    DifferentialEntry,
    EvidenceSummary,
    Localisation,
    LocalisationSite,
    OriginResult,
    PriorBasis,
    Unexplained,
)

EXPLAINED_CONDITIONS = 6
POORLY_EXPLAINED = 0.2  # an answer the leading explanation gives less than this is "poorly explained"
_DIFFERENTIAL = TypeAdapter(list[DifferentialEntry])
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

    @cached_property
    def ranked(self) -> tuple[tuple[str, float], ...]:
        """(condition id, probability), most probable first."""
        order = np.argsort(-self.marginals, kind="stable")
        ids = self.model.condition_ids
        return tuple((ids[i], p) for i, p in zip(order.tolist(), self.marginals[order].tolist()))

    def probability(self, condition_id: str) -> float:
        return float(self.marginals[self.model.condition_index[condition_id]])

    def probability_of_any(self, condition_ids: tuple[str, ...]) -> float:
        """P(at least one of the conditions is present); remembered per assessment (rules re-read it)."""
        known = self._any
        if condition_ids not in known:
            columns = [self.model.condition_index[c] for c in condition_ids]
            known[condition_ids] = float(self.explained_probs @ self.model.membership[:, columns].max(axis=1))
        return known[condition_ids]

    @cached_property
    def explained_probs(self) -> np.ndarray:
        """The posterior over the modelled states, given that one of them holds."""
        return given_explained(self.model, self.state_probs)

    @cached_property
    def _any(self) -> dict[tuple[str, ...], float]:
        return {(c,): p for c, p in zip(self.model.condition_ids, self.marginals.tolist())}

    @cached_property
    def origin_involvement(self) -> dict[str, float]:
        """P(the pain involves a spinal, local, systemic ... cause), by origin key."""
        return origin_probabilities(self.model, self.state_probs)

    @cached_property
    def _origin(self) -> tuple[str, dict[str, float]]:
        """The origin label and the mass of each origin (read by the origin and unexplained sections)."""
        return origin_label(self.model, self.state_probs)

    @cached_property
    def present(self) -> frozenset[str]:
        """Findings answered present (on the painful side for a lateralised finding)."""
        return frozenset(f for f, value in self.evidence.answers.items() if value)

    @cached_property
    def present_any_side(self) -> frozenset[str]:
        """Findings present, counting a lateralised finding on either side (what red flags read)."""
        given = self.evidence.given
        return self.present | {f for f, answer in given.items()
                               if answer is True or (isinstance(answer, dict) and answer.get("present") is True)}

    @cached_property
    def absent(self) -> frozenset[str]:
        return frozenset(f for f, value in self.evidence.answers.items() if not value)

    def case_echo(self) -> CaseEcho:
        return CaseEcho(setting=self.case.setting, age=self.case.age, sex=self.case.sex, side=self.case.side,
                        answers=self.evidence.given)

    def differential(self) -> list[DifferentialEntry]:
        """Every condition, most probable first; the leading ones with their explanation."""
        model, kb = self.model, self.kb
        priors = self.prior_marginals.tolist()
        explained = [c for c, _ in self.ranked[:EXPLAINED_CONDITIONS]]
        explanations = dict(zip(explained, self._explanations(explained)))
        entries = [  # validated in one pass: the same models, built several times faster
            {
                "id": condition_id,
                "name": (condition := kb.condition(condition_id)).name,
                "lay_name": condition.lay_name,
                "origin": condition.origin,
                "serious": condition.serious,
                "probability": round(probability, 4),
                "prior": round(priors[model.condition_index[condition_id]], 4),
                "icd10cm": condition.icd10cm,
                "snomed": condition.snomed,
                "explanation": explanations.get(condition_id),
                "prior_basis": _prior_basis(kb, condition_id, self.case.setting) if condition_id in explanations else None,
            }
            for condition_id, probability in self.ranked
        ]
        return _DIFFERENTIAL.validate_python(entries)

    def origin(self) -> OriginResult:
        label, mass = self._origin
        return OriginResult(label=label, probabilities={k: round(v, 4) for k, v in mass.items()},
                            involves={k: round(v, 4) for k, v in self.origin_involvement.items()})

    def unexplained(self, wording: Wording, no_heel_finding: Wording) -> Unexplained:
        """How well the modelled causes explain the answers (see :class:`Unexplained`)."""
        model, settings = self.model, self.kb.header.model
        probability = self.origin_involvement[UNEXPLAINED]
        best = int(np.argmax(self.explained_probs))
        poorly = []
        for finding_id in self.observed:
            p_present = float(model.state_likelihood[best, model.feature_index[finding_id]])
            p_answer = p_present if self.evidence.answers[finding_id] else 1 - p_present
            if p_answer < POORLY_EXPLAINED:
                poorly.append(self.kb.finding(finding_id).label)
        heel_regions = set(settings.heel_regions)
        heel_finding_given = any(self.kb.finding(f).region in heel_regions for f in self.present_any_side)
        reason: Literal["poor_fit", "no_heel_finding"] | None = None
        said = None
        if probability >= settings.unexplained_flag_at:
            reason, said = "poor_fit", wording
        elif not heel_finding_given and (self.kb.condition(self.ranked[0][0]).origin == "local"
                                         or self._origin[0] in ("local", "both")):
            reason, said = "no_heel_finding", no_heel_finding
        return Unexplained(
            probability=round(probability, 4),
            prior=settings.unexplained_prior,
            flagged=reason is not None,
            reason=reason,
            threshold=settings.unexplained_flag_at,
            heel_finding_given=heel_finding_given,
            poorly_explained=poorly,
            patient=None if said is None else said.patient,
            clinician=None if said is None else said.clinician,
        )

    def coexisting(self) -> Coexisting:
        model, probs = self.model, self.explained_probs
        top_state = int(np.argmax(probs))
        two_causes = float(probs[model.membership.sum(axis=1) == 2].sum())
        return Coexisting(
            probability_two_causes=round(two_causes, 4),
            most_probable_state=[model.condition_ids[i] for i in model.states[top_state]],
            most_probable_state_probability=round(float(probs[top_state]), 4),
        )

    def _explanations(self, condition_ids: list[str]) -> list[list[dict[str, Any]]]:
        """For each condition, the observed findings that moved its probability, largest effect first."""
        model, kb, answers = self.model, self.kb, self.evidence.answers
        effects = self.effects[[model.condition_index[c] for c in condition_ids]]
        findings = [(f, kb.finding(f).label, answers[f]) for f in self.observed]
        out = []
        for condition_id, row, odds in zip(condition_ids, effects.tolist(), np.exp(effects).tolist()):
            shown = sorted((k for k, effect in enumerate(row) if abs(effect) >= 0.05), key=lambda k: -abs(row[k]))
            out.append([
                {
                    "finding": findings[k][0],
                    "label": findings[k][1],
                    "answer": findings[k][2],
                    "direction": "for" if row[k] > 0 else "against",
                    "log_odds": round(row[k], 3),
                    "odds_ratio": round(odds[k], 3),
                    "evidence": _evidence_summary(model, condition_id, findings[k][0]),
                }
                for k in shown
            ])
        return out

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
        for condition_id, _ in self.ranked[:top]:
            prior = self.kb.prior(condition_id, self.case.setting)
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
def _prior_basis(kb: KnowledgeBase, condition_id: str, setting: str) -> PriorBasis:
    prior = kb.prior(condition_id, setting)
    return PriorBasis(quality=prior.quality, reference=citation(kb, prior.reference), note=prior.note)


@lru_cache(maxsize=8192)
def _evidence_summary(model: CompiledModel, condition_id: str, finding_id: str) -> EvidenceSummary:
    """The evidence behind one finding's weight for one condition (built once: the model is immutable)."""
    row = model.rows_used.get((condition_id, finding_id))
    if row is None:
        return NO_STUDY
    lr_pos = row.lr_pos
    if lr_pos is None and row.sens is not None and row.spec is not None:
        lr_pos = row.sens / max(1 - row.spec, row.sens / model.kb.header.model.lr_cap)
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
        reference=citation(model.kb, row.reference),
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
