"""Backing up and restoring the database and the media folder.

Used by ``manage.py backup`` and ``manage.py restore``.

* **SQLite**: an online backup through SQLite's backup API, taken page by page from the live
  database while the site keeps running, written to a temporary file and renamed into place
  only once it is complete and passes ``PRAGMA integrity_check``. A restore first checks that
  the file is a sound SQLite database with Lantoa's tables, keeps a safety copy of the current
  database, closes Django's connections and then copies the backup over the database, again
  through the backup API: the copy is one write transaction, so the write-ahead log stays
  consistent and a reader never sees a half-written file.
* **PostgreSQL**: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
  --single-transaction`` with the connection from ``settings.DATABASES`` (the password goes to
  the tools through ``PGPASSWORD``, never on the command line).
* **Media** (uploaded files): a ``.tar.gz`` beside the database backup when the folder holds
  any file; restored only on request.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
# Tables a Lantoa database always has; a file without them is not a Lantoa backup.
REQUIRED_TABLES = ("django_migrations", "accounts_user", "org_unit", "core_auditentry")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    database: Path
    media: Path | None
    engine: str


def default_backup_dir() -> Path:
    return Path(getattr(settings, "LANTOA_BACKUP_DIR", Path(settings.BASE_DIR) / "var" / "backups"))


def engine_of(alias: str = "default") -> str:
    """``"sqlite"`` or ``"postgresql"`` (anything else is refused)."""
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _stamp(now: dt.datetime | None = None) -> str:
    return timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")


def _database_target(output: Path | None, suffix: str) -> Path:
    if output is None:
        return default_backup_dir() / f"lantoa-{_stamp()}{suffix}"
    output = Path(output)
    if output.is_dir() or str(output).endswith(os.sep):
        return output / f"lantoa-{_stamp()}{suffix}"
    return output


def media_archive_path(database_backup: Path) -> Path:
    """``…/lantoa-20250101-120000.sqlite3`` → ``…/lantoa-20250101-120000-media.tar.gz``."""
    return database_backup.with_name(f"{database_backup.stem}-media.tar.gz")


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def sqlite_backup(source: sqlite3.Connection | str | Path, dest: Path) -> Path:
    """Copy the SQLite database ``source`` (a connection or a file path) into the new file ``dest``."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        raise BackupError(f"{dest} already exists; choose another --output.")
    own_source = not isinstance(source, sqlite3.Connection)
    src = sqlite3.connect(str(source), timeout=30) if own_source else source
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        target = sqlite3.connect(tmp)
        try:
            src.backup(target, pages=1024)  # type: ignore[union-attr]
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = target.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            target.close()
        if check != "ok":
            raise BackupError(f"The copy failed SQLite's integrity check: {check}")
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)
        if own_source:
            src.close()  # type: ignore[union-attr]
    return dest


