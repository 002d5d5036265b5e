"""The API's shapes for the audience vote: strict bodies, bounded numbers."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, model_validator

from lantoa.core.api_input import Id, IsoDateTime, QueryInput, StrictInput
from lantoa.judging.models import BALLOT_BATCH_MAX


class PollIn(StrictInput):
    opens_at: IsoDateTime = Field(..., description="When voting opens (with its time zone).")
    closes_at: IsoDateTime = Field(..., description="When voting closes (with its time zone).")


class BallotsIn(StrictInput):
    count: int = Field(..., ge=1, le=BALLOT_BATCH_MAX, description="Ballots to generate now, as one batch.")


class BallotsOut(Schema):
    stage: int
    batch: int
    count: int
    issued: int


class BatchQuery(QueryInput):
    batch: int | None = Field(None, ge=1, le=1_000_000, description="One batch only; every batch by default.")


class VoteCountRow(Schema):
    entry: int
    title: str
    unit_name: str
    votes: int


class PollOut(Schema):
    stage: int
    state: str = Field(..., description="none, not_open, open or closed.")
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    ballots_issued: int
    ballots_used: int
    phone_votes: int
    total: int
    items: list[VoteCountRow]
    count: int


class PublicEntry(Schema):
    id: int
    title: str
    unit_name: str


class PublicPollOut(Schema):
    stage: int
    stage_name: str
    competition: str
    state: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    entries: list[PublicEntry]


class CodeRequestIn(StrictInput):
    phone: str = Field(..., min_length=1, max_length=30, description="A Vietnamese mobile number.")


class CodeRequestOut(Schema):
    token: str
    expires_in: int


class VoteIn(StrictInput):
    """A ballot code, or the token and the code sent to a phone: one of the two."""

    entry: Id
    ballot: str | None = Field(None, min_length=1, max_length=20)
    token: str | None = Field(None, min_length=1, max_length=64)
    code: str | None = Field(None, min_length=1, max_length=12)

    @model_validator(mode="after")
    def _one_way(self) -> VoteIn:
        phone = self.token is not None or self.code is not None
        if (self.ballot is not None) == phone or (phone and (self.token is None or self.code is None)):
            raise ValueError(_("Send either a ballot code, or a token with its code."))
        return self


class VoteOut(Schema):
    stage: int
    method: str
    day: dt.date
