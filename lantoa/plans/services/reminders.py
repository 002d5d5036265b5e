"""Reminders: to the units that have not issued the programme a deadline asks for, to the owners
of a programme's overdue tasks, to the units that must carry out an inspection's overdue
follow-ups, and to the addressee of a recommendation unanswered past its deadline.

Each reminder is first a text (:class:`Reminder`): the page and the API show it to copy into the
chat groups offices use, whoever can or cannot be reached otherwise. Sending it
(:func:`reminder_send`) writes one audit entry per record reminded and, once committed, gives the
text to the officers who record the work of each unit through the notification channels
(:mod:`lantoa.plans.tasks`, the officers found as for data requests:
:func:`lantoa.accounts.selectors.unit_recipients`). A task whose owner is a role is the
programme's unit's to carry out, so its reminder goes to that unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.accounts.selectors import unit_recipients
from lantoa.core.audit import actor_or_none, audit_record_many
from lantoa.org.models import Unit
from lantoa.org.selectors import today
from lantoa.plans.models import (
    LONG_TEXT_MAX,
    OPEN_STATUSES,
    TITLE_MAX,
    ActionProgramme,
    FollowUp,
    Inspection,
    IssueRequirement,
    ProgrammeTask,
    Recommendation,
    ReminderAbout,
    ReminderChannel,
    SentReminder,
)

# What each kind of reminder is called in the audit log.
REMINDER_ACTIONS: dict[str, str] = {
    "requirement": "lantoa.plans.reminder.requirement",
    "tasks": "lantoa.plans.reminder.tasks",
    "follow_ups": "lantoa.plans.reminder.follow_ups",
    "recommendation": "lantoa.plans.reminder.recommendation",
}


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


@dataclass
class Reminder:
    """What a reminder says and whom it concerns: ``targets`` are the records reminded, each
    with the unit whose record it is (audited one by one); ``notify`` says whether the units of
    the targets are sent the message (not for a recommendation to an outside body, which only
    the text to copy reaches)."""

    kind: str
    subject: str
    message: str
    targets: list[tuple[models.Model, Unit]] = field(default_factory=list)
    notify: bool = True

    @property
    def units(self) -> list[Unit]:
        """The units sent the message, each once, in order."""
        if not self.notify:
            return []
        seen: dict[int, Unit] = {}
        for _target, unit in self.targets:
            seen.setdefault(unit.pk, unit)
        return list(seen.values())


@dataclass
class ReminderSent:
    reminder: Reminder
    recipients: int  # officers with an e-mail address the message goes to

    def summary(self) -> str:
        return _(
            "%(units)s unit(s) reminded; the message is on its way to %(people)s officer(s) with an e-mail "
            "address. For the others, copy the message below to your chat group."
        ) % {"units": len(self.reminder.units), "people": self.recipients}


def _numbered(lines: list[str]) -> list[str]:
    return [f"{index}. {line}" for index, line in enumerate(lines, start=1)]


def requirement_reminder(requirement: IssueRequirement, *, on: dt.date | None = None) -> Reminder | None:
    """The units of the tier asked, as the tree stands today, that carry no programme for the
    document yet (late once the deadline has passed); None when every unit has one."""
    from lantoa.plans.selectors import requirement_coverage

    day = on or today()
    coverage = requirement_coverage(requirement, structure="current", on=day)
    missing = [row for row in coverage.rows if not row.issued]
    if not missing:
        return None
    values = {"document": requirement.document.title, "deadline": _day(requirement.due_on)}
    first = (
        _('Reminder: the action programme for "%(document)s" was due on %(deadline)s.')
        if requirement.due_on < day
        else _('Reminder: the action programme for "%(document)s" is due on %(deadline)s.')
    ) % values
    lines = [
        first,
        _("Units that have not issued theirs yet (%(count)s):") % {"count": len(missing)},
        *_numbered([row.name for row in missing]),
        _("Please issue it and record it in Lantoa as soon as possible. Thank you."),
    ]
    return Reminder(
        kind="requirement",
        subject=_("Reminder: action programme for %(document)s") % {"document": requirement.document.title},
        message="\n".join(lines),
        targets=[(requirement, row.unit) for row in missing],
    )


def programme_reminder(programme: ActionProgramme, *, on: dt.date | None = None) -> Reminder | None:
    """The programme's tasks past their deadline and not done, each to its owner unit (or, for a
    task owned by a role, to the programme's unit); None when no task is overdue."""
    day = on or today()
    overdue = list(
        ProgrammeTask.objects.filter(programme=programme, percent_done__lt=100, due_on__lt=day)
        .select_related("owner_unit")
        .order_by("position")
    )
    if not overdue:
        return None
    lines = [
        _('Reminder: tasks of "%(programme)s" (%(number)s) are past their deadline (%(count)s):')
        % {"programme": programme.title, "number": programme.decision_number, "count": len(overdue)},
        *_numbered(
            [
                _("%(task)s — %(owner)s, due %(deadline)s, %(percent)s%% done")
                % {
                    "task": task.title,
                    "owner": task.owner_unit.name if task.owner_unit else task.owner_role,
                    "deadline": _day(task.due_on),
                    "percent": task.percent_done,
                }
                for task in overdue
            ]
        ),
        _("Please carry them out and report their progress in Lantoa. Thank you."),
    ]
    return Reminder(
        kind="tasks",
        subject=_("Reminder: overdue tasks of %(number)s") % {"number": programme.decision_number},
        message="\n".join(lines),
        targets=[(task, task.owner_unit or programme.unit) for task in overdue],
    )


