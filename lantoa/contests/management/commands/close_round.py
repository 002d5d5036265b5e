"""``manage.py close_round ROUND_ID [--actual N]``: close a round (or close it again after a
correction) and rank it, as the organiser's button does; the audit entry names no user."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantoa.contests.models import Round
from lantoa.contests.services import round_close
from lantoa.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Close a contest round and store its ranking, prizes and unit ranking. --actual gives the prediction's "
        "actual figure; without it, it is counted from the attempts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round_id", type=int)
        parser.add_argument("--actual", type=int, default=None, help="The prediction's actual figure.")

    def handle(self, *args: Any, round_id: int, actual: int | None, **options: Any) -> None:
        round_ = Round.objects.filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"No round with id {round_id}.")
        started = time.perf_counter()
        try:
            closed = round_close(by=None, round_=round_, actual=actual)
        except ApplicationError as error:
            raise CommandError(error.message) from None
        seconds = time.perf_counter() - started
        verb = "Closed again" if closed.reclosed else "Closed"
        self.stdout.write(
            f"{verb} round {round_id}: {closed.results} contestants ranked, actual figure "
            f"{closed.round.prediction_actual}, in {seconds:.2f} s."
        )
