"""The API's shapes for criteria assessments: strict bodies (bounds on every number and list),
answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field

from lantoa.core.api_input import Id, IsoDate, LongText, StrictInput
from lantoa.judging.assessments.models import EVIDENCE_MAX, NOTE_MAX, SUBJECTS_MAX, YEAR_MAX, YEAR_MIN
from lantoa.judging.models import CRITERIA_MAX, MAX_SCORE_MAX, REASON_MAX, TITLE_MAX, URL_MAX

Score = Annotated[
    Decimal, Field(strict=False, ge=0, le=MAX_SCORE_MAX, max_digits=6, decimal_places=2, allow_inf_nan=False)
]


class MinimumIn(StrictInput):
    position: int = Field(..., ge=1, le=CRITERIA_MAX)
    minimum: Score


class SubjectIn(StrictInput):
    unit: str = Field(..., min_length=1, max_length=64, description="The unit's code")
    model_title: str = Field("", max_length=TITLE_MAX, description="An exemplary model of the unit, or empty")


class CampaignIn(StrictInput):
    unit: str = Field(..., min_length=1, max_length=64, description="The assessing unit's code")
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    year: int = Field(..., ge=YEAR_MIN, le=YEAR_MAX)
    starts_on: IsoDate
    ends_on: IsoDate
    rubric: Id
    pass_score: Decimal = Field(..., strict=False, ge=0, le=100, max_digits=5, decimal_places=2, allow_inf_nan=False)
    minimums: list[MinimumIn] = Field(default_factory=list, max_length=CRITERIA_MAX)
    tier: str = Field("", max_length=40, description="Every unit of this tier beneath the assessing unit")
    subjects: list[SubjectIn] = Field(default_factory=list, max_length=SUBJECTS_MAX)


class SelfScoreIn(StrictInput):
    criterion: Id
    value: Score
    note: str = Field("", max_length=REASON_MAX)


class SelfIn(StrictInput):
    scores: list[SelfScoreIn] = Field(default_factory=list, max_length=CRITERIA_MAX)
    comment: LongText = Field("", max_length=NOTE_MAX)
    evidence: list[Annotated[str, Field(min_length=1, max_length=URL_MAX)]] = Field(
        default_factory=list, max_length=EVIDENCE_MAX
    )
    submit: bool = False


class VerifiedScoreIn(StrictInput):
    criterion: Id
    value: Score
    reason: str = Field("", max_length=REASON_MAX)


class VerifyIn(StrictInput):
    scores: list[VerifiedScoreIn] = Field(..., min_length=1, max_length=CRITERIA_MAX)
    comment: LongText = Field("", max_length=NOTE_MAX)


class CampaignOut(Schema):
    id: int
    unit: str
    unit_name: str
    title: str
    year: int
    starts_on: dt.date
    ends_on: dt.date
    rubric: int
    rubric_version: int
    pass_score: Decimal
    minimums: dict[str, Decimal]


class CampaignListOut(Schema):
    items: list[CampaignOut]
    count: int


class AssessmentRowOut(Schema):
    id: int
    unit: str
    unit_name: str
    model_title: str
    status: str
    self_total: Decimal | None
    verified_total: Decimal | None
    passed: bool | None


class CampaignDetailOut(CampaignOut):
    subjects: list[AssessmentRowOut]
    count: int


class EvidenceFileOut(Schema):
    id: int
    criterion: int
    side: str
    name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime
    download: str


class EvidenceListOut(Schema):
    items: list[EvidenceFileOut]
    count: int


class CriterionScoreOut(Schema):
    criterion: int
    position: int
    name: str
    max_score: Decimal
    weight: Decimal
    minimum: Decimal | None
    self_value: Decimal | None
    note: str
    verified_value: Decimal | None
    reason: str
    passed: bool | None
    files: list[EvidenceFileOut]


class ReopeningOut(Schema):
    at: dt.datetime
    reason: str


class AssessmentOut(AssessmentRowOut):
    campaign: int
    year: int
    self_comment: str
    evidence: list[str]
    verification_comment: str
    submitted_at: dt.datetime | None
    verified_at: dt.datetime | None
    criteria: list[CriterionScoreOut]
    reopenings: list[ReopeningOut]


class HistoryRowOut(AssessmentRowOut):
    campaign: int
    campaign_title: str
    year: int


class HistoryOut(Schema):
    unit: str
    unit_name: str
    items: list[HistoryRowOut]
    count: int
