"""``manage.py contests_erase_claims [--now ISO]``: erase the payment details of prize claims paid
longer ago than their contest's retention period. Safe to run as often as wanted (a daily timer):
claims already erased are left alone. ``--now`` states the moment to judge from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lantoa.contests.services.claims import claims_erase


class Command(BaseCommand):
    help = "Erase the payment details of prize claims past their contest's retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", default="", help="The moment to judge from (ISO 8601; default: now).")

    def handle(self, *args: Any, now: str, **options: Any) -> None:
        moment = timezone.now()
        if now:
            try:
                moment = dt.datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now is not an ISO 8601 date and time: {now!r}") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        erased = claims_erase(now=moment)
        self.stdout.write(f"Erased the payment details of {erased} prize claim(s).")
