"""Background work of plans: sending reminders to the officers of the units concerned."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def send_plan_reminders(unit_ids: list[int], subject: str, body: str) -> dict[str, int]:
    """Send the reminder (the "copy as message" text, made in the sender's language) to the
    officers who record the work of each unit, through the first notification channel that
    reaches each (:func:`lantoa.core.notify.notify`). Returns the totals: sent, not reached."""
    from lantoa.accounts.selectors import unit_recipients
    from lantoa.core.notify import notify

    recipients = unit_recipients(unit_ids)
    result = notify([person for unit_id in unit_ids for person in recipients.get(unit_id, [])], subject, body)
    totals = {"sent": len(result.sent), "not_reached": len(result.not_reached)}
    logger.info("Plan reminders for %s units: %s", len(unit_ids), totals)
    return totals
