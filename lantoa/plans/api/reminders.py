"""Reminders over the API: preview the text to copy, or send it (audited, kept, notified)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from lantoa.core.api_input import Id
from lantoa.core.schemas import ERRORS, page
from lantoa.plans import selectors, services
from lantoa.plans.models import SentReminder
from lantoa.plans.permissions import (
    access_to_remind,
    require_reader,
)
from lantoa.plans.schemas import (
    PlanReminderOut,
    SentReminderListOut,
    SentReminderQuery,
)

router = Router()


# --- Reminders -----------------------------------------------------------------------------------

_REMINDERS: dict[str, Any] = {
    "requirement": services.requirement_reminder,
    "tasks": services.programme_reminder,
    "follow_ups": services.inspection_reminder,
    "recommendation": services.recommendation_reminder,
}


def _reminder(request: HttpRequest, kind: str, pk: int, *, send: bool) -> dict[str, Any]:
    target = access_to_remind(by=request.user, kind=kind, pk=pk)
    reminder = _REMINDERS[kind](target)
    if reminder is None:
        return {"sent": False, "units": [], "reminded": 0, "recipients": 0, "subject": "", "message": ""}
    recipients = services.reminder_send(by=request.user, reminder=reminder).recipients if send else 0
    return {
        "sent": send,
        "units": [unit.code for unit in reminder.units],
        "reminded": len(reminder.targets),
        "recipients": recipients,
        "subject": reminder.subject,
        "message": reminder.message,
    }


_REMIND_DOC = (
    "Send: audited, then the message goes to the officers of each unit through the notification channels; "
    "the answer carries the text to copy into a chat group. Nothing overdue answers sent=false and an empty message."
)


@router.get("/requirements/{requirement_id}/reminder", response={200: PlanReminderOut, **ERRORS},
            summary="Preview the reminder to the units that have not issued their programme",
            operation_id="lantoa_plans_api_requirement_reminder")  # fmt: skip
def requirement_reminder(request: HttpRequest, requirement_id: Id) -> Any:
    return _reminder(request, "requirement", requirement_id, send=False)


@router.post("/requirements/{requirement_id}/remind", response={200: PlanReminderOut, **ERRORS},
             summary="Remind the units that have not issued their programme", description=_REMIND_DOC,
             operation_id="lantoa_plans_api_requirement_remind")  # fmt: skip
def requirement_remind(request: HttpRequest, requirement_id: Id) -> Any:
    return _reminder(request, "requirement", requirement_id, send=True)


@router.get("/programmes/{programme_id}/reminder", response={200: PlanReminderOut, **ERRORS},
            summary="Preview the reminder of a programme's overdue tasks",
            operation_id="lantoa_plans_api_programme_reminder")  # fmt: skip
def programme_reminder(request: HttpRequest, programme_id: Id) -> Any:
    return _reminder(request, "tasks", programme_id, send=False)


@router.post("/programmes/{programme_id}/remind", response={200: PlanReminderOut, **ERRORS},
             summary="Remind the owners of a programme's overdue tasks", description=_REMIND_DOC,
             operation_id="lantoa_plans_api_programme_remind")  # fmt: skip
def programme_remind(request: HttpRequest, programme_id: Id) -> Any:
    return _reminder(request, "tasks", programme_id, send=True)


@router.get("/inspections/{inspection_id}/reminder", response={200: PlanReminderOut, **ERRORS},
            summary="Preview the reminder of an inspection's overdue follow-ups",
            operation_id="lantoa_plans_api_inspection_reminder")  # fmt: skip
def inspection_reminder(request: HttpRequest, inspection_id: Id) -> Any:
    return _reminder(request, "follow_ups", inspection_id, send=False)


@router.post("/inspections/{inspection_id}/remind", response={200: PlanReminderOut, **ERRORS},
             summary="Remind the units that must carry out an inspection's overdue follow-ups",
             description=_REMIND_DOC, operation_id="lantoa_plans_api_inspection_remind")  # fmt: skip
def inspection_remind(request: HttpRequest, inspection_id: Id) -> Any:
    return _reminder(request, "follow_ups", inspection_id, send=True)


@router.get("/recommendations/{recommendation_id}/reminder", response={200: PlanReminderOut, **ERRORS},
            summary="Preview the reminder of a recommendation unanswered past its deadline",
            operation_id="lantoa_plans_api_recommendation_reminder")  # fmt: skip
def recommendation_reminder(request: HttpRequest, recommendation_id: Id) -> Any:
    return _reminder(request, "recommendation", recommendation_id, send=False)


@router.post("/recommendations/{recommendation_id}/remind", response={200: PlanReminderOut, **ERRORS},
             summary="Remind the addressee of a recommendation unanswered past its deadline",
             description=_REMIND_DOC, operation_id="lantoa_plans_api_recommendation_remind")  # fmt: skip
def recommendation_remind(request: HttpRequest, recommendation_id: Id) -> Any:
    return _reminder(request, "recommendation", recommendation_id, send=True)


def sent_reminder_out(sent: SentReminder) -> dict[str, Any]:
    record = sent.requirement_id or sent.task_id or sent.follow_up_id or sent.recommendation_id
    return {
        "id": sent.pk, "about": sent.about, "record": record, "unit": sent.unit.code, "channel": sent.channel,
        "subject": sent.subject, "text": sent.text, "sent_at": sent.sent_at,
        "sent_by": sent.sent_by.get_username() if sent.sent_by is not None else None,
    }  # fmt: skip


@router.get("/reminders", response={200: SentReminderListOut, **ERRORS},
            summary="Reminders sent: to your units, or about what you keep; newest first",
            operation_id="lantoa_plans_api_reminder_list")  # fmt: skip
def reminder_list(request: HttpRequest, filters: Query[SentReminderQuery]) -> Any:
    require_reader(request.user)
    found = page(selectors.reminder_list_for_user(request.user, about=filters.about), limit=filters.limit,
                 offset=filters.offset)  # fmt: skip
    return {"items": [sent_reminder_out(sent) for sent in found["items"]], "count": found["count"]}
