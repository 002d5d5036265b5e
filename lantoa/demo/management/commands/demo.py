"""``manage.py demo``: build the Lào Cai demo (see docs/demo.md)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantoa.core.errors import ApplicationError
from lantoa.demo import build as demo


class Command(BaseCommand):
    help = (
        "Build the demo: the Lào Cai provincial Party organisation as it was before July 2025 (committees from the "
        "vietnamadminunits snapshot, functional committees, generated party cells) and as it is after the 2025 "
        "reorganisation (Yên Bái merged in, communes rearranged, no district tier), and one login per role, all "
        f"with the password {demo.DEMO_PASSWORD!r}. Refuses to run on a database that has units unless --reset "
        "is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--if-empty", action="store_true", help="Do nothing (and show the logins) if the database has any unit."
        )
        mode.add_argument(
            "--reset", action="store_true", help="Delete ALL data in the database first, then build the demo."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and demo.demo_is_loaded():
            self.stdout.write("The database already has units; the demo was not rebuilt.")
            self._print_logins(demo.demo_logins())
            return
        started = time.perf_counter()
        try:
            result = demo.demo_build(reset=options["reset"])
        except ApplicationError as error:
            raise CommandError(error.message) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo built in {elapsed:.1f} s: {result.units} units, of which {result.cells} cells; "
                f"{result.persons} persons in the outreach network, {result.activities} outreach activities."
            )
        )
        self._print_logins(result.logins)

    def _print_logins(self, logins: Sequence[demo.DemoLogin]) -> None:
        if not logins:
            self.stdout.write("No demo logins in this database.")
            return
        rows = [("username", "password", "role", "unit")]
        rows += [
            (login.username, demo.DEMO_PASSWORD, login.role, f"{login.unit_code} {login.unit_name}{_period(login)}")
            for login in logins
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            self.stdout.write(
                "  " + "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]
            )


def _period(login: demo.DemoLogin) -> str:
    if login.valid_to is not None:
        return f" (until {login.valid_to.isoformat()})"
    if login.valid_from is not None and login.valid_from > demo.BASELINE:
        return f" (from {login.valid_from.isoformat()})"
    return ""
