"""The conference figures page costs the same number of queries for 3 children or 30, over one
month or a year of months, in the historical structure and in today's."""

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


def _queries(client_for, code: str, **params: str) -> int:  # type: ignore[no-untyped-def]
    client = client_for(make_user(role="manager", unit=Unit.objects.get(code=code)))
    client.get(reverse("meetings:rollup"), {"unit": code, **params})  # warm the caches of the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("meetings:rollup"), {"unit": code, **params})
    assert response.status_code == 200
    assert response.context["rows"], "the page lists the children"
    return len(captured)


@pytest.mark.parametrize("structure", ["historical", "current"])
def test_the_rollup_page_costs_the_same_for_3_or_30_children_and_any_number_of_months(client_for, structure):
    small, large = _province_with(3), _province_with(30)
    year = {"start": "2021-01-01", "end": "2021-12-31", "structure": structure}
    month = {"start": "2021-03-01", "end": "2021-03-31", "structure": structure}
    counts = {
        "3 children, 12 months": _queries(client_for, small, **year),
        "30 children, 12 months": _queries(client_for, large, **year),
        "30 children, 1 month": _queries(client_for, large, **month),
    }
    assert len(set(counts.values())) == 1, counts


def test_the_rollup_page_shows_each_childs_attendances(client_for):
    code = _province_with(3)
    manager = make_user(role="manager", unit=Unit.objects.get(code=code))
    response = client_for(manager).get(
        reverse("meetings:rollup"), {"unit": code, "start": "2021-01-01", "end": "2021-12-31"}
    )
    total = {cell["code"]: cell["value"] for cell in response.context["total"]}
    # Three conferences, each with the host site (7) and one commune site (7).
    assert total["conferences_held"] == 3 and total["conference_attendances"] == 42
    per_child = [
        {cell["code"]: cell["value"] for cell in row["cells"]}["conference_attendances"]
        for row in response.context["rows"]
    ]
    assert sorted(per_child) == [7, 7, 7]
