"""Background work of data requests: sending the reminders recorded for late units."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_data_request_reminders(reminder_ids: list[int], subject: str, body: str) -> dict[str, int]:
    """Send each recorded reminder (the "copy as message" text, made in the sender's language) to
    the officers of its unit through the first notification channel that reaches each, and note on
    the reminder how many were reached and by which channels. Returns the totals."""
    from lantoa.accounts.selectors import unit_recipients
    from lantoa.core.notify import notify
    from lantoa.reports.models import DataReminder

    reminders = list(DataReminder.objects.filter(pk__in=reminder_ids).select_related("assignment"))
    recipients = unit_recipients([reminder.assignment.unit_id for reminder in reminders])
    totals = {"sent": 0, "not_reached": 0}
    for reminder in reminders:
        result = notify(recipients.get(reminder.assignment.unit_id, []), subject, body)
        channels: dict[str, int] = {}
        for _recipient, channel in result.sent:
            channels[channel] = channels.get(channel, 0) + 1
        reminder.reached = len(result.sent)
        reminder.channels = channels
        totals["sent"] += len(result.sent)
        totals["not_reached"] += len(result.not_reached)
    DataReminder.objects.bulk_update(reminders, ["reached", "channels"])
    logger.info("Data request reminders %s: %s", reminder_ids[:1], totals)
    return totals
