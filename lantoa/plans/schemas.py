"""The API's shapes for plans: strict bodies (the declared type only, bounds on every number and
text), answers. Lists answer ``{"items", "count"}``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from lantoa.core.api_input import Amount, Id, IsoDate, Limit, LongText, Offset, QueryInput, StrictInput
from lantoa.core.indicators import FIGURE_MAX
from lantoa.plans.models import (
    ADDRESSEE_MAX,
    INDICATOR_CODE_MAX,
    INSPECTED_MAX,
    LONG_TEXT_MAX,
    NAME_MAX,
    NUMBER_MAX,
    PLAN_ITEMS_MAX,
    ROLE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    TOPIC_MAX,
    URL_MAX,
)

UnitCode = Field(..., min_length=1, max_length=64, description="A unit's code, as on the organisation page.")


class Window(QueryInput):
    limit: Limit = Field(100, description="Page size (at most 500).")
    offset: Offset = 0


class ProgrammeQuery(Window):
    document: Id | None = Field(None, description="Only programmes carrying out this library document.")


class ProgrammeCoverageQuery(QueryInput):
    structure: Literal["historical", "current"] = Field(
        "historical", description="The units as the tree stood on the deadline, or as it stands today."
    )


class RecommendationQuery(Window):
    status: Literal["", "open", "sent", "received", "considering", "answered", "implemented", "declined"] = ""
    topic: str = Field("", max_length=TOPIC_MAX)


class RequirementIn(StrictInput):
    unit: str = UnitCode
    document: Id
    tier: str = Field(..., min_length=1, max_length=40, description="A tier code: district, commune…")
    due_on: IsoDate
    note: LongText = Field("", max_length=TEXT_MAX)


class RequirementOut(Schema):
    id: int
    unit: str
    unit_name: str
    document: int
    document_title: str
    tier: str
    due_on: dt.date
    note: str


class RequirementListOut(Schema):
    items: list[RequirementOut]
    count: int


class ProgrammeCoverageRowOut(Schema):
    unit: str
    unit_name: str
    state: Literal["on_time", "late", "missing"]
    programmes: list[int]
    issued_on: dt.date | None
    tasks: int
    tasks_done: int
    done_rate: Decimal | None = Field(..., description="Percent of tasks done; null without tasks.")


class ProgrammeCoverageOut(Schema):
    requirement: int
    structure: str
    day: dt.date
    units: int
    on_time: int
    late: int
    missing: int
    items: list[ProgrammeCoverageRowOut]
    count: int


class ProgrammeIn(StrictInput):
    unit: str = UnitCode
    document: Id
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    decision_number: str = Field(..., min_length=1, max_length=NUMBER_MAX + 4, examples=["45-CTr/TU"])
    issued_on: IsoDate


class ProgrammeOut(Schema):
    id: int
    unit: str
    unit_name: str
    origin_unit: str
    document: int
    title: str
    decision_number: str
    issued_on: dt.date
    on_time: bool | None
    tasks: int
    tasks_done: int


class ProgrammeListOut(Schema):
    items: list[ProgrammeOut]
    count: int


class TaskIn(StrictInput):
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    owner_unit: str = Field("", max_length=64)
    owner_role: str = Field("", max_length=ROLE_MAX)
    starts_on: IsoDate
    due_on: IsoDate
    expected_result: LongText = Field("", max_length=TEXT_MAX)
    indicator: str = Field("", max_length=INDICATOR_CODE_MAX)
    target_value: Amount | None = Field(None, ge=0, le=FIGURE_MAX, max_digits=15, decimal_places=4)


class TaskOut(Schema):
    id: int
    programme: int
    position: int
    title: str
    owner_unit: str | None
    owner_role: str
    starts_on: dt.date
    due_on: dt.date
    expected_result: str
    indicator: str
    target_value: Decimal | None
    current_value: Decimal | None = Field(None, description="The indicator's value from records; null: no data.")
    percent_done: int
    status: str


class ProgrammeDetailOut(ProgrammeOut):
    tasks_list: list[TaskOut]


class UpdateIn(StrictInput):
    percent: int = Field(..., ge=0, le=100)
    recorded_on: IsoDate
    note: LongText = Field("", max_length=TEXT_MAX)
    conference: Id | None = None
    document: Id | None = None
    url: str = Field("", max_length=URL_MAX)


class UpdateOut(Schema):
    id: int
    task: int
    percent: int
    recorded_on: dt.date
    note: str
    conference: int | None
    document: int | None
    url: str


class UpdateListOut(Schema):
    items: list[UpdateOut]
    count: int


class RecommendationIn(StrictInput):
    unit: str = UnitCode
    addressee_unit: str = Field("", max_length=64)
    addressee_name: str = Field("", max_length=ADDRESSEE_MAX)
    topic: str = Field(..., min_length=1, max_length=TOPIC_MAX)
    text: LongText = Field(..., min_length=1, max_length=LONG_TEXT_MAX)
    source: str = Field("", max_length=TITLE_MAX)
    inspection: Id | None = Field(None, description="The inspection it came from.")
    sent_on: IsoDate
    due_on: IsoDate | None = None


class AdvanceIn(StrictInput):
    status: Literal["received", "considering", "answered", "implemented", "declined"]
    on: IsoDate
    answer: LongText = Field("", max_length=LONG_TEXT_MAX)
    answer_document: Id | None = None
    reason: LongText = Field("", max_length=TEXT_MAX)


class RecommendationOut(Schema):
    id: int
    unit: str
    unit_name: str
    addressee_unit: str | None
    addressee: str
    topic: str
    text: str
    source: str
    inspection: int | None
    sent_on: dt.date
    due_on: dt.date | None
    status: str
    answer: str
    answer_document: int | None
    answered_on: dt.date | None
    answered_on_time: bool | None
    decline_reason: str


class RecommendationListOut(Schema):
    items: list[RecommendationOut]
    count: int


class AnswerTimeOut(Schema):
    level: str
    sent: int
    answered: int
    median_days: float | None
    answered_on_time: int
    with_due_date: int
    still_open: int


class AnswerTimeListOut(Schema):
    items: list[AnswerTimeOut]
    count: int


# --- Inspections ---------------------------------------------------------------------------------


UnitCodeText = Annotated[str, Field(min_length=1, max_length=64)]


class InspectionQuery(Window):
    year: int | None = Field(None, ge=2000, le=2100, description="Only the inspections of this plan year.")


class FollowUpQuery(Window):
    overdue: bool = Field(False, description="Only those still open past their deadline.")


class InspectionIn(StrictInput):
    unit: str = UnitCode
    kind: Literal["inspection", "supervision"] = "inspection"
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    deciding_body: str = Field(..., min_length=1, max_length=NAME_MAX)
    decision_number: str = Field("", max_length=NUMBER_MAX + 4)
    decided_on: IsoDate | None = None
    starts_on: IsoDate
    ends_on: IsoDate
    inspected: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        ..., min_length=1, max_length=INSPECTED_MAX
    )
    topics: LongText = Field(..., min_length=1, max_length=LONG_TEXT_MAX)
    findings: LongText = Field("", max_length=LONG_TEXT_MAX)
    planned: Id | None = Field(None, description="The planned inspection of a yearly plan that this one holds.")


class TeamMemberIn(StrictInput):
    role: Literal["chief", "member", "secretary"]
    person: Id | None = None
    username: str = Field("", max_length=150)
    name: str = Field("", max_length=NAME_MAX)


class ConclusionIn(StrictInput):
    text: LongText = Field(..., min_length=1, max_length=TEXT_MAX)
    owner_unit: str = Field("", max_length=64)
    due_on: IsoDate | None = None


class FollowUpCloseIn(StrictInput):
    closed_on: IsoDate
    evidence: LongText = Field("", max_length=TEXT_MAX)
    url: str = Field("", max_length=URL_MAX)


class FollowUpOut(Schema):
    id: int
    inspection: int
    conclusion: int
    conclusion_number: int
    owner_unit: str
    owner_unit_name: str
    due_on: dt.date
    status: Literal["open", "overdue", "closed"]
    closed_on: dt.date | None
    evidence: str
    evidence_url: str


class FollowUpListOut(Schema):
    items: list[FollowUpOut]
    count: int


class ConclusionOut(Schema):
    id: int
    number: int
    text: str
    follow_up: FollowUpOut | None


class MemberOut(Schema):
    id: int
    role: str
    name: str
    person: int | None
    user: str | None


class InspectionOut(Schema):
    id: int
    unit: str
    year: int
    kind: str
    title: str
    deciding_body: str
    decision_number: str
    decided_on: dt.date | None
    starts_on: dt.date
    ends_on: dt.date


class InspectionListOut(Schema):
    items: list[InspectionOut]
    count: int


class InspectionFileOut(Schema):
    id: int
    kind: str = Field(..., description="report (the inspected unit's), minutes (of the working session) or other.")
    unit: str | None = Field(..., description="The inspected unit a report comes from.")
    title: str
    dated_on: dt.date
    name: str
    content_type: str
    size: int
    replaces: int | None = Field(..., description="The paper this one replaced.")
    replaced_by: int | None = Field(..., description="The paper that replaced this one (null: current).")
    url: str


class InspectionDetailOut(InspectionOut):
    topics: str
    findings: str
    inspected: list[str]
    team: list[MemberOut]
    conclusions: list[ConclusionOut]
    files: list[InspectionFileOut]


class TasksImportOut(Schema):
    added: int = Field(..., description="Tasks added from the file.")
    first: int = Field(..., description="The number of the first task added.")
    last: int = Field(..., description="The number of the last task added.")
    message: str


class PlanReminderOut(Schema):
    sent: bool = Field(..., description="Whether the reminder was sent (false: a preview, or nothing to remind).")
    units: list[str] = Field(..., description="The codes of the units the message goes to.")
    reminded: int = Field(..., description="The records reminded (units without a programme, tasks, follow-ups…).")
    recipients: int = Field(..., description="Officers with an e-mail address the message goes to.")
    subject: str
    message: str = Field(..., description='The text to copy into a chat group ("" when nothing is overdue).')


class PlannedIn(StrictInput):
    unit: str = UnitCode
    kind: Literal["inspection", "supervision"] = "inspection"
    topic: str = Field(..., min_length=1, max_length=TITLE_MAX)
    month: int = Field(..., ge=1, le=12)


class InspectionPlanIn(StrictInput):
    unit: str = UnitCode
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    decision_number: str = Field(..., min_length=1, max_length=NUMBER_MAX + 4, examples=["15-KH/TU"])
    decided_on: IsoDate
    items: list[PlannedIn] = Field(default_factory=list, max_length=PLAN_ITEMS_MAX)


class PlannedOut(Schema):
    id: int
    position: int
    unit: str
    kind: str
    topic: str
    month: int
    status: Literal["held", "not_held", "planned"] = Field(
        ..., description="held (an inspection holds it), not_held (its month is over), planned."
    )
    inspection: int | None


class InspectionPlanOut(Schema):
    id: int
    unit: str
    year: int
    title: str
    decision_number: str
    decided_on: dt.date
    planned: int
    held: int


class InspectionPlanDetailOut(InspectionPlanOut):
    items: list[PlannedOut]


class InspectionPlanListOut(Schema):
    items: list[InspectionPlanOut]
    count: int


class InspectionPlanQuery(Window):
    year: int | None = Field(None, ge=2000, le=2100, description="Only the plans of this year.")


class SentReminderOut(Schema):
    id: int
    about: Literal["requirement", "task", "follow_up", "recommendation"]
    record: int = Field(..., description="The id of the deadline, task, follow-up or recommendation reminded.")
    unit: str = Field(..., description="The code of the unit reminded.")
    channel: Literal["notified", "message"] = Field(
        ..., description="notified: through the notification channels (and the text to copy); message: the text only."
    )
    subject: str
    text: str
    sent_at: dt.datetime
    sent_by: str | None


class SentReminderListOut(Schema):
    items: list[SentReminderOut]
    count: int


class SentReminderQuery(Window):
    about: Literal["requirement", "task", "follow_up", "recommendation"] | None = None
