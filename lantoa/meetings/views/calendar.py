"""The conference calendar (a month, as a grid or a list), its feed for calendar applications,
and a conference's message: to copy into chat groups, and sent as a reminder.

Each view parses input, asks a gate, calls a selector (or queues a task) and renders.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, NotFound
from lantoa.core.htmx import wants_fragment
from lantoa.meetings import ics, selectors
from lantoa.meetings.feeds import feed_text
from lantoa.meetings.models import Conference
from lantoa.meetings.permissions import access_conference
from lantoa.meetings.reminders import conference_message, conference_subject, reminder_list
from lantoa.meetings.tasks import send_conference_reminders
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def _unit(request: HttpRequest) -> Unit:
    """``?unit=<code>`` if the user may see its figures; by default the unit they work in."""
    code = (request.GET.get("unit") or "").strip()
    if not code:
        working = current_unit(request)
        if working is None:
            raise NotFound(_("You have no unit to show."))
        code = working.code
    return access_unit(by=request.user, code=code, capability=Capability.VIEW_AGGREGATES)


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    @property
    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    @property
    def param(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def _month(request: HttpRequest) -> Month:
    """``?month=YYYY-MM``; the current month when absent or not a month."""
    found = _MONTH.match(request.GET.get("month") or "")
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if 1900 <= year <= 2999 and 1 <= month <= 12:
            return Month(year, month)
    today = timezone.localdate()
    return Month(today.year, today.month)


def _feed_url(request: HttpRequest, unit: Unit) -> str:
    path = reverse("meetings:ics", args=[unit.code])
    return request.build_absolute_uri(path) + "?" + urlencode({"token": ics.feed_token(request.user, unit.code)})


def _period_context(request: HttpRequest, unit: Unit, month: Month, view_name: str) -> dict[str, Any]:
    def link(target: Month, name: str = view_name) -> str:
        return reverse(name) + "?" + urlencode({"unit": unit.code, "month": target.param})

    today = timezone.localdate()
    return {
        "unit": unit,
        "month": month,
        "month_label": formats.date_format(month.first, "YEAR_MONTH_FORMAT"),
        "previous_url": link(month.previous),
        "next_url": link(month.next),
        "today_url": link(Month(today.year, today.month)),
        "grid_url": link(month, "meetings:calendar"),
        "list_url": link(month, "meetings:calendar_list"),
        "today": today,
        "feed_url": _feed_url(request, unit),
    }


@require_GET
def calendar_month_view(request: HttpRequest) -> HttpResponse:
    """A month of conferences in the unit's subtree, Monday first."""
    unit = _unit(request)
    month = _month(request)
    weeks = selectors.calendar_month(request.user, year=month.year, month=month.month, unit=unit)
    context = {
        **_period_context(request, unit, month, "meetings:calendar"),
        "weeks": weeks,
        "weekdays": [formats.date_format(day.day, "D") for day in weeks[0]],
        "weekday_names": [formats.date_format(day.day, "l") for day in weeks[0]],
        "count": sum(len(day.conferences) for week in weeks for day in week if day.in_month),
    }
    template = "meetings/partials/_calendar_month.html" if wants_fragment(request) else "meetings/calendar.html"
    return render(request, template, context)


@require_GET
def calendar_list(request: HttpRequest) -> HttpResponse:
    """The same month as a list (easier on a phone, and to print)."""
    unit = _unit(request)
    month = _month(request)
    conferences = list(
        selectors.conference_list_for_user(request.user, unit=unit, start=month.first, end=month.last).order_by(
            "starts_at", "pk"
        )
    )
    context = {**_period_context(request, unit, month, "meetings:calendar_list"), "conferences": conferences}
    template = "meetings/partials/_calendar_list.html" if wants_fragment(request) else "meetings/calendar_list.html"
    return render(request, template, context)


# --- The feed ------------------------------------------------------------------------------------


@login_not_required
@require_GET
def ics_feed(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's conferences for a calendar application, as the user the token was made for."""
    user = ics.feed_user(request.GET.get("token", ""), code)
    if user is None:
        return HttpResponseNotFound("Not found\n", content_type="text/plain; charset=utf-8")
    try:
        unit = access_unit(by=user, code=code, capability=Capability.VIEW_AGGREGATES)
    except ApplicationError:
        return HttpResponseNotFound("Not found\n", content_type="text/plain; charset=utf-8")
    response = HttpResponse(feed_text(request, user, unit), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="conferences-{unit.pk}.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- The message and the reminders ------------------------------------------------------------


def _message_text(request: HttpRequest, page: selectors.ConferencePage) -> str:
    return conference_message(
        conference=page.conference,
        points=page.points,
        presenters=page.conference.presenters.select_related("person"),
        documents=page.documents,
        check_in_url=request.build_absolute_uri(reverse("meetings_public:checkin")),
        page_url=request.build_absolute_uri(reverse("meetings:detail", args=[page.conference.pk])),
        codes_for=page.recordable,
    )


@require_GET
def copy_message(request: HttpRequest, pk: int) -> HttpResponse:
    """The conference as a plain-text message to copy into the chat groups offices use."""
    page = selectors.conference_page(request.user, pk)
    people = reminder_list(page.conference) if page.may_change else None
    text = _message_text(request, page)
    context = {
        "conference": page.conference,
        "text": text,
        "rows": min(max(text.count("\n") + 2, 8), 40),
        "may_change": page.may_change,
        "by_chat": people.by_chat() if people is not None else [],
        "reachable": len(people.reachable()) if people is not None else 0,
    }
    return render(request, "meetings/message.html", context)


@require_POST
def send_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the reminder to the presenters and the sites' contacts; say how many."""
    conference = access_conference(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    if conference.status == Conference.Status.CANCELLED:
        messages.error(request, _("The conference was cancelled: no reminder is sent."))
        return redirect("meetings:detail", conference.pk)
    page = selectors.conference_page(request.user, pk)
    people = reminder_list(conference)
    reachable, by_chat = people.reachable(), people.by_chat()
    if reachable:
        send_conference_reminders.enqueue(conference.pk, conference_subject(conference), _message_text(request, page))
        messages.success(
            request,
            ngettext(
                "A reminder was queued for %(count)s person.",
                "Reminders were queued for %(count)s people.",
                len(reachable),
            )
            % {"count": len(reachable)},
        )
    else:
        messages.warning(request, _("Nobody could be reminded by e-mail."))
    if by_chat:
        messages.warning(
            request,
            ngettext(
                "%(count)s person has no e-mail address: send them the message by chat (Copy as message).",
                "%(count)s people have no e-mail address: send them the message by chat (Copy as message).",
                len(by_chat),
            )
            % {"count": len(by_chat)},
        )
    return redirect("meetings:detail", conference.pk)


__all__ = ["calendar_list", "calendar_month_view", "copy_message", "ics_feed", "send_reminders"]
