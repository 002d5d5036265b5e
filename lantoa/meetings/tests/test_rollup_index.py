"""On PostgreSQL, the rollup reads the conference sites from one covering index (migration
``meetings.0004``): every statement it runs over the sites can be answered by the index alone,
for every indicator whose records are sites, in both structures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.core.indicators import all_indicators, get_source
from lantoa.meetings.models import Category
from lantoa.meetings.services import Headcount, attendance_record
from lantoa.meetings.tests.factories import make_conference
from lantoa.org.rollup import rollup
from lantoa.org.tests.factories import make_unit

# VACUUM marks the pages visible, as autovacuum does on a real table: PostgreSQL then prices an
# index-only scan as one (it cannot run in a transaction).
pytestmark = pytest.mark.django_db(transaction=True)

INDEX = "meetings_point_rollup"


def _site_indicators() -> list[str]:
    return [
        indicator.code
        for indicator in all_indicators()
        if indicator.source and get_source(indicator.source).model == "meetings.BridgePoint"
    ]


def _plan(sql: str) -> str:
    """The plan PostgreSQL makes when reading the table itself is priced out of reach."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        try:
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")


@pytest.mark.parametrize("structure", ["historical", "current"])
def test_the_rollup_reads_the_sites_from_the_covering_index_alone(structure):
    if connection.vendor != "postgresql":
        pytest.skip("the covering index is PostgreSQL's (SQLite has no INCLUDE)")
    codes = _site_indicators()
    assert {"online_bridge_points", "conference_attendances"} <= set(codes)
    province = make_unit(kind="provincial_committee", code="IX")
    commune = make_unit(kind="commune_committee", parent=province, code="IX-1")
    conference = make_conference(province, sites=[commune], day=dt.date(2021, 3, 10))
    for point in conference.points.all():
        attendance_record(by=None, point=point, counts=Headcount(present={Category.PARTY_MEMBERS: 7}))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE meetings_bridgepoint")
    seen = []
    connection.force_debug_cursor = True
    try:
        with CaptureQueriesContext(connection) as captured:
            rollup(
                units=[province],
                periods=[(dt.date(2021, 1, 1), dt.date(2021, 12, 31))],
                codes=codes,
                structure=structure,
            )
    finally:
        connection.force_debug_cursor = False
    for query in captured.captured_queries:
        if '"meetings_bridgepoint"' in query["sql"]:
            seen.append(query["sql"])
    assert seen, "the rollup read no site"
    for sql in seen:
        plan = _plan(sql)
        assert f"Index Only Scan using {INDEX}" in plan, plan
        assert "Seq Scan on meetings_bridgepoint" not in plan, plan
