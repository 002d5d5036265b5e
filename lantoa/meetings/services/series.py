"""Recurring series: creating one with its sites, the date of its next conference, and planning
that conference in one click."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import ValidationFailed
from lantoa.core.results import Created
from lantoa.core.text import clean_text
from lantoa.meetings.models import Conference, ConferenceKind, ConferenceSeries, Format, Level, Recurrence, SeriesSite
from lantoa.meetings.services._common import SiteData, _clean, _clean_phone, _sites_validate
from lantoa.meetings.services.conferences import ConferenceData, conference_create
from lantoa.org.models import Unit


@dataclass
class SeriesData:
    title: str
    kind: ConferenceKind
    organiser: Unit
    level: str
    recurrence: str
    starts_at_time: dt.time
    day_of_month: int = 1
    duration_minutes: int = 180
    format: str = Format.HYBRID
    is_mandatory: bool = False
    notes: str = ""


def series_validate(data: SeriesData) -> None:
    if not _clean(data.title, 255):
        raise ValidationFailed(_("Give the series a title."), extra={"field": "title"})
    if data.recurrence not in Recurrence.values:
        raise ValidationFailed(_("Choose how often it recurs."), extra={"field": "recurrence"})
    if not 1 <= data.day_of_month <= 28:
        raise ValidationFailed(_("Choose a day between 1 and 28."), extra={"field": "day_of_month"})
    if not 15 <= data.duration_minutes <= 24 * 60:
        raise ValidationFailed(
            _("A conference lasts between 15 minutes and a day."), extra={"field": "duration_minutes"}
        )
    if data.level not in Level.values or data.format not in Format.values:
        raise ValidationFailed(_("Choose a level and a format."), extra={"field": "level"})


@transaction.atomic
def series_create(*, by: Any, data: SeriesData, sites: Sequence[SiteData] = ()) -> ConferenceSeries:
    """A recurring conference and the sites every one of its conferences is planned with."""
    series_validate(data)
    sites = list(sites) or [SiteData(unit=data.organiser, is_host=True)]
    if not any(site.is_host for site in sites):
        sites[0].is_host = True
    _sites_validate(data.format, sites, timezone.localdate())
    series = ConferenceSeries.objects.create(
        title=_clean(data.title, 255),
        kind=data.kind,
        organiser=data.organiser,
        level=data.level,
        format=data.format,
        recurrence=data.recurrence,
        day_of_month=data.day_of_month,
        starts_at_time=data.starts_at_time,
        duration_minutes=data.duration_minutes,
        is_mandatory=data.is_mandatory,
        notes=clean_text(data.notes, multiline=True),
        created_by=actor_or_none(by),
    )
    SeriesSite.objects.bulk_create(
        [
            SeriesSite(
                series=series,
                unit=site.unit,
                is_host=site.is_host,
                location=_clean(site.location, 255),
                contact_name=_clean(site.contact_name, 120),
                contact_phone=_clean_phone(site.contact_phone),
            )
            for site in sites
        ]
    )
    audit_record(
        action="lantoa.meetings.series.created", by=by, target=series, unit=series.organiser, changed=["title"]
    )
    return series


def _add_months(day: dt.date, months: int, day_of_month: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))


def _working_day(day: dt.date) -> dt.date:
    """Offices meet on working days: a Saturday or Sunday moves to the Monday after."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def series_next_date(series: ConferenceSeries, *, after: dt.date | None = None) -> dt.date:
    """The date of the next conference: the series' day of the month, a step (a month or a
    quarter) after the latest one (or from ``after``), moved off a weekend to the Monday."""
    latest = series.conferences.exclude(status=Conference.Status.CANCELLED).order_by("-held_on").first()
    step = 1 if series.recurrence == Recurrence.MONTHLY else 3
    if latest is not None:
        return _working_day(_add_months(latest.held_on, step, series.day_of_month))
    start = after or timezone.localdate()
    candidate = _add_months(start, 0, series.day_of_month)
    return _working_day(candidate if candidate >= start else _add_months(start, 1, series.day_of_month))


def series_plan_next(*, by: Any, series: ConferenceSeries, on: dt.date | None = None) -> Created[Conference]:
    """One click: the next conference of the series, with the series' sites, on the next date
    (``created`` False: the series already had its conference that day)."""
    day = on or series_next_date(series)
    starts = timezone.make_aware(dt.datetime.combine(day, series.starts_at_time))
    data = ConferenceData(
        title=f"{series.title} — {day:%m/%Y}",
        kind=series.kind,
        organiser=series.organiser,
        level=series.level,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=series.duration_minutes),
        format=series.format,
        is_mandatory=series.is_mandatory,
        series=series,
        client_key=f"series-{series.pk}-{day.isoformat()}",
    )
    sites = [
        SiteData(
            unit=site.unit,
            is_host=site.is_host,
            location=site.location,
            contact_name=site.contact_name,
            contact_phone=site.contact_phone,
        )
        for site in series.sites.select_related("unit__kind__tier")
        if not (site.unit.closed_on and site.unit.closed_on <= day)
    ]
    return conference_create(by=by, data=data, sites=sites)
