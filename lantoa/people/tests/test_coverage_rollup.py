"""The coverage page against the batched rollup: the columns that mean what an indicator means
equal its value for the same units, on the page's day and in the page's tree; the columns that
mean something else keep the page's meaning, and these tests show where they part. The page,
its API and its selector cost the same number of queries for 3 children or 30."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.org.models import Unit
from lantoa.org.restructuring import event_apply
from lantoa.org.rollup import rollup
from lantoa.org.tests.factories import make_unit
from lantoa.people.models import NetworkGroup, RoleAssignment
from lantoa.people.selectors import Coverage, CoverageRow, coverage
from lantoa.people.services import group_member_add
from lantoa.people.tests.factories import group_kind, make_group, make_person, make_role, role_kind

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 6, 30)
PERIOD = (DAY, DAY)
FIRST = dt.date(2021, 1, 1)
MERGED_ON = dt.date(2023, 1, 1)
CODES = ["reporters", "village_propagandists", "outreach_boards", "outreach_teams", "units_commune", "units_village"]
# The page reads the tree of its day: the rollup of a period ending that day, in the tree of
# each record's day (historical) or of that day.
STRUCTURES = [{"structure": "historical"}, {"structure": "as_of", "as_of": DAY}]


def _figures(result: Coverage, **structure: Any) -> dict[int, dict[str, Any]]:
    """The rollup's values, on the page's day, for the page's unit and each of its children."""
    units = [result.unit, *(row.unit for row in result.rows)]
    table = rollup(units=units, periods=[PERIOD], codes=CODES, with_coverage=False, **structure)
    return {unit.pk: table.values(unit, PERIOD, CODES) for unit in units}


def _itself(row: CoverageRow, tier: str) -> int:
    """1 when the row's own unit is of ``tier`` (the page counts it; an indicator of the units
    below a unit does not)."""
    return 1 if row.unit.kind.tier.code == tier else 0


# --- Demo-like networks ---------------------------------------------------------------------


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _demo_like(seed: int) -> tuple[Unit, list[Unit]]:
    """A province shaped like the demo's, its network drawn from ``seed``: territorial districts
    of communes and villages, a bloc of grassroots organisations (one with a party cell), a
    commission; a board in most communes and a team in many villages, whose members are the
    village's propagandists; reporters at every tier, each a person of their own, some gone by
    the day; groups and roles formed before or after the day; two communes merged before the
    day, the closing one's board and roles carried to the one that continues."""
    rng = random.Random(seed)
    province = make_unit(kind="provincial_committee", code=f"S{seed}")
    commission = make_unit(kind="commission", parent=province)
    bloc = make_unit(kind="bloc_committee", parent=province)
    grassroots = [make_unit(kind="grassroots_committee", parent=bloc) for _ in range(rng.randint(1, 3))]
    districts = [
        make_unit(kind=rng.choice(["district_committee", "town_committee"]), parent=province)
        for _ in range(rng.randint(2, 4))
    ]
    communes = [make_unit(kind="commune_committee", parent=districts[0]) for _ in range(2)]
    communes += [
        make_unit(kind=rng.choice(["commune_committee", "ward_committee"]), parent=district)
        for district in districts
        for _ in range(rng.randint(1, 3))
    ]
    # communes[1] merges into communes[0]: their boards (and the closing one's reporters) are
    # recorded before the merger, as they would have been; a board recorded afterwards with an
    # earlier date would leave the continuing commune with two.
    closing = communes[1]
    villages = [make_unit(kind="party_cell", parent=commune) for commune in communes for _ in range(rng.randint(1, 4))]
    villages.append(make_unit(kind="party_cell", parent=grassroots[0]))
    later = DAY + dt.timedelta(days=60)

    for commune in communes:
        if rng.random() < 0.85:
            formed = _day(rng, FIRST, MERGED_ON - dt.timedelta(days=1) if commune in communes[:2] else later)
            board = make_group("outreach_board", commune, valid_from=formed)
            group_member_add(by=None, group=board, person=make_person(home_unit=commune), valid_from=formed)
    for village in villages:
        if rng.random() < 0.7:
            team = make_group("outreach_team", village, valid_from=_day(rng, FIRST, later))
            for _member in range(rng.randint(1, 5)):
                group_member_add(
                    by=None,
                    group=team,
                    person=make_person(home_unit=village),
                    valid_from=_day(rng, team.valid_from, later),
                )
    holders = [province] * rng.randint(2, 3) + [commission, bloc]
    holders += [unit for unit in districts for _ in range(rng.randint(1, 3))]
    holders += [unit for unit in grassroots if rng.random() < 0.5]
    holders += [unit for unit in communes if rng.random() < 0.4 or unit == closing]
    for unit in holders:
        start = _day(rng, FIRST, MERGED_ON - dt.timedelta(days=1) if unit == closing else later)
        end = start + dt.timedelta(days=rng.randint(30, 900)) if rng.random() < 0.2 else None
        make_role(make_person(home_unit=unit), "reporter", unit, valid_from=start, valid_to=end)

    event_apply(
        by=None,
        kind="merge",
        effective_on=MERGED_ON,
        payload={"predecessors": [closing.code], "into": communes[0].code},
    )
    return province, grassroots


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_coverage_columns_equal_the_rollup_for_the_same_units_on_a_demo_like_network(seed):
    province, grassroots = _demo_like(seed)
    result = coverage(province, on=DAY)
    assert result.total.villages_with_team and result.total.reporters, "the network is not empty"
    for structure in STRUCTURES:
        figures = _figures(result, **structure)
        for row in [result.total, *result.rows]:
            values = figures[row.unit.pk]
            where = f"{row.unit.code} {structure}"
            # Distinct persons: every reporter here holds one role, and each propagandist
            # serves one village (as in the demo).
            assert row.reporters == values["reporters"], where
            assert row.propagandists == values["village_propagandists"], where
            # One board per territorial commune, one team per village (as the services keep it).
            assert row.communes_with_board == values["outreach_boards"], where
            assert row.villages_with_team == values["outreach_teams"], where
            assert row.villages == values["units_village"] + _itself(row, "village"), where
            # The page's communes are territorial; the indicator counts every commune-tier unit.
            below = len(grassroots) if row.unit.kind.code in ("provincial_committee", "bloc_committee") else 0
            assert row.communes == values["units_commune"] - below + _itself(row, "commune"), where


