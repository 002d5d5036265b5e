"""``manage.py backup [--output PATH] [--no-media]`` — back up the database and uploaded files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantoa.core import backup as backups


class Command(BaseCommand):
    help = (
        "Back up the database while the site runs: SQLite through its online backup API into "
        "var/backups/lantoa-YYYYmmdd-HHMMSS.sqlite3, PostgreSQL with pg_dump --format=custom "
        "(lantoa-YYYYmmdd-HHMMSS.dump). The media folder is archived beside it as …-media.tar.gz when it holds files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="File to write (or an existing folder to write the default name into). Default: var/backups/.",
        )
        parser.add_argument("--no-media", action="store_true", help="Do not archive the media folder.")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backups.backup(alias=options["database"], output=options["output"], media=not options["no_media"])
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = result.database.stat().st_size
        self.stdout.write(f"Database ({result.engine}): {result.database} ({size:,} bytes)")
        if result.media is not None:
            self.stdout.write(f"Media: {result.media} ({result.media.stat().st_size:,} bytes)")
        elif not options["no_media"]:
            self.stdout.write("Media: the media folder holds no file; nothing to archive.")
        self.stdout.write(self.style.SUCCESS("Backup complete."))
