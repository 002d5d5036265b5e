"""``manage.py recount_sites [--conference ID]``: recompute the per-person sites' totals from
their check-ins.

Check-ins leave their site to be recounted at the next flush of the buffered counters
(docs/decisions/0040-buffered-counters.md); a process killed before that flush leaves the
totals behind the rows until the site's next check-in. This brings them back at once. It reads
the rows and writes what it finds, so running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lantoa.meetings.services import recount_every_site


class Command(BaseCommand):
    help = "Recompute the totals of per-person sites (all, or one conference's) from their check-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--conference", type=int, default=None, help="Only the sites of this conference (id).")

    def handle(self, *args: Any, conference: int | None, **options: Any) -> None:
        count = recount_every_site(conference_id=conference)
        self.stdout.write(f"{count} sites recounted.")