def validate_sqlite_backup(path: Path, required_tables: Iterable[str] = REQUIRED_TABLES) -> None:
    """Raise :class:`BackupError` unless ``path`` is a sound SQLite database with Lantoa's tables."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite database.")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = _sqlite_tables(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a SQLite database: {exc}") from exc
    if check != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {check}")
    missing = sorted(set(required_tables) - tables)
    if missing:
        raise BackupError(f"{path} is not a Lantoa database (missing tables: {', '.join(missing)}).")


def sqlite_restore(backup: Path, target: sqlite3.Connection | str | Path) -> None:
    """Copy the validated ``backup`` over the database ``target`` (a connection or a file path).

    The copy runs through the backup API as one write transaction: other processes that have the
    database open see either the old or the new content, never a mixture.
    """
    own_target = not isinstance(target, sqlite3.Connection)
    dst = sqlite3.connect(str(target), timeout=30) if own_target else target
    src = sqlite3.connect(f"{Path(backup).resolve().as_uri()}?mode=ro", uri=True)
    try:
        if dst.in_transaction:  # type: ignore[union-attr]
            raise BackupError("The database is inside a transaction; restore from outside any transaction.")
        src.backup(dst)  # type: ignore[arg-type]
    except sqlite3.OperationalError as exc:
        raise BackupError(f"The restore could not write the database: {exc}") from exc
    finally:
        src.close()
        if own_target:
            dst.close()  # type: ignore[union-attr]


def _django_sqlite_connection(alias: str) -> sqlite3.Connection:
    wrapper = connections[alias]
    if wrapper.in_atomic_block:
        raise BackupError("Cannot back up or restore inside a transaction.")
    wrapper.ensure_connection()
    return wrapper.connection  # type: ignore[return-value]


def _sqlite_path(alias: str) -> str:
    return str(connections[alias].settings_dict["NAME"])


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_environment(alias: str) -> tuple[dict[str, str], str]:
    """Environment for pg_dump / pg_restore (``PGHOST`` …) and the database name."""
    conf: dict[str, Any] = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if conf.get(key):
            env[var] = str(conf[key])
    options = conf.get("OPTIONS") or {}
    for key, var in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(key):
            env[var] = str(options[key])
    return env, str(conf["NAME"])


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed. Install the PostgreSQL client tools matching the server "
            f"(on Debian: sudo apt-get install -y postgresql-client)."
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed (exit {result.returncode}): {result.stderr.strip()}")
    return result


def postgres_backup(alias: str, dest: Path) -> Path:
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        raise BackupError(f"{dest} already exists; choose another --output.")
    env, name = _pg_environment(alias)
    part = dest.with_name(f".{dest.name}.part")
    try:
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={part}", f"--dbname={name}"], env)
        part.replace(dest)
    finally:
        part.unlink(missing_ok=True)
    return dest


def validate_postgres_backup(path: Path, required_tables: Iterable[str] = REQUIRED_TABLES) -> None:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    with path.open("rb") as handle:
        if handle.read(len(PG_CUSTOM_HEADER)) != PG_CUSTOM_HEADER:
            raise BackupError(f"{path} is not a pg_dump custom-format archive.")
    listing = _run([_pg_tool("pg_restore"), "--list", str(path)], dict(os.environ)).stdout
    tables = set()
    for line in listing.splitlines():  # "215; 1259 16390 TABLE public accounts_user owner"
        parts = line.split()
        if len(parts) >= 6 and not line.startswith(";") and parts[3] == "TABLE":
            tables.add(parts[5])
    missing = sorted(table for table in required_tables if table not in tables)
    if missing:
        raise BackupError(f"{path} is not a Lantoa database (missing tables: {', '.join(missing)}).")


def postgres_restore(alias: str, backup: Path) -> None:
    env, name = _pg_environment(alias)
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={name}",
            str(backup),
        ],
        env,
    )


# --- Media -----------------------------------------------------------------------------------------


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(path.is_file() for path in folder.rglob("*"))


def media_backup(media_root: Path, dest: Path) -> Path | None:
    """Archive ``media_root`` as ``dest`` (.tar.gz); ``None`` when it holds no file."""
    media_root = Path(media_root)
    if not _has_files(media_root):
        return None
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(f".{dest.name}.part")
    try:
        with tarfile.open(part, "w:gz") as archive:
            archive.add(media_root, arcname="media")
        part.chmod(0o600)  # like the database copy: readable by its owner only
        part.replace(dest)
    finally:
        part.unlink(missing_ok=True)
    return dest


def media_restore(archive_path: Path, media_root: Path) -> int:
    """Extract a media archive into ``media_root`` (files in the archive replace those present)."""
    archive_path = Path(archive_path)
    media_root = Path(media_root)
    if not archive_path.is_file():
        raise BackupError(f"{archive_path} does not exist or is not a file.")
    media_root.mkdir(parents=True, exist_ok=True)
    count = 0
    with tempfile.TemporaryDirectory(dir=media_root.parent) as scratch:
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(scratch, filter="data")  # refuses absolute paths, "..", devices
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"{archive_path} cannot be extracted safely: {exc}") from exc
        extracted = Path(scratch) / "media"
        if not extracted.is_dir():
            raise BackupError(f"{archive_path} is not a Lantoa media archive (no media/ folder inside).")
        for path in sorted(extracted.rglob("*")):
            destination = media_root / path.relative_to(extracted)
            if path.is_dir():
                destination.mkdir(parents=True, exist_ok=True)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                count += 1
    return count


# --- What the commands call ------------------------------------------------------------------------


def backup(*, alias: str = "default", output: Path | None = None, media: bool = True) -> BackupResult:
    """Back up the database ``alias`` (and the media folder) and return where the files are."""
    engine = engine_of(alias)
    if engine == "sqlite":
        target = _database_target(output, ".sqlite3")
        database = sqlite_backup(_django_sqlite_connection(alias), target)
    else:
        target = _database_target(output, ".dump")
        database = postgres_backup(alias, target)
    archive = media_backup(Path(settings.MEDIA_ROOT), media_archive_path(database)) if media else None
    return BackupResult(database=database, media=archive, engine=engine)


def validate(path: Path, *, alias: str = "default") -> None:
    if engine_of(alias) == "sqlite":
        validate_sqlite_backup(path)
    else:
        validate_postgres_backup(path)


def restore(path: Path, *, alias: str = "default", safety_copy: bool = True) -> Path | None:
    """Replace the database ``alias`` with the backup at ``path``; returns the safety copy's path.

    The backup is validated first; nothing is changed when it is not a Lantoa backup.
    """
    path = Path(path)
    engine = engine_of(alias)
    validate(path, alias=alias)
    saved = None
    if engine == "sqlite":
        live = _sqlite_path(alias)
        if Path(live).exists() and Path(live).resolve() == path.resolve():
            raise BackupError(f"{path} is the live database itself.")
        if safety_copy:
            saved = sqlite_backup(
                _django_sqlite_connection(alias), default_backup_dir() / f"pre-restore-{_stamp()}.sqlite3"
            )
        connections.close_all()
        sqlite_restore(path, _django_sqlite_connection(alias))
        connections[alias].close()
    else:
        if safety_copy:
            saved = postgres_backup(alias, default_backup_dir() / f"pre-restore-{_stamp()}.dump")
        connections.close_all()
        postgres_restore(alias, path)
    return saved
