"""The calendar of deadlines, laid out as the conference calendar: a month grid of the deadlines
in a unit's subtree (the unit one works in by default), and the same deadlines as an iCalendar
file to import into a calendar application."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lantoa.accounts.current_unit import current_unit
from lantoa.core.errors import NotFound
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.plans.deadlines import deadlines_for, deadlines_ics, month_weeks
from lantoa.plans.permissions import READ, require_reader

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def calendar_unit(request: HttpRequest) -> Unit:
    """``?unit=<code>`` if the reader sees it; by default the unit they work in."""
    code = (request.GET.get("unit") or "").strip()[:64]
    if not code:
        working = current_unit(request)
        if working is None:
            raise NotFound(_("You have no unit to show."))
        code = working.code
    return access_unit(by=request.user, code=code, capability=READ)


def calendar_month(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The first and last day of ``?month=YYYY-MM``; the current month when absent or not a month."""
    found = _MONTH.match(request.GET.get("month") or "")
    day = timezone.localdate().replace(day=1)
    if found and 2000 <= int(found.group(1)) <= 2100 and 1 <= int(found.group(2)) <= 12:
        day = dt.date(int(found.group(1)), int(found.group(2)), 1)
    following = (day + dt.timedelta(days=32)).replace(day=1)
    return day, following - dt.timedelta(days=1)


def _link(unit: Unit, day: dt.date, name: str = "plans:calendar") -> str:
    return reverse(name) + "?" + urlencode({"unit": unit.code, "month": f"{day:%Y-%m}"})


@require_GET
def deadline_calendar(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    unit = calendar_unit(request)
    first, last = calendar_month(request)
    deadlines = deadlines_for(request.user, unit, start=first, end=last)
    weeks = month_weeks(deadlines, year=first.year, month=first.month)
    today = timezone.localdate()
    context = {
        "unit": unit,
        "month": f"{first:%Y-%m}",
        "month_label": formats.date_format(first, "YEAR_MONTH_FORMAT"),
        "weeks": weeks,
        "weekdays": [formats.date_format(day.day, "D") for day in weeks[0]],
        "count": len(deadlines),
        "today": today,
        "previous_url": _link(unit, (first - dt.timedelta(days=1)).replace(day=1)),
        "next_url": _link(unit, last + dt.timedelta(days=1)),
        "today_url": _link(unit, today),
        "ics_url": _link(unit, first, "plans:calendar_ics"),
        "deadlines": deadlines,
    }
    return render(request, "plans/calendar.html", context)


@require_GET
def deadline_calendar_ics(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    unit = calendar_unit(request)
    first, last = calendar_month(request)
    deadlines = deadlines_for(request.user, unit, start=first, end=last)
    name = _("Deadlines of %(unit)s, %(month)s") % {"unit": unit.name, "month": f"{first:%m/%Y}"}
    text = deadlines_ics(deadlines, name=name, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="han-{unit.pk}-{first:%Y-%m}.ics"'
    return response
