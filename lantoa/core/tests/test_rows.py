"""The page cache given to SQLite for a batch statement, and given back."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from lantoa.core.rows import sqlite_working_memory


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
