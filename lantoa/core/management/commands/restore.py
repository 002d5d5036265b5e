"""``manage.py restore PATH --yes [--media ARCHIVE]`` — replace the database with a backup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantoa.core import backup as backups


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `manage.py backup`. The file is checked "
        "first (a sound database with Lantoa's tables) and the current database is saved to "
        "var/backups/pre-restore-….  SQLite: copied over the database file after closing "
        "connections; PostgreSQL: pg_restore --clean --if-exists --single-transaction. "
        "Run `manage.py migrate` afterwards when the backup comes from an older version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The database backup (.sqlite3 or .dump).")
        parser.add_argument("--yes", action="store_true", help="Confirm: everything in the database is replaced.")
        parser.add_argument("--media", type=Path, help="Also extract this media archive (…-media.tar.gz).")
        parser.add_argument(
            "--no-safety-copy", action="store_true", help="Do not save the current database before restoring."
        )
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        alias: str = options["database"]
        try:
            backups.validate(path, alias=alias)
            if options["media"] is not None and not options["media"].is_file():
                raise backups.BackupError(f"{options['media']} does not exist or is not a file.")
            if not options["yes"]:
                raise CommandError(
                    f"{path} is a valid backup. Restoring replaces everything in the database; "
                    "run again with --yes to go ahead."
                )
            saved = backups.restore(path, alias=alias, safety_copy=not options["no_safety_copy"])
            if saved is not None:
                self.stdout.write(f"The previous database was saved to {saved}")
            self.stdout.write(f"Database restored from {path}")
            sibling = backups.media_archive_path(path)
            if options["media"] is not None:
                count = backups.media_restore(options["media"], Path(settings.MEDIA_ROOT))
                self.stdout.write(f"Media: {count} file(s) restored from {options['media']}")
            elif sibling.is_file():
                self.stdout.write(f"Media left as it is; to restore it too, add --media {sibling}")
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Restore complete."))
