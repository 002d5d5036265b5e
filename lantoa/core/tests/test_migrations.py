"""Migrations that change data: what they do to rows written before them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lantoa.core.models import DataValue
from lantoa.core.services import period_ensure

BEFORE_RANGE = [("core", "0002_periods_and_reported_figures")]
WITH_RANGE = [("core", "0003_reported_figures_within_range")]


def _migrate(target):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.fixture
def latest_migrations_after():  # type: ignore[no-untyped-def]
    """Going back to an old migration of core also unapplies the other apps' migrations that
    depend on a later one (their tables are dropped): every app is migrated forward again after
    the test, so the tests that follow on the same database find every table."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    _migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_figures_out_of_range_are_set_aside_not_lost_before_the_range_is_checked(tree, latest_migrations_after):
    period = period_ensure(kind="year", start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    _migrate(BEFORE_RANGE)
    try:
        table = DataValue._meta.db_table
        with connection.cursor() as cursor:
            for indicator, unit, value in [
                ("population", tree.commune_a1, "10000000000000"),
                ("party_members", tree.commune_a1, "-5"),
                ("population", tree.commune_b1, "1200"),
            ]:
                cursor.execute(
                    f"INSERT INTO {table} (indicator, unit_id, period_id, value, source, created_at) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s, '', %s)",
                    [
                        indicator,
                        unit.pk,
                        period.pk,
                        value,
                        connection.ops.adapt_datetimefield_value(dt.datetime.now(dt.UTC)),
                    ],
                )
    finally:
        _migrate(WITH_RANGE)
    rows = {(row.indicator, row.unit_id): row for row in DataValue.objects.all()}
    huge = rows[("population", tree.commune_a1.pk)]
    negative = rows[("party_members", tree.commune_a1.pk)]
    for row in (huge, negative):
        assert row.superseded_at is not None and row.value == 0
    assert huge.source.startswith("out of range, was 10000000000000")
    assert negative.source.startswith("out of range, was -5")
    kept = rows[("population", tree.commune_b1.pk)]
    assert kept.value == Decimal(1200) and kept.superseded_at is None and kept.source == ""
