"""``manage.py import_vn_units``: load provinces of the pre-2025 snapshot into the tree."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantoa.core.errors import ApplicationError
from lantoa.org import vn_units


class Command(BaseCommand):
    help = (
        "Create or update the territorial party committees of one or more provinces (province, district and "
        f"commune tiers) from the pre-2025 snapshot in the {vn_units.SOURCE_PACKAGE} package, table "
        f"{vn_units.SOURCE_TABLE}. New units open on {vn_units.BASELINE.isoformat()}: the date from which Lantoa "
        "records the snapshot, not the date the units were legally founded. Safe to run again: existing units "
        "(matched by Lantoa code) are left alone, or renamed from today if the snapshot names them differently."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument(
            "--province",
            action="append",
            metavar="NAME",
            help='A province name ("Lào Cai", "lao cai", "Tỉnh Lào Cai") or official code ("10"). Repeatable.',
        )
        which.add_argument("--all", action="store_true", help="Import all 63 provinces.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        provinces = vn_units.load_legacy_provinces()
        try:
            if not options["all"]:
                provinces = vn_units.find_provinces(options["province"], provinces)
            summary = vn_units.import_provinces(provinces, by=None)
        except vn_units.UnknownProvince as error:
            suggestions = error.extra.get("suggestions") or []
            hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
            raise CommandError(f"No province called {error.extra['province']!r} in the snapshot.{hint}") from error
        except ApplicationError as error:
            raise CommandError(error.message) from error

        elapsed = time.perf_counter() - started
        names = ", ".join(p.proper_name for p in provinces) if len(provinces) <= 5 else f"{len(provinces)} provinces"
        self.stdout.write(f"Imported {names} from {vn_units.SOURCE_PACKAGE} {vn_units.source_version()}:")
        self.stdout.write(f"  {'tier':<10} {'created':>8} {'unchanged':>10} {'renamed':>8}")
        for tier, counts in summary.tiers.items():
            self.stdout.write(f"  {tier:<10} {counts.created:>8} {counts.unchanged:>10} {counts.renamed:>8}")
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s."))
