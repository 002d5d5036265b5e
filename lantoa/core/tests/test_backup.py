"""Backups and restores: the SQLite functions on files, and the commands on the database in use.

The command round trip runs on whichever engine the suite runs on (SQLite by default,
PostgreSQL when ``DATABASE_URL`` points at one), so nothing is skipped on either.
"""

from __future__ import annotations

import io
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lantoa.core import backup as backups
from lantoa.core.models import AuditEntry
from lantoa.org.models import Unit
from lantoa.org.tests.factories import make_unit


def _make_lantoa_like_db(path: Path, *, wal: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    for table in backups.REQUIRED_TABLES:
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
    conn.executemany("INSERT INTO org_unit (name) VALUES (?)", [("Xã Bát Xát",), ("Xã Y Tý",)])
    return conn


def _names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM org_unit ORDER BY id")]
    finally:
        conn.close()


def test_sqlite_round_trip_on_files(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    _make_lantoa_like_db(live).close()
    copy = backups.sqlite_backup(live, tmp_path / "backups" / "copy.sqlite3")
    backups.validate_sqlite_backup(copy)

    conn = sqlite3.connect(live, isolation_level=None)
    conn.execute("UPDATE org_unit SET name = 'đổi tên'")
    conn.execute("INSERT INTO org_unit (name) VALUES ('mới')")
    conn.close()
    assert _names(live) == ["đổi tên", "đổi tên", "mới"]

    backups.sqlite_restore(copy, live)
    assert _names(live) == ["Xã Bát Xát", "Xã Y Tý"]


def test_online_backup_includes_writes_still_in_the_wal(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    writer = _make_lantoa_like_db(live, wal=True)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO org_unit (name) VALUES ('chưa checkpoint')")
    assert (tmp_path / "live.sqlite3-wal").stat().st_size > 0
    # The writer stays open, as a running site would.
    copy = backups.sqlite_backup(live, tmp_path / "copy.sqlite3")
    writer.close()
    assert _names(copy)[-1] == "chưa checkpoint"
    with copy.open("rb") as handle:
        assert handle.read(16) == backups.SQLITE_HEADER


def test_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    _make_lantoa_like_db(live).close()
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"keep me")
    with pytest.raises(backups.BackupError, match="already exists"):
        backups.sqlite_backup(live, target)
    assert target.read_bytes() == b"keep me"


def test_validation_refuses_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("not a database")
    with pytest.raises(backups.BackupError, match="not a SQLite database"):
        backups.validate_sqlite_backup(bogus)


def test_validation_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(backups.BackupError, match="does not exist"):
        backups.validate_sqlite_backup(tmp_path / "nowhere.sqlite3")


def test_validation_refuses_a_sqlite_database_without_lantoa_tables(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE something (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(backups.BackupError, match="not a Lantoa database"):
        backups.validate_sqlite_backup(other)


def test_media_round_trip(tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "library" / "2025").mkdir(parents=True)
    (media / "library" / "2025" / "nghi-quyet.pdf").write_bytes(b"%PDF-1.7 ...")
    (media / "top.txt").write_text("một")
    archive = backups.media_backup(media, tmp_path / "x-media.tar.gz")
    assert archive is not None

    (media / "top.txt").write_text("đã sửa")
    (media / "library" / "2025" / "nghi-quyet.pdf").unlink()
    assert backups.media_restore(archive, media) == 2
    assert (media / "top.txt").read_text() == "một"
    assert (media / "library" / "2025" / "nghi-quyet.pdf").read_bytes() == b"%PDF-1.7 ..."


def test_empty_media_folder_gives_no_archive(tmp_path: Path) -> None:
    (tmp_path / "media" / "empty").mkdir(parents=True)
    assert backups.media_backup(tmp_path / "media", tmp_path / "m.tar.gz") is None
    assert backups.media_backup(tmp_path / "absent", tmp_path / "m.tar.gz") is None
    assert not (tmp_path / "m.tar.gz").exists()


def test_media_restore_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    archive = tmp_path / "evil-media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        data = b"owned"
        info = tarfile.TarInfo("media/../../escaped.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(backups.BackupError, match="cannot be extracted safely"):
        backups.media_restore(archive, tmp_path / "media")
    assert not (tmp_path / "escaped.txt").exists()


def test_media_archive_name_follows_the_database_backup() -> None:
    assert backups.media_archive_path(Path("/b/lantoa-20250701-080000.sqlite3")) == Path(
        "/b/lantoa-20250701-080000-media.tar.gz"
    )


# --- The commands, on the database the suite runs on ----------------------------------------


@pytest.fixture
def backup_dirs(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings.LANTOA_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.mark.django_db(transaction=True)
def test_backup_then_change_then_restore_gives_the_data_back(backup_dirs: Path) -> None:
    if connection.vendor == "postgresql":
        for tool in ("pg_dump", "pg_restore"):
            assert backups.shutil.which(tool), f"{tool} must be installed to back up PostgreSQL"
    province = make_unit(kind="provincial_committee", name="Tỉnh Lào Cai", code="LC")
    make_unit(kind="commune_committee", parent=province, name="Xã Bát Xát", code="LC-BX")
    (backup_dirs / "media").mkdir()
    (backup_dirs / "media" / "so-tay.pdf").write_bytes(b"%PDF-1.7 so tay")
    before = sorted(Unit.objects.values_list("code", "name"))
    audit_before = AuditEntry.objects.count()

    out = io.StringIO()
    call_command("backup", stdout=out)
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
    [database] = sorted((backup_dirs / "backups").glob(f"lantoa-*{suffix}"))
    media = backups.media_archive_path(database)
    assert media.is_file()
    assert str(database) in out.getvalue()

    Unit.objects.filter(code="LC-BX").update(name="Đã đổi")
    make_unit(kind="commune_committee", parent=province, name="Xã mới", code="LC-NEW")
    (backup_dirs / "media" / "so-tay.pdf").write_bytes(b"changed")
    assert sorted(Unit.objects.values_list("code", "name")) != before

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(database), stdout=io.StringIO())
    assert Unit.objects.filter(code="LC-NEW").exists()  # refused: nothing changed

    out = io.StringIO()
    call_command("restore", str(database), "--yes", "--media", str(media), stdout=out)
    assert sorted(Unit.objects.values_list("code", "name")) == before
    assert AuditEntry.objects.count() == audit_before
    assert (backup_dirs / "media" / "so-tay.pdf").read_bytes() == b"%PDF-1.7 so tay"
    # The database as it was just before the restore was kept.
    assert list((backup_dirs / "backups").glob(f"pre-restore-*{suffix}"))
    assert "previous database was saved" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_that_is_not_a_backup(backup_dirs: Path) -> None:
    make_unit(kind="provincial_committee", code="KEEP")
    bogus = backup_dirs / "bogus.sqlite3"
    bogus.write_bytes(b"definitely not a database")
    with pytest.raises(CommandError, match="not a"):
        call_command("restore", str(bogus), "--yes", stdout=io.StringIO())
    assert Unit.objects.filter(code="KEEP").exists()


@pytest.mark.django_db(transaction=True)
def test_backup_to_an_explicit_output(backup_dirs: Path) -> None:
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
    target = backup_dirs / "elsewhere" / f"mine{suffix}"
    call_command("backup", "--output", str(target), "--no-media", stdout=io.StringIO())
    assert target.is_file()
    backups.validate(target)
