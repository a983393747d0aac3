"""Schemas of the knowledge-base files.

Each entry type validates itself when it is loaded: allowed keys and values are declared once, and
a bad entry raises an error naming the offending field before it can do harm.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Origin = Literal["spinal", "systemic", "local", "mimic"]
AnsweredBy = Literal["patient", "clinician", "test"]
Quality = Literal["verified", "calculated", "secondary", "estimate"]
ESTIMATE = "estimate"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Entry):
    """A cause of heel pain in the differential."""

    id: str
    name: str
    lay_name: str
    description: str
    lay_description: str
    origin: Origin
    serious: bool
    lateralised: bool
    icd10cm: list[str] = Field(min_length=1)
    snomed: str | None = None

    @field_validator("snomed")
    @classmethod
    def _snomed_digits(cls, value: str | None) -> str | None:
        if value is not None and not (value.isdigit() and 6 <= len(value) <= 18):
            raise ValueError(f"SNOMED CT id must be 6-18 digits, got {value!r}")
        return value


class Derivation(_Entry):
    """A boolean finding set from a number finding by a threshold."""

    finding: str
    at_least: float


class ChoiceOption(_Entry):
    value: str
    label: str
    derives: str | None = None


class Finding(_Entry):
    """Something that can be asked, examined or measured."""

    id: str
    type: Literal["boolean", "number", "choice"]
    label: str
    lay_question: str = ""
    clinician_question: str
    answered_by: AnsweredBy
    region: str
    lateralised: bool
    reference_rate: float | None = Field(default=None, gt=0, lt=1)
    reference_source: str
    # P(finding | a cause outside the modelled conditions) where it differs from the reference rate
    # (a finding that points away from every modelled cause: forefoot pain, a rolled ankle ...)
    unexplained_rate: float | None = Field(default=None, gt=0, lt=1)
    unexplained_source: str | None = None
    group: str | None = None
    how_to_examine: str | None = None
    bilateral_variant: str | None = None
    derived: bool = False
    unit: str | None = None
    range: tuple[float, float] | None = None
    derives: list[Derivation] = []
    options: list[ChoiceOption] = []

    @model_validator(mode="after")
    def _type_fields(self) -> Finding:
        if self.type == "boolean" and self.reference_rate is None:
            raise ValueError(f"boolean finding {self.id!r} needs a reference_rate")
        if self.type == "number" and (self.unit is None or self.range is None):
            raise ValueError(f"number finding {self.id!r} needs unit and range")
        if self.type == "choice" and not self.options:
            raise ValueError(f"choice finding {self.id!r} needs options")
        if self.answered_by == "patient" and not self.lay_question:
            raise ValueError(f"patient finding {self.id!r} needs a lay_question")
        return self

    @property
    def bounds(self) -> tuple[float, float]:
        """The range of a number finding (the schema makes every number finding give one)."""
        if self.range is None:
            raise ValueError(f"finding {self.id!r} has no range")
        return self.range


class Group(_Entry):
    """Findings that measure the same thing, so their evidence is discounted."""

    id: str
    description: str
    members: list[str] = Field(min_length=2)
    discount: float = Field(gt=0, le=1)
    source: str
    source_note: str | None = None


class Screen(_Entry):
    """Findings the interview shows together on one screen, as a checklist."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    lay_text: str = ""  # empty: an examination block, asked in clinician mode only
    clinician_text: str
    members: list[str]


class BodyMapRegion(_Entry):
    id: str
    label: str
    finding: str


class SiteArea(_Entry):
    site: str
    area: str
    words: str


class ExamRegion(_Entry):
    id: str
    title: str


class TestKind(_Entry):
    title: str
    prefixes: list[str] = Field(min_length=1)


class Wording(_Entry):
    patient: str
    clinician: str


class Display(_Entry):
    """How the knowledge is shown: body map, dermatome areas, origin and evidence words, the
    clinician form's groups."""

    body_map: list[BodyMapRegion] = Field(min_length=1)
    site_areas: list[SiteArea]
    origins: dict[Literal["local", "spinal", "systemic", "mimic", "both", "unexplained"], Wording]
    evidence_quality: dict[str, str]
    exam_regions: list[ExamRegion]
    test_kinds: list[TestKind]

    @property
    def region_findings(self) -> tuple[str, ...]:
        """The location findings the body map sets, once each."""
        return tuple(dict.fromkeys(r.finding for r in self.body_map))

    def area_of(self, site_id: str) -> SiteArea | None:
        return next((a for a in self.site_areas if a.site == site_id), None)

    def test_kind(self, finding_id: str) -> str:
        """The kind of a test finding, by its id's prefix ("Other tests" when none fits)."""
        return next((k.title for k in self.test_kinds if finding_id.startswith(tuple(k.prefixes))), "Other tests")