def test_a_communes_page_counts_each_village_row_as_one_village(tree):
    cell = make_unit(kind="party_cell", parent=tree.commune_a1)
    make_group("outreach_team", cell)
    result = coverage(tree.commune_a1, on=DAY)
    figures = _figures(result, structure="historical")
    rows = {row.unit.pk: row for row in result.rows}
    assert set(rows) == {tree.cell_a1.pk, cell.pk}
    for pk, row in rows.items():
        assert (row.villages, figures[pk]["units_village"]) == (1, 0)
        assert row.villages_with_team == figures[pk]["outreach_teams"] == (1 if pk == cell.pk else 0)
    assert (result.total.villages, figures[tree.commune_a1.pk]["units_village"]) == (2, 2)


# --- Where a column means something else ------------------------------------------------------


def _rows(result: Coverage) -> dict[str, CoverageRow]:
    return {row.unit.code: row for row in result.rows}


def test_a_commune_with_two_boards_is_one_commune_with_a_board(tree):
    make_group("outreach_board", tree.commune_a1)
    # A second board left open by an import (the services refuse one): two boards, one commune.
    NetworkGroup.objects.create(
        kind=group_kind("outreach_board"), unit=tree.commune_a1, name="Ban tuyên vận (trùng)", valid_from=FIRST
    )
    result = coverage(tree.province, on=DAY)
    figures = _figures(result, structure="historical")
    assert _rows(result)["P-A"].communes_with_board == 1
    assert figures[tree.district_a.pk]["outreach_boards"] == 2
    assert (result.total.communes, result.total.communes_with_board) == (2, 1)


def test_a_grassroots_organisation_is_no_commune_of_the_page_but_a_commune_tier_unit(tree):
    make_group("outreach_board", tree.agency_cell)  # a commune-tier unit: the services allow it
    result = coverage(tree.province, on=DAY)
    figures = _figures(result, structure="historical")
    bloc = _rows(result)["P-K"]
    assert (bloc.communes, bloc.communes_with_board) == (0, 0)
    assert figures[tree.bloc.pk]["units_commune"] == figures[tree.bloc.pk]["outreach_boards"] == 1
    assert (result.total.communes, figures[tree.province.pk]["units_commune"]) == (2, 3)


