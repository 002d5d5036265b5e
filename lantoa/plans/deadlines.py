"""The plans' deadlines as a calendar, laid out as the conference calendar: the deadlines in a
unit's subtree that the reader sees — programmes to issue, task deadlines, follow-ups to carry out,
recommendations to answer — for a month grid, a list, and an iCalendar file (all-day events).
Four queries whatever the number of deadlines."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import icalendar
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.org.models import Unit
from lantoa.org.selectors import subtree_ids
from lantoa.plans.models import OPEN_STATUSES
from lantoa.plans.permissions import (
    follow_ups_visible_to,
    recommendations_visible_to,
    requirements_visible_to,
    tasks_visible_to,
)

PRODID = "-//Lantoa//Plans deadlines//VI"
KINDS = ("requirement", "task", "follow_up", "recommendation")


@dataclass(frozen=True)
class Deadline:
    kind: str  # requirement, task, follow_up, recommendation
    pk: int
    day: dt.date
    title: str
    unit: str  # whose deadline it is
    done: bool
    url: str


@dataclass
class Day:
    day: dt.date
    in_month: bool
    deadlines: list[Deadline] = field(default_factory=list)


def _requirements(by: Any, units: Any, start: dt.date, end: dt.date) -> list[Deadline]:
    found = requirements_visible_to(by).filter(unit__in=units, due_on__range=(start, end))
    return [
        Deadline("requirement", r.pk, r.due_on, _("Programmes due: %(document)s") % {"document": r.document.title},
                 r.unit.name, False, reverse("plans:requirement_detail", args=[r.pk]))
        for r in found.select_related("document", "unit")
    ]  # fmt: skip


def _tasks(by: Any, units: Any, start: dt.date, end: dt.date) -> list[Deadline]:
    found = tasks_visible_to(by).filter(counted_unit__in=units, due_on__range=(start, end))
    return [
        Deadline("task", t.pk, t.due_on, t.title, t.owner_unit.name if t.owner_unit else t.programme.unit.name,
                 t.percent_done >= 100, reverse("plans:task_detail", args=[t.pk]))
        for t in found.select_related("owner_unit", "programme__unit")
    ]  # fmt: skip


def _follow_ups(by: Any, units: Any, start: dt.date, end: dt.date) -> list[Deadline]:
    found = follow_ups_visible_to(by).filter(owner_unit__in=units, due_on__range=(start, end))
    return [
        Deadline("follow_up", f.pk, f.due_on, _("Conclusion %(number)s: %(text)s") % {
            "number": f.conclusion.number, "text": f.conclusion.text[:120]}, f.owner_unit.name,
            f.closed_on is not None, reverse("plans:inspection_detail", args=[f.conclusion.inspection_id]))
        for f in found.select_related("owner_unit", "conclusion")
    ]  # fmt: skip


def _recommendations(by: Any, units: Any, start: dt.date, end: dt.date) -> list[Deadline]:
    found = recommendations_visible_to(by).filter(Q(unit__in=units) | Q(addressee_unit__in=units),
                                                  due_on__range=(start, end))  # fmt: skip
    return [
        Deadline("recommendation", r.pk, r.due_on, _("Answer due: %(topic)s") % {"topic": r.topic}, r.addressee,
                 r.status not in OPEN_STATUSES, reverse("plans:recommendation_detail", args=[r.pk]))
        for r in found.select_related("addressee_unit")
        if r.due_on is not None
    ]  # fmt: skip


def deadlines_for(by: Any, unit: Unit, *, start: dt.date, end: dt.date) -> list[Deadline]:
    """The deadlines from ``start`` to ``end`` in ``unit``'s subtree that ``by`` sees, by day."""
    units = subtree_ids(unit.pk, as_of=min(end, timezone.localdate()))
    found = [
        *_requirements(by, units, start, end),
        *_tasks(by, units, start, end),
        *_follow_ups(by, units, start, end),
        *_recommendations(by, units, start, end),
    ]
    return sorted(found, key=lambda d: (d.day, KINDS.index(d.kind), d.pk))


def month_weeks(deadlines: list[Deadline], *, year: int, month: int) -> list[list[Day]]:
    """The month as weeks of days, Monday first, each day with its deadlines."""
    by_day: dict[dt.date, list[Deadline]] = {}
    for deadline in deadlines:
        by_day.setdefault(deadline.day, []).append(deadline)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[Day(day, day.month == month, by_day.get(day, [])) for day in week] for week in weeks]


def deadlines_ics(deadlines: list[Deadline], *, name: str, base_url: str) -> str:
    """The deadlines as an RFC 5545 calendar of all-day events (the icalendar library writes it)."""
    book = icalendar.Calendar()
    book.add("version", "2.0")
    book.add("prodid", PRODID)
    book.add("calscale", "GREGORIAN")
    book.add("x-wr-calname", icalendar.vText(name))
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for deadline in deadlines:
        event = icalendar.Event()
        event.add("uid", f"plans-{deadline.kind}-{deadline.pk}@lantoa")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.day)
        event.add("dtend", deadline.day + dt.timedelta(days=1))
        event.add("summary", f"{deadline.title} — {deadline.unit}".replace("\r", " ").replace("\n", " "))
        event.add("url", icalendar.vUri(base_url + deadline.url))
        event.add("status", "CONFIRMED")
        book.add_component(event)
    return book.to_ical(sorted=False).decode("utf-8")
