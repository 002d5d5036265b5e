"""Reminders from the plans' pages: one POST per kind (a requirement's units without a
programme, a programme's overdue tasks, an inspection's overdue follow-ups, a recommendation
unanswered past its deadline). The detail pages show the text to copy (:func:`reminder_context`);
the history lists every reminder sent (:func:`reminder_list`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.plans import selectors, services
from lantoa.plans.models import ReminderAbout
from lantoa.plans.permissions import access_to_remind, require_reader

PAGE_MAX = 300

_REMINDERS: dict[str, Any] = {  # kind: (the reminder, the page it is sent from, the URL that sends it)
    "requirement": (services.requirement_reminder, "plans:requirement_detail", "plans:requirement_remind"),
    "tasks": (services.programme_reminder, "plans:programme_detail", "plans:programme_remind"),
    "follow_ups": (services.inspection_reminder, "plans:inspection_detail", "plans:inspection_remind"),
    "recommendation": (services.recommendation_reminder, "plans:recommendation_detail", "plans:recommendation_remind"),
}


def reminder_context(kind: str, target: Any, *, allowed: bool) -> dict[str, Any]:
    """What a detail page shows: the reminder's text to copy and where to send it from, for those
    who may send it and when there is something to remind."""
    reminder = _REMINDERS[kind][0](target) if allowed else None
    if reminder is None:
        return {"reminder": None}
    url = reverse(_REMINDERS[kind][2], args=[target.pk])
    return {"reminder": reminder, "remind_url": url}


@require_POST
def remind(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    make, page, _url = _REMINDERS[kind]
    target = access_to_remind(by=request.user, kind=kind, pk=pk)
    reminder = make(target)
    if reminder is None:
        messages.info(request, _("Nothing is overdue: no reminder was sent."))
    else:
        messages.success(request, services.reminder_send(by=request.user, reminder=reminder).summary())
    return redirect(reverse(page, args=[target.pk]) + "#copy-message")


@require_GET
def reminder_list(request: HttpRequest) -> HttpResponse:
    """The reminders sent that the reader sees: to their units, or about what they keep."""
    require_reader(request.user)
    about = request.GET.get("about", "")
    chosen = about if about in ReminderAbout.values else None
    context = {
        "reminders": selectors.reminder_list_for_user(request.user, about=chosen)[:PAGE_MAX],
        "about": chosen,
        "choices": ReminderAbout.choices,
    }
    return render(request, "plans/reminder_list.html", context)
