"""The conference figures page: the same figures as the indicator registry, attendance counted
where people sat, and rates that leave out exempt members."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.core.tests.svg import assert_plain_svg_numbers
from lantoa.meetings.models import Category
from lantoa.meetings.selectors import LEVEL_CODES, ROLLUP_CODES
from lantoa.meetings.services import Headcount, attendance_record
from lantoa.meetings.tests.factories import make_conference
from lantoa.org.rollup import indicator_values
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db
XIII = {"start": "2021-03-01", "end": "2022-07-31"}


@pytest.fixture
def relayed(tree):  # type: ignore[no-untyped-def]
    """A province conference relayed to two communes (in districts A and B), with headcounts."""
    conference = make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1])
    counts = {
        tree.province: Headcount(
            present={Category.PARTY_MEMBERS: 80, Category.CADRES: 20}, members_summoned=90, summoned=110
        ),
        tree.commune_a1: Headcount(
            present={Category.PARTY_MEMBERS: 40, Category.NON_MEMBERS: 15},
            members_summoned=50,
            members_exempt=5,
            summoned=60,
        ),
        tree.commune_b1: Headcount(present={Category.PARTY_MEMBERS: 25, Category.STUDENTS: 5}),
    }
    for unit, headcount in counts.items():
        attendance_record(by=None, point=conference.points.get(unit=unit), counts=headcount)
    return conference


def _row(html: str, code: str) -> str:
    found = re.search(rf'data-unit="{re.escape(code)}">(.*?)</tr>', html, re.S)
    assert found, code
    return found.group(1)


def _cell(row_html: str, code: str) -> str:
    found = re.search(rf'data-code="{code}">(.*?)</td>', row_html, re.S)
    assert found, code
    return found.group(1).strip()


def test_a_relayed_conference_counts_once_with_attendance_where_people_sat(tree, admin_user, client_for, relayed):
    response = client_for(admin_user).get(reverse("meetings:rollup"), {"unit": tree.province.code, **XIII})
    assert response.status_code == 200
    total = {cell["code"]: cell["value"] for cell in response.context["total"]}
    assert total["conferences_held"] == 1
    assert total["online_bridge_points"] == 2
    assert total["conference_attendances"] == 100 + 55 + 30
    html = response.content.decode()
    footer = re.search(r'data-testid="rollup-total">(.*?)</tr>', html, re.S)
    assert footer and _cell(footer.group(1), "conference_attendances") == "185"
    # The communes' attendance belongs to their districts; the province's own site to no child.
    district_a, district_b = _row(html, tree.district_a.code), _row(html, tree.district_b.code)
    assert _cell(district_a, "conference_attendances") == "55" and _cell(district_b, "conference_attendances") == "30"
    assert _cell(district_a, "conferences_held") == "0" and _cell(district_a, "online_bridge_points") == "1"
    assert _cell(_row(html, tree.bloc.code), "conference_attendances") == "0"
    levels = {level["label"]: level["value"] for level in response.context["levels"]}
    assert sum(levels.values()) == 2
    assert 'data-testid="bar-chart"' in html and tree.district_a.name in html
    assert 'data-testid="rollup-note"' in html and "/api/v1/indicators/values" in html


def test_member_rate_leaves_out_exempt_members(tree, admin_user, client_for, relayed):
    html = client_for(admin_user).get(reverse("meetings:rollup"), {"unit": tree.province.code, **XIII}).content.decode()
    # Commune A1: 40 present of 50 summoned, 5 of them exempt → 40 / 45.
    assert _cell(_row(html, tree.district_a.code), "member_attendance_rate") in {"88,9%", "88.9%"}
    # Commune B1 reported nobody summoned: no rate rather than a made-up one.
    assert "–" in _cell(_row(html, tree.district_b.code), "member_attendance_rate")


def _expected(unit, codes, structure):  # type: ignore[no-untyped-def]
    found = indicator_values(
        unit=unit, start=dt.date(2021, 3, 1), end=dt.date(2022, 7, 31), codes=codes, structure=structure
    )
    return {item.indicator.code: item.value for item in found}


def test_figures_equal_the_indicator_registry(tree, admin_user, client_for, relayed):
    make_conference(tree.district_a, sites=[tree.commune_a1], day=dt.date(2022, 2, 14), title="Hội nghị huyện A")
    for structure in ("historical", "current"):
        response = client_for(admin_user).get(
            reverse("meetings:rollup"), {"unit": tree.province.code, "structure": structure, **XIII}
        )
        context = response.context
        assert {c["code"]: c["value"] for c in context["total"]} == _expected(tree.province, ROLLUP_CODES, structure)
        for row in context["rows"]:
            assert {c["code"]: c["value"] for c in row["cells"]} == _expected(row["unit"], ROLLUP_CODES, structure)
        level_values = [level["value"] for level in context["levels"]]
        assert level_values == [v or 0 for v in _expected(tree.province, LEVEL_CODES, structure).values()]
    row = next(row for row in context["rows"] if row["unit"] == tree.district_a)
    district = {c["code"]: c["value"] for c in row["cells"]}
    assert district["conferences_held"] == 1  # district A's own conference
    assert district["member_attendance_rate"] == Decimal("88.89")


def test_period_outside_shows_nothing_and_presets_are_offered(tree, admin_user, client_for, relayed):
    response = client_for(admin_user).get(
        reverse("meetings:rollup"), {"unit": tree.province.code, "start": "2023-01-01", "end": "2023-12-31"}
    )
    assert {c["code"]: c["value"] for c in response.context["total"]}["conference_attendances"] == 0
    html = response.content.decode()
    assert "start=2021-03-01&amp;end=2022-07-31" in html  # the XIII Congress study period


def test_defaults_fragment_and_bad_dates(tree, admin_user, client_for):
    client = client_for(admin_user)
    response = client.get(reverse("meetings:rollup"))
    assert response.status_code == 200
    assert response.context["unit"] == tree.province
    assert response.context["start"] == dt.date(response.context["start"].year, 1, 1)
    fragment = client.get(reverse("meetings:rollup"), {"unit": tree.province.code}, headers={"HX-Request": "true"})
    assert fragment.content.decode().startswith('<div id="rollup-results"')
    backwards = client.get(
        reverse("meetings:rollup"), {"unit": tree.province.code, "start": "2022-01-01", "end": "2021-01-01"}
    )
    assert backwards.status_code == 200
    assert client.get(reverse("meetings:rollup"), {"start": "31/02/2022"}).status_code == 200


def test_rollup_gate(tree, officer_a, client_for):
    client = client_for(officer_a)
    assert client.get(reverse("meetings:rollup"), {"unit": tree.province.code}).status_code == 404
    assert client.get(reverse("meetings:rollup"), {"unit": tree.commune_b1.code}).status_code == 404
    assert client.get(reverse("meetings:rollup"), {"unit": tree.commune_a1.code}).status_code == 200
    inspector = make_user(role="inspector", unit=tree.district_a, username="thanh_tra")
    assert client_for(inspector).get(reverse("meetings:rollup"), {"unit": tree.district_a.code}).status_code == 200


def test_rollup_page_charts_attendances_by_month(tree, admin_user, client_for):
    from lantoa.meetings.services import Headcount, attendance_record
    from lantoa.meetings.tests.factories import make_conference

    may = make_conference(tree.province, day=dt.date(2021, 5, 10))
    attendance_record(by=None, point=may.points.get(), counts=Headcount(present={"party_members": 30}))
    july = make_conference(tree.province, day=dt.date(2021, 7, 2), format="in_person")
    attendance_record(by=None, point=july.points.get(), counts=Headcount(present={"party_members": 12}))
    page = client_for(admin_user).get(
        reverse("meetings:rollup"), {"unit": "P", "start": "2021-05-01", "end": "2021-07-31"}
    )
    months = page.context["month_chart"].bars
    assert [bar.value for bar in months] == [30.0, 0.0, 12.0]
    assert 'data-testid="rollup-months"' in page.content.decode()


# --- Charts with large numbers, in both languages ----------------------------------------------


@pytest.fixture
def crowded(tree):  # type: ignore[no-untyped-def]
    """A province conference with thousands at every site: district A's three sites hold
    10,772 people, and 34 more districts each relay it, so the by-unit chart is 37 bars tall
    (more than 1,000 units of height)."""
    extra = [make_unit(kind="district_committee", parent=tree.province, code=f"P-X{n:02d}") for n in range(34)]
    sites = [tree.district_a, tree.commune_a1, tree.cell_a1, tree.commune_b1, tree.agency_cell, *extra]
    conference = make_conference(tree.province, sites=sites)
    counts = {tree.district_a: 4321, tree.commune_a1: 3456, tree.cell_a1: 2995, tree.commune_b1: 2772}
    counts |= {tree.agency_cell: 1234, **{unit: 1000 + 37 * n for n, unit in enumerate(extra)}}
    for unit, present in counts.items():
        point = conference.points.get(unit=unit)
        attendance_record(by=None, point=point, counts=Headcount(present={Category.PARTY_MEMBERS: present}))
    return conference


@pytest.mark.parametrize(("language", "grouped"), [("vi", "10.772"), ("en", "10,772")])
def test_rollup_charts_write_svg_numbers_without_separators(tree, admin_user, client_for, crowded, language, grouped):
    admin_user.language = language
    admin_user.save(update_fields=["language"])
    response = client_for(admin_user).get(reverse("meetings:rollup"), {"unit": tree.province.code, **XIII})

    assert response.status_code == 200
    html = response.content.decode()
    # The page is in the reader's language: the figures printed as text are grouped.
    assert f'<html lang="{language}">' in html
    assert _cell(_row(html, tree.district_a.code), "conference_attendances") == grouped
    chart = response.context["chart"]
    assert len(chart.bars) == 37 and chart.height >= 1000
    assert max(bar.value for bar in chart.bars) == 10_772
    numbers = assert_plain_svg_numbers(html)
    assert str(chart.height) in numbers  # the viewBox, as SVG reads it
    assert any(float(number) >= 1000 for number in numbers)
    assert f"{tree.district_a.name}: {grouped}" in html  # the bar's title, text in the reader's language
