"""Shapes of the data-request API: strict inputs (declared types only, every text and number
bounded) and the answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from lantoa.core.api_input import MAX_LIMIT, IsoDate, LongText, QueryInput, StrictInput
from lantoa.reports.models import (
    CODE_MAX,
    DESCRIPTION_MAX,
    EXPLANATION_MAX,
    EXPRESSION_MAX,
    FIELDS_PER_SET,
    HELP_MAX,
    INTEGER_MAX,
    INTEGER_MIN,
    LABEL_MAX,
    MESSAGE_MAX,
    NAME_MAX,
    REASON_MAX,
    RULES_PER_SET,
    TEXT_VALUE_MAX,
)

FieldCode = Annotated[str, Field(min_length=1, max_length=CODE_MAX)]
Figure = Annotated[int, Field(ge=INTEGER_MIN, le=INTEGER_MAX)]
TextValue = Annotated[str, Field(max_length=TEXT_VALUE_MAX)]
Explanation = Annotated[str, Field(max_length=EXPLANATION_MAX)]


class FieldIn(StrictInput):
    code: FieldCode
    label: str = Field(..., min_length=1, max_length=LABEL_MAX)
    kind: Literal["indicator", "integer", "text"]
    indicator: str = Field(
        "",
        max_length=64,
        description="For `indicator`: a computed indicator; for `integer`: optionally a reported one.",
    )
    required: bool = True
    min_value: Figure | None = None
    max_value: Figure | None = None
    max_length: int | None = Field(None, ge=1, le=TEXT_VALUE_MAX)
    help_text: str = Field("", max_length=HELP_MAX)


class RuleIn(StrictInput):
    expression: str = Field(
        ..., min_length=3, max_length=EXPRESSION_MAX, description="e.g. `online_points <= conferences * sites`"
    )
    severity: Literal["warn", "block"] = "block"
    message: str = Field(..., min_length=1, max_length=MESSAGE_MAX)


class DataSetIn(StrictInput):
    unit: str = Field(..., max_length=64, description="Code of the unit that defines the set.")
    code: str = Field(..., min_length=1, max_length=CODE_MAX)
    name: str = Field(..., min_length=1, max_length=NAME_MAX)
    description: LongText = Field("", max_length=DESCRIPTION_MAX)
    fields: list[FieldIn] = Field(..., min_length=1, max_length=FIELDS_PER_SET)
    rules: list[RuleIn] = Field(default_factory=list, max_length=RULES_PER_SET)


class FieldOut(Schema):
    code: str
    label: str
    kind: str
    indicator: str
    required: bool
    min_value: int | None
    max_value: int | None
    max_length: int | None


class RuleOut(Schema):
    expression: str
    severity: str
    message: str


class DataSetOut(Schema):
    id: int
    code: str
    version: int = Field(..., description="1, 2, …: each revision is a new version under the same code.")
    replaces: int | None = Field(..., description="The id of the version this one replaced.")
    retired_at: dt.datetime | None = Field(..., description="When it was retired or revised: no longer sent.")
    name: str
    unit: str
    fields: list[FieldOut]
    rules: list[RuleOut]


class DataSetRevisionIn(StrictInput):
    """The next version: everything but the code and the owner, which stay."""

    name: str = Field(..., min_length=1, max_length=NAME_MAX)
    description: LongText = Field("", max_length=DESCRIPTION_MAX)
    fields: list[FieldIn] = Field(..., min_length=1, max_length=FIELDS_PER_SET)
    rules: list[RuleIn] = Field(default_factory=list, max_length=RULES_PER_SET)


class RequestIn(StrictInput):
    data_set: int = Field(..., ge=1, le=2**63 - 1)
    unit: str = Field(..., max_length=64, description="Code of the sending unit.")
    tier: str = Field(..., max_length=40, description="Every open unit of this tier under the sender is assigned.")
    title: str = Field(..., min_length=1, max_length=NAME_MAX)
    instructions: LongText = Field("", max_length=DESCRIPTION_MAX)
    start: IsoDate
    end: IsoDate
    deadline: IsoDate
    cutoff: IsoDate | None = Field(
        None,
        description="Data cut-off: records dated after it are not computed. Within the period, not after "
        "the deadline; the period's end (or the deadline, when sooner) when left out.",
    )


class RequestOut(Schema):
    id: int
    title: str
    data_set: int
    unit: str
    tier: str
    start: dt.date
    end: dt.date
    cutoff: dt.date
    deadline: dt.date
    sent_on: dt.date
    closed_at: dt.datetime | None = Field(None, description="When the sender closed it; it then takes no more figures.")
    counts: dict[str, int]
    assigned: int


class AssignmentQuery(QueryInput):
    state: Literal["", "late", "not_started", "filed", "approved"] = ""
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=2**31 - 1)


class FilingVersionOut(Schema):
    number: int
    values: dict[str, Any]
    computed: dict[str, Any]
    explanations: dict[str, str]
    warnings: list[dict[str, str]]
    reason: str
    source: str
    filed_at: dt.datetime
    approved_at: dt.datetime | None


class RequestAssignmentOut(Schema):
    id: int
    unit: str
    unit_name: str
    assigned_unit: str
    state: str
    status: str
    filed_at: dt.datetime | None
    reminders: int
    current: FilingVersionOut | None


class AssignmentListOut(Schema):
    items: list[RequestAssignmentOut]
    count: int


class FilingIn(StrictInput):
    values: dict[FieldCode, Figure | TextValue | None] = Field(..., max_length=FIELDS_PER_SET)
    explanations: dict[FieldCode, Explanation] = Field(default_factory=dict, max_length=FIELDS_PER_SET)


class CorrectionIn(FilingIn):
    reason: LongText = Field(..., min_length=1, max_length=REASON_MAX)


class FiledOut(Schema):
    assignment: RequestAssignmentOut
    version: FilingVersionOut


class ReminderOut(Schema):
    reminded: list[str]
    recipients: int
    message: str


class TotalsOut(Schema):
    request: int
    filed: int
    assigned: int
    fields: list[str]
    totals: dict[str, int | None]
    units: list[dict[str, Any]]