class Reference(_Entry):
    id: str
    citation: str
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    verified: bool = True
    note: str | None = None


class _Cited(_Entry):
    """An entry carrying a number: it cites a reference unless it is marked an estimate."""

    quality: Quality
    reference: str | None = None
    note: str | None = None
    origin: str = ""  # file:line, for error messages

    @model_validator(mode="after")
    def _cited(self) -> _Cited:
        if self.quality != ESTIMATE and not self.reference:
            raise ValueError(f"quality {self.quality!r} needs a reference (or mark it 'estimate')")
        return self


def _probability(name: str, value: float | None) -> None:
    if value is not None and not 0 < value <= 1:
        raise ValueError(f"{name} must be in (0, 1], got {value}")


class EvidenceRow(_Cited):
    """One condition x finding x source row of diagnostic accuracy."""

    condition: str
    finding: str
    sens: float | None = None
    spec: float | None = None
    lr_pos: float | None = Field(default=None, gt=0)
    lr_neg: float | None = Field(default=None, ge=0)
    setting: str | None = None

    @model_validator(mode="after")
    def _numbers(self) -> EvidenceRow:
        _probability("sens", self.sens)
        _probability("spec", self.spec)
        if self.sens is None and self.lr_pos is None and self.lr_neg is None:
            raise ValueError("a row needs sens, lr_pos or lr_neg")
        return self


class Prior(_Cited):
    """Prior probability of a condition among people with heel pain in one setting."""

    condition: str
    setting: str
    prior: float = Field(gt=0, lt=1)


class PriorModifier(_Cited):
    """Multiplier of a condition's prior for an age band (`age:LO-HI`, inclusive) or a sex."""

    condition: str
    factor: str
    multiplier: float = Field(ge=0)

    @field_validator("factor")
    @classmethod
    def _factor(cls, value: str) -> str:
        kind, _, arg = value.partition(":")
        if kind == "sex" and arg in ("female", "male"):
            return value
        if kind == "age":
            low, _, high = arg.partition("-")
            if low.isdigit() and high.isdigit() and int(low) <= int(high):
                return value
        raise ValueError(f"factor must be 'age:LO-HI' or 'sex:female|male', got {value!r}")

    def applies(self, age: float, sex: str | None) -> bool:
        kind, _, arg = self.factor.partition(":")
        if kind == "sex":
            return sex == arg
        low, _, high = arg.partition("-")
        return int(low) <= age < int(high) + 1


class ModelSettings(_Entry):
    max_causes: int = Field(ge=1, le=2)
    comorbidity_prior: float = Field(gt=0, lt=1)
    comorbidity_prior_source: str
    # P(the pain has a cause outside the modelled conditions): the open-world state, whose findings
    # occur at their reference rates; 0 turns it off.
    unexplained_prior: float = Field(default=0.0, ge=0, lt=1)
    unexplained_prior_source: str | None = None
    # Above this P(unexplained) the result says the picture does not fit (triage rule p_unexplained
    # uses the same threshold).
    unexplained_flag_at: float = Field(default=0.3, gt=0, lt=1)
    # The regions of the heel (see Unexplained.heel_finding_given).
    heel_regions: list[str] = []
    probability_floor: float = Field(gt=0, lt=0.1)
    lr_cap: float = Field(gt=1)


class SettingsBlock(_Entry):
    default: str
    known: list[str]


class KBHeader(_Entry):
    name: str
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    settings: SettingsBlock
    model: ModelSettings


class LocalisationSite(_Entry):
    """A place a nerve lesion can sit, with the findings that point to it and away from it."""

    id: str
    label: str
    level: Literal["root", "peripheral", "polyneuropathy"]
    description: str
    sources: list[str] = Field(min_length=1)
    supports: dict[str, float]
    against: dict[str, float] = {}


class LocalisationMap(_Entry):
    threshold: float = Field(gt=0)
    sites: list[LocalisationSite] = Field(min_length=1)
