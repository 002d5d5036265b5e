"""Background work of the meetings module: sending a conference's reminders."""

from __future__ import annotations

import logging

from django_tasks import task

from lantoa.core.notify import notify
from lantoa.meetings.models import Conference
from lantoa.meetings.reminders import reminder_list

logger = logging.getLogger(__name__)


@task()
def send_conference_reminders(conference_id: int, subject: str, body: str) -> dict[str, int]:
    """Send the reminder (the text of "copy as message", made in the officer's language) to the
    conference's presenters and the contacts of its sites, each through the first notification
    channel that reaches them. Returns how many were sent, how many no channel reaches (to be
    sent by chat) and how many sends failed. A conference cancelled meanwhile is not reminded."""
    conference = Conference.objects.filter(pk=conference_id).first()
    if conference is None or conference.status == Conference.Status.CANCELLED:
        return {"sent": 0, "by_chat": 0, "failed": 0}
    result = notify(reminder_list(conference).everyone, subject, body)
    counts = {"sent": len(result.sent), "by_chat": len(result.unreachable), "failed": len(result.failed)}
    logger.info("Reminders for conference %s: %s", conference_id, counts)
    return counts
