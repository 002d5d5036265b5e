"""Reminders from the plans' pages: one POST per kind (a requirement's units without a
programme, a programme's overdue tasks, an inspection's overdue follow-ups, a recommendation
unanswered past its deadline). The detail pages show the text to copy (:func:`reminder_context`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.plans import services
from lantoa.plans.permissions import access_to_remind

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
