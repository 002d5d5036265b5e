"""On SQLite, closing a round reads the submitted attempts from an index alone (migration
``contests.0016``): the index must exist, and the closing statement's plan must use it."""

from __future__ import annotations

import pytest
from django.db import connection

from lantoa.contests.ranking import parse_order, ranked_select
from lantoa.contests.tests.results_data import entry, past_round, person

pytestmark = pytest.mark.django_db

INDEX = "contests_attempt_close"


def _sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the index is SQLite's only (PostgreSQL sorts a sequential read)")


def test_the_close_index_exists_on_sqlite():
    _sqlite_only()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [INDEX])
        found = cursor.fetchone()
    assert found is not None, "rebuilding contests_attempt dropped the close index: create it again"
    assert "WHERE submitted_at IS NOT NULL" in found[0]


def test_closing_reads_the_attempts_from_the_index_alone(tree):
    _sqlite_only()
    round_ = past_round(tree.province, attempts_allowed=0)
    an = person(round_, tree.commune_a1, "An")
    entry(round_, an, score=2)
    sql, params = ranked_select(round_.pk, parse_order(round_.ranking_order), 10)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert f"USING COVERING INDEX {INDEX}" in plan, plan
