"""The typed result of an assessment: what the CLI, the HTTP API, the web app and the reports show.

``schemas/result.schema.json`` is generated from :class:`AssessmentResult` (``heelpath schema
result`` prints it; a test keeps the shipped file in step). Fields are added in minor versions,
never removed or renamed without a major version.

>>> import heelpath
>>> result = heelpath.assess({"age": 45, "findings": {"first_step_pain": True}})
>>> result.differential[0].id, result.triage.level
('plantar_fasciitis', 'self_care')
>>> result.model_dump(mode="json")["triage"]["level"]
'self_care'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from heelpath.knowledge.rules import Level

if TYPE_CHECKING:
    from heelpath.services.intake.model import ExtractedFinding


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Out):
    """A published source, as every cited figure and rule names it."""

    id: str
    citation: str
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None


class EvidenceSummary(_Out):
    """The figure behind one finding's weight for one condition, and where it comes from."""

    quality: str = Field(description="verified, secondary, calculated or estimate")
    sensitivity: float | None = None
    specificity: float | None = None
    lr_pos: float | None = None
    lr_neg: float | None = None
    setting: str | None = None
    note: str | None = None
    reference: Citation | None = None
    basis: str | None = Field(default=None, description="what an estimate without a condition-specific row rests on")


class ExplanationItem(_Out):
    """One answered finding's effect on a condition, given all the other answers."""

    finding: str
    label: str
    answer: bool
    direction: Literal["for", "against"]
    log_odds: float
    odds_ratio: float = Field(ge=0)
    evidence: EvidenceSummary


class PriorBasis(_Out):
    quality: str
    reference: Citation | None = None
    note: str | None = None


class DifferentialEntry(_Out):
    """One condition, with P(present); two coexisting causes can both be high."""

    id: str
    name: str
    lay_name: str
    origin: Literal["spinal", "systemic", "local", "mimic"]
    serious: bool
    probability: float = Field(ge=0, le=1)
    prior: float = Field(ge=0, le=1)
    icd10cm: list[str]
    snomed: str | None
    explanation: list[ExplanationItem] | None = Field(
        default=None, description="each answered finding's effect, strongest first (the leading causes only)")
    prior_basis: PriorBasis | None = None


class OriginResult(_Out):
    label: Literal["local", "spinal", "systemic", "mimic", "both", "unexplained"]
    probabilities: dict[str, float] = Field(description="mass of each origin; 'both' = spinal and local together")
    involves: dict[str, float] = Field(description="P(at least one cause of that origin); spinal_and_local = both")


class Unexplained(_Out):
    """How well the modelled causes explain the answers: the open-world state ("something else",
    every finding at its rate in heel pain generally) and the answers the leading explanation
    predicts poorly."""

    probability: float = Field(ge=0, le=1, description="P(none of the modelled causes)")
    prior: float = Field(ge=0, le=1, description="its starting probability (an estimate)")
    flagged: bool = Field(description="the ranking is not a confident diagnosis: the probability is at or above "
                                      "the knowledge base's threshold, or a heel cause leads with no heel finding given")
    threshold: float
    reason: Literal["poor_fit", "no_heel_finding"] | None = Field(
        default=None, description="why the ranking is flagged: the answers fit every modelled cause poorly, or a heel "
                                  "cause or the heel as origin leads with no heel finding given")
    heel_finding_given: bool = Field(description="a finding answered yes is about the heel (its region is one of "
                                                 "kb.yaml heel_regions)")
    poorly_explained: list[str] = Field(
        description="answers the most probable modelled explanation gives a probability below 20%")
    patient: str | None = None
    clinician: str | None = None


class Coexisting(_Out):
    probability_two_causes: float = Field(ge=0, le=1)
    most_probable_state: list[str] = Field(min_length=1, max_length=2)
    most_probable_state_probability: float


class LocalisationSite(_Out):
    id: str
    label: str
    level: str
    score: float
    localised: bool
    findings_for: list[str]
    findings_against: list[str]
    sources: list[Citation]


class Localisation(_Out):
    """Where a nerve lesion sits: root, peripheral nerve or polyneuropathy."""

    level: Literal["root", "peripheral", "polyneuropathy", "mixed"] | None
    cautions: list[str]
    sites: list[LocalisationSite]


class CaseEcho(_Out):
    setting: Literal["self_assessment", "primary_care"]
    age: float
    sex: Literal["female", "male"] | None
    side: Literal["left", "right", "both", "unknown"]
    answers: dict[str, Any] = Field(description="the answers as given")


