"""The page cache given to SQLite for a batch statement, and given back; statements prepared on
PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from lantoa.core.rows import prepared_cursor, sqlite_working_memory


@pytest.mark.django_db
def test_sqlite_working_memory_is_given_back_even_when_the_block_fails():
    def setting(name: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}")
            return int(cursor.fetchone()[0])

    if connection.vendor != "sqlite":
        with sqlite_working_memory():  # nothing to do elsewhere
            return
    before = setting("cache_size")
    with sqlite_working_memory(64):
        assert setting("cache_size") == -64 * 1024
    assert setting("cache_size") == before
    # After an error Django refuses every statement until the transaction ends: the settings are
    # given back all the same and the error reaches the caller unchanged.
    with pytest.raises(ZeroDivisionError), transaction.atomic(), sqlite_working_memory(64):
        transaction.set_rollback(True)
        raise ZeroDivisionError
    assert setting("cache_size") == before


def _prepared_here(text: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_prepared_statements WHERE statement = %s", [text])
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db
def test_a_prepared_statement_answers_as_django_cursor_does_and_is_in_the_query_log():
    with CaptureQueriesContext(connection) as captured, prepared_cursor() as cursor:
        cursor.execute("SELECT %s + %s, %s", [2, 3, "chữ"])
        assert cursor.fetchone() == (5, "chữ")
    assert len(captured) == 1
    assert captured[0]["sql"].startswith("SELECT")
    if connection.vendor == "postgresql":
        # Planned once for the connection, kept for the next request on it.
        assert _prepared_here("SELECT $1 + $2, $3")


@pytest.mark.django_db
@override_settings(LANTOA_PREPARED_STATEMENTS=False)
def test_without_prepared_statements_it_is_django_cursor():
    with prepared_cursor() as cursor:
        cursor.execute("SELECT %s * %s", [6, 7])
        assert cursor.fetchone()[0] == 42
    if connection.vendor == "postgresql":
        assert not _prepared_here("SELECT $1 * $2")


@pytest.mark.django_db
def test_a_prepared_statement_raises_django_errors():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite answers NULL for a division by zero")
    with pytest.raises(DataError), transaction.atomic(), prepared_cursor() as cursor:
        cursor.execute("SELECT 1 / %s", [0])
