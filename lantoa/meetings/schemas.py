"""Shapes of the meetings API: what it accepts and what it answers.

Limits on text follow the model fields, and numbers stay inside what every database stores,
so a request that is too long or too large is refused with 422 before anything is written.
Times without a zone are read in the deployment's zone (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

from lantoa.core.api_input import (
    MAX_COUNT,
    ClockTime,
    ClockTimeOut,
    Count,
    Id,
    IsoDate,
    IsoDateTime,
    Limit,
    LongText,
    Offset,
    QueryInput,
    StrictInput,
)
from lantoa.meetings.services import MAX_POINTS

__all__ = ["MAX_COUNT", "Count", "Id"]
# Far enough on both sides for any real conference, near enough for every time zone conversion.
FIRST_YEAR, LAST_YEAR = 1945, 2200

CategoryCode = Literal["party_members", "cadres", "non_members", "students", "others"]
LevelCode = Literal["central", "province", "district", "commune", "grassroots"]
FormatCode = Literal["in_person", "online", "hybrid"]
ModeCode = Literal["headcount", "per_person"]
StatusFilter = Literal["", "planned", "held", "cancelled"]
ConnectionCode = Literal["connected", "dropped", "no_picture", "no_sound"]
MarkStatus = Literal["present", "absent", "registered"]
RecurrenceCode = Literal["monthly", "quarterly"]


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    """An aware time: a time sent without a zone is local; years outside the range are refused."""
    if value is None:
        return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(_("Give a time between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def plausible_day(value: dt.date | None) -> dt.date | None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(_("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return value


LocalTime = Annotated[IsoDateTime, AfterValidator(local_time)]
Day = Annotated[IsoDate, AfterValidator(plausible_day)]


# --- Queries -----------------------------------------------------------------------------------


class Window(QueryInput):
    limit: Limit = Field(100, description="Page size (at most 500).")
    offset: Offset = 0


class ConferenceQuery(Window):
    unit: str = Field("", max_length=64, description="Code of a unit: organised in, or with a site in, its subtree.")
    start: IsoDate | None = Field(None, description="Held on or after this day.")
    end: IsoDate | None = Field(None, description="Held on or before this day.")
    status: StatusFilter = ""
    kind: str = Field("", max_length=40, description="A conference kind code.")
    format: Literal["", "in_person", "online", "hybrid"] = ""
    q: str = Field("", max_length=200, description="Part of the title or of the organiser's name.")


class ReflectionQuery(Window):
    unit: str = Field("", max_length=64, description="Code of a unit: its subtree only.")
    conference_id: Id | None = None
    document_id: Id | None = None
    start: IsoDate | None = Field(None, description="Recorded on or after this day.")
    end: IsoDate | None = Field(None, description="Recorded on or before this day.")


# --- Conferences -------------------------------------------------------------------------------


class SiteIn(StrictInput):
    unit: str = Field(..., max_length=64, description="Code of the unit where the site is.")
    is_host: bool = False
    level: LevelCode | Literal[""] = Field("", description="Empty: from the unit's tier.")
    location: str = Field("", max_length=255)
    contact_name: str = Field("", max_length=120)
    contact_phone: str = Field("", max_length=20)
    mode: ModeCode = Field("headcount", description="headcount per category, or per person (check-in).")


class PresenterIn(StrictInput):
    person_id: Id | None = Field(None, description="A person of the outreach network (usually a reporter).")
    name: str = Field("", max_length=200, description="Or a name, for someone outside the network.")
    topic: str = Field("", max_length=255)


class ConferenceIn(StrictInput):
    title: str = Field(..., max_length=255)
    kind: str = Field(..., max_length=40, description="A conference kind code.")
    organiser: str = Field(..., max_length=64, description="Code of the organising unit.")
    level: LevelCode
    starts_at: LocalTime
    ends_at: LocalTime
    format: FormatCode = "in_person"
    is_mandatory: bool = Field(False, description="Mandatory for cadres: only then are absent persons named.")
    notes: LongText = Field("", max_length=5000)
    expected: dict[CategoryCode, Count] = Field(default_factory=dict, description="Expected attendance per category.")
    documents: list[Id] = Field(default_factory=list, max_length=100, description="Ids of library documents covered.")
    presenters: list[PresenterIn] = Field(default_factory=list, max_length=50)
    sites: list[SiteIn] = Field(
        default_factory=list,
        max_length=MAX_POINTS,
        description="The host site and the bridge points; none: the organiser hosts it.",
    )
    client_key: str = Field("", max_length=64, description="Sending the same key again returns the first conference.")


class ConferencePatch(StrictInput):
    """Only the fields sent change; ``null`` leaves a field as it is (and empties ``notes``)."""

    title: str | None = Field(None, max_length=255)
    kind: str | None = Field(None, max_length=40)
    organiser: str | None = Field(None, max_length=64)
    level: LevelCode | None = None
    starts_at: LocalTime | None = None
    ends_at: LocalTime | None = None
    format: FormatCode | None = None
    is_mandatory: bool | None = None
    notes: LongText | None = Field(None, max_length=5000)
    expected: dict[CategoryCode, Count] | None = None
    documents: list[Id] | None = Field(
        None, max_length=100, description="The documents you can see; others already linked stay."
    )
    presenters: list[PresenterIn] | None = Field(None, max_length=50)


class CancelIn(StrictInput):
    reason: str = Field(..., max_length=255)


class ConferenceOut(Schema):
    id: int
    title: str
    kind: str
    kind_name: str
    organiser: str
    organiser_name: str
    level: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    held_on: dt.date
    format: str
    is_mandatory: bool
    status: str
    series: int | None
    site_count: int
    attendance: int = Field(..., description="Present at every site (attendances, not distinct people).")


class ConferenceListOut(Schema):
    items: list[ConferenceOut]
    count: int


class PresenterOut(Schema):
    person: int | None
    name: str
    topic: str


class DocumentRefOut(Schema):
    id: int
    kind: str
    number: str
    title: str


class PointOut(Schema):
    id: int
    conference: int
    unit: str
    unit_name: str
    is_host: bool
    level: str
    location: str
    contact_name: str = Field(..., description="Empty unless you may record the site or see contacts.")
    contact_phone: str
    connection: str
    mode: str
    code: str | None = Field(None, description="The check-in code, for those who record the site.")
    present: dict[str, int] = Field(..., description="Present per category.")
    late: dict[str, int] = Field(..., description="Of whom late, per category.")
    present_total: int
    late_total: int
    members_present: int
    members_summoned: int
    members_exempt: int
    summoned: int
    absent_excused: int
    absent_unexcused: int
    attendance_recorded_at: dt.datetime | None
    may_record: bool


class RatesOut(Schema):
    member_rate: float | None = Field(
        ..., description="Party members present ÷ summoned less exempt, in %, over the sites that reported both."
    )
    summoned_rate: float | None = Field(..., description="Present ÷ summoned, in %, over the sites that reported it.")
    members_present: int
    members_expected: int
    present_of_summoned: int
    summoned: int


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    url: str = Field(..., description="Where to download it (a signed-in address).")


class ConferenceDetailOut(ConferenceOut):
    notes: str
    cancel_reason: str
    expected: dict[str, int]
    presenters: list[PresenterOut]
    documents: list[DocumentRefOut] = Field(..., description="The documents covered that you may read.")
    host: int | None
    totals: dict[str, int] = Field(..., description="Present per category, every site.")
    late: int
    rates: RatesOut
    may_change: bool
    points: list[PointOut]
    attachments: list[AttachmentOut]


# --- Sites -------------------------------------------------------------------------------------


class PointsAddIn(StrictInput):
    """Either ``sites``, or ``parent`` and ``tier``: every unit of that tier under ``parent`` as
    the tree stood on the conference date. Units that already have a site are skipped."""

    sites: list[SiteIn] = Field(default_factory=list, max_length=MAX_POINTS)
    parent: str = Field("", max_length=64)
    tier: str = Field("", max_length=40, description="A tier code (province, district, commune, village).")
    mode: ModeCode = Field("headcount", description="How attendance is taken at the units added by tier.")


class PointListOut(Schema):
    items: list[PointOut]
    count: int


class PointPatch(StrictInput):
    """Only the fields sent change."""

    level: LevelCode | None = None
    location: str | None = Field(None, max_length=255)
    contact_name: str | None = Field(None, max_length=120)
    contact_phone: str | None = Field(None, max_length=20)
    mode: ModeCode | None = None


class ConnectionIn(StrictInput):
    status: ConnectionCode
    note: str = Field("", max_length=255)


class ConnectionEventOut(Schema):
    at: dt.datetime
    status: str
    note: str


class ParticipantOut(Schema):
    id: int
    person: int | None
    name: str
    category: str
    status: str
    is_late: bool
    absence_reason: str
    checked_in_at: dt.datetime | None
    method: str


class PointDetailOut(PointOut):
    conference_title: str
    conference_status: str
    is_mandatory: bool
    connection_log: list[ConnectionEventOut]
    participants_visible: bool = Field(
        ..., description="Per-person sites, for those who may see persons there; otherwise counts only."
    )
    shows_absent_names: bool = Field(..., description="Only conferences mandatory for cadres list the absent.")
    participants: list[ParticipantOut] | None = None


# --- Attendance --------------------------------------------------------------------------------


class HeadcountIn(StrictInput):
    present: dict[CategoryCode, Count] = Field(default_factory=dict, description="Present per category.")
    late: dict[CategoryCode, Count] = Field(default_factory=dict, description="Of whom late, per category.")
    members_summoned: Count = Field(0, description="Party members of the units summoned to the site.")
    members_exempt: Count = Field(0, description="Of whom exempt from party activities.")
    summoned: Count = Field(0, description="Everyone summoned.")
    absent_excused: Count = 0
    absent_unexcused: Count = 0


class PointHeadcountIn(HeadcountIn):
    point_id: Id


class AttendanceManyOut(Schema):
    recorded: int


class CheckInIn(StrictInput):
    code: str = Field(..., max_length=20, description="The site's check-in code, as typed or scanned.")
    client_key: str = Field(
        "", max_length=64, description="Made once by the phone's form: sending it again counts once."
    )
    name: str = Field("", max_length=200)
    category: CategoryCode = "party_members"


class CheckInOut(Schema):
    created: bool = Field(..., description="False: this check-in had already been counted.")
    conference: str
    site: str
    name: str
    category: str
    is_late: bool
    checked_in_at: dt.datetime | None


class NameIn(StrictInput):
    name: str = Field(..., max_length=200)
    category: CategoryCode = "party_members"


class ParticipantsIn(StrictInput):
    person_ids: list[Id] = Field(default_factory=list, max_length=5000)
    category: CategoryCode = Field("party_members", description="The category of the persons in person_ids.")
    names: list[NameIn] = Field(default_factory=list, max_length=5000)


class ParticipantsAddedOut(Schema):
    added: int
    participants: int


class MarkIn(StrictInput):
    participant_id: Id
    status: MarkStatus
    is_late: bool = False
    absence_reason: str = Field("", max_length=255)


class RosterIn(StrictInput):
    marks: list[MarkIn] = Field(..., min_length=1, max_length=5000)


# --- Study reflections -------------------------------------------------------------------------


class ReflectionIn(StrictInput):
    unit: str = Field(..., max_length=64, description="Code of the party cell.")
    conference_id: Id | None = None
    document_id: Id | None = Field(None, description="The document studied, when there was no conference.")
    recorded_on: Day
    required: Count = 0
    exempt: Count = 0
    submitted: Count = 0
    graded: Count = 0
    makeup_sessions: Count = 0


class ReflectionOut(Schema):
    id: int
    unit: str
    unit_name: str
    conference: int | None
    conference_title: str
    document: int | None
    document_title: str
    recorded_on: dt.date
    required: int
    exempt: int
    submitted: int
    graded: int
    makeup_sessions: int
    updated_at: dt.datetime


class ReflectionListOut(Schema):
    items: list[ReflectionOut]
    count: int


# --- Series ------------------------------------------------------------------------------------


class SeriesIn(StrictInput):
    title: str = Field(..., max_length=255)
    kind: str = Field(..., max_length=40)
    organiser: str = Field(..., max_length=64)
    level: LevelCode
    recurrence: RecurrenceCode
    starts_at_time: ClockTime = Field(..., description="HH:MM or HH:MM:SS, local time.")
    day_of_month: int = Field(1, ge=-MAX_COUNT, le=MAX_COUNT, description="1 to 28.")
    duration_minutes: int = Field(180, ge=-MAX_COUNT, le=MAX_COUNT, description="15 minutes to a day.")
    format: FormatCode = "hybrid"
    is_mandatory: bool = False
    notes: LongText = Field("", max_length=5000)
    sites: list[SiteIn] = Field(default_factory=list, max_length=MAX_POINTS)


class SeriesSiteOut(Schema):
    unit: str
    unit_name: str
    is_host: bool
    location: str


class SeriesOut(Schema):
    id: int
    title: str
    kind: str
    kind_name: str
    organiser: str
    organiser_name: str
    level: str
    format: str
    recurrence: str
    day_of_month: int
    starts_at_time: ClockTimeOut
    duration_minutes: int
    is_mandatory: bool
    notes: str
    is_active: bool


class SeriesListOut(Schema):
    items: list[SeriesOut]
    count: int


class SeriesDetailOut(SeriesOut):
    sites: list[SeriesSiteOut]
    next_date: dt.date
    conferences: list[ConferenceOut] = Field(..., description="The latest conferences of the series, newest first.")


class PlanNextIn(StrictInput):
    on: Day | None = Field(None, description="The day; by default a step after the latest conference.")


# --- Import ------------------------------------------------------------------------------------


class ImportOut(Schema):
    conferences_created: int
    conferences_already_imported: int = Field(
        ..., description="Rows whose conference an earlier import of the same file created: left unchanged."
    )
    sites: int
    held: int
    conferences: list[int] = Field(..., description="Ids of the conferences created.")
    message: str