def inspection_reminder(inspection: Inspection, *, on: dt.date | None = None) -> Reminder | None:
    """The inspection's follow-ups still open past their deadline, each to the unit that must
    carry it out; None when none is overdue."""
    day = on or today()
    overdue = list(
        FollowUp.objects.filter(conclusion__inspection=inspection, closed_on__isnull=True, due_on__lt=day)
        .select_related("owner_unit", "conclusion")
        .order_by("conclusion__number")
    )
    if not overdue:
        return None
    lines = [
        _('Reminder: conclusions of "%(inspection)s" are still to be carried out past their deadline (%(count)s):')
        % {"inspection": inspection.title, "count": len(overdue)},
        *_numbered(
            [
                _("Conclusion %(number)s: %(text)s — %(owner)s, due %(deadline)s")
                % {
                    "number": follow_up.conclusion.number,
                    "text": follow_up.conclusion.text[:200],
                    "owner": follow_up.owner_unit.name,
                    "deadline": _day(follow_up.due_on),
                }
                for follow_up in overdue
            ]
        ),
        _("Please carry them out and close them in Lantoa with their evidence. Thank you."),
    ]
    return Reminder(
        kind="follow_ups",
        subject=_("Reminder: overdue follow-ups of %(inspection)s") % {"inspection": inspection.title},
        message="\n".join(lines),
        targets=[(follow_up, follow_up.owner_unit) for follow_up in overdue],
    )


def recommendation_reminder(recommendation: Recommendation, *, on: dt.date | None = None) -> Reminder | None:
    """A recommendation still open past the date its answer was due; None otherwise. An outside
    body (no unit) gets the text to copy only: nobody of the tree is there to notify."""
    day = on or today()
    if recommendation.status not in OPEN_STATUSES or recommendation.due_on is None or recommendation.due_on >= day:
        return None
    lines = [
        _('Reminder: the recommendation "%(topic)s" from %(unit)s, sent on %(sent)s, was to be answered by %(due)s.')
        % {
            "topic": recommendation.topic,
            "unit": recommendation.unit.name,
            "sent": _day(recommendation.sent_on),
            "due": _day(recommendation.due_on),
        },
        _("Addressed to: %(addressee)s") % {"addressee": recommendation.addressee},
        _("Please answer it and record the answer in Lantoa. Thank you."),
    ]
    unit = recommendation.addressee_unit
    return Reminder(
        kind="recommendation",
        subject=_("Reminder: recommendation %(topic)s") % {"topic": recommendation.topic},
        message="\n".join(lines),
        targets=[(recommendation, unit if unit is not None else recommendation.unit)],
        notify=unit is not None,
    )


# Which record a reminder of each kind names, and the field of SentReminder that holds it.
REMINDER_ABOUT: dict[str, str] = {
    "requirement": ReminderAbout.REQUIREMENT,
    "tasks": ReminderAbout.TASK,
    "follow_ups": ReminderAbout.FOLLOW_UP,
    "recommendation": ReminderAbout.RECOMMENDATION,
}


def _rows(by: Any, reminder: Reminder) -> list[SentReminder]:
    about = REMINDER_ABOUT[reminder.kind]
    channel = ReminderChannel.NOTIFIED if reminder.notify else ReminderChannel.MESSAGE
    sent_at = timezone.now()
    return [
        SentReminder(about=about, unit=unit, channel=channel, subject=reminder.subject[:TITLE_MAX],
                     text=reminder.message[:LONG_TEXT_MAX], sent_at=sent_at, sent_by=actor_or_none(by),
                     **{about: target})
        for target, unit in reminder.targets
    ]  # fmt: skip


def reminder_send(*, by: Any, reminder: Reminder) -> ReminderSent:
    """Keep a row for every record the reminder names (and audit it), and, once committed, send it
    to the officers of the units concerned through the notification channels (in the background)."""
    from lantoa.plans.tasks import send_plan_reminders

    units = reminder.units
    recipients = unit_recipients([unit.pk for unit in units])
    with transaction.atomic():
        SentReminder.objects.bulk_create(_rows(by, reminder))
        audit_record_many(action=REMINDER_ACTIONS[reminder.kind], by=by, targets=reminder.targets, changed=["reminded"])
        if units:
            ids, subject, body = [unit.pk for unit in units], reminder.subject, reminder.message
            transaction.on_commit(lambda: send_plan_reminders.enqueue(ids, subject, body))
    reachable = sum(1 for people in recipients.values() for person in people if person.email)
    return ReminderSent(reminder, reachable)


__all__ = [
    "Reminder",
    "ReminderSent",
    "inspection_reminder",
    "programme_reminder",
    "recommendation_reminder",
    "reminder_send",
    "requirement_reminder",
]
