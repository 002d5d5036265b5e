"""The demo's study conferences give the figures Lào Cai reported for March 2021 – July 2022."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from lantoa.accounts.models import User
from lantoa.demo import build as demo
from lantoa.meetings.models import BridgePoint, Conference, Participant
from lantoa.org.models import Unit
from lantoa.org.rollup import indicator_values

pytestmark = pytest.mark.django_db

STUDY = {"start": "2021-03-01", "end": "2022-07-31"}
REPORTED = {"conferences_held": 688, "online_bridge_points": 577}
OVER = {"conference_attendances": 118_000}


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[demo.DemoResult]:  # type: ignore[no-untyped-def]
    """The demo, built once for the module inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = demo.demo_build()
        yield result
        transaction.set_rollback(True)


def test_the_values_api_gives_the_reported_figures(built, client_for):
    client = client_for(User.objects.get(username="thanhtra"))  # the inspector: aggregates only
    codes = [*REPORTED, *OVER, "member_attendance_rate", "summoned_attendance_rate"]
    for structure in ("historical", "current"):
        body = client.get(
            "/api/v1/indicators/values", {"unit": "VN10", **STUDY, "indicator": codes, "structure": structure}
        ).json()
        got = {item["code"]: item["value"] for item in body["items"]}
        assert {code: got[code] for code in REPORTED} == REPORTED
        assert got["conference_attendances"] > OVER["conference_attendances"]
        assert 80 < float(got["member_attendance_rate"]) < 100
        assert 80 < float(got["summoned_attendance_rate"]) < 100


def test_the_figures_are_spread_over_the_units(built):
    province = Unit.objects.get(code=demo.PROVINCE_CODE)
    bat_xat = Unit.objects.get(code=demo.BAT_XAT_CODE)
    import datetime as dt

    def held(unit: Unit) -> int:
        found = indicator_values(
            unit=unit, start=dt.date(2021, 3, 1), end=dt.date(2022, 7, 31), codes=["conferences_held"]
        )
        return int(found[0].value or 0)

    assert held(province) == 688
    assert 0 < held(bat_xat) < 688
    organisers = Conference.objects.filter(held_on__lte=dt.date(2022, 7, 31)).values("organiser").distinct().count()
    assert organisers > 150  # the province, its committees and the communes


def test_recent_conferences_use_the_2025_structure(built):
    xiv = Conference.objects.get(client_key="demo-xiv")
    sites = BridgePoint.objects.filter(conference=xiv, is_host=False).select_related("unit")
    assert sites.count() > 90
    assert all(site.unit.code.startswith("VN10-25-") or site.unit.closed_on is None for site in sites)
    assert Participant.objects.filter(point__conference=xiv).count() == 30  # one phone scanned twice
    assert Conference.objects.filter(series__isnull=False, status="planned").count() == 1
