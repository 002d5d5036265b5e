"""The API's shapes for judged contests: strict bodies (the declared type only, bounds on every
number), answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from lantoa.core.api_input import Amount, Id, IsoDate, LongText, StrictInput
from lantoa.judging.models import (
    ADVANCE_COUNT_MAX,
    CRITERIA_MAX,
    DESCRIPTORS_MAX,
    JURORS_PER_ENTRY_MAX,
    MATERIALS_MAX,
    MAX_SCORE_MAX,
    REASON_MAX,
    SCORE_SCALE,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    WEIGHT_MAX,
)


class ScoreIn(StrictInput):
    value: Amount = Field(..., ge=0, le=MAX_SCORE_MAX, max_digits=6, decimal_places=2)


class ReasonIn(StrictInput):
    reason: str = Field(..., min_length=1, max_length=REASON_MAX)


class VotesIn(StrictInput):
    votes: int = Field(..., ge=0, le=10_000_000)


class CriterionOut(Schema):
    id: int
    position: int
    section: str
    name: str
    weight: Decimal
    max_score: Decimal
    descriptors: list[dict[str, str]]


class ScoreOut(Schema):
    criterion: int
    value: Decimal


class SheetOut(Schema):
    id: int
    stage: int
    stage_name: str
    competition: str
    entry: int
    entry_title: str = Field(..., description="In a blind stage, a juror reads the entry's code here.")
    entrant: str = Field(..., description="Empty for a juror of a blind stage.")
    materials: list[str]
    blind: bool
    status: str
    is_extra: bool
    total: Decimal | None
    submitted_at: dt.datetime | None
    criteria: list[CriterionOut]
    scores: list[ScoreOut]


class SheetListItem(Schema):
    id: int
    stage: int
    entry_title: str
    status: str
    total: Decimal | None


class SheetListOut(Schema):
    items: list[SheetListItem]
    count: int


class StageOut(Schema):
    id: int
    competition: int
    number: int
    name: str
    unit: str
    starts_on: dt.date
    ends_on: dt.date
    rubric: str
    rubric_version: int
    aggregation: str
    jurors_per_entry: int
    disagreement_margin: Decimal | None
    audience_weight: Decimal
    advancement: str
    advance_count: int | None
    advance_threshold: Decimal | None
    results_computed_at: dt.datetime | None
    results_published_at: dt.datetime | None
    blind: bool


class CompetitionOut(Schema):
    id: int
    unit: str
    unit_name: str
    title: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date


class CompetitionDetailOut(CompetitionOut):
    stages: list[StageOut]
    entries: int


class CompetitionListOut(Schema):
    items: list[CompetitionOut]
    count: int


class ProgressRow(Schema):
    juror: int
    name: str
    role: str
    assigned: int
    submitted: int
    missing: list[int]


class ProgressOut(Schema):
    stage: int
    sheets: int
    submitted: int
    jurors: list[ProgressRow]


class ResultRow(Schema):
    entry: int
    title: str
    entrant: str
    unit: str
    score: Decimal | None
    rank: int | None
    audience_votes: int | None
    advanced: bool
    prize: str


class StageResultsOut(Schema):
    stage: int
    computed_at: dt.datetime | None
    published_at: dt.datetime | None
    items: list[ResultRow]
    count: int


class PublicationIn(StrictInput):
    published: bool = Field(..., description="true: approve and publish the results; false: withdraw them.")
    reason: str = Field("", max_length=REASON_MAX, description="Why published results are withdrawn (required then).")


class PublicResultRow(Schema):
    rank: int
    title: str
    entrant: str
    unit_name: str
    score: Decimal | None
    prize: str


class PublicResultsOut(Schema):
    stage: int
    stage_name: str
    competition: str
    published_at: dt.datetime
    items: list[PublicResultRow]
    count: int


class AssignOut(Schema):
    created: int
    loads: dict[str, int]


# --- Setting a contest up ---------------------------------------------------------------------

KindCode = Literal["staged", "best_reporter", "essay"]
AggregationCode = Literal["mean", "trimmed_mean", "median", "normalised"]
AdvancementCode = Literal["none", "top_n", "threshold"]
RoleCode = Literal["chair", "member", "secretary"]
Weight = Annotated[
    Decimal, Field(strict=False, gt=0, le=WEIGHT_MAX, max_digits=5, decimal_places=2, allow_inf_nan=False)
]
MaxScore = Annotated[
    Decimal, Field(strict=False, gt=0, le=MAX_SCORE_MAX, max_digits=6, decimal_places=2, allow_inf_nan=False)
]
Hundred = Annotated[
    Decimal, Field(strict=False, ge=0, le=SCORE_SCALE, max_digits=5, decimal_places=2, allow_inf_nan=False)
]


class CompetitionIn(StrictInput):
    unit: str = Field(..., max_length=64, description="Code of the organising unit.")
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    kind: KindCode
    starts_on: IsoDate
    ends_on: IsoDate
    description: LongText = Field("", max_length=TEXT_MAX)


class DescriptorIn(StrictInput):
    score: Amount = Field(..., ge=0, le=MAX_SCORE_MAX, max_digits=6, decimal_places=2)
    text: str = Field(..., min_length=1, max_length=REASON_MAX)


class CriterionIn(StrictInput):
    section: str = Field("", max_length=TITLE_MAX)
    name: str = Field(..., min_length=1, max_length=TITLE_MAX)
    weight: Weight
    max_score: MaxScore
    descriptors: list[DescriptorIn] = Field(default_factory=list, max_length=DESCRIPTORS_MAX)


class RubricIn(StrictInput):
    unit: str = Field(..., max_length=64, description="Code of the unit that keeps the rubric.")
    name: str = Field(..., min_length=1, max_length=TITLE_MAX)
    criteria: list[CriterionIn] = Field(..., min_length=1, max_length=CRITERIA_MAX)


class RubricVersionIn(StrictInput):
    criteria: list[CriterionIn] = Field(..., min_length=1, max_length=CRITERIA_MAX)


class RubricOut(Schema):
    id: int
    unit: str
    name: str
    version: int
    criteria: list[CriterionOut]


class StageIn(StrictInput):
    name: str = Field(..., min_length=1, max_length=TITLE_MAX)
    unit: str | None = Field(None, max_length=64, description="Organising unit (default: the contest's).")
    starts_on: IsoDate
    ends_on: IsoDate
    rubric: Id
    aggregation: AggregationCode = "mean"
    jurors_per_entry: int = Field(2, ge=1, le=JURORS_PER_ENTRY_MAX)
    disagreement_margin: Hundred | None = None
    audience_weight: Amount = Field(Decimal(0), ge=0, le=1, max_digits=3, decimal_places=2)
    tie_criterion_position: int | None = Field(None, ge=1, le=CRITERIA_MAX)
    advancement: AdvancementCode = "none"
    advance_count: int | None = Field(None, ge=1, le=ADVANCE_COUNT_MAX)
    advance_threshold: Hundred | None = None
    blind: bool = Field(False, description="Blind judging (written entries only): jurors see an entry code only.")


class EntryIn(StrictInput):
    unit: str = Field(..., max_length=64, description="The team's unit, or the unit the person enters for.")
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    person: Id | None = Field(None, description="A person of the outreach network (a reporter).")
    members: LongText = Field("", max_length=TEXT_MAX)
    materials: list[Annotated[str, Field(max_length=URL_MAX)]] = Field(default_factory=list, max_length=MATERIALS_MAX)


class EntryOut(Schema):
    id: int
    competition: int
    unit: str
    entrant: str
    title: str
    members: str
    materials: list[str]


class JurorIn(StrictInput):
    person: Id
    role: RoleCode = "member"
    unit: str | None = Field(None, max_length=64, description="The juror's unit for conflicts (default: home unit).")


class JurorOut(Schema):
    id: int
    person: int
    name: str
    role: str
    unit: str
    conflicts: int = Field(..., description="Entries of the stage this juror may not score.")


class JuryOut(Schema):
    items: list[JurorOut]
    count: int


class ConflictIn(StrictInput):
    person: Id = Field(..., description="The juror (a person) who may not score the entry.")
    declared_by: Literal["juror", "entrant"]
    reason: str = Field("", max_length=REASON_MAX)


__all__ = ["Id"]
