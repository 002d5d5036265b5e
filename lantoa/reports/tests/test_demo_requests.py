"""The demo's data request: sent by the Lào Cai provincial committee to every commune of today's
Lào Cai; some filed, some late, one approved after a correction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.urls import reverse

from lantoa.accounts.models import User
from lantoa.demo import build as demo
from lantoa.org import selectors as org_selectors
from lantoa.org.models import Unit
from lantoa.reports.models import DataRequest
from lantoa.reports.request_selectors import State, request_tracking

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[demo.DemoResult]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        result = demo.demo_build()
        yield result
        transaction.set_rollback(True)


def test_the_request_reaches_every_commune_of_todays_lao_cai(built):
    request = DataRequest.objects.get()
    province = Unit.objects.get(code=demo.PROVINCE_CODE)
    assert request.unit == province
    communes = set(
        org_selectors.unit_subtree(province)
        .filter(kind__tier__code="commune", kind__is_territorial=True)
        .filter(org_selectors.open_on(org_selectors.today()))
        .values_list("pk", flat=True)
    )
    assert set(request.assignments.values_list("unit_id", flat=True)) == communes
    tracking = request_tracking(request)
    assert tracking.counts[State.LATE] > 0 and tracking.counts[State.FILED] > 0
    assert tracking.counts[State.APPROVED] >= 1
    corrected = [row.assignment for row in tracking.rows if row.assignment.current and row.assignment.current.reason]
    assert len(corrected) == 1 and corrected[0].current.number == 2 and corrected[0].status == "approved"


def test_the_demo_commune_officer_finds_the_request_on_the_home_page(built, client_for):
    client = client_for(User.objects.get(username="canbo.xa"))
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert DataRequest.objects.get().title in html