def test_a_person_in_two_villages_or_two_units_counts_in_each_on_a_row(tree):
    second_cell = make_unit(kind="party_cell", parent=tree.commune_a1)
    propagandist = make_person(home_unit=tree.commune_a1)
    for cell in (tree.cell_a1, second_cell):
        make_role(propagandist, "propagandist", cell)
    reporter = make_person(home_unit=tree.district_a)
    for unit in (tree.district_a, tree.commune_a1):
        make_role(reporter, "reporter", unit)
    result = coverage(tree.province, on=DAY)
    figures = _figures(result, structure="historical")
    district = _rows(result)["P-A"]
    assert (district.propagandists, figures[tree.district_a.pk]["village_propagandists"]) == (2, 1)
    assert (district.reporters, figures[tree.district_a.pk]["reporters"]) == (2, 1)
    assert dict(result.propagandist_distribution)["1"] == 2
    # The total's reporters are distinct persons, as the indicator's; its propagandists are not.
    assert result.total.reporters == figures[tree.province.pk]["reporters"] == 1
    assert (result.total.propagandists, figures[tree.province.pk]["village_propagandists"]) == (2, 1)


def test_a_person_whose_two_villages_merged_is_one_propagandist_of_the_village(tree):
    second_cell = make_unit(kind="party_cell", parent=tree.commune_a1)
    person = make_person(home_unit=tree.commune_a1)
    for cell in (tree.cell_a1, second_cell):
        make_role(person, "propagandist", cell)
    event_apply(
        by=None,
        kind="merge",
        effective_on=MERGED_ON,
        payload={"predecessors": [second_cell.code], "into": tree.cell_a1.code},
    )
    held = RoleAssignment.objects.filter(person=person, unit=tree.cell_a1, role=role_kind("propagandist"))
    assert held.filter(valid_to__isnull=True).count() == 2, "the role held and the role carried over"
    result = coverage(tree.commune_a1, on=DAY)
    figures = _figures(result, structure="historical")
    assert result.total.propagandists == figures[tree.commune_a1.pk]["village_propagandists"] == 1
    assert dict(result.propagandist_distribution)["1"] == 1


# --- Cost -----------------------------------------------------------------------------------


def _province_with(children: int) -> Unit:
    """A province with ``children`` districts, each with a commune (with a board but for the
    first), two villages (a team of two in the first), and reporters in the district and the
    commune."""
    province = make_unit(kind="provincial_committee", code=f"Q{children}")
    for index in range(children):
        district = make_unit(kind="district_committee", parent=province, code=f"Q{children}-{index}")
        commune = make_unit(kind="commune_committee", parent=district, code=f"Q{children}-{index}-1")
        cells = [make_unit(kind="party_cell", parent=commune, code=f"Q{children}-{index}-1-{n}") for n in (1, 2)]
        if index:
            make_group("outreach_board", commune)
        team = make_group("outreach_team", cells[0])
        for _member in range(2):
            group_member_add(by=None, group=team, person=make_person(home_unit=cells[0]), valid_from=FIRST)
        for unit in (district, commune):
            make_role(make_person(home_unit=unit), "reporter", unit)
    return province


def _costs(client_for: Any, province: Unit) -> dict[str, int]:
    client = client_for(make_user(role="manager", unit=province))
    requests = {
        "page": lambda: client.get(reverse("people:coverage", args=[province.code]), {"on": DAY.isoformat()}),
        "api": lambda: client.get("/api/v1/people/coverage", {"unit": province.code, "on": DAY.isoformat()}),
    }
    costs = {}
    for name, send in requests.items():
        send()  # warm the caches of the first request
        with CaptureQueriesContext(connection) as captured:
            assert send().status_code == 200
        costs[name] = len(captured)
    with CaptureQueriesContext(connection) as captured:
        found = coverage(province, on=DAY)
    costs["selector"] = len(captured)
    assert found.total.villages_with_team == len(found.rows)
    return costs


def test_the_coverage_page_costs_the_same_for_3_or_30_children(client_for):
    small, large = _costs(client_for, _province_with(3)), _costs(client_for, _province_with(30))
    assert small == large, (small, large)
    # The tree (units, then the children and where each unit sits), the open groups, the roles.
    assert small["selector"] <= 5, small
