"""Conferences for tests: a held hybrid conference of the province relayed to communes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lantoa.meetings.models import BridgePoint, Conference, ConferenceKind, Format, Level
from lantoa.meetings.services import ConferenceData, SiteData, conference_create, conference_mark_held


def at(day: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def make_conference(
    organiser: Any,
    *,
    sites: list[Any] | None = None,
    day: dt.date = dt.date(2021, 5, 10),
    format: str = Format.HYBRID,
    held: bool = True,
    mandatory: bool = False,
    mode: str = BridgePoint.Mode.HEADCOUNT,
    title: str = "Hội nghị học tập Nghị quyết Đại hội XIII",
    level: str = Level.PROVINCE,
    by: Any = None,
) -> Conference:
    """A conference hosted by ``organiser`` with a bridge point at each unit of ``sites``."""
    data = ConferenceData(
        title=title,
        kind=ConferenceKind.objects.get(code="resolution_study"),
        organiser=organiser,
        level=level,
        starts_at=at(day),
        ends_at=at(day, 11),
        format=format,
        is_mandatory=mandatory,
    )
    site_list = [SiteData(unit=organiser, is_host=True, mode=mode)]
    site_list += [SiteData(unit=unit, mode=mode) for unit in sites or []]
    conference = conference_create(by=by, data=data, sites=site_list).obj
    if held:
        # Marked held once it has started, whatever day the tests run on.
        conference = conference_mark_held(by=by, conference=conference, now=conference.starts_at)
    return conference
