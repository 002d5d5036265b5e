"""Writes for conferences, their sites, attendance, check-in and study reflections.

Nothing else writes these tables. Staff writes are audited (names of fields, never values).
Check-ins are the public's own high-volume records: each is a :class:`Participant` row, made
idempotent by the phone form's key, and not audited one by one.

A site's derived totals (``present``, ``members_present``, ``late``, ``members_expected``,
``rated_present``, ``rated_members_present``) are recomputed by ``_refresh_point`` (in
``_common``) in the same transaction as every change to its headcounts, participants or
denominators — except check-ins, whose sites ``recount_sites`` recounts from their rows at the
next flush of the buffered counters (decision 0040).

One module a subject, all imported from here:

* ``conferences`` — planning, changing, marking held, cancelling;
* ``sites`` — bridge points added, changed, taken off; connection reports;
* ``attendance`` — headcounts, one site or many at once;
* ``checkin`` — per-person sites: registration, check-in from a phone, the roster;
* ``reflections`` — study reflection counts;
* ``series`` — recurring conferences and planning the next one;
* ``attachments`` — photos and minutes;
* ``_common`` — what several of them share: the sites a conference is planned with (their
  level, check-in code, checks and creation), cleaning, the refusals of a cancelled
  conference, a site's totals.
"""

from __future__ import annotations

from lantoa.meetings.services._common import (
    CODE_ALPHABET,
    CODE_LENGTH,
    LEVEL_OF_TIER,
    MAX_POINTS,
    SiteData,
    level_for_unit,
    new_point_code,
    recount_every_site,
    recount_sites,
)
from lantoa.meetings.services.attachments import attachment_add
from lantoa.meetings.services.attendance import Headcount, attendance_record, attendance_record_many, headcount_validate
from lantoa.meetings.services.checkin import (
    CheckIn,
    CheckInResult,
    RosterMark,
    check_in,
    check_in_open,
    normal_code,
    participants_register,
    point_for_code,
    roster_mark,
)
from lantoa.meetings.services.conferences import (
    ConferenceData,
    PresenterData,
    conference_cancel,
    conference_create,
    conference_mark_held,
    conference_update,
    conference_validate,
)
from lantoa.meetings.services.reflections import ReflectionCounts, reflections_record, reflections_validate
from lantoa.meetings.services.series import (
    SeriesData,
    series_create,
    series_next_date,
    series_plan_next,
    series_validate,
)
from lantoa.meetings.services.sites import connection_report, point_remove, point_update, points_add

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "LEVEL_OF_TIER",
    "MAX_POINTS",
    "CheckIn",
    "CheckInResult",
    "ConferenceData",
    "Headcount",
    "PresenterData",
    "ReflectionCounts",
    "RosterMark",
    "SeriesData",
    "SiteData",
    "attachment_add",
    "attendance_record",
    "attendance_record_many",
    "check_in",
    "check_in_open",
    "conference_cancel",
    "conference_create",
    "conference_mark_held",
    "conference_update",
    "conference_validate",
    "connection_report",
    "headcount_validate",
    "level_for_unit",
    "new_point_code",
    "normal_code",
    "participants_register",
    "point_for_code",
    "point_remove",
    "point_update",
    "points_add",
    "recount_every_site",
    "recount_sites",
    "reflections_record",
    "reflections_validate",
    "roster_mark",
    "series_create",
    "series_next_date",
    "series_plan_next",
    "series_validate",
]
