"""Assignments grant their capabilities only while they are current."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from lantoa.accounts.permissions import units_for
from lantoa.accounts.roles import Capability
from lantoa.accounts.services import api_token_create
from lantoa.accounts.tests.factories import make_user
from lantoa.org.selectors import today

pytestmark = pytest.mark.django_db


def test_expired_assignment_grants_nothing(tree, client_for):
    former = make_user(
        role="officer",
        unit=tree.commune_a1,
        username="former",
        valid_from=dt.date(2020, 1, 1),
        valid_to=today() - dt.timedelta(days=1),
    )
    assert not units_for(former, Capability.VIEW_UNITS).exists()

    client = client_for(former, verified=False)
    tree_page = client.get(reverse("org:tree"))
    assert tree_page.status_code == 200
    assert tree.commune_a1.name not in tree_page.content.decode()
    assert client.get(reverse("org:unit_detail", args=[tree.commune_a1.code])).status_code == 404

    _row, secret = api_token_create(by=None, user=former, name="old")
    response = Client().get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_future_assignment_grants_nothing_yet(tree):
    newcomer = make_user(role="officer", unit=tree.commune_a1, valid_from=today() + dt.timedelta(days=3))
    assert not units_for(newcomer, Capability.VIEW_UNITS).exists()


def test_current_assignment_grants_its_subtree(tree, officer_a):
    codes = set(units_for(officer_a, Capability.VIEW_UNITS).values_list("code", flat=True))
    assert codes == {"P-A-1", "P-A-1-C1"}
