"""The gates of the outreach network, where a page and the API must answer alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.people.models import GroupMembership, Person, RoleAssignment
from lantoa.people.permissions import access_role_to_end
from lantoa.people.tests.factories import make_group, make_person, make_role

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
            assert response.status_code in (200, 403, 404, 409), response.content
        else:
            response = client.post(reverse("people:role_end", args=[role.pk]), {"on": END_ON.isoformat()})
            assert response.status_code in (302, 403, 404, 409), response.content
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


# --- Each action a page offers, against the form and the endpoint behind it -------------------
# For every user, the page shows an action's button or link exactly when its form and the API
# carry it out: one gate answers the three.

API = "/api/v1/people"


def _users(tree: Any, admin_user: Any, officer_a: Any, inspector: Any) -> dict[str, Any]:
    return {
        "administrator": admin_user,
        "manager of the province": make_user(role="manager", unit=tree.province, username="manager"),
        "officer of the commune": officer_a,
        "officer of another commune": make_user(role="officer", unit=tree.commune_b1, username="officer_b"),
        "officer of the bloc": make_user(role="officer", unit=tree.bloc, username="officer_k"),
        "inspector of the province": inspector,
    }


def _rolled_back(act: Any) -> Any:
    """What ``act`` answers, with everything it wrote undone."""
    with transaction.atomic():
        answer = act()
        transaction.set_rollback(True)
    return answer


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code in (200, 404), response.status_code
    return response.content.decode() if response.status_code == 200 else ""


def test_the_end_button_shows_for_roles_still_held_exactly_where_form_and_api_end_them(
    tree, client_for, admin_user, officer_a, inspector
):
    """A role open or ending later may be ended (or shortened) — the page offers it; one that has
    ended is history: no button, and the form and the API refuse it (409) rather than move its end."""
    from lantoa.org.selectors import today

    person = make_person(home_unit=tree.commune_a1, family_name="Lò", given_name="An")
    roles = {
        "open": make_role(person, "reporter", tree.commune_a1),
        "planned end": make_role(person, "propagandist", tree.commune_a1, valid_to=today() + dt.timedelta(days=400)),
        "ended": make_role(person, "outreach_cadre", tree.commune_a1, valid_to=today() - dt.timedelta(days=30)),
    }
    offered = {}
    for name, user in _users(tree, admin_user, officer_a, inspector).items():
        client = client_for(user)
        html = _page(client, reverse("people:person_detail", args=[person.pk]))
        for state, role in roles.items():
            page = reverse("people:role_end", args=[role.pk]) in html
            by_form = _ended_through(client, role, api=False)
            by_api = _ended_through(client, role, api=True)
            assert page == by_form == by_api, (name, state, page, by_form, by_api)
            offered[(name, state)] = page
    editors = {"administrator", "manager of the province", "officer of the commune"}
    for (name, state), page in offered.items():
        assert page == (name in editors and state != "ended"), (name, state)
    # The refusal of an ended role says why.
    response = client_for(officer_a).post(
        f"{API}/roles/{roles['ended'].pk}/end", {"on": END_ON.isoformat()}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["extra"] == {"id": roles["ended"].pk}


def test_correcting_a_person_is_offered_exactly_where_the_form_and_the_api_accept_it(
    tree, client_for, admin_user, officer_a, inspector
):
    """Those who record the person's home unit or a unit where they hold a role may correct the
    record and manage its privacy; the page's links follow the same gate as the endpoints."""
    from lantoa.people.forms import PersonForm

    person = make_person(home_unit=tree.commune_a1, family_name="Lò", given_name="An")
    make_role(person, "propagandist", tree.commune_b1)
    initial = {k: v for k, v in PersonForm.initial_for(person).items() if v is not None and k in PersonForm.base_fields}
    initial.pop("ethnicity", None)
    initial.pop("is_party_member", None)

    def corrected(client: Any, *, api: bool) -> bool:
        def act() -> bool:
            if api:
                response = client.patch(
                    f"{API}/persons/{person.pk}", '{"given_name": "Bình"}', content_type="application/json"
                )
                assert response.status_code in (200, 403, 404), response.content
            else:
                response = client.post(
                    reverse("people:person_edit", args=[person.pk]), {**initial, "given_name": "Bình"}
                )
                assert response.status_code in (200, 302, 403, 404), response.status_code
            return Person.objects.get(pk=person.pk).given_name == "Bình"

        return bool(_rolled_back(act))

    answers = {}
    for name, user in _users(tree, admin_user, officer_a, inspector).items():
        client = client_for(user)
        html = _page(client, reverse("people:person_detail", args=[person.pk]))
        edit_link = reverse("people:person_edit", args=[person.pk]) in html
        privacy_link = reverse("people:person_privacy", args=[person.pk]) in html
        by_form, by_api = corrected(client, api=False), corrected(client, api=True)
        privacy_page = client.get(reverse("people:person_privacy", args=[person.pk])).status_code == 200
        export = client.get(f"{API}/persons/{person.pk}/export").status_code == 200
        assert edit_link == by_form == by_api, (name, edit_link, by_form, by_api)
        assert privacy_link == privacy_page == export, (name, privacy_link, privacy_page, export)
        answers[name] = by_api
    assert answers == {
        "administrator": True,
        "manager of the province": True,
        "officer of the commune": True,
        # The commune where the person holds a role records them too.
        "officer of another commune": True,
        "officer of the bloc": False,
        "inspector of the province": False,
    }


