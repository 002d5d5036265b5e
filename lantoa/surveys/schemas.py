"""Shapes of the surveys API: strict inputs (declared types only, bounds on every number, text
cleaned), and outputs where a suppressed cell is ``null`` with ``"suppressed": true``."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import BaseModel, Field

from lantoa.core.api_input import IsoDate, LongText, QueryInput, StrictInput
from lantoa.surveys.models import (
    BATCH_SIZE_MAX,
    NUMBER_BOUND,
    OPTION_MAX,
    OPTIONS_MAX,
    QUESTIONS_MAX,
    SCALE_MAX,
    SCALE_MIN,
    TEXT_MAX,
    TITLE_MAX,
)

Mode = Literal["tokens", "open_link"]
Kind = Literal["single", "multiple", "rating", "number", "text"]
Structure = Literal["historical", "current"]


class SurveyIn(StrictInput):
    owner: str = Field(..., min_length=1, max_length=64, description="Code of the owner unit.")
    audience_root: str = Field(..., min_length=1, max_length=64, description="Code of the audience's root unit.")
    audience_tier: str = Field("", max_length=40, description="Only units of this tier (its code).")
    audience_conference: int | None = Field(None, ge=1, le=2_147_483_647)
    title_vi: str = Field(..., min_length=1, max_length=TITLE_MAX)
    title_en: str = Field("", max_length=TITLE_MAX)
    intro_vi: LongText = Field("", max_length=TEXT_MAX)
    intro_en: LongText = Field("", max_length=TEXT_MAX)
    opens_on: IsoDate
    closes_on: IsoDate
    mode: Mode = "tokens"
    template: Literal["", "study_conference", "printed_document", "public_service"] = ""


class SurveyStructureQuery(QueryInput):
    structure: Structure = "historical"


class SurveyStatusIn(StrictInput):
    status: Literal["open", "closed"]


class SurveySectionIn(StrictInput):
    title_vi: str = Field(..., min_length=1, max_length=TITLE_MAX)
    title_en: str = Field("", max_length=TITLE_MAX)


class SurveyMoveIn(StrictInput):
    direction: Literal["up", "down"] = Field(..., description="One place up or down, in the order shown.")


class SurveyOptionIn(StrictInput):
    text_vi: str = Field(..., min_length=1, max_length=OPTION_MAX)
    text_en: str = Field("", max_length=OPTION_MAX)


class SurveyQuestionIn(StrictInput):
    kind: Kind
    text_vi: str = Field(..., min_length=1, max_length=TEXT_MAX)
    text_en: str = Field("", max_length=TEXT_MAX)
    options: list[SurveyOptionIn] = Field(default_factory=list, max_length=OPTIONS_MAX)
    required: bool = False
    scale: int | None = Field(None, ge=SCALE_MIN, le=SCALE_MAX)
    minimum: int | None = Field(None, ge=-NUMBER_BOUND, le=NUMBER_BOUND)
    maximum: int | None = Field(None, ge=-NUMBER_BOUND, le=NUMBER_BOUND)


class SurveyBatchIn(StrictInput):
    unit: str = Field(..., min_length=1, max_length=64, description="Code of a unit of the audience.")
    size: int = Field(..., ge=1, le=BATCH_SIZE_MAX)


class SurveyLinksIn(StrictInput):
    unit: str = Field(..., min_length=1, max_length=64, description="Code of a unit of the audience.")
    emails: list[Annotated[str, Field(min_length=3, max_length=254)]] = Field(
        ..., min_length=1, max_length=500, description="One answer link is e-mailed to each address."
    )


class SurveyAnswerIn(StrictInput):
    code: str = Field(..., min_length=1, max_length=40, description="The code printed on the card.")
    answers: dict[str, list[str]] = Field(
        ...,
        max_length=QUESTIONS_MAX,
        description='By question id: the chosen option ids, or one value ("4", "12", a short text).',
    )


class SurveyAnswerOut(BaseModel):
    """A plain model (no resolvers to run): the answer path is a public write path."""

    recorded: bool


class SurveyOptionOut(Schema):
    id: int
    text: str


class SurveyQuestionOut(Schema):
    id: int
    version: int
    version_id: int
    kind: str
    text: str
    required: bool
    sensitive: bool
    scale: int | None
    minimum: int | None
    maximum: int | None
    options: list[SurveyOptionOut]


class SurveySectionOut(Schema):
    id: int
    title: str
    questions: list[SurveyQuestionOut]


class SurveyCardOut(Schema):
    title: str
    intro: str
    sections: list[SurveySectionOut]


class SurveyOut(Schema):
    id: int
    title: str
    owner: str
    audience_root: str
    opens_on: IsoDate
    closes_on: IsoDate
    mode: str
    status: str
    open_link: str | None = None


class SurveyDetailOut(SurveyOut):
    sections: list[SurveySectionOut]


class SurveyListOut(Schema):
    items: list[SurveyOut]
    count: int


class SurveyBatchOut(Schema):
    id: int
    unit: str
    size: int
    used: int
    issued_on: IsoDate


class SurveySendingOut(Schema):
    id: int
    unit: str
    sent_on: IsoDate
    addresses: int = Field(..., description="How many addresses the links went to (the addresses are not answered).")
    sent: int
    not_sent: int


class SurveySendingListOut(Schema):
    items: list[SurveySendingOut]
    count: int


class SurveyBatchListOut(Schema):
    items: list[SurveyBatchOut]
    count: int


class SurveyRateOut(Schema):
    unit: str | None
    label: str
    issued: int
    answers: int
    rate: float | None


class SurveyRatesOut(Schema):
    structure: str
    items: list[SurveyRateOut]


class SurveyCellOut(Schema):
    column: str
    value: int | None
    percent: float | None
    suppressed: bool


class SurveyRowOut(Schema):
    unit: str | None
    label: str
    cells: list[SurveyCellOut]


class SurveyResultOut(Schema):
    question_id: int
    version: int
    kind: str
    text: str
    columns: list[str]
    rows: list[SurveyRowOut]
    mean: float | None
    texts: list[str] = Field(
        default_factory=list, max_length=100_000, description="A random sample of the free texts (at most 200)."
    )
    texts_total: int = Field(0, description="Free texts written for the question (shown only from 10).")


class SurveyResultsOut(Schema):
    structure: str
    answers: int
    questions: list[SurveyResultOut]
