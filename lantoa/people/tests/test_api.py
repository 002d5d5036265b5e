"""The people API: scope, masking, sensitive fields, idempotent activities, anonymisation.

Test users speak Vietnamese, so the assertions look at codes, never at English messages.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.accounts.tests.factories import make_user
from lantoa.core.models import AuditEntry
from lantoa.core.tests.concurrency import post_at_once, skip_unless_shared_database
from lantoa.org.rollup import indicator_values
from lantoa.people.models import Activity, GroupMembership, NetworkGroup, Person, RoleAssignment
from lantoa.people.services import ActivityData, activity_record, group_member_add, person_link_user
from lantoa.people.tests.factories import activity_kind, ensure_kinds, make_group, make_person, make_role

pytestmark = pytest.mark.django_db

API = "/api/v1/people"
HELD = dt.date(2024, 5, 2)


@pytest.fixture(autouse=True)
def _kinds(db):  # type: ignore[no-untyped-def]
    ensure_kinds()


@pytest.fixture
def viewer(tree):  # type: ignore[no-untyped-def]
    return make_user(role="viewer", unit=tree.commune_a1, username="viewer_a")


@pytest.fixture
def manager(tree):  # type: ignore[no-untyped-def]
    return make_user(role="manager", unit=tree.province, username="manager")


@pytest.fixture
def an(tree) -> Person:  # type: ignore[no-untyped-def]
    """A reporter of commune A1 with a phone and an e-mail address."""
    person = make_person(
        home_unit=tree.commune_a1,
        family_name="Lò",
        middle_name="Văn",
        given_name="An",
        phone="0912 345 678",
        email="an.lo@example.vn",
    )
    make_role(person, "reporter", tree.commune_a1)
    return person


@pytest.fixture
def binh(tree) -> Person:  # type: ignore[no-untyped-def]
    """A reporter of commune B1 (outside officer_a's scope)."""
    person = make_person(home_unit=tree.commune_b1, family_name="Hoàng", given_name="Bình", phone="0987 654 321")
    make_role(person, "reporter", tree.commune_b1)
    return person


def post(client: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def patch(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.patch(f"{API}{path}", body, content_type="application/json")


def get(client: Any, path: str, **params: Any) -> Any:
    return client.get(f"{API}{path}", params)


def activity_body(unit: str, **changes: Any) -> dict[str, Any]:
    return {
        "unit": unit,
        "held_on": HELD.isoformat(),
        "kind": "village_meeting",
        "topic": "Nghị quyết Đại hội",
        "people_reached": 40,
        **changes,
    }


# --- Roster, masking ------------------------------------------------------------------------


def test_roster_lists_persons_with_roles_in_name_order_and_pages(client_for, officer_a, tree, an, binh):
    chi = make_person(home_unit=tree.commune_a1, given_name="Chi")
    make_role(chi, "propagandist", tree.cell_a1)
    make_role(chi, "reporter", tree.commune_a1)
    ba = make_person(home_unit=tree.commune_a1, given_name="Ba")
    make_role(ba, "propagandist", tree.cell_a1)
    make_person(home_unit=tree.commune_a1, given_name="Dũng")  # no role: not on the roster
    client = client_for(officer_a)

    body = get(client, "/persons", unit="P-A-1").json()
    assert body["count"] == 3
    assert body["unit"] == "P-A-1"
    # Vietnamese order by given name: An, Ba, Chi; Bình of commune B1 is out of scope.
    assert [p["given_name"] for p in body["items"]] == ["An", "Ba", "Chi"]
    assert sorted(r["role"] for r in body["items"][2]["roles"]) == ["propagandist", "reporter"]
    assert body["items"][0]["roles"][0]["unit"] == "P-A-1"
    assert {"id", "full_name", "phone", "email", "contacts_masked", "home_unit"} <= set(body["items"][0])

    first = get(client, "/persons", unit="P-A-1", limit=2).json()
    rest = get(client, "/persons", unit="P-A-1", limit=2, offset=2).json()
    assert first["count"] == rest["count"] == 3
    assert [p["given_name"] for p in first["items"] + rest["items"]] == ["An", "Ba", "Chi"]
    assert len(get(client, "/persons", unit="P-A-1", limit=100000).json()["items"]) == 3

    only = get(client, "/persons", unit="P-A-1", role="propagandist").json()
    assert [p["given_name"] for p in only["items"]] == ["Ba", "Chi"]
    assert [r["role"] for r in only["items"][1]["roles"]] == ["propagandist"]
    assert [p["given_name"] for p in get(client, "/persons", unit="P-A-1", tier="village").json()["items"]] == [
        "Ba",
        "Chi",
    ]
    assert [p["given_name"] for p in get(client, "/persons", unit="P-A-1", q="lo van AN").json()["items"]] == ["An"]
    assert get(client, "/persons", unit="P-A-1", active_on="2020-06-01").json()["count"] == 0

    unknown_role = get(client, "/persons", unit="P-A-1", role="astronaut")
    assert unknown_role.status_code == 422
    assert unknown_role.json()["code"] == "validation_failed"
    assert get(client, "/persons", unit="P-A-1", tier="galaxy").status_code == 422


def test_roster_queries_do_not_grow_with_the_number_of_persons(client_for, officer_a, tree):
    client = client_for(officer_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert get(client, "/persons", unit="P-A-1").status_code == 200
        return len(captured)

    for _ in range(2):
        make_role(make_person(home_unit=tree.commune_a1), "reporter", tree.commune_a1)
    few = queries()
    for _ in range(8):
        make_role(make_person(home_unit=tree.commune_a1), "propagandist", tree.cell_a1)
    assert queries() == few


def test_a_viewer_sees_contacts_masked_an_officer_in_full(client_for, viewer, officer_a, an):
    masked = get(client_for(viewer), "/persons", unit="P-A-1").json()["items"][0]
    assert masked["phone"] == "09******78"
    assert masked["email"] == "a***@example.vn"
    assert masked["contacts_masked"] is True
    detail = get(client_for(viewer), f"/persons/{an.pk}").json()
    assert (detail["phone"], detail["email"], detail["contacts_masked"]) == ("09******78", "a***@example.vn", True)

    full = get(client_for(officer_a), "/persons", unit="P-A-1").json()["items"][0]
    assert (full["phone"], full["email"], full["contacts_masked"]) == ("0912 345 678", "an.lo@example.vn", False)
    detail = get(client_for(officer_a), f"/persons/{an.pk}").json()
    assert detail["phone"] == "0912 345 678"
    assert [r["role"] for r in detail["roles"]] == ["reporter"]


def test_a_viewer_may_not_change_or_export_persons(client_for, viewer, an):
    client = client_for(viewer)
    assert patch(client, f"/persons/{an.pk}", {"phone": "0911 111 111"}).status_code == 403
    assert get(client, f"/persons/{an.pk}/export").status_code == 403
    assert post(client, f"/persons/{an.pk}/anonymise").status_code == 403
    create = post(client, "/persons", {"given_name": "Mới", "home_unit": "P-A-1"})
    assert create.status_code == 403
    assert create.json()["code"] == "permission_denied"
    assert Person.objects.get(pk=an.pk).phone == "0912 345 678"


def test_an_inspector_sees_counts_but_never_persons(client_for, inspector, tree, an):
    team = make_group("outreach_team", tree.cell_a1, name="Tổ tuyên vận thôn Phìn Ngan")
    group_member_add(by=None, group=team, person=an, valid_from=dt.date(2021, 2, 1))
    client = client_for(inspector)

    for response in (
        get(client, "/persons", unit="P"),
        get(client, "/persons", unit="P-A-1"),
        get(client, f"/persons/{an.pk}"),
        get(client, f"/persons/{an.pk}/export"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    coverage = get(client, "/coverage", unit="P")
    assert coverage.status_code == 200
    assert coverage.json()["totals"]["propagandists"] == 1

    groups = get(client, "/groups", unit="P").json()
    assert [(g["name"], g["member_count"]) for g in groups["items"]] == [("Tổ tuyên vận thôn Phìn Ngan", 1)]
    detail = get(client, f"/groups/{team.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["member_count"] == 1
    assert body["members_visible"] is False
    assert body["members"] is None
    assert body["leader"] is None
    assert "An" not in detail.content.decode()
    assert "0912" not in detail.content.decode()


# --- Sensitive fields -----------------------------------------------------------------------


def test_sensitive_fields_are_shown_to_managers_only_and_every_reading_is_logged(
    settings, client_for, admin_user, manager, officer_a, tree
):
    settings.LANTOA_PERSON_SENSITIVE_FIELDS = ["ethnicity"]
    person = make_person(home_unit=tree.commune_a1, given_name="Sinh", ethnicity="Tày")
    make_role(person, "reporter", tree.commune_a1)
    reads = AuditEntry.objects.filter(action="lantoa.people.person.sensitive_read", target_id=str(person.pk))

    for user in (admin_user, manager):
        body = get(client_for(user), f"/persons/{person.pk}").json()
        assert body["sensitive"] == {"ethnicity": "Tày"}
        entry = reads.filter(actor=user).get()
        assert entry.changed_fields == ["ethnicity"]

    body = get(client_for(officer_a), f"/persons/{person.pk}").json()
    assert body["sensitive"] == {}
    assert "Tày" not in str(body)
    assert not reads.filter(actor=officer_a).exists()
    # Lists never carry sensitive fields.
    roster = get(client_for(admin_user), "/persons", unit="P-A-1").json()
    assert "Tày" not in str(roster)


def test_sensitive_fields_sent_are_dropped_when_the_deployment_does_not_keep_them(settings, client_for, admin_user):
    settings.LANTOA_PERSON_SENSITIVE_FIELDS = []
    response = post(
        client_for(admin_user),
        "/persons",
        {"given_name": "Hoa", "family_name": "Lù", "home_unit": "P-A-1", "ethnicity": "Hmông", "is_party_member": True},
    )
    assert response.status_code == 201
    person = Person.objects.get(pk=response.json()["id"])
    assert person.ethnicity == ""
    assert person.is_party_member is None
    assert get(client_for(admin_user), f"/persons/{person.pk}").json()["sensitive"] == {}


def test_sensitive_fields_are_written_only_by_roles_that_may_read_them(
    settings, client_for, admin_user, officer_a, tree
):
    settings.LANTOA_PERSON_SENSITIVE_FIELDS = ["ethnicity"]
    person = make_person(home_unit=tree.commune_a1, given_name="Sinh", ethnicity="Tày")
    officer = client_for(officer_a)

    refused = post(officer, "/persons", {"given_name": "Hoa", "home_unit": "P-A-1", "ethnicity": "Hmông"})
    assert refused.status_code == 403
    assert refused.json()["extra"]["fields"] == ["ethnicity"]
    # Whatever the value (right or wrong), the answer is the same: nothing can be probed.
    for guess in ("Tày", "Kinh", ""):
        assert patch(officer, f"/persons/{person.pk}", {"ethnicity": guess}).status_code == 403
    # A correction that leaves the sensitive field alone keeps its value.
    assert patch(officer, f"/persons/{person.pk}", {"birth_year": 1985}).status_code == 200
    person.refresh_from_db()
    assert (person.birth_year, person.ethnicity) == (1985, "Tày")

    assert patch(client_for(admin_user), f"/persons/{person.pk}", {"ethnicity": "Nùng"}).status_code == 200
    person.refresh_from_db()
    assert person.ethnicity == "Nùng"


# --- Scope ----------------------------------------------------------------------------------


def test_an_officer_of_commune_a1_cannot_read_or_write_commune_b1(client_for, officer_a, tree, an, binh):
    board_b = make_group("outreach_board", tree.commune_b1)
    role_b = binh.roles.get()
    activity_b = activity_record(
        by=None,
        data=ActivityData(unit=tree.commune_b1, held_on=HELD, kind=activity_kind(), topic="Chủ đề", people_reached=10),
    ).obj
    client = client_for(officer_a)

    answers = [
        get(client, "/persons", unit="P-B-1"),
        get(client, f"/persons/{binh.pk}"),
        patch(client, f"/persons/{binh.pk}", {"phone": "0911 111 111"}),
        get(client, f"/persons/{binh.pk}/export"),
        post(client, f"/persons/{binh.pk}/anonymise"),
        post(client, "/persons", {"given_name": "Mới", "home_unit": "P-B-1"}),
        post(
            client, "/roles", {"person": binh.pk, "role": "propagandist", "unit": "P-A-1", "valid_from": "2024-01-01"}
        ),
        post(client, "/roles", {"person": an.pk, "role": "reporter", "unit": "P-B-1", "valid_from": "2024-01-01"}),
        post(client, f"/roles/{role_b.pk}/end", {"on": "2024-01-01"}),
        get(client, "/groups", unit="P-B-1"),
        get(client, f"/groups/{board_b.pk}"),
        post(client, "/groups", {"kind": "outreach_board", "unit": "P-B-1", "name": "Ban", "valid_from": "2024-01-01"}),
        post(client, f"/groups/{board_b.pk}/members", {"person": an.pk, "valid_from": "2024-01-01"}),
        post(client, f"/groups/{board_b.pk}/dissolve", {"on": "2024-01-01"}),
        get(client, "/activities", unit="P-B-1"),
        post(client, "/activities", activity_body("P-B-1")),
        post(client, "/activities/confirm", {"ids": [activity_b.pk]}),
        post(client, f"/activities/{activity_b.pk}/withdraw", {"reason": "Sai"}),
        get(client, "/coverage", unit="P-B-1"),
    ]
    assert [a.status_code for a in answers] == [404] * len(answers)
    assert {a.json()["code"] for a in answers} == {"not_found"}
    # Nothing changed, and lists without a unit stay inside the scope.
    binh.refresh_from_db()
    assert binh.phone == "0987 654 321"
    assert binh.anonymised_at is None
    assert RoleAssignment.objects.get(pk=role_b.pk).valid_to is None
    assert Activity.objects.get(pk=activity_b.pk).status == Activity.Status.SUBMITTED
    assert NetworkGroup.objects.get(pk=board_b.pk).valid_to is None
    assert get(client, "/activities").json()["count"] == 0
    # The same person and group are there for someone whose scope covers them.
    assert get(client, f"/persons/{an.pk}").status_code == 200


# --- Persons: create, duplicates, correction, export, anonymisation -------------------------


def test_a_probable_duplicate_answers_409_until_confirmed(client_for, officer_a, an):
    client = client_for(officer_a)
    same = {"family_name": "Lò", "middle_name": "Văn", "given_name": "An", "birth_year": 1980, "home_unit": "P-A-1"}

    response = post(client, "/persons", same)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_person"
    assert body["extra"]["matches"] == [an.pk]
    # The same phone written differently is the same phone.
    by_phone = post(client, "/persons", {"given_name": "Khác", "home_unit": "P-A-1", "phone": "+84 912 345 678"})
    assert by_phone.status_code == 409

    created = post(client, "/persons", {**same, "allow_duplicate": True})
    assert created.status_code == 201
    assert created.json()["id"] != an.pk
    assert created.json()["full_name"] == "Lò Văn An"
    assert Person.objects.filter(given_name="An").count() == 2
    assert AuditEntry.objects.filter(action="lantoa.people.person.created", actor=officer_a).count() == 1


def test_a_duplicate_outside_the_scope_is_counted_not_named(client_for, officer_a, binh):
    response = post(
        client_for(officer_a), "/persons", {"given_name": "Cường", "home_unit": "P-A-1", "phone": "0987654321"}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_person"
    assert body["extra"]["matches"] == []
    assert body["extra"]["hidden"] == 1
    assert "Bình" not in body["message"]
    assert "P-B-1" not in body["message"]


def test_create_validates_input_without_server_errors(client_for, officer_a):
    client = client_for(officer_a)
    # Each part fits its column, but the derived sort key would not: refused, not a 500.
    long_name = {"family_name": "B " * 30, "middle_name": "C " * 40, "given_name": "D " * 30}
    cases = [
        ({"given_name": "", "home_unit": "P-A-1"}, 422, "validation_failed"),
        ({"given_name": "An", "home_unit": "P-A-1", "birth_year": 1700}, 422, "validation_failed"),
        ({"given_name": "An", "home_unit": "P-A-1", "phone": "12"}, 422, "validation_failed"),
        ({"given_name": "An", "home_unit": "P-A-1", "email": "không phải thư"}, 422, "invalid_input"),
        ({"given_name": "An", "home_unit": "P-A-1", "sex": "unknown"}, 422, "invalid_input"),
        ({"given_name": "A" * 61, "home_unit": "P-A-1"}, 422, "invalid_input"),
        ({"given_name": "An", "home_unit": "NO-SUCH-UNIT"}, 404, "not_found"),
        ({"home_unit": "P-A-1"}, 422, "invalid_input"),
        ({**long_name, "home_unit": "P-A-1"}, 422, "validation_failed"),
    ]  # fmt: skip
    for body, status, code in cases:
        response = post(client, "/persons", body)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    assert Person.objects.count() == 0


def test_a_correction_changes_only_what_is_sent(client_for, officer_a, an):
    client = client_for(officer_a)
    response = patch(client, f"/persons/{an.pk}", {"phone": "0911 222 333", "sex": "male"})
    assert response.status_code == 200
    assert response.json()["phone"] == "0911 222 333"
    an.refresh_from_db()
    assert (an.family_name, an.given_name, an.birth_year, an.email, an.sex) == (
        "Lò",
        "An",
        1980,
        "an.lo@example.vn",
        "male",
    )
    entry = AuditEntry.objects.filter(action="lantoa.people.person.updated", target_id=str(an.pk)).get()
    assert sorted(entry.changed_fields) == ["phone", "sex"]
    # Moving the person to a unit outside the scope is refused like a unit that does not exist.
    assert patch(client, f"/persons/{an.pk}", {"home_unit": "P-B-1"}).status_code == 404
    assert patch(client, f"/persons/{an.pk}", {"given_name": None}).status_code == 422


def test_export_holds_everything_for_those_who_record_it_and_is_logged(
    settings, client_for, officer_a, admin_user, tree, an
):
    settings.LANTOA_PERSON_SENSITIVE_FIELDS = ["ethnicity"]
    an.ethnicity = "Thái"
    an.save()
    team = make_group("outreach_team", tree.cell_a1)
    group_member_add(by=None, group=team, person=an, valid_from=dt.date(2021, 3, 1))

    response = get(client_for(officer_a), f"/persons/{an.pk}/export")
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["phone"] == "0912 345 678"
    assert body["person"]["email"] == "an.lo@example.vn"
    assert sorted(r["role"] for r in body["roles"]) == ["propagandist", "reporter"]
    assert [m["group"] for m in body["group_memberships"]] == [team.name]
    # An officer may not see sensitive fields: they are left out and said to be.
    assert "ethnicity" not in body["person"]
    assert body["withheld"] == ["ethnicity", "is_party_member"]
    exported = AuditEntry.objects.filter(action="lantoa.people.person.exported", target_id=str(an.pk))
    assert exported.filter(actor=officer_a).count() == 1

    full = get(client_for(admin_user), f"/persons/{an.pk}/export").json()
    assert full["person"]["ethnicity"] == "Thái"
    assert full["withheld"] == []
    assert exported.count() == 2


def test_anonymise_removes_identity_and_keeps_every_count(client_for, officer_a, tree, an):
    team = make_group("outreach_team", tree.cell_a1)
    group_member_add(by=None, group=team, person=an, valid_from=dt.date(2021, 3, 1))
    other = make_person(home_unit=tree.commune_a1, given_name="Chi")
    make_role(other, "reporter", tree.commune_a1)
    codes = ["reporters", "village_propagandists", "outreach_teams"]

    def values() -> list[Any]:
        results = indicator_values(
            unit=tree.province, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), codes=codes
        )
        return [result.value for result in results]

    before = values()
    assert before == [2, 1, 1]
    client = client_for(officer_a)
    response = post(client, f"/persons/{an.pk}/anonymise")
    assert response.status_code == 200
    body = response.json()
    assert body["anonymised"] is True
    assert (body["family_name"], body["middle_name"], body["phone"], body["email"]) == ("", "", "", "")
    assert "An" not in body["full_name"]

    assert values() == before
    an.refresh_from_db()
    assert (an.given_name, an.phone, an.email, an.birth_year) == ("—", "", "", None)
    assert an.roles.count() == 2
    assert GroupMembership.objects.filter(person=an).count() == 1
    # Still counted on the roster, nameless, and no longer correctable.
    roster = get(client, "/persons", unit="P-A-1").json()
    assert roster["count"] == 2
    assert "Lò" not in str(roster)
    assert patch(client, f"/persons/{an.pk}", {"given_name": "An"}).status_code == 409
    assert post(client, f"/persons/{an.pk}/anonymise").status_code == 200


# --- Roles ----------------------------------------------------------------------------------


def test_roles_are_assigned_and_ended(client_for, officer_a, an):
    client = client_for(officer_a)
    created = post(
        client,
        "/roles",
        {
            "person": an.pk,
            "role": "propagandist",
            "unit": "P-A-1-C1",
            "valid_from": "2024-01-01",
            "decision_ref": "QĐ 5",
        },
    )
    assert created.status_code == 201
    role = created.json()
    assert (role["role"], role["unit"], role["tier"], role["valid_to"]) == ("propagandist", "P-A-1-C1", "village", None)

    overlap = {"person": an.pk, "role": "propagandist", "unit": "P-A-1-C1", "valid_from": "2024-06-01"}
    assert post(client, "/roles", overlap).status_code == 422
    assert post(client, "/roles", {**overlap, "role": "astronaut"}).json()["extra"]["field"] == "role"
    assert post(client, "/roles", {**overlap, "unit": "NOPE"}).status_code == 404
    assert post(client, "/roles", {**overlap, "person": 10**6}).status_code == 404
    assert post(client, "/roles", {**overlap, "valid_from": "2024-02-30"}).status_code == 422

    assert post(client, f"/roles/{role['id']}/end", {"on": "2023-12-01"}).status_code == 422
    ended = post(client, f"/roles/{role['id']}/end", {"on": "2024-07-01"})
    assert ended.status_code == 200
    assert ended.json()["valid_to"] == "2024-07-01"
    assert post(client, f"/roles/{10**6}/end", {"on": "2024-07-01"}).status_code == 404


# --- Groups ---------------------------------------------------------------------------------


def test_groups_are_formed_joined_listed_and_dissolved(client_for, officer_a, viewer, tree, an):
    client = client_for(officer_a)
    board = post(
        client,
        "/groups",
        {"kind": "outreach_board", "unit": "P-A-1", "name": "Ban tuyên vận", "valid_from": "2022-01-01"},
    )
    assert board.status_code == 201
    board_id = board.json()["id"]
    assert board.json()["member_count"] == 0
    # Outreach teams belong to villages; unknown kinds are refused.
    wrong_tier = {"kind": "outreach_team", "unit": "P-A-1", "name": "Tổ", "valid_from": "2022-01-01"}
    assert post(client, "/groups", wrong_tier).status_code == 422
    assert post(client, "/groups", {**wrong_tier, "kind": "choir"}).json()["extra"]["field"] == "kind"

    joined = post(
        client, f"/groups/{board_id}/members", {"person": an.pk, "valid_from": "2022-02-01", "is_leader": True}
    )
    assert joined.status_code == 201
    assert post(client, f"/groups/{board_id}/members", {"person": an.pk, "valid_from": "2022-03-01"}).status_code == 422
    # Membership of a board carries the role of outreach cadre of the commune.
    assert an.roles.filter(role__code="outreach_cadre", unit=tree.commune_a1).exists()

    listed = get(client, "/groups", unit="P-A-1").json()
    assert [(g["id"], g["member_count"]) for g in listed["items"]] == [(board_id, 1)]
    assert get(client, "/groups", unit="P-A-1", kind="choir").status_code == 422

    detail = get(client, f"/groups/{board_id}").json()
    assert detail["members_visible"] is True
    assert detail["leader"] == an.pk
    assert detail["members"][0]["person"]["phone"] == "0912 345 678"
    assert [e["kind"] for e in detail["events"]] == ["formed"]
    # A viewer sees the members, with contacts masked.
    seen = get(client_for(viewer), f"/groups/{board_id}").json()
    assert seen["members"][0]["person"]["phone"] == "09******78"

    membership_id = joined.json()["id"]
    assert post(client, f"/groups/{board_id}/members/{10**6}/end", {"on": "2023-01-01"}).status_code == 404
    left = post(client, f"/groups/{board_id}/members/{membership_id}/end", {"on": "2023-01-01"})
    assert left.status_code == 200
    assert left.json()["valid_to"] == "2023-01-01"

    dissolved = post(client, f"/groups/{board_id}/dissolve", {"on": "2024-01-01", "decision_ref": "QĐ 9"})
    assert dissolved.status_code == 200
    assert dissolved.json()["valid_to"] == "2024-01-01"
    assert post(client, f"/groups/{board_id}/dissolve", {"on": "2024-06-01"}).status_code == 422
    assert get(client, "/groups", unit="P-A-1").json()["count"] == 0
    assert get(client, "/groups", unit="P-A-1", active_on="2023-06-01").json()["count"] == 1


def test_groups_merge_into_one_that_continues(client_for, admin_user, tree, an):
    first = make_group("outreach_board", tree.commune_a1, name="Ban cũ", valid_from=dt.date(2021, 1, 1))
    group_member_add(by=None, group=first, person=an, valid_from=dt.date(2021, 2, 1))
    second = make_group("outreach_board", tree.commune_b1, name="Ban mới")
    client = client_for(admin_user)

    body = {"groups": [first.pk], "into": second.pk, "on": "2024-01-01", "decision_ref": "QĐ 1"}
    assert post(client, "/groups/merge", {**body, "groups": [second.pk]}).status_code == 422
    assert post(client, "/groups/merge", {**body, "groups": []}).status_code == 422
    assert post(client, "/groups/merge", {**body, "into": 10**6}).status_code == 404
    merged = post(client, "/groups/merge", body)
    assert merged.status_code == 200
    assert merged.json()["id"] == second.pk
    first.refresh_from_db()
    assert first.valid_to == dt.date(2024, 1, 1)
    assert GroupMembership.objects.filter(group=second, person=an, valid_to__isnull=True).exists()


# --- Activities -----------------------------------------------------------------------------


def test_the_same_form_sent_twice_is_recorded_once(client_for, officer_a, tree):
    client = client_for(officer_a)
    body = activity_body("P-A-1", client_key="phone-7f3a-0001")

    first = post(client, "/activities", body)
    again = post(client, "/activities", body)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json() == first.json()
    assert Activity.objects.count() == 1

    # Another account using the same key never receives the first record.
    other = make_user(role="officer", unit=tree.commune_a1, username="officer_a2")
    stolen = post(client_for(other), "/activities", body)
    assert stolen.status_code == 409
    assert stolen.json()["code"] == "client_key_used"
    assert "Nghị quyết" not in stolen.content.decode()

    assert post(client, "/activities", activity_body("P-A-1")).status_code == 201
    assert post(client, "/activities", activity_body("P-A-1")).status_code == 201
    assert Activity.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_sends_of_one_form_answer_201_once(client_for, tree):
    skip_unless_shared_database()
    officer = make_user(role="officer", unit=tree.commune_a1, username="officer_parallel")
    body = activity_body("P-A-1", client_key="phone-parallel-0001")
    answers = post_at_once(client_for(officer), f"{API}/activities", body, times=20)
    assert sorted(status for status, _answer in answers) == [200] * 19 + [201]
    assert len({json.dumps(answer, sort_keys=True) for _status, answer in answers}) == 1
    assert Activity.objects.count() == 1


def test_activities_are_listed_confirmed_and_withdrawn(client_for, officer_a, viewer, tree, an):
    team = make_group("outreach_team", tree.cell_a1)
    client = client_for(officer_a)
    ids = [
        post(
            client, "/activities", activity_body("P-A-1-C1", group=team.pk, person=an.pk, sessions=4, is_summary=True)
        ).json()["id"],
        post(client, "/activities", activity_body("P-A-1", people_reached=10)).json()["id"],
    ]
    listed = get(client, "/activities", unit="P-A-1").json()
    assert listed["count"] == 2
    assert listed["totals"] == {"records": 2, "sessions": 5, "people": 50}
    summary = next(item for item in listed["items"] if item["id"] == ids[0])
    assert summary["person"] == {"id": an.pk, "full_name": "Lò Văn An"}
    assert summary["group"] == team.pk

    confirmed = post(client, "/activities/confirm", {"ids": [*ids, ids[0]]})
    assert confirmed.json() == {"confirmed": 2}
    assert post(client, "/activities/confirm", {"ids": ids}).json() == {"confirmed": 0}
    assert get(client, "/activities", status="confirmed").json()["count"] == 2

    assert post(client, f"/activities/{ids[1]}/withdraw", {"reason": "  "}).status_code == 422
    withdrawn = post(client, f"/activities/{ids[1]}/withdraw", {"reason": "Nhập trùng"})
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert get(client, "/activities").json()["totals"] == {"records": 1, "sessions": 4, "people": 40}

    # A viewer may read the unit's activities, but not confirm or withdraw them.
    assert get(client_for(viewer), "/activities", unit="P-A-1").json()["count"] == 2
    assert post(client_for(viewer), "/activities/confirm", {"ids": ids}).status_code == 404
    assert post(client_for(viewer), f"/activities/{ids[0]}/withdraw", {"reason": "x"}).status_code == 404


def test_who_did_an_activity_is_hidden_from_inspectors(client_for, officer_a, inspector, an):
    created = post(client_for(officer_a), "/activities", activity_body("P-A-1", person=an.pk))
    assert created.status_code == 201
    listed = get(client_for(inspector), "/activities", unit="P").json()
    assert listed["count"] == 1
    assert listed["items"][0]["person"] is None
    assert "Lò" not in str(listed)


def test_activity_input_is_checked(client_for, officer_a, tree):
    client = client_for(officer_a)
    team_b = make_group("outreach_board", tree.commune_b1)
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    cases = [
        (activity_body("P-A-1", held_on=tomorrow.isoformat()), 422),
        (activity_body("P-A-1", kind="juggling"), 422),
        (activity_body("P-A-1", topic=" "), 422),
        (activity_body("P-A-1", people_reached=-1), 422),
        (activity_body("P-A-1", people_reached=6000), 422),
        (activity_body("P-A-1", sessions=0), 422),
        (activity_body("P-A-1", sessions=10**12), 422),
        (activity_body("P-A-1", group=team_b.pk), 422),
        (activity_body("P-A-1", is_summary=True), 422),
        (activity_body("P-A-1", person=10**6), 404),
        (activity_body("P-A-1", person=2**70), 422),
        (activity_body("P-A-1", client_key="k" * 65), 422),
        (activity_body("NO-SUCH-UNIT"), 404),
    ]
    for body, status in cases:
        assert post(client, "/activities", body).status_code == status, body
    assert Activity.objects.count() == 0
    assert get(client, "/activities", start="2024-05-01", end="2024-04-01").status_code == 422
    assert get(client, "/activities", status="lost").status_code == 422
    assert post(client, "/activities/confirm", {"ids": []}).status_code == 422


def test_a_network_member_records_and_sees_only_their_own_activities(client_for, officer_a, tree, an):
    make_role(an, "propagandist", tree.cell_a1)
    member = make_user(username="an_lo")
    person_link_user(by=None, person=an, user=member)
    other = make_person(home_unit=tree.commune_a1, given_name="Chi")
    post(client_for(officer_a), "/activities", activity_body("P-A-1"))
    client = client_for(member)

    own = post(client, "/activities", activity_body("P-A-1-C1", person=an.pk))
    assert own.status_code == 201
    assert own.json()["person"] == {"id": an.pk, "full_name": "Lò Văn An"}
    for_someone_else = post(client, "/activities", activity_body("P-A-1-C1", person=other.pk))
    assert for_someone_else.status_code == 403
    assert post(client, "/activities", activity_body("P-A-1-C1", person=10**6)).status_code == 403
    # Units where their person serves (A1 as a reporter, its village as a propagandist), no others.
    assert post(client, "/activities", activity_body("P-A-1")).status_code == 201
    assert post(client, "/activities", activity_body("P-B-1")).status_code == 404

    listed = get(client, "/activities").json()
    assert listed["count"] == 2
    assert own.json()["id"] in [item["id"] for item in listed["items"]]
    assert get(client, "/activities", unit="P-A-1-C1").json()["count"] == 1
    assert get(client, "/activities", unit="P-B-1").status_code == 404
    assert get(client, "/persons", unit="P-A-1-C1").status_code == 404
    assert post(client, "/activities/confirm", {"ids": [own.json()["id"]]}).status_code == 404


# --- Coverage -------------------------------------------------------------------------------


def test_coverage_counts_boards_teams_and_people_with_the_gaps(client_for, officer_a, inspector, tree, an, binh):
    make_group("outreach_board", tree.commune_a1)
    team = make_group("outreach_team", tree.cell_a1)
    for name in ("Ba", "Chi"):
        group_member_add(by=None, group=team, person=make_person(home_unit=tree.commune_a1, given_name=name),
                         valid_from=dt.date(2021, 2, 1))  # fmt: skip
    response = get(client_for(officer_a), "/coverage", unit="P-A-1", on="2024-06-30")
    assert response.status_code == 200
    body = response.json()
    assert body["on"] == "2024-06-30"
    assert body["totals"]["communes"] == body["totals"]["communes_with_board"] == 1
    assert (body["totals"]["villages"], body["totals"]["villages_with_team"]) == (1, 1)
    assert body["totals"]["propagandists"] == 2
    assert body["totals"]["reporters"] == 1
    assert [row["unit"] for row in body["rows"]] == ["P-A-1-C1"]
    assert {d["propagandists"]: d["villages"] for d in body["propagandist_distribution"]}["2"] == 1
    assert body["gaps"]["communes_without_board"] == 0

    province = get(client_for(inspector), "/coverage", unit="P").json()
    assert province["totals"]["communes"] == 2
    assert province["totals"]["reporters"] == 2
    assert province["gaps"]["communes_without_board"] == 1
    assert province["gaps"]["first_communes_without_board"] == [{"code": "P-B-1", "name": "Đảng bộ xã Lương Sơn"}]
    assert sum(level["reporters"] for level in province["reporters_by_level"]) == 2
    assert sorted(row["unit"] for row in province["rows"]) == ["P-A", "P-B", "P-K"]
    assert "Bình" not in str(province)
    assert get(client_for(officer_a), "/coverage", unit="P-A-1", gap_limit=1000).status_code == 422


# --- Bad input and the schema ---------------------------------------------------------------


def test_bad_identifiers_and_dates_answer_4xx(client_for, admin_user):
    client = client_for(admin_user)
    for response in (
        get(client, f"/persons/{2**70}"),
        get(client, "/persons/abc"),
        get(client, "/persons/0"),
        get(client, "/groups/merge"),
        get(client, "/persons", unit="P", active_on="2024-13-01"),
        get(client, "/persons"),
        get(client, "/persons", unit="P", offset=2**70),
        post(client, f"/roles/{2**70}/end", {"on": "2024-01-01"}),
    ):
        assert response.status_code in (404, 405, 422), response.content
        if response.status_code != 405:
            assert set(response.json()) == {"code", "message", "extra"}
    assert get(client, f"/persons/{10**9}").status_code == 404
    assert get(client, f"/groups/{10**9}").status_code == 404


def test_the_openapi_schema_documents_the_people_api(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    people = {path: ops for path, ops in paths.items() if path.startswith("/api/v1/people/")}
    assert {
        "/api/v1/people/persons",
        "/api/v1/people/persons/{person_id}",
        "/api/v1/people/persons/{person_id}/export",
        "/api/v1/people/roles",
        "/api/v1/people/groups",
        "/api/v1/people/groups/merge",
        "/api/v1/people/activities",
        "/api/v1/people/coverage",
    } <= set(people)
    for ops in people.values():
        for op in ops.values():
            assert op["summary"]
            assert op["tags"] == ["people"]


def test_out_of_scope_groups_and_roles_answer_exactly_like_missing_ids(client_for, officer_a, tree, an, binh):
    """The message and ``extra`` of an out-of-scope group or role are those of a missing one, so
    neither the group nor its unit can be found out by trying ids."""
    board_b = make_group("outreach_board", tree.commune_b1)
    role_b = binh.roles.get()
    board_a = make_group("outreach_board", tree.commune_a1)
    merge_body = {"into": board_a.pk, "groups": [board_b.pk]}
    client = client_for(officer_a)
    missing_group, missing_role = 10**6, 10**6 + 1
    pairs = [
        (get(client, f"/groups/{board_b.pk}"), get(client, f"/groups/{missing_group}")),
        (
            post(client, f"/groups/{board_b.pk}/members", {"person": an.pk, "valid_from": "2024-01-01"}),
            post(client, f"/groups/{missing_group}/members", {"person": an.pk, "valid_from": "2024-01-01"}),
        ),
        (
            post(client, f"/groups/{board_b.pk}/members/1/end", {"on": "2024-01-01"}),
            post(client, f"/groups/{missing_group}/members/1/end", {"on": "2024-01-01"}),
        ),
        (
            post(client, f"/groups/{board_b.pk}/dissolve", {"on": "2024-01-01"}),
            post(client, f"/groups/{missing_group}/dissolve", {"on": "2024-01-01"}),
        ),
        (
            post(client, "/groups/merge", {**merge_body, "on": "2024-01-01"}),
            post(client, "/groups/merge", {**merge_body, "groups": [missing_group], "on": "2024-01-01"}),
        ),
        (
            post(client, f"/roles/{role_b.pk}/end", {"on": "2024-01-01"}),
            post(client, f"/roles/{missing_role}/end", {"on": "2024-01-01"}),
        ),
    ]
    for hidden, missing in pairs:
        assert hidden.status_code == missing.status_code == 404
        hidden_body, missing_body = hidden.json(), missing.json()
        assert hidden_body["message"] == missing_body["message"]
        assert tree.commune_b1.code not in str(hidden_body)
        # ``extra`` names the id that was asked for, nothing else.
        assert set(hidden_body["extra"]) == set(missing_body["extra"]) == {"id"}
