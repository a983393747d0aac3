"""The JSON API's request and response models: what the routes take and answer, for the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, WithJsonSchema

from heelpath.services.case import Case
from heelpath.services.result import TextMention


def _true_only(value: bool) -> bool:
    if value is not True:
        raise ValueError("must be true")
    return value


#: JSON `true` and nothing else (a Literal[True] would let 1 and 1.0 through, as 1 == True)
Consent = Annotated[StrictBool, AfterValidator(_true_only), WithJsonSchema({"type": "boolean", "const": True})]


class SaveRequest(BaseModel):
    """Save an assessment: the case is assessed and stored, only with explicit consent."""

    model_config = ConfigDict(strict=True, extra="forbid")
    consent: Consent = Field(description="must be `true`: nothing is stored without consent")
    case: Case


class TopCondition(BaseModel):
    id: str
    name: str
    probability: float


class SavedSummary(BaseModel):
    id: str
    created: str = Field(description="ISO 8601, UTC")
    kb_version: str
    kb_hash: str
    setting: str | None
    age: float | None
    top_condition: TopCondition | None
    origin: str | None


class SavedList(BaseModel):
    total: int = Field(description="how many saved assessments there are in all")
    limit: int
    offset: int
    items: list[SavedSummary] = Field(description="newest first")


class SavedRecord(BaseModel):
    id: str
    created: str = Field(description="ISO 8601, UTC")
    kb_version: str
    kb_hash: str
    case: dict[str, Any] = Field(description="the case as it was given")
    result: dict[str, Any] = Field(description="the assessment result (AssessmentResult)")
    owner_key: str | None = Field(default=None, description="only in the answer to saving it: the secret that "
                                  "reads, exports or deletes this record alone (X-Owner-Key); not stored, not shown again")


class SavedExport(BaseModel):
    format: Literal["heelpath-assessment"]
    format_version: int
    exported: str = Field(description="ISO 8601, UTC")
    assessments: list[SavedRecord]


class ParseTextRequest(BaseModel):
    """Free text to read: a lay description or a clinic note."""

    model_config = ConfigDict(strict=True, extra="forbid")
    text: str = Field(max_length=20000, description="up to 20,000 characters")


class ParsedText(BaseModel):
    """What the text intake understood."""

    findings: list[TextMention] = Field(description="every mention, in text order, counted or not")
    case: dict[str, Any] = Field(description="a partial case from the text (age, sex, side when stated, and "
                                             "findings): merge it with what you know and send it to /api/assess")
    age: int | None
    sex: Literal["female", "male"] | None
    side: Literal["left", "right", "both"] | None
    duration_weeks: float | None
    morning_stiffness_minutes: float | None
    unmatched: bool = Field(description="true when nothing usable was found")
    message: str = Field(description="a short summary of what was understood, or why nothing was")
    to_confirm: list[str] = Field(default=[], description="warning signs named without being settled: ask them "
                                                          "first (the interview state's confirm_first)")


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    kb_version: str
    kb_hash: str


class KBInfo(BaseModel):
    name: str
    version: str
    hash: str = Field(description="sha256 of the knowledge-base files; every result carries it")
    counts: dict[str, int]


class ConditionInfo(BaseModel):
    id: str
    name: str
    lay_name: str
    description: str
    lay_description: str
    origin: str
    serious: bool
    lateralised: bool
    icd10cm: list[str]
    snomed: str | None


class ChoiceInfo(BaseModel):
    value: str
    label: str


class FindingInfo(BaseModel):
    id: str
    type: Literal["boolean", "number", "choice"]
    label: str
    lay_question: str
    clinician_question: str
    answered_by: str
    region: str
    lateralised: bool
    derived: bool = Field(description="normally set from another answer (e.g. a number), though it can be answered")
    unit: str | None
    range: list[float] | None
    group: str | None
    how_to_examine: str | None
    options: list[ChoiceInfo]
