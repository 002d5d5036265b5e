"""The dashboard costs the same number of queries for 3 children or 30 (and 2 siblings or 29),
over a month or a year, in the historical structure and in today's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.meetings.models import Category
from lantoa.meetings.services import Headcount, attendance_record
from lantoa.meetings.tests.factories import make_conference
from lantoa.org.models import Unit
from lantoa.org.restructuring import event_apply
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db


def _province_with(children: int) -> str:
    """A province with ``children`` districts, each with a commune that held a relayed
    conference in 2021; the first two communes merged in 2022 (so successions are read)."""
    province = make_unit(kind="provincial_committee", code=f"Q{children}")
    communes = []
    for index in range(children):
        district = make_unit(kind="district_committee", parent=province, code=f"Q{children}-{index}")
        communes.append(make_unit(kind="commune_committee", parent=district, code=f"Q{children}-{index}-1"))
    for month, commune in enumerate(communes, start=1):
        conference = make_conference(province, sites=[commune], day=dt.date(2021, 1 + month % 12, 10))
        for point in conference.points.all():
            attendance_record(by=None, point=point, counts=Headcount(present={Category.PARTY_MEMBERS: 7}))
    event_apply(
        by=None,
        kind="merge",
        effective_on=dt.date(2022, 1, 1),
        payload={"predecessors": [communes[1].code], "into": communes[0].code},
    )
    return province.code


def _queries(client_for, province: str, unit: str, **params: str) -> int:  # type: ignore[no-untyped-def]
    client = client_for(make_user(role="manager", unit=Unit.objects.get(code=province)))
    url = reverse("reports:dashboard")
    client.get(url, {"unit": unit, **params})  # warm the caches of the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"unit": unit, **params})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.children or board.siblings, "the page lists other units"
    return len(captured)


@pytest.mark.parametrize("structure", ["historical", "current"])
def test_the_dashboard_costs_the_same_for_3_or_30_children_and_any_period(client_for, structure):
    small, large = _province_with(3), _province_with(30)
    year = {"start": "2021-01-01", "end": "2021-12-31", "structure": structure}
    month = {"start": "2021-03-01", "end": "2021-03-31", "structure": structure}
    # The province: children and no parent.
    children = {
        "3 children, a year": _queries(client_for, small, small, **year),
        "30 children, a year": _queries(client_for, large, large, **year),
        "30 children, a month": _queries(client_for, large, large, **month),
    }
    assert len(set(children.values())) == 1, children
    # A district: a parent, its siblings, and a commune under it.
    siblings = {
        "2 siblings, a year": _queries(client_for, small, f"{small}-2", **year),
        "29 siblings, a year": _queries(client_for, large, f"{large}-2", **year),
        "29 siblings, a month": _queries(client_for, large, f"{large}-2", **month),
    }
    assert len(set(siblings.values())) == 1, siblings


@pytest.mark.parametrize("structure", ["historical", "current"])
def test_the_api_costs_the_same_for_3_or_30_children(client_for, structure):
    counts = {}
    for children in (3, 30):
        code = _province_with(children)
        client = client_for(make_user(role="manager", unit=Unit.objects.get(code=code)))
        params = {"unit": code, "start": "2021-01-01", "end": "2021-12-31", "structure": structure}
        client.get("/api/v1/reports/dashboard", params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/reports/dashboard", params).status_code == 200
        counts[children] = len(captured)
    assert counts[3] == counts[30], counts


def test_a_chart_shows_the_largest_units_and_says_how_many_have_data(client_for):
    code = _province_with(30)
    client = client_for(make_user(role="manager", unit=Unit.objects.get(code=code)))

    response = client.get(reverse("reports:dashboard"), {"unit": code, "start": "2021-01-01", "end": "2021-12-31"})

    charts = {column.code: (chart, count) for column, chart, count in response.context["charts"]}
    chart, count = charts["conference_attendances"]
    assert count == 30 and len(chart.bars) == 15
    assert "15" in response.content.decode() and "30" in response.content.decode()