class FiredRule(_Out):
    """A red flag (answers only) or pattern rule that fired, and why."""

    id: str
    kind: Literal["red_flag", "pattern"]
    level: Level
    title: str
    reason: str
    patient: str
    clinician: str
    because: list[str]
    findings: list[str]
    safety_net: str | None
    suspects: list[str]
    source: list[Citation]
    timing: str = Field(description="the timing the rule's source gives, or 'none given' and heelpath's choice")
    note: str | None


class SafetyNetAdvice(_Out):
    id: str
    patient: str
    clinician: str
    source: list[Citation]


class Triage(_Out):
    """How urgently to seek care: red flags set a floor; pattern and probability rules only raise it."""

    level: Level
    label: str = Field(description="the level's name as shown")
    rank: int = Field(ge=0, le=4)
    levels: list[str]
    headline: str
    headline_clinician: str
    set_by: str
    red_flag_floor: Level | None
    reasons: list[str]
    rules_fired: list[FiredRule]
    safety_net: list[SafetyNetAdvice]
    patient_advice: str
    clinician_advice: str


class NextStepItem(_Out):
    """One piece of cited advice: whom to see, a test, a treatment, what to avoid."""

    id: str
    patient: str
    clinician: str
    why: str
    because: list[str]
    source: list[Citation]
    who: str | None = None
    test: str | None = None
    tests: list[str] = []
    note: str | None = None


class Examination(_Out):
    """An examination not yet done that would best separate the leading causes."""

    finding: str
    label: str
    patient: str
    clinician: str
    how_to_examine: str
    why: str
    gain_bits: float
    positive_rate: dict[str, float]
    source: list[Citation]
    evidence_quality: str


class NextSteps(_Out):
    see: list[NextStepItem]
    examinations: list[Examination]
    tests: list[NextStepItem]
    tests_not_recommended: list[NextStepItem]
    treatments: list[NextStepItem]
    avoid: list[NextStepItem]
    both_causes_warning: NextStepItem | None = None


class TextMention(_Out):
    """A finding read from free text, with where it was read and how it was qualified."""

    finding: str
    present: bool
    side: str | None
    span: str
    start: int
    end: int
    modifier: str | None
    asserted: bool
    hedged: bool = False
    read_by: Literal["rules", "model"] = Field(
        default="rules", description="rules, or model: the statistical reader asked it where the rules read nothing "
                                     "(span is then the sentence that told it most)")
    probability: float | None = Field(default=None, ge=0, le=1, description="the statistical reader's probability")

    @classmethod
    def of(cls, finding: ExtractedFinding) -> TextMention:
        """The mention of one finding the text intake read."""
        return cls(finding=finding.finding_id, present=finding.present, side=finding.side, span=finding.text,
                   start=finding.start, end=finding.end, modifier=finding.modifier, asserted=finding.asserted,
                   hedged=finding.hedged, read_by=finding.read_by, probability=finding.probability)


class TextIntakeResult(_Out):
    findings: list[TextMention]
    understood_nothing: bool
    to_confirm: list[str] = Field(
        default=[], description="warning-sign findings the text mentions without settling them (hedged, in the "
                                "past, conditional, about a relative, named without a yes or no, or only their "
                                "subject named): ask them first; a hedged one (\"I think I wet myself\") is "
                                "counted as present until it is confirmed")


class AssessmentResult(_Out):
    """The whole result of one assessment (``heelpath assess --json``, ``POST /api/assess``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="heelpath assessment result")
    schema_version: Literal["1.0"] = "1.0"
    kb_version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    kb_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    case: CaseEcho
    differential: list[DifferentialEntry] = Field(description="every condition, most probable first")
    origin: OriginResult
    unexplained: Unexplained
    coexisting: Coexisting
    localisation: Localisation
    notes: list[str]
    estimates_used: list[str]
    safety_net: str
    disclaimer: str
    triage: Triage
    next_steps: NextSteps
    text_intake: TextIntakeResult | None = None

    def probability(self, condition_id: str) -> float:
        """P(condition present); KeyError for an id the knowledge base does not have."""
        for entry in self.differential:
            if entry.id == condition_id:
                return entry.probability
        raise KeyError(condition_id)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape (what ``--json`` prints and the API returns)."""
        return self.model_dump(mode="json")
