"""Assess a case: differential, origin, coexisting causes, explanation and localisation.

The result is a plain dictionary with a stable, documented shape (``schemas/result.schema.json``)
so the CLI, the HTTP API and the reports all show the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from heelpath.engine import (
    CompiledModel,
    compile_model,
    evidence_vector,
    infer,
    leave_one_out_log_odds,
    origin_label,
    origin_probabilities,
)
from heelpath.engine.localisation import localise
from heelpath.knowledge import KnowledgeBase, load_kb
from heelpath.knowledge.schema import ESTIMATE
from heelpath.services.case import Case, Evidence, to_evidence

RESULT_SCHEMA_VERSION = "1.0"
DISCLAIMER = (
    "heelpath supports, and does not replace, a clinician. It cannot examine you; the "
    "probabilities are estimates from published evidence and, where no study exists, from expert "
    "estimates, which this report marks."
)
GENERAL_SAFETY_NET = (
    "Go to an emergency department at once if you develop numbness between the legs or around the "
    "back passage, new difficulty passing or controlling urine or stools, or weakness in both legs. "
    "Seek care the same day if the heel becomes red, hot and swollen or you feel feverish, if you "
    "felt a snap at the back of the ankle and cannot push off, or if weakness of the foot is getting "
    "worse. See a clinician if the pain is not improving after 6 weeks, wakes you at night, or "
    "stops you walking."
)
EXPLAINED_CONDITIONS = 6


@lru_cache(maxsize=4)
def default_model(max_causes: int | None = None) -> CompiledModel:
    """The compiled model of the packaged knowledge base (built once per process)."""
    return compile_model(load_kb(), max_causes)


@dataclass
class Assessment:
    """Everything computed for one case; `to_dict` gives the documented JSON shape."""

    case: Case
    evidence: Evidence
    model: CompiledModel
    marginals: np.ndarray
    prior_marginals: np.ndarray
    state_probs: np.ndarray
    effects: np.ndarray  # (C, k) leave-one-out log odds
    observed: list[str]
    extras: dict[str, Any]

    @property
    def kb(self) -> KnowledgeBase:
        return self.model.kb

    def ranked(self) -> list[tuple[str, float]]:
        order = np.argsort(-self.marginals, kind="stable")
        return [(self.model.condition_ids[i], float(self.marginals[i])) for i in order]

    def probability(self, condition_id: str) -> float:
        return float(self.marginals[self.model.condition_index[condition_id]])

    def to_dict(self) -> dict[str, Any]:
        model, kb = self.model, self.kb
        label, mass = origin_label(model, self.state_probs)
        involves = origin_probabilities(model, self.state_probs)
        ranked = self.ranked()
        top_state = int(np.argmax(self.state_probs))
        two_causes = float(sum(p for s, p in zip(model.states, self.state_probs) if len(s) == 2))
        differential = []
        for rank, (condition_id, probability) in enumerate(ranked):
            condition = kb.condition(condition_id)
            c = model.condition_index[condition_id]
            entry: dict[str, Any] = {
                "id": condition_id,
                "name": condition.name,
                "lay_name": condition.lay_name,
                "origin": condition.origin,
                "serious": condition.serious,
                "probability": round(probability, 4),
                "prior": round(float(self.prior_marginals[c]), 4),
                "icd10cm": condition.icd10cm,
                "snomed": condition.snomed,
            }
            if rank < EXPLAINED_CONDITIONS:
                entry["explanation"] = self._explain(condition_id)
                entry["prior_basis"] = self._prior_basis(condition_id)
            differential.append(entry)
        result: dict[str, Any] = {
            "schema_version": RESULT_SCHEMA_VERSION,
            **kb.provenance(),
            "case": {
                "setting": self.case.setting,
                "age": self.case.age,
                "sex": self.case.sex,
                "side": self.case.side,
                "answers": self.evidence.given,
            },
            "differential": differential,
            "origin": {
                "label": label,
                "probabilities": {k: round(v, 4) for k, v in mass.items()},
                "involves": {k: round(v, 4) for k, v in involves.items()},
            },
            "coexisting": {
                "probability_two_causes": round(two_causes, 4),
                "most_probable_state": [model.condition_ids[i] for i in model.states[top_state]],
                "most_probable_state_probability": round(float(self.state_probs[top_state]), 4),
            },
            "localisation": self._localisation(),
            "notes": self.evidence.notes,
            "estimates_used": self._estimates_used(ranked[:3]),
            "safety_net": GENERAL_SAFETY_NET,
            "disclaimer": DISCLAIMER,
        }
        result.update(self.extras)
        return result

    def _explain(self, condition_id: str) -> list[dict[str, Any]]:
        model, kb = self.model, self.kb
        c = model.condition_index[condition_id]
        items = []
        for k, finding_id in enumerate(self.observed):
            effect = float(self.effects[c, k])
            if abs(effect) < 0.05:
                continue
            finding = kb.finding(finding_id)
            row = model.rows_used.get((condition_id, finding_id))
            items.append(
                {
                    "finding": finding_id,
                    "label": finding.label,
                    "answer": self.evidence.answers[finding_id],
                    "direction": "for" if effect > 0 else "against",
                    "log_odds": round(effect, 3),
                    "odds_ratio": round(float(np.exp(effect)), 3),
                    "evidence": _row_summary(row, kb) if row else {
                        "basis": "no condition-specific study: the finding's rate in heel pain generally",
                        "quality": ESTIMATE,
                    },
                }
            )
        items.sort(key=lambda item: -abs(item["log_odds"]))
        return items

    def _prior_basis(self, condition_id: str) -> dict[str, Any]:
        prior = next(p for p in self.kb.priors if p.condition == condition_id and p.setting == self.case.setting)
        return {"quality": prior.quality, "reference": _citation(self.kb, prior.reference), "note": prior.note}

    def _localisation(self) -> dict[str, Any]:
        loc = localise(self.kb.localisation, self.evidence.answers)
        answers = self.evidence.answers
        cautions = []
        if answers.get("ankle_reflex_reduced") and "ankle_reflex_reduced_bilateral" not in answers and (
            self.case.age >= 60 or answers.get("diabetes")
        ):
            cautions.append(
                "Check the other ankle reflex: absent ankle reflexes on both sides are common after 60 "
                "and in diabetes (Vrancken 2006) and then do not point to an S1 root lesion."
            )
        return {
            "level": loc.level,
            "cautions": cautions,
            "sites": [
                {
                    "id": s.site_id,
                    "label": s.label,
                    "level": s.level,
                    "score": s.score,
                    "localised": s.score >= loc.threshold,
                    "findings_for": list(s.for_findings),
                    "findings_against": list(s.against_findings),
                    "sources": [_citation(self.kb, ref) for ref in s.sources],
                }
                for s in loc.sites
            ],
        }

    def _estimates_used(self, top: list[tuple[str, float]]) -> list[str]:
        notes = []
        for condition_id, _ in top:
            prior = next(p for p in self.kb.priors if p.condition == condition_id and p.setting == self.case.setting)
            if prior.quality == ESTIMATE:
                notes.append(f"The starting probability of {self.kb.condition(condition_id).name} is an estimate: {prior.note}.")
            estimated = [
                f for f in self.observed
                if (row := self.model.rows_used.get((condition_id, f))) is not None and row.quality == ESTIMATE
            ]
            if estimated:
                notes.append(
                    f"For {self.kb.condition(condition_id).name}, the weight of "
                    f"{', '.join(self.kb.finding(f).label.lower() for f in estimated)} is an estimate (no study found)."
                )
        return notes


def _citation(kb: KnowledgeBase, ref_id: str | None) -> dict[str, Any] | None:
    if not ref_id or ref_id == ESTIMATE:
        return None
    ref = kb.references[ref_id]
    return {"id": ref.id, "citation": ref.citation, "doi": ref.doi, "pmid": ref.pmid}


def _row_summary(row, kb: KnowledgeBase) -> dict[str, Any]:
    lr_pos = row.lr_pos
    if lr_pos is None and row.sens is not None and row.spec is not None:
        lr_pos = row.sens / max(1 - row.spec, row.sens / kb.header.model.lr_cap)
    lr_neg = row.lr_neg
    if lr_neg is None and row.sens is not None and row.spec is not None:
        lr_neg = (1 - row.sens) / row.spec
    return {
        "sensitivity": row.sens,
        "specificity": row.spec,
        "lr_pos": None if lr_pos is None else round(lr_pos, 2),
        "lr_neg": None if lr_neg is None else round(lr_neg, 2),
        "quality": row.quality,
        "setting": row.setting,
        "note": row.note,
        "reference": _citation(kb, row.reference),
    }


def assess(case: Case, model: CompiledModel | None = None) -> Assessment:
    """Assess one case.

    Raises
    ------
    heelpath.errors.InputError
        The case names unknown findings or has invalid or contradictory answers.
    """
    model = model or default_model()
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
        extras={},
    )
