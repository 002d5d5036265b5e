"""Background work of the surveys module: the daily reseal of past days' answers."""

from __future__ import annotations

import logging

from django_tasks import task

from lantoa.surveys.services import answers_reseal

logger = logging.getLogger(__name__)


@task()
def reseal_answers() -> int:
    """Rewrite the answers of past days in a random order (queued by the first answer of each day;
    also ``manage.py surveys_reseal``)."""
    count = answers_reseal()
    logger.info("Survey answers resealed: %s", count)
    return count
