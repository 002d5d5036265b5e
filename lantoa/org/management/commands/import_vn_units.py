"""``manage.py import_vn_units``: load provinces of the pre-2025 snapshot into the tree, and
optionally apply the 2025 reorganisation to them as restructuring events."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lantoa.core.errors import ApplicationError
from lantoa.org import vn_reorganise, vn_units


class Command(BaseCommand):
    help = (
        "Create or update the territorial party committees of one or more provinces (province, district and "
        f"commune tiers) from the pre-2025 snapshot in the {vn_units.SOURCE_PACKAGE} package, table "
        f"{vn_units.SOURCE_TABLE}. New units open on {vn_units.BASELINE.isoformat()}: the date from which Lantoa "
        "records the snapshot, not the date the units were legally founded. Safe to run again: existing units "
        "(matched by Lantoa code) are left alone, or renamed from today if the snapshot names them differently. "
        "With --reorganise-2025 it then applies the 2025 reorganisation as events (province mergers on "
        "2025-06-12, the commune arrangement and the end of the district tier on 2025-07-01); what is already "
        "applied is not applied again."
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
        parser.add_argument(
            "--reorganise-2025",
            action="store_true",
            help="Then apply the 2025 reorganisation to the new provinces these provinces belong to. Every province "
            "that merges must be imported too (now or before): Lào Cai needs Yên Bái.",
        )
        parser.add_argument(
            "--no-records",
            action="store_true",
            help="The units this run creates keep no records in Lantoa: their figures show as missing, not zero "
            "(for a province imported only for its place in the tree).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = None
        try:
            provinces = vn_units.load_legacy_provinces()
            if not options["all"]:
                provinces = vn_units.find_provinces(options["province"], provinces)
            with transaction.atomic():
                summary = vn_units.import_provinces(provinces, by=None, keeps_records=not options["no_records"])
                imported = time.perf_counter()
                if options["reorganise_2025"]:
                    report = vn_reorganise.reorganise_2025(provinces, by=None)
        except vn_units.UnknownProvince as error:
            suggestions = error.extra.get("suggestions") or []
            hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
            raise CommandError(f"No province called {error.extra['province']!r} in the snapshot.{hint}") from error
        except ApplicationError as error:
            raise CommandError(error.message) from error

        finished = time.perf_counter()
        names = ", ".join(p.proper_name for p in provinces) if len(provinces) <= 5 else f"{len(provinces)} provinces"
        records = " (keeping no records)" if options["no_records"] else ""
        self.stdout.write(f"Imported {names} from {vn_units.SOURCE_PACKAGE} {vn_units.source_version()}{records}:")
        self.stdout.write(f"  {'tier':<10} {'created':>8} {'unchanged':>10} {'renamed':>8}")
        for tier, counts in summary.tiers.items():
            self.stdout.write(f"  {tier:<10} {counts.created:>8} {counts.unchanged:>10} {counts.renamed:>8}")
        self.stdout.write(f"  in {imported - started:.1f} s.")
        if report is not None:
            self._print_report(report, finished - imported)
        self.stdout.write(self.style.SUCCESS(f"Done in {finished - started:.1f} s."))

    def _print_report(self, report: vn_reorganise.ReorganisationReport, elapsed: float) -> None:
        names = ", ".join(report.provinces) if len(report.provinces) <= 5 else f"{len(report.provinces)} provinces"
        self.stdout.write(f"2025 reorganisation of {names}:")
        steps = sorted(set(report.applied) | set(report.already))
        self.stdout.write(f"  {'step':<40} {'applied':>8} {'already':>8}")
        for step in steps:
            self.stdout.write(f"  {step:<40} {report.applied[step]:>8} {report.already[step]:>8}")
        events = ", ".join(f"{kind} {count}" for kind, count in sorted(report.events.items())) or "none"
        self.stdout.write(f"  events recorded: {report.event_count} ({events})")
        self.stdout.write(
            f"  old communes split between new communes (each went whole to its default new commune): "
            f"{report.split_communes}"
        )
        if report.folded_matches:
            self.stdout.write(f"  keys matched only after folding diacritics: {report.folded_matches}")
        self.stdout.write(f"  in {elapsed:.1f} s.")
        if report.anomalies:
            self.stdout.write(f"  Matched, but the package contradicts itself ({len(report.anomalies)}):")
            for item in report.anomalies:
                self.stdout.write(f"    {item}")
        if report.unmatched:
            self.stdout.write(self.style.WARNING(f"  Not matched ({len(report.unmatched)}):"))
            for item in report.unmatched:
                self.stdout.write(f"    {item}")
        else:
            self.stdout.write("  Everything in the mapping was matched.")