def test_a_groups_members_are_shown_by_the_page_exactly_where_the_api_shows_them(
    tree, client_for, admin_user, inspector
):
    """One rule for the page and the API: a group is judged on its last day, and the officers of
    the commune its commune merged into see the members of its dissolved groups."""
    from lantoa.org.restructuring import event_apply
    from lantoa.people import services

    board = make_group("outreach_board", tree.commune_b1)
    member = make_person(home_unit=tree.commune_b1, given_name="Cường")
    services.group_member_add(by=None, group=board, person=member, valid_from=dt.date(2022, 1, 1))
    services.group_dissolve(by=None, group=board, on=dt.date(2024, 1, 1), decision_ref="QĐ 1")
    event_apply(
        by=None,
        kind="merge",
        effective_on=dt.date(2024, 6, 1),
        payload={
            "predecessors": ["P-A-1", "P-B-1"],
            "new": {"code": "P-N", "name": "Đảng bộ xã Mới", "kind": "commune_committee", "parent": "P-A"},
        },
    )
    from lantoa.org.models import Unit

    successor = Unit.objects.get(code="P-N")
    users = {
        "administrator": admin_user,
        "manager of the province": make_user(role="manager", unit=tree.province, username="manager"),
        "officer of the successor commune": make_user(role="officer", unit=successor, username="officer_n"),
        "officer of the bloc": make_user(role="officer", unit=tree.bloc, username="officer_k"),
        "inspector of the province": inspector,
    }
    answers = {}
    for name, user in users.items():
        client = client_for(user)
        html = _page(client, reverse("people:group_detail", args=[board.pk]))
        page = 'data-testid="group-members"' in html
        api = client.get(f"{API}/groups/{board.pk}")
        by_api = api.status_code == 200 and api.json()["members_visible"] is True
        assert page == by_api, (name, page, by_api)
        if by_api:
            assert [m["person"]["id"] for m in api.json()["members"]] == [member.pk]
            assert "Cường" in html
        answers[name] = page
    assert answers == {
        "administrator": True,
        "manager of the province": True,
        "officer of the successor commune": True,
        "officer of the bloc": False,
        "inspector of the province": False,
    }


def test_ending_a_membership_is_offered_exactly_where_the_form_and_the_api_end_it(
    tree, client_for, admin_user, officer_a, inspector
):
    from lantoa.people import services

    board = make_group("outreach_board", tree.commune_a1)
    member = make_person(home_unit=tree.commune_a1, given_name="Dung")
    membership = services.group_member_add(by=None, group=board, person=member, valid_from=dt.date(2022, 1, 1))
    on = "2024-07-01"

    def ended(client: Any, *, api: bool) -> bool:
        def act() -> bool:
            if api:
                response = client.post(
                    f"{API}/groups/{board.pk}/members/{membership.pk}/end", {"on": on}, content_type="application/json"
                )
                assert response.status_code in (200, 403, 404), response.content
            else:
                response = client.post(reverse("people:member_end", args=[membership.pk]), {"on": on})
                assert response.status_code in (302, 403, 404), response.status_code
            return GroupMembership.objects.get(pk=membership.pk).valid_to == dt.date(2024, 7, 1)

        return bool(_rolled_back(act))

    answers = {}
    for name, user in _users(tree, admin_user, officer_a, inspector).items():
        client = client_for(user)
        html = _page(client, reverse("people:group_detail", args=[board.pk]))
        page = reverse("people:member_end", args=[membership.pk]) in html
        by_form, by_api = ended(client, api=False), ended(client, api=True)
        assert page == by_form == by_api, (name, page, by_form, by_api)
        answers[name] = page
    assert answers == {
        "administrator": True,
        "manager of the province": True,
        "officer of the commune": True,
        "officer of another commune": False,
        "officer of the bloc": False,
        "inspector of the province": False,
    }


def test_a_membership_out_of_scope_answers_exactly_like_a_missing_one(tree, client_for, officer_a):
    """One gate, one message, one status for the page and the API: "No such member." (404), with
    the id asked for — whether the membership is missing, of a group out of scope, or not of the
    group the API names."""
    from lantoa.people import services

    board_b = make_group("outreach_board", tree.commune_b1)
    board_a = make_group("outreach_board", tree.commune_a1)
    person = make_person(home_unit=tree.commune_b1, given_name="Em")
    theirs = services.group_member_add(by=None, group=board_b, person=person, valid_from=dt.date(2022, 1, 1))
    missing = 10**6
    client = client_for(officer_a)
    body = {"on": "2024-07-01"}
    answers = [
        client.post(f"{API}/groups/{board_b.pk}/members/{theirs.pk}/end", body, content_type="application/json"),
        client.post(f"{API}/groups/{board_a.pk}/members/{theirs.pk}/end", body, content_type="application/json"),
        client.post(f"{API}/groups/{board_a.pk}/members/{missing}/end", body, content_type="application/json"),
        client.post(f"{API}/groups/{missing}/members/{missing}/end", body, content_type="application/json"),
    ]
    message = answers[0].json()["message"]
    for response in answers:
        assert response.status_code == 404
        assert response.json()["message"] == message
        assert set(response.json()["extra"]) == {"id"}
    # The page's answer is the not-found page, the same for both.
    for pk in (theirs.pk, missing):
        assert client.post(reverse("people:member_end", args=[pk]), body).status_code == 404
    assert GroupMembership.objects.get(pk=theirs.pk).valid_to is None
