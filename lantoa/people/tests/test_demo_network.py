"""The demo's outreach network gives the figures the province reported for July 2022."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import transaction

from lantoa.accounts.models import User
from lantoa.demo import build as demo
from lantoa.org.models import RestructuringEvent, Succession, Unit
from lantoa.org.rollup import indicator_values
from lantoa.org.selectors import unit_parent, valid_on
from lantoa.people import demo as network
from lantoa.people.models import GroupEvent, GroupMembership, NetworkGroup, Person, RoleAssignment
from lantoa.people.selectors import coverage

pytestmark = pytest.mark.django_db

JULY_2022 = {"start": dt.date(2022, 7, 1), "end": dt.date(2022, 7, 31)}
REPORTED = {
    "outreach_boards": 152,
    "outreach_teams": 1_536,
    "outreach_commune_cadres": 1_707,
    "village_propagandists": 4_068,
}


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[demo.DemoResult]:  # type: ignore[no-untyped-def]
    """The demo, built once for the module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = demo.demo_build()
        yield result
        transaction.set_rollback(True)


def values(**options: object) -> dict[str, object]:
    province = Unit.objects.get(code=demo.PROVINCE_CODE)
    results = indicator_values(unit=province, codes=list(REPORTED), **JULY_2022, **options)  # type: ignore[arg-type]
    return {result.indicator.code: result.value for result in results}


def test_july_2022_figures_come_from_the_records(built):
    assert values() == REPORTED
    # The same records, read in later trees: boards and roles followed their units.
    assert values(structure="as_of", as_of=dt.date(2024, 12, 31)) == REPORTED
    assert values(structure="current") == REPORTED


def test_the_values_api_gives_the_same_figures(built, client_for):
    client = client_for(User.objects.get(username="admin"))
    params = {"unit": "VN10", "start": "2022-07-01", "end": "2022-07-31", "indicator": list(REPORTED)}
    for structure in ("historical", "current"):
        body = client.get("/api/v1/indicators/values", {**params, "structure": structure}).json()
        assert {item["code"]: item["value"] for item in body["items"]} == REPORTED


def test_ta_chai_merges_into_bac_ha_on_1_november_2024(built):
    ta_chai = Unit.objects.get(code=demo.TA_CHAI[0])
    assert ta_chai.opened_on == dt.date(2020, 1, 1)
    assert ta_chai.closed_on == dt.date(2024, 11, 1)
    assert not ta_chai.areas.exists()
    succession = Succession.objects.select_related("event", "successor").get(predecessor=ta_chai)
    assert succession.successor.code == "VN10-085-02839"
    assert succession.is_default
    assert succession.event.kind == RestructuringEvent.Kind.MERGE
    assert succession.event.legal_basis == "Nghị quyết số 1197/NQ-UBTVQH15"
    # Its villages moved to the township; its board merged into the township's board.
    cell = Unit.objects.filter(code__startswith=ta_chai.code + "-C").first()
    assert unit_parent(cell, as_of=dt.date(2022, 7, 1)) == ta_chai
    assert unit_parent(cell, as_of=dt.date(2024, 11, 1)) == succession.successor
    board = NetworkGroup.objects.get(unit=ta_chai, kind__code="outreach_board")
    assert board.valid_to == dt.date(2024, 11, 1)
    merged = GroupEvent.objects.get(group=board, kind=GroupEvent.Kind.MERGED)
    assert merged.other.unit == succession.successor
    assert not RoleAssignment.objects.filter(valid_on(dt.date(2024, 11, 1)), unit=ta_chai).exists()
    cadres = set(GroupMembership.objects.filter(group=board).values_list("person_id", flat=True))
    assert cadres <= set(
        RoleAssignment.objects.filter(
            valid_on(dt.date(2024, 11, 1)), unit=succession.successor, role__code="outreach_cadre"
        ).values_list("person_id", flat=True)
    )


def test_coverage_shows_villages_without_a_team(built):
    province = Unit.objects.get(code=demo.PROVINCE_CODE)
    july = coverage(province, on=dt.date(2022, 7, 1))
    assert july.total.communes == july.total.communes_with_board == 152
    assert july.total.villages_with_team == 1_536
    assert july.total.villages > july.total.villages_with_team
    assert july.villages_without_team
    assert july.total.propagandists == 4_068


def test_one_board_per_commune_after_the_2025_arrangement(built):
    day = dt.date(2025, 7, 1)
    boards = NetworkGroup.objects.filter(valid_on(day), kind__code="outreach_board").select_related("unit")
    per_unit = Counter(board.unit_id for board in boards)
    assert per_unit and max(per_unit.values()) == 1
    assert all(board.unit.closed_on is None for board in boards)
    bac_ha = NetworkGroup.objects.get(valid_on(day), unit__code="VN10-25-02839")
    assert bac_ha.name == "Ban tuyên vận xã Bắc Hà"
    absorbed = GroupEvent.objects.filter(group=bac_ha, kind=GroupEvent.Kind.ABSORBED).count()
    assert absorbed == Succession.objects.filter(successor=bac_ha.unit).count()
    assert GroupMembership.objects.filter(valid_on(day), group=bac_ha, is_leader=True).count() == 1
    # Home units follow closed units: the province roster finds every cadre.
    assert not Person.objects.filter(home_unit__closed_on__isnull=False, anonymised_at__isnull=True).exists()


def test_recent_activities_in_todays_structure(built):
    province = Unit.objects.get(code=demo.PROVINCE_CODE)
    results = indicator_values(
        unit=province,
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 10, 31),
        codes=["outreach_activities", "people_reached", "outreach_boards"],
        structure="current",
    )
    activities, reached, boards = (result.value for result in results)
    assert activities > 0 and reached > activities
    assert boards == NetworkGroup.objects.filter(valid_on(dt.date(2026, 10, 31)), kind__code="outreach_board").count()
    assert boards < network.BOARDS  # the 2025 arrangement merged them
