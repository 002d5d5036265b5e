"""``manage.py surveys_reseal``: rewrite the answers of past days with new random ids in a random
order, in one transaction, so that neither row order nor transaction ids say more than the day.
The task worker runs it every day (queued by the day's first answer); run it by hand after a
restore or before handing a dump to anyone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from lantoa.surveys.services import answers_reseal


class Command(BaseCommand):
    help = "Rewrite past days' survey answers in a random order (see docs/decisions/0031)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = answers_reseal()
        self.stdout.write(f"{count} answers resealed.")
