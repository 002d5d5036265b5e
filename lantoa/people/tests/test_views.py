"""The outreach-network pages: scope, masking, sensitive reads, forms and the privacy page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.core.models import AuditEntry
from lantoa.core.tests.svg import assert_plain_svg_numbers
from lantoa.org.tests.factories import make_unit
from lantoa.people import services
from lantoa.people.models import Activity, GroupMembership, Person, RoleAssignment
from lantoa.people.tests.factories import activity_kind, make_group, make_person, make_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(tree):
    team = make_group("outreach_team", tree.cell_a1, name="Tổ tuyên vận thôn Phìn Ngan")
    person = make_person(
        home_unit=tree.cell_a1, family_name="Giàng", middle_name="A", given_name="Páo", phone="0912345678"
    )
    services.group_member_add(by=None, group=team, person=person, valid_from=dt.date(2021, 3, 1), is_leader=True)
    return {"team": team, "person": person}


def test_contacts_are_masked_for_viewers_and_shown_to_officers(tree, network, client_for, officer_a):
    viewer = make_user(role="viewer", unit=tree.province, username="viewer")
    url = reverse("people:roster", args=[tree.commune_a1.code])
    masked = client_for(viewer).get(url).content.decode()
    assert "Giàng A Páo" in masked and "09******78" in masked and "0912345678" not in masked
    shown = client_for(officer_a).get(url).content.decode()
    assert "0912345678" in shown
    detail = client_for(viewer).get(reverse("people:person_detail", args=[network["person"].pk])).content.decode()
    assert "0912345678" not in detail and "09******78" in detail


def test_inspectors_see_counts_never_persons(tree, network, client_for, inspector):
    client = client_for(inspector)
    # The unit is theirs to see, its people are not.
    assert client.get(reverse("people:roster", args=[tree.province.code])).status_code == 403
    assert client.get(reverse("people:person_detail", args=[network["person"].pk])).status_code == 404
    coverage = client.get(reverse("people:coverage", args=[tree.province.code]))
    assert coverage.status_code == 200 and "Páo" not in coverage.content.decode()
    group = client.get(reverse("people:group_detail", args=[network["team"].pk]))
    assert group.status_code == 200
    assert "Páo" not in group.content.decode() and 'data-testid="member-count">1<' in group.content.decode()


def test_an_officer_cannot_reach_another_communes_people(tree, client_for, officer_a):
    stranger = make_person(home_unit=tree.commune_b1, given_name="Xa")
    client = client_for(officer_a)
    assert client.get(reverse("people:person_detail", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("people:roster", args=[tree.commune_b1.code])).status_code == 404
    response = client.post(
        reverse("people:person_new"), {"given_name": "Mới", "home_unit": tree.commune_b1.code, "birth_year": 1990}
    )
    assert response.status_code == 200 and not Person.objects.filter(given_name="Mới").exists()


def test_sensitive_fields_shown_to_managers_only_and_every_read_logged(tree, client_for, officer_a, settings):
    settings.LANTOA_PERSON_SENSITIVE_FIELDS = ["ethnicity", "is_party_member"]
    person = make_person(home_unit=tree.cell_a1, given_name="Sùng", ethnicity="Mông", is_party_member=True)
    manager = make_user(role="manager", unit=tree.province, username="manager")
    page = client_for(manager).get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert 'data-testid="sensitive-ethnicity">Mông' in page
    entry = AuditEntry.objects.get(action="lantoa.people.person.sensitive_read")
    assert entry.actor == manager and entry.changed_fields == ["ethnicity", "is_party_member"]
    officer_page = client_for(officer_a).get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert "Mông" not in officer_page
    assert AuditEntry.objects.filter(action="lantoa.people.person.sensitive_read").count() == 1


def test_a_duplicate_is_flagged_then_confirmed(tree, network, client_for, officer_a):
    client = client_for(officer_a)
    data = {
        "family_name": "Giàng",
        "middle_name": "A",
        "given_name": "Páo",
        "birth_year": 1980,
        "home_unit": tree.cell_a1.code,
    }
    first = client.post(reverse("people:person_new"), data)
    assert first.status_code == 200 and "Giàng A Páo (P-A-1-C1)" in first.content.decode()
    assert Person.objects.filter(given_name="Páo").count() == 1
    confirmed = client.post(reverse("people:person_new"), {**data, "allow_duplicate": "on"})
    assert confirmed.status_code == 302 and Person.objects.filter(given_name="Páo").count() == 2


def test_officer_adds_a_new_propagandist_to_a_team(tree, network, client_for, officer_a):
    response = client_for(officer_a).post(
        reverse("people:group_member_add", args=[network["team"].pk]),
        {
            "family_name": "Lò",
            "middle_name": "Thị",
            "given_name": "Hoa",
            "birth_year": 1995,
            "valid_from": "2022-05-01",
        },
    )
    assert response.status_code == 302
    hoa = Person.objects.get(given_name="Hoa")
    assert GroupMembership.objects.filter(group=network["team"], person=hoa).exists()
    assert RoleAssignment.objects.get(person=hoa).role.code == "propagandist"


def test_a_propagandist_with_an_account_records_own_activity_once(tree, network, client_for):
    user = _account("pao")
    services.person_link_user(by=None, person=network["person"], user=user)
    client = client_for(user)
    form = client.get(reverse("people:activity_new"))
    assert form.status_code == 200 and tree.cell_a1.name in form.content.decode()
    data = {
        "unit": tree.cell_a1.code,
        "kind": activity_kind("home_visits").pk,
        "held_on": "2022-07-10",
        "topic": "Phòng chống ma túy",
        "people_reached": 23,
        "sessions": 1,
        "client_key": "k-1",
    }
    assert client.post(reverse("people:activity_new"), data).status_code == 302
    assert client.post(reverse("people:activity_new"), data).status_code == 302
    activity = Activity.objects.get()
    assert (activity.person, activity.group, activity.people_reached) == (network["person"], network["team"], 23)
    # Another commune's unit is not theirs to record for.
    other = client.post(reverse("people:activity_new"), {**data, "unit": tree.commune_b1.code, "client_key": "k-2"})
    assert other.status_code == 200 and Activity.objects.count() == 1


def _account(username: str):  # type: ignore[no-untyped-def]
    from lantoa.accounts.models import User

    return User.objects.create_user(username=username, password="x-unused-x", full_name="Giàng A Páo")


def test_privacy_page_exports_and_anonymises(tree, network, client_for, officer_a):
    client = client_for(officer_a)
    person = network["person"]
    assert client.get(reverse("people:person_privacy", args=[person.pk])).status_code == 200
    export = client.get(reverse("people:person_export", args=[person.pk]))
    data = json.loads(export.content)
    assert data["person"]["phone"] == "0912345678" and data["group_memberships"][0]["leader"] is True
    assert AuditEntry.objects.filter(action="lantoa.people.person.exported").exists()
    client.post(reverse("people:person_anonymise", args=[person.pk]), {"confirm": "yes"})
    person.refresh_from_db()
    assert person.anonymised_at is not None and person.phone == ""
    assert GroupMembership.objects.filter(person=person).exists()


def test_viewers_cannot_export_personal_data(tree, network, client_for):
    viewer = make_user(role="viewer", unit=tree.province, username="viewer2")
    response = client_for(viewer).get(reverse("people:person_export", args=[network["person"].pk]))
    assert response.status_code == 403


def test_coverage_page_draws_the_table_and_the_chart(tree, network, client_for, officer_a):
    make_role(make_person(home_unit=tree.commune_a1, given_name="Báo"), "reporter", tree.commune_a1)
    page = client_for(officer_a).get(reverse("people:coverage", args=[tree.commune_a1.code])).content.decode()
    assert 'data-testid="total-teams">1 / 1<' in page
    assert 'data-testid="coverage-table"' in page and "<svg" in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_coverage_chart_of_many_villages_writes_svg_numbers_without_separators(
    tree, network, client_for, officer_a, language
):
    # Forty villages (the chart is forty bars, 1,120 units tall), every other one with a team.
    for n in range(39):
        cell = make_unit(kind="party_cell", parent=tree.commune_a1, code=f"P-A-1-V{n:02d}")
        if n % 2:
            make_group("outreach_team", cell)
    officer_a.language = language
    officer_a.save(update_fields=["language"])

    response = client_for(officer_a).get(reverse("people:coverage", args=[tree.commune_a1.code]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'data-testid="total-teams">20 / 40<' in html
    chart = response.context["chart"]
    assert len(chart.bars) == 40 and chart.height >= 1000
    numbers = assert_plain_svg_numbers(html)
    assert str(chart.height) in numbers
    assert any(float(number) >= 1000 for number in numbers)


def test_a_team_leader_files_a_monthly_summary_once(tree, network, client_for):
    user = _account("leader")
    services.person_link_user(by=None, person=network["person"], user=user)
    client = client_for(user)
    # My work offers the summary to the team's leader.
    assert reverse("people:team_summary") in client.get(reverse("web:home")).content.decode()
    data = {
        "group": network["team"].pk,
        "month": "2022-06",
        "kind": activity_kind("village_meeting").pk,
        "topic": "Nghị quyết Đại hội XIII",
        "sessions": 4,
        "people_reached": 180,
        "client_key": "summary-1",
    }
    assert client.post(reverse("people:team_summary"), data).status_code == 302
    assert client.post(reverse("people:team_summary"), data).status_code == 302
    summary = Activity.objects.get()
    assert (summary.is_summary, summary.held_on, summary.sessions, summary.group) == (
        True,
        dt.date(2022, 6, 30),
        4,
        network["team"],
    )


def test_officer_confirms_and_withdraws_activities(tree, network, client_for, officer_a):
    kind = activity_kind()
    first, second = (
        services.activity_record(
            by=None,
            data=services.ActivityData(
                unit=tree.cell_a1, held_on=dt.date(2022, 7, day), kind=kind, topic="Chủ đề", people_reached=10
            ),
        ).obj
        for day in (1, 2)
    )
    client = client_for(officer_a)
    listing = reverse("people:activities", args=[tree.commune_a1.code])
    client.post(reverse("people:activities_confirm"), {"activity": [first.pk], "next": listing})
    first.refresh_from_db()
    assert first.status == "confirmed"
    client.post(reverse("people:activity_withdraw", args=[second.pk]), {"reason": "Nhập trùng"})
    second.refresh_from_db()
    assert second.status == "withdrawn"
    page = client.get(listing).content.decode()
    assert 'data-testid="activity-totals"' in page and "10" in page
    # An officer of another commune cannot confirm them.
    other = make_user(role="officer", unit=tree.commune_b1, username="officer_b")
    assert (
        client_for(other).post(reverse("people:activity_withdraw", args=[first.pk]), {"reason": "x"}).status_code == 404
    )


def test_officer_forms_a_team_and_refuses_a_second_one(tree, client_for, officer_a):
    from lantoa.people.tests.factories import group_kind

    client = client_for(officer_a)
    data = {
        "kind": group_kind("outreach_team").pk,
        "unit": tree.cell_a1.code,
        "name": "Tổ tuyên vận",
        "valid_from": "2023-01-01",
    }
    assert client.post(reverse("people:group_new"), data).status_code == 302
    again = client.post(reverse("people:group_new"), {**data, "valid_from": "2023-06-01"})
    assert again.status_code == 200 and "invalid-feedback" in again.content.decode()
    outside = client.post(reverse("people:group_new"), {**data, "unit": tree.commune_b1.code})
    assert outside.status_code == 200


def test_pages_offer_only_the_actions_the_viewer_may_take(client_for, tree, inspector, officer_a):
    """The inspector may read the activities page but not record: no button leads to a 404."""
    from django.urls import reverse

    page = reverse("people:activities", args=[tree.commune_a1.code])
    record = reverse("people:activity_new")
    inspector_html = client_for(inspector).get(page).content.decode()
    assert record not in inspector_html
    assert client_for(inspector).get(f"{record}?unit={tree.commune_a1.code}").status_code == 404
    assert record in client_for(officer_a).get(page).content.decode()
