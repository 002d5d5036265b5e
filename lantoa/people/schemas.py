"""Shapes of the people API: what it accepts and what it answers.

Limits on text follow the model fields, so a request that is too long is refused with 422
before anything is written (a longer value would fail in PostgreSQL, not in SQLite).
Person output is built from :class:`lantoa.people.presenters.PersonView` only.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

from lantoa.core.api_input import MAX_COUNT, Id, IsoDate, Limit, LongText, Offset, QueryInput, StrictInput

__all__ = ["Id"]
# The column's range (a small positive integer); the service says which years are plausible.
BirthYear = Annotated[int, Field(ge=0, le=32767)]

Sex = Literal["", "female", "male", "other"]
ActivityStatus = Literal["", "submitted", "confirmed", "withdrawn"]


def _email(value: str | None) -> str | None:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise ValueError(_("%(email)s is not an e-mail address.") % {"email": value}) from exc
    return value


# --- Queries -----------------------------------------------------------------------------------


class Window(QueryInput):
    limit: Limit = Field(100, description="Page size (at most 500).")
    offset: Offset = 0


class RosterQuery(Window):
    unit: str = Field(..., description="Code of the unit whose subtree is listed.")
    q: str = Field("", max_length=200, description="Part of a name; case and diacritics are ignored.")
    role: str = Field("", description="A network role code (reporter, propagandist…).")
    tier: str = Field("", description="Tier code of the unit where the role is held.")
    active_on: IsoDate | None = Field(None, description="Holding the role on this day (default: today).")


class GroupQuery(Window):
    unit: str
    kind: str = Field("", description="A group kind code (outreach_board, outreach_team).")
    active_on: IsoDate | None = None


class ActivityQuery(Window):
    unit: str = Field("", description="Code of a unit: its subtree only.")
    start: IsoDate | None = None
    end: IsoDate | None = None
    status: ActivityStatus = ""


class CoverageQuery(QueryInput):
    unit: str
    on: IsoDate | None = None
    gap_limit: int = Field(50, ge=0, le=200, description="How many gaps of each kind to list.")


# --- Persons -----------------------------------------------------------------------------------


class PersonIn(StrictInput):
    family_name: str = Field("", max_length=60)
    middle_name: str = Field("", max_length=80)
    given_name: str = Field(..., max_length=60)
    sex: Sex = ""
    birth_year: BirthYear | None = None
    home_unit: str = Field(..., description="Code of the person's home unit.")
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    ethnicity: str = Field("", max_length=60, description="Kept only where the deployment turns it on.")
    is_party_member: bool | None = Field(None, description="Kept only where the deployment turns it on.")
    allow_duplicate: bool = Field(False, description="Record even though a similar person exists.")

    @field_validator("email")
    @classmethod
    def check_email(cls, value: str | None) -> str | None:
        return _email(value)


class PersonPatch(StrictInput):
    """Only the fields sent change; ``null`` clears a field that may be empty."""

    family_name: str | None = Field(None, max_length=60)
    middle_name: str | None = Field(None, max_length=80)
    given_name: str | None = Field(None, max_length=60)
    sex: Sex | None = None
    birth_year: BirthYear | None = None
    home_unit: str | None = None
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    ethnicity: str | None = Field(None, max_length=60)
    is_party_member: bool | None = None
    allow_duplicate: bool = False

    @field_validator("email")
    @classmethod
    def check_email(cls, value: str | None) -> str | None:
        return _email(value)


class PersonOut(Schema):
    id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    sex: str
    sex_label: str
    birth_year: int | None
    home_unit: str
    home_unit_name: str
    phone: str
    email: str
    contacts_masked: bool
    anonymised: bool
    has_account: bool


class PersonRefOut(Schema):
    id: int
    full_name: str


class RoleOut(Schema):
    id: int
    role: str
    role_name: str
    unit: str
    unit_name: str
    tier: str
    valid_from: dt.date
    valid_to: dt.date | None
    decision_ref: str
    continues: int | None


class RosterItemOut(PersonOut):
    roles: list[RoleOut]


class RosterOut(Schema):
    items: list[RosterItemOut]
    count: int
    unit: str
    active_on: dt.date


class MembershipOut(Schema):
    id: int
    group: int
    group_name: str
    group_kind: str
    unit: str
    unit_name: str
    person: int
    is_leader: bool
    valid_from: dt.date
    valid_to: dt.date | None


class PersonDetailOut(PersonOut):
    sensitive: dict[str, Any] = Field(
        default_factory=dict, description="Sensitive fields this deployment keeps and your role may see (logged)."
    )
    roles: list[RoleOut]
    memberships: list[MembershipOut]
    activity_count: int


class PersonExportOut(Schema):
    person: dict[str, Any]
    roles: list[dict[str, Any]]
    group_memberships: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    withheld: list[str] = Field(default_factory=list, description="Fields left out because your role may not see them.")


# --- Roles -------------------------------------------------------------------------------------


class RoleIn(StrictInput):
    person: Id
    role: str = Field(..., description="A network role code.")
    unit: str = Field(..., description="Code of the unit where the role is held.")
    valid_from: IsoDate
    valid_to: IsoDate | None = Field(None, description="The first day no longer held.")
    decision_ref: str = Field("", max_length=120)


class EndIn(StrictInput):
    on: IsoDate = Field(..., description="The first day no longer held.")


# --- Groups ------------------------------------------------------------------------------------


class GroupIn(StrictInput):
    kind: str = Field(..., description="A group kind code.")
    unit: str
    name: str = Field(..., max_length=200)
    valid_from: IsoDate
    decision_ref: str = Field("", max_length=120)


class GroupOut(Schema):
    id: int
    kind: str
    kind_name: str
    unit: str
    unit_name: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    decision_ref: str
    continues: int | None
    member_count: int | None = None


class GroupListOut(Schema):
    items: list[GroupOut]
    count: int


class GroupMemberOut(Schema):
    membership_id: int
    is_leader: bool
    valid_from: dt.date
    valid_to: dt.date | None
    person: PersonOut


class GroupEventOut(Schema):
    kind: str
    kind_label: str
    happened_on: dt.date
    other: int | None
    other_name: str
    other_unit: str
    decision_ref: str


class GroupDetailOut(GroupOut):
    members_visible: bool = Field(..., description="False when your role sees figures only: members are left out.")
    members: list[GroupMemberOut] | None = None
    leader: int | None = None
    events: list[GroupEventOut]


class MemberIn(StrictInput):
    person: Id
    valid_from: IsoDate
    is_leader: bool = False
    decision_ref: str = Field("", max_length=120)


class DissolveIn(StrictInput):
    on: IsoDate
    decision_ref: str = Field("", max_length=120)


class MergeIn(StrictInput):
    groups: list[Id] = Field(..., min_length=1, max_length=100)
    into: Id
    on: IsoDate
    decision_ref: str = Field("", max_length=120)


# --- Activities --------------------------------------------------------------------------------


class ActivityIn(StrictInput):
    unit: str
    held_on: IsoDate
    kind: str = Field(..., description="An activity kind code.")
    topic: str = Field(..., max_length=255)
    people_reached: int = Field(..., ge=0, le=MAX_COUNT)
    sessions: int = Field(1, ge=1, le=100_000)
    group: Id | None = None
    person: Id | None = Field(None, description="Who did it; someone else than yourself needs the right to record.")
    is_summary: bool = False
    note: LongText = Field("", max_length=500)
    client_key: str = Field("", max_length=64, description="Sending the same key again returns the first record.")


class ActivityOut(Schema):
    id: int
    unit: str
    unit_name: str
    held_on: dt.date
    kind: str
    kind_name: str
    topic: str
    sessions: int
    people_reached: int
    group: int | None
    group_name: str
    person: PersonRefOut | None = Field(None, description="Shown only to those who may see the person.")
    is_summary: bool
    note: str
    status: str
    recorded_at: dt.datetime
    confirmed_at: dt.datetime | None
    withdrawn_reason: str


class ActivityTotalsOut(Schema):
    records: int
    sessions: int
    people: int


class ActivityListOut(Schema):
    items: list[ActivityOut]
    count: int
    totals: ActivityTotalsOut = Field(..., description="Over every matching record, withdrawn ones left out.")


class ConfirmIn(StrictInput):
    ids: list[Id] = Field(..., min_length=1, max_length=500)


class ConfirmOut(Schema):
    confirmed: int


class WithdrawIn(StrictInput):
    reason: str = Field(..., max_length=255)


# --- Coverage ----------------------------------------------------------------------------------


class UnitBriefOut(Schema):
    code: str
    name: str


class CoverageRowOut(Schema):
    unit: str
    unit_name: str
    communes: int
    communes_with_board: int
    villages: int
    villages_with_team: int
    propagandists: int
    reporters: int
    board_share: float
    team_share: float
    propagandists_per_village: float


class LevelCountOut(Schema):
    level: str
    reporters: int


class DistributionOut(Schema):
    propagandists: str
    villages: int


class GapsOut(Schema):
    communes_without_board: int
    villages_without_team: int
    first_communes_without_board: list[UnitBriefOut]
    first_villages_without_team: list[UnitBriefOut]
    limit: int


class NetworkCoverageOut(Schema):
    unit: str
    unit_name: str
    on: dt.date
    totals: CoverageRowOut
    rows: list[CoverageRowOut]
    reporters_by_level: list[LevelCountOut]
    propagandist_distribution: list[DistributionOut]
    gaps: GapsOut
