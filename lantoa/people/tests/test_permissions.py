"""The gates of the outreach network, where a page and the API must answer alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.people.models import RoleAssignment
from lantoa.people.permissions import access_role_to_end
from lantoa.people.tests.factories import make_person, make_role

pytestmark = pytest.mark.django_db

END_ON = dt.date(2024, 7, 1)


def _page_offers_end(client: Any, role: RoleAssignment) -> bool:
    """Does the person's page show the form that ends ``role``?"""
    page = client.get(reverse("people:person_detail", args=[role.person_id]))
    if page.status_code == 404:
        return False
    assert page.status_code == 200
    return reverse("people:role_end", args=[role.pk]) in page.content.decode()


def _ended_through(client: Any, role: RoleAssignment, *, api: bool) -> bool:
    """Did posting the end of ``role`` (by the page's form or the API) end it? Rolled back after."""
    with transaction.atomic():
        if api:
            response = client.post(
                f"/api/v1/people/roles/{role.pk}/end", {"on": END_ON.isoformat()}, content_type="application/json"
            )
            assert response.status_code in (200, 403, 404), response.content
        else:
            response = client.post(reverse("people:role_end", args=[role.pk]), {"on": END_ON.isoformat()})
            assert response.status_code in (302, 403, 404), response.content
        ended = RoleAssignment.objects.get(pk=role.pk).valid_to == END_ON
        transaction.set_rollback(True)
    return ended


def test_the_person_page_and_the_api_agree_on_who_may_end_a_role(tree, client_for, officer_a, inspector):
    """The page offers to end a role exactly when its form and the API end it: one gate answers both."""
    person = make_person(home_unit=tree.commune_a1, family_name="Lò", given_name="An")
    held_here = make_role(person, "reporter", tree.commune_a1)
    held_there = make_role(person, "propagandist", tree.commune_b1)
    users = {
        "officer of the home commune": officer_a,
        "officer of the other commune": make_user(role="officer", unit=tree.commune_b1, username="officer_b"),
        "officer of the district": make_user(role="officer", unit=tree.district_a, username="officer_d"),
        "viewer of the home commune": make_user(role="viewer", unit=tree.commune_a1, username="viewer_a"),
        "manager of the province": make_user(role="manager", unit=tree.province, username="manager"),
        "inspector of the province": inspector,
    }
    answers = {}
    for name, user in users.items():
        client = client_for(user)
        for role in (held_here, held_there):
            page = _page_offers_end(client, role)
            by_form = _ended_through(client, role, api=False)
            by_api = _ended_through(client, role, api=True)
            assert page == by_form == by_api, (name, role.role.code, page, by_form, by_api)
            answers[(name, role.unit.code)] = by_api

    # Those who record the work of the unit where the role is held, and nobody else.
    assert answers == {
        ("officer of the home commune", "P-A-1"): True,
        ("officer of the home commune", "P-B-1"): False,
        ("officer of the other commune", "P-A-1"): False,
        ("officer of the other commune", "P-B-1"): True,
        ("officer of the district", "P-A-1"): True,
        ("officer of the district", "P-B-1"): False,
        ("viewer of the home commune", "P-A-1"): False,
        ("viewer of the home commune", "P-B-1"): False,
        ("manager of the province", "P-A-1"): True,
        ("manager of the province", "P-B-1"): True,
        ("inspector of the province", "P-A-1"): False,
        ("inspector of the province", "P-B-1"): False,
    }


def test_the_gate_of_ending_a_role_answers_not_found_out_of_scope_and_forbidden_in_scope(tree, officer_a):
    from lantoa.core.errors import NotFound, PermissionDenied

    person = make_person(home_unit=tree.commune_a1, given_name="An")
    mine = make_role(person, "reporter", tree.commune_a1)
    theirs = make_role(person, "propagandist", tree.commune_b1)
    stranger = make_role(make_person(home_unit=tree.commune_b1, given_name="Xa"), "reporter", tree.commune_b1)
    viewer = make_user(role="viewer", unit=tree.commune_a1, username="viewer_a")

    assert access_role_to_end(by=officer_a, pk=mine.pk) == mine
    with pytest.raises(PermissionDenied):
        access_role_to_end(by=viewer, pk=mine.pk)
    with pytest.raises(NotFound):
        access_role_to_end(by=officer_a, pk=stranger.pk)
    # A role of a person in scope, held in a unit out of scope, is not theirs to see.
    with pytest.raises(NotFound):
        access_role_to_end(by=officer_a, pk=theirs.pk)
