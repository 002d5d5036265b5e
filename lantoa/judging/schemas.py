"""The API's shapes for judged contests: strict bodies (the declared type only, bounds on every
number), answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from lantoa.core.api_input import Amount, Id, StrictInput
from lantoa.judging.models import MAX_SCORE_MAX, REASON_MAX


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
    entry_title: str
    entrant: str
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


class ResultsOut(Schema):
    stage: int
    computed_at: dt.datetime | None
    items: list[ResultRow]
    count: int


class AssignOut(Schema):
    created: int
    loads: dict[str, int]


__all__ = ["Id"]
