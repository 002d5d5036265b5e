"""Shapes of the contests API: what it accepts and what it answers.

Bodies are strict (:class:`~lantoa.core.api_input.StrictInput`: the declared types only, unknown
fields refused) and every text and list is bounded like the columns behind it, so a request too
long or too large is refused with 422 before anything is written. The answer key (``correct``)
is for the bank's readers, who are staff; contestants never reach these endpoints.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from lantoa.contests.models import (
    DESCRIPTION_MAX,
    DIFFICULTY_MAX,
    DIFFICULTY_MIN,
    EXPLANATION_MAX,
    KEY_MAX,
    MAX_OPTIONS,
    NAME_MAX,
    OPTION_MAX,
    REF_MAX,
    STEM_MAX,
    TAG_MAX,
    TAGS_PER_QUESTION,
)
from lantoa.core.api_input import MULTILINE, Id, Limit, LongText, Offset, QueryInput, StrictInput

__all__ = ["Id"]

KindCode = Literal["single", "multiple", "true_false"]
ScoringCode = Literal["all_or_nothing", "partial"]
Difficulty = Annotated[int, Field(ge=DIFFICULTY_MIN, le=DIFFICULTY_MAX)]
OptionText = Annotated[str, Field(max_length=OPTION_MAX)]
OptionKey = Annotated[str, Field(pattern=r"^[A-Ha-h]$")]
Tag = Annotated[str, Field(max_length=TAG_MAX)]


class Window(QueryInput):
    limit: Limit = Field(100, description="Page size (at most 500).")
    offset: Offset = 0


class BankQuery(Window):
    q: str = Field("", max_length=200, description="Part of the bank's name.")


class QuestionQuery(Window):
    tag: str = Field("", max_length=TAG_MAX, description="Only questions with this tag.")
    q: str = Field("", max_length=200, description="Words of the question or its options (diacritics ignored).")
    retired: bool = Field(False, description="The retired questions instead of those in use.")


class ExportQuery(QueryInput):
    format: Literal["xlsx", "moodle"] = Field("xlsx", description="XLSX (one row per question) or Moodle XML.")


# --- Banks -------------------------------------------------------------------------------------


class BankIn(StrictInput):
    unit: str = Field(..., max_length=64, description="Code of the unit that keeps the bank.")
    name: str = Field(..., max_length=NAME_MAX)
    description: LongText = Field("", max_length=DESCRIPTION_MAX)
    client_key: str = Field("", max_length=KEY_MAX, description="Sending the same key again returns the first bank.")


class BankPatch(StrictInput):
    """Only the fields sent change."""

    name: str | None = Field(None, max_length=NAME_MAX)
    # The marker of a multiline text is read on the field itself, so it wraps the optional type.
    description: Annotated[str | None, MULTILINE] = Field(None, max_length=DESCRIPTION_MAX)


class TagOut(Schema):
    name: str
    question_count: int


class BankOut(Schema):
    id: int
    unit: str
    unit_name: str
    name: str
    description: str
    question_count: int
    may_change: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class BankListOut(Schema):
    items: list[BankOut]
    count: int


class BankDetailOut(BankOut):
    tags: list[TagOut]


# --- Questions ---------------------------------------------------------------------------------


class QuestionIn(StrictInput):
    kind: KindCode = "single"
    stem: LongText = Field(..., max_length=STEM_MAX)
    options: list[OptionText] = Field(
        default_factory=list,
        max_length=MAX_OPTIONS,
        description="The options' texts in order; their keys are A, B, C… (true or false: empty for Đúng / Sai).",
    )
    correct: list[OptionKey] = Field(
        ..., min_length=1, max_length=MAX_OPTIONS, description="Keys of the correct options."
    )
    scoring: ScoringCode = Field("all_or_nothing", description="partial: multiple select only.")
    explanation: LongText = Field("", max_length=EXPLANATION_MAX)
    tags: list[Tag] = Field(default_factory=list, max_length=TAGS_PER_QUESTION)
    difficulty: Difficulty = 2
    source_document: Id | None = Field(None, description="Id of a library document the question comes from.")
    ref: str = Field("", max_length=REF_MAX, description="The bank's own code for the question (unique in the bank).")


class QuestionCreateIn(QuestionIn):
    client_key: str = Field(
        "", max_length=KEY_MAX, description="Sending the same key again returns the first question."
    )


class OptionOut(Schema):
    key: str
    text: str


class VersionOut(Schema):
    id: int
    number: int
    kind: str
    stem: str
    options: list[OptionOut]
    correct: list[str]
    scoring: str
    explanation: str
    created_at: dt.datetime
    created_by: str


class QuestionOut(Schema):
    id: int
    uid: str
    bank: int
    ref: str
    tags: list[str]
    difficulty: int
    source_document: int | None
    retired_at: dt.datetime | None
    version_count: int
    current: VersionOut


class QuestionListOut(Schema):
    items: list[QuestionOut]
    count: int


class QuestionDetailOut(QuestionOut):
    versions: list[VersionOut]
    may_change: bool


# --- Import ------------------------------------------------------------------------------------


class SkippedOut(Schema):
    position: int
    name: str
    type: str
    reason: str


class ImportOut(Schema):
    created: int
    revised: int
    unchanged: int
    questions: list[int]
    skipped: list[SkippedOut]
    message: str
