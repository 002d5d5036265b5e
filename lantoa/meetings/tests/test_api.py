"""The meetings API: planning, scope, sites, attendance, check-in, roster, reflections, series.

Test users speak Vietnamese, so the assertions look at codes and figures, never at messages.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantoa.accounts.tests.factories import make_user
from lantoa.core.tests.concurrency import post_at_once, skip_unless_shared_database
from lantoa.meetings.models import (
    BridgePoint,
    Category,
    Conference,
    ConferenceKind,
    ConferenceSeries,
    Format,
    Participant,
    StudyReflectionTally,
)
from lantoa.meetings.services import ConferenceData, SiteData, conference_create
from lantoa.meetings.tests.factories import make_conference
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db

API = "/api/v1/meetings"
DAY = dt.date(2021, 5, 10)


def post(client: Any, path: str, body: Any = None) -> Any:
    return client.post(f"{API}{path}", body if body is not None else {}, content_type="application/json")


def put(client: Any, path: str, body: Any) -> Any:
    return client.put(f"{API}{path}", body, content_type="application/json")


def patch(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.patch(f"{API}{path}", body, content_type="application/json")


def get(client: Any, path: str, **params: Any) -> Any:
    return client.get(f"{API}{path}", params)


def conference_body(organiser: str = "P", **changes: Any) -> dict[str, Any]:
    return {
        "title": "Hội nghị học tập Nghị quyết Đại hội XIII",
        "kind": "resolution_study",
        "organiser": organiser,
        "level": "province",
        "starts_at": "2021-05-10T07:30:00",
        "ends_at": "2021-05-10T11:00:00",
        "format": "hybrid",
        **changes,
    }


def point_of(conference: Conference, unit: Any) -> BridgePoint:
    return conference.points.get(unit=unit)


@pytest.fixture
def officer_b(tree):  # type: ignore[no-untyped-def]
    return make_user(role="officer", unit=tree.commune_b1, username="officer_b")


@pytest.fixture
def relayed(tree) -> Conference:  # type: ignore[no-untyped-def]
    """The province's conference relayed to communes A1 and B1."""
    return make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1])


# --- Planning ----------------------------------------------------------------------------------


def test_create_answers_201_then_200_for_the_same_key(client_for, admin_user, tree):
    client = client_for(admin_user)
    body = conference_body(
        sites=[
            {"unit": "P", "is_host": True, "location": "Hội trường Tỉnh ủy"},
            {"unit": "P-A-1", "contact_name": "Lò Văn An", "contact_phone": "0912 345 678"},
            {"unit": "P-B-1", "mode": "per_person"},
        ],
        expected={"party_members": 300},
        presenters=[{"name": "Đồng chí Trưởng ban", "topic": "Chuyên đề 1"}],
        client_key="form-1",
    )
    first = post(client, "/conferences", body)
    assert first.status_code == 201, first.json()
    created = first.json()
    assert created["status"] == "planned"
    assert created["site_count"] == 3
    assert [(p["unit"], p["is_host"], p["level"]) for p in created["points"]] == [
        ("P", True, "province"),
        ("P-A-1", False, "commune"),
        ("P-B-1", False, "commune"),
    ]
    assert created["points"][2]["mode"] == "per_person"
    assert created["points"][1]["contact_phone"] == "0912 345 678"
    assert all(p["code"] for p in created["points"])
    assert created["expected"] == {"party_members": 300}
    assert created["presenters"] == [{"person": None, "name": "Đồng chí Trưởng ban", "topic": "Chuyên đề 1"}]
    assert created["held_on"] == "2021-05-10"
    # 07:30 without a zone is 07:30 in Asia/Ho_Chi_Minh.
    assert timezone.localtime(Conference.objects.get().starts_at).time() == dt.time(7, 30)

    again = post(client, "/conferences", {**body, "title": "Gửi lại"})
    assert again.status_code == 200
    assert again.json() == created
    assert Conference.objects.count() == 1
    assert BridgePoint.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_creations_with_one_key_answer_201_once(client_for, tree):
    skip_unless_shared_database()
    admin = make_user(role="administrator", unit=tree.province, username="admin_parallel")
    body = conference_body(sites=[{"unit": "P", "is_host": True}, {"unit": "P-A-1"}], client_key="form-parallel")
    answers = post_at_once(client_for(admin), f"{API}/conferences", body, times=20)
    assert sorted(status for status, _answer in answers) == [200] * 19 + [201]
    assert len({json.dumps(answer, sort_keys=True) for _status, answer in answers}) == 1
    assert Conference.objects.count() == 1 and BridgePoint.objects.count() == 2


def test_create_without_sites_is_hosted_by_the_organiser(client_for, officer_a, tree):
    response = post(
        client_for(officer_a), "/conferences", conference_body("P-A-1", format="in_person", level="commune")
    )
    assert response.status_code == 201
    assert [(p["unit"], p["is_host"]) for p in response.json()["points"]] == [("P-A-1", True)]


def test_planning_needs_the_right_to_record_for_the_organiser(client_for, officer_a, inspector, tree):
    # The inspector sees the province but may not plan there; officer A does not see it at all.
    denied = post(client_for(inspector), "/conferences", conference_body())
    assert denied.status_code == 403
    assert denied.json()["code"] == "permission_denied"
    hidden = post(client_for(officer_a), "/conferences", conference_body())
    assert hidden.status_code == 404
    assert hidden.json()["code"] == "not_found"
    # A site outside the planner's scope is not found either.
    outside = post(
        client_for(officer_a), "/conferences", conference_body("P-A-1", sites=[{"unit": "P-A-1"}, {"unit": "P-B-1"}])
    )
    assert outside.status_code == 404
    assert Conference.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"ends_at": "2021-05-10T06:00:00"}, "validation_failed"),
        ({"kind": "picnic"}, "validation_failed"),
        ({"level": "galaxy"}, "invalid_input"),
        ({"starts_at": "0001-01-01T00:00:00"}, "invalid_input"),
        ({"starts_at": "10/05/2021"}, "invalid_input"),
        ({"title": ""}, "validation_failed"),
        ({"title": "x" * 300}, "invalid_input"),
        ({"expected": {"party_members": -1}}, "invalid_input"),
        ({"expected": {"aliens": 3}}, "invalid_input"),
        ({"format": "in_person", "sites": [{"unit": "P"}, {"unit": "P-A-1"}]}, "validation_failed"),
        ({"sites": [{"unit": "P-A-1"}, {"unit": "P-A-1"}]}, "validation_failed"),
        ({"sites": [{"unit": "P", "is_host": True}, {"unit": "P-A-1", "is_host": True}]}, "validation_failed"),
        ({"documents": [2**63]}, "invalid_input"),
    ],
)
def test_bad_conferences_are_refused_with_422(client_for, admin_user, tree, changes, code):
    response = post(client_for(admin_user), "/conferences", conference_body(**changes))
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == code
    assert set(response.json()) == {"code", "message", "extra"}
    assert Conference.objects.count() == 0


def test_update_held_and_cancel(client_for, admin_user, officer_a, tree):
    conference = make_conference(tree.province, sites=[tree.commune_a1], held=False)
    client = client_for(admin_user)
    changed = patch(
        client,
        f"/conferences/{conference.pk}",
        {"title": "Đổi tên", "starts_at": "2021-05-12T07:30:00", "ends_at": "2021-05-12T11:00:00", "notes": "Ghi chú"},
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["title"], changed.json()["held_on"], changed.json()["notes"]) == (
        "Đổi tên",
        "2021-05-12",
        "Ghi chú",
    )
    assert set(conference.points.values_list("held_on", flat=True)) == {dt.date(2021, 5, 12)}
    assert patch(client, f"/conferences/{conference.pk}", {"format": "in_person"}).status_code == 422
    # Officer A sees the conference (A1 has a site) but may not change it.
    assert patch(client_for(officer_a), f"/conferences/{conference.pk}", {"title": "x"}).status_code == 403
    assert post(client_for(officer_a), f"/conferences/{conference.pk}/held").status_code == 403

    assert post(client, f"/conferences/{conference.pk}/cancel", {"reason": " "}).status_code == 422
    held = post(client, f"/conferences/{conference.pk}/held")
    assert held.json()["status"] == "held"
    refused = post(client, f"/conferences/{conference.pk}/cancel", {"reason": "Mưa lũ"})
    assert refused.status_code == 409
    assert Conference.objects.get().status == "held"

    other = make_conference(tree.province, held=False, format=Format.IN_PERSON)
    cancelled = post(client, f"/conferences/{other.pk}/cancel", {"reason": "Mưa lũ"})
    assert (cancelled.status_code, cancelled.json()["status"], cancelled.json()["cancel_reason"]) == (
        200,
        "cancelled",
        "Mưa lũ",
    )


# --- Scope -------------------------------------------------------------------------------------


def test_list_and_detail_follow_the_scope(client_for, officer_a, officer_b, relayed, tree):
    own_b = make_conference(tree.commune_b1, level="commune", format=Format.IN_PERSON, title="Hội nghị xã Lương Sơn")
    bloc_officer = make_user(role="officer", unit=tree.bloc, username="officer_bloc")

    seen_by_a = get(client_for(officer_a), "/conferences").json()
    assert seen_by_a["count"] == 1
    assert [c["id"] for c in seen_by_a["items"]] == [relayed.pk]
    assert seen_by_a["items"][0]["site_count"] == 3
    assert {c["id"] for c in get(client_for(officer_b), "/conferences").json()["items"]} == {relayed.pk, own_b.pk}

    detail = get(client_for(officer_a), f"/conferences/{relayed.pk}")
    assert detail.status_code == 200
    points = {p["unit"]: p for p in detail.json()["points"]}
    assert points["P-A-1"]["may_record"] is True and points["P-A-1"]["code"]
    assert points["P-B-1"]["may_record"] is False and points["P-B-1"]["code"] is None
    assert detail.json()["may_change"] is False

    assert get(client_for(officer_a), f"/conferences/{own_b.pk}").status_code == 404
    for path in (f"/conferences/{relayed.pk}", f"/points/{point_of(relayed, tree.commune_a1).pk}"):
        hidden = get(client_for(bloc_officer), path)
        assert hidden.status_code == 404
        assert hidden.json()["code"] == "not_found"
    assert get(client_for(bloc_officer), "/conferences").json()["count"] == 0
    assert get(client_for(officer_a), "/conferences/999999").status_code == 404


def test_list_filters(client_for, admin_user, relayed, tree):
    make_conference(tree.commune_b1, level="commune", format=Format.IN_PERSON, title="Sơ kết quý", held=False)
    client = client_for(admin_user)

    def ids(**params: Any) -> list[int]:
        response = get(client, "/conferences", **params)
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["items"]]

    assert len(ids()) == 2
    assert ids(status="held") == [relayed.pk]
    assert ids(unit="P-A-1") == [relayed.pk]
    assert len(ids(unit="P-B-1")) == 2
    assert len(ids(q="Sơ kết")) == 1
    assert ids(q="thu nghiem") == [relayed.pk]  # the organiser's name, diacritics ignored
    assert ids(format="hybrid") == [relayed.pk]
    assert ids(kind="thematic") == []
    assert ids(start="2021-05-11") == []
    assert len(ids(start="2021-05-10", end="2021-05-10")) == 2
    assert len(ids(limit=1)) == 1
    assert get(client, "/conferences", start="2021-05-11", end="2021-05-01").status_code == 422
    assert get(client, "/conferences", unit="NOPE").status_code == 404
    assert get(client, "/conferences", status="lost").status_code == 422


def test_list_queries_do_not_grow_with_the_number_of_conferences(client_for, admin_user, tree):
    client = client_for(admin_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert get(client, "/conferences").status_code == 200
        return len(captured)

    make_conference(tree.province, sites=[tree.commune_a1])
    few = queries()
    for n in range(4):
        make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1], title=f"Hội nghị {n}")
    assert queries() == few


def test_anonymous_callers_get_401(client, relayed):
    response = client.get(f"{API}/conferences")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# --- Sites -------------------------------------------------------------------------------------


def test_points_added_by_tier_as_of_the_conference_date(client_for, admin_user, tree):
    make_unit(kind="commune_committee", parent=tree.district_a, code="P-A-2", opened_on=dt.date(2022, 1, 1))
    conference = make_conference(tree.province)
    client = client_for(admin_user)

    added = post(client, f"/conferences/{conference.pk}/points", {"parent": "P", "tier": "commune"})
    assert added.status_code == 201, added.json()
    # P-A-2 opened after the conference: not a commune of that day.
    levels = {p["unit"]: p["level"] for p in added.json()["items"]}
    # Under the province: its communes, not the agencies' organisations of the same tier.
    assert levels == {"P-A-1": "commune", "P-B-1": "commune"}
    again = post(client, f"/conferences/{conference.pk}/points", {"parent": "P", "tier": "commune"})
    assert (again.status_code, again.json()["count"]) == (201, 0)
    agencies = post(client, f"/conferences/{conference.pk}/points", {"parent": "P-K", "tier": "commune"})
    assert {p["unit"]: p["level"] for p in agencies.json()["items"]} == {"P-K-1": "grassroots"}
    assert conference.points.count() == 4

    listed = post(
        client, f"/conferences/{conference.pk}/points", {"sites": [{"unit": "P-A-1-C1", "level": "grassroots"}]}
    )
    assert [(p["unit"], p["level"]) for p in listed.json()["items"]] == [("P-A-1-C1", "grassroots")]

    assert post(client, f"/conferences/{conference.pk}/points", {"parent": "P", "tier": "galaxy"}).status_code == 422
    assert post(client, f"/conferences/{conference.pk}/points", {"parent": "P"}).status_code == 422
    assert post(client, f"/conferences/{conference.pk}/points", {}).status_code == 422
    both = {"parent": "P", "tier": "commune", "sites": [{"unit": "P-A-1"}]}
    assert post(client, f"/conferences/{conference.pk}/points", both).status_code == 422
    in_person = make_conference(tree.province, format=Format.IN_PERSON)
    refused = post(client, f"/conferences/{in_person.pk}/points", {"parent": "P", "tier": "commune"})
    assert refused.status_code == 422
    assert in_person.points.count() == 1


def test_point_update_remove_and_connection(client_for, admin_user, officer_a, relayed, tree):
    a1 = point_of(relayed, tree.commune_a1)
    b1 = point_of(relayed, tree.commune_b1)
    officer = client_for(officer_a)

    changed = patch(officer, f"/points/{a1.pk}", {"location": "Nhà văn hóa xã", "contact_phone": "0988 000 111"})
    assert changed.status_code == 200
    assert (changed.json()["location"], changed.json()["contact_phone"]) == ("Nhà văn hóa xã", "0988 000 111")
    assert changed.json()["level"] == "commune"

    report = post(officer, f"/points/{a1.pk}/connection", {"status": "dropped", "note": "Mất điện"})
    assert report.status_code == 201
    assert get(officer, f"/points/{a1.pk}").json()["connection"] == "dropped"
    assert post(officer, f"/points/{a1.pk}/connection", {"status": "unknown"}).status_code == 422

    # Officer A records A1's site, not B1's; only the planners take a site off.
    assert patch(officer, f"/points/{b1.pk}", {"location": "x"}).status_code == 403
    assert officer.delete(f"{API}/points/{b1.pk}").status_code == 403
    admin = client_for(admin_user)
    assert admin.delete(f"{API}/points/{a1.pk}").status_code == 409  # a connection report was recorded
    assert admin.delete(f"{API}/points/{b1.pk}").status_code == 204
    assert admin.delete(f"{API}/points/{point_of(relayed, tree.province).pk}").status_code == 409  # the host
    assert relayed.points.count() == 2


# --- Attendance --------------------------------------------------------------------------------

GOOD = {
    "present": {"party_members": 40, "non_members": 10},
    "late": {"party_members": 3},
    "members_summoned": 50,
    "members_exempt": 5,
    "summoned": 60,
}


@pytest.mark.parametrize(
    ("counts", "code"),
    [
        ({**GOOD, "late": {"party_members": 41}}, "validation_failed"),
        ({**GOOD, "late": {"cadres": 1}}, "validation_failed"),
        ({**GOOD, "members_exempt": 51}, "validation_failed"),
        ({**GOOD, "members_summoned": 30}, "validation_failed"),
        ({**GOOD, "summoned": 45}, "validation_failed"),
        ({**GOOD, "present": {"party_members": -1}}, "invalid_input"),
        ({**GOOD, "present": {"party_members": 2**40}}, "invalid_input"),
        ({**GOOD, "present": {"martians": 1}}, "invalid_input"),
        ({**GOOD, "summoned": "many"}, "invalid_input"),
    ],
)
def test_attendance_with_bad_numbers_is_422_and_changes_nothing(client_for, officer_a, relayed, tree, counts, code):
    a1 = point_of(relayed, tree.commune_a1)
    client = client_for(officer_a)
    assert put(client, f"/points/{a1.pk}/attendance", GOOD).status_code == 200
    response = put(client, f"/points/{a1.pk}/attendance", counts)
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == code
    a1.refresh_from_db()
    assert (a1.present, a1.members_present, a1.late, a1.members_summoned, a1.summoned) == (50, 40, 3, 50, 60)


def test_officer_records_their_own_site_only(client_for, officer_a, relayed, tree):
    a1 = point_of(relayed, tree.commune_a1)
    b1 = point_of(relayed, tree.commune_b1)
    hidden = make_conference(tree.commune_b1, level="commune", format=Format.IN_PERSON)
    client = client_for(officer_a)

    recorded = put(client, f"/points/{a1.pk}/attendance", GOOD)
    assert recorded.status_code == 200
    body = recorded.json()
    assert (body["present_total"], body["members_present"], body["late_total"]) == (50, 40, 3)
    assert body["present"] == {"non_members": 10, "party_members": 40}
    assert body["late"] == {"party_members": 3}

    denied = put(client, f"/points/{b1.pk}/attendance", GOOD)
    assert denied.status_code == 403
    assert denied.json()["code"] == "permission_denied"
    assert put(client, f"/points/{hidden.points.get().pk}/attendance", GOOD).status_code == 404
    b1.refresh_from_db()
    assert b1.present == 0

    detail = get(client, f"/conferences/{relayed.pk}").json()
    assert detail["totals"]["party_members"] == 40
    assert detail["rates"]["member_rate"] == pytest.approx(88.9)
    assert detail["rates"]["summoned_rate"] == pytest.approx(83.3)


def test_attendance_of_many_sites_at_once(client_for, admin_user, officer_a, relayed, tree):
    a1 = point_of(relayed, tree.commune_a1)
    b1 = point_of(relayed, tree.commune_b1)
    rows = [{"point_id": a1.pk, **GOOD}, {"point_id": b1.pk, "present": {"cadres": 7}}]

    assert post(client_for(officer_a), f"/conferences/{relayed.pk}/attendance", rows).status_code == 403
    bad = [rows[0], {"point_id": b1.pk, "present": {"cadres": 7}, "late": {"cadres": 8}}]
    assert post(client_for(admin_user), f"/conferences/{relayed.pk}/attendance", bad).status_code == 422
    assert post(client_for(admin_user), f"/conferences/{relayed.pk}/attendance", [rows[0], rows[0]]).status_code == 422
    assert post(client_for(admin_user), f"/conferences/{relayed.pk}/attendance", []).status_code == 422
    other = make_conference(tree.province)
    foreign = [{"point_id": other.points.get().pk, **GOOD}]
    assert post(client_for(admin_user), f"/conferences/{relayed.pk}/attendance", foreign).status_code == 404
    assert BridgePoint.objects.filter(present__gt=0).count() == 0

    done = post(client_for(admin_user), f"/conferences/{relayed.pk}/attendance", rows)
    assert (done.status_code, done.json()) == (200, {"recorded": 2})
    totals = get(client_for(admin_user), f"/conferences/{relayed.pk}").json()
    assert totals["attendance"] == 57
    assert totals["totals"] == {"party_members": 40, "cadres": 7, "non_members": 10, "students": 0, "others": 0}


# --- Check-in and roster -----------------------------------------------------------------------


def _conference_starting_soon(tree: Any, *, mandatory: bool = False) -> Conference:
    """A conference starting in half an hour (check-in opens an hour before), A1 per person."""
    starts = timezone.now() + dt.timedelta(minutes=30)
    data = ConferenceData(
        title="Hội nghị báo cáo viên",
        kind=ConferenceKind.objects.get(code="reporters_monthly"),
        organiser=tree.province,
        level="province",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        format=Format.HYBRID,
        is_mandatory=mandatory,
    )
    sites = [
        SiteData(unit=tree.province, is_host=True),
        SiteData(unit=tree.commune_a1, mode=BridgePoint.Mode.PER_PERSON),
    ]
    return conference_create(by=None, data=data, sites=sites).obj


def test_check_in_needs_no_sign_in_and_counts_a_replay_once(tree):
    conference = _conference_starting_soon(tree)
    a1 = point_of(conference, tree.commune_a1)
    phone = Client()
    scan = {"code": a1.code.lower(), "client_key": "phone-1", "name": "Lò Thị Mai", "category": "party_members"}

    first = phone.post(f"{API}/checkin", scan, content_type="application/json")
    assert first.status_code == 201, first.json()
    assert first.json()["created"] is True
    assert (first.json()["name"], first.json()["is_late"]) == ("Lò Thị Mai", False)
    again = phone.post(f"{API}/checkin", scan, content_type="application/json")
    assert (again.status_code, again.json()["created"]) == (200, False)
    other = {"code": a1.code, "client_key": "phone-2", "name": "Vàng A Sử", "category": "cadres"}
    assert phone.post(f"{API}/checkin", other, content_type="application/json").status_code == 201

    a1.refresh_from_db()
    assert (a1.present, a1.members_present) == (2, 1)
    assert Participant.objects.filter(point=a1).count() == 2

    unknown = phone.post(f"{API}/checkin", {**scan, "code": "ZZZZZZ"}, content_type="application/json")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "validation_failed")
    headcount = point_of(conference, tree.province)
    refused = phone.post(
        f"{API}/checkin", {**scan, "code": headcount.code, "client_key": "p3"}, content_type="application/json"
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "headcount_site")
    assert phone.post(f"{API}/checkin", {"code": a1.code}, content_type="application/json").status_code == 422


def test_roster_keeps_absent_names_only_for_mandatory_conferences(client_for, officer_a, inspector, tree):
    client = client_for(officer_a)
    for mandatory in (False, True):
        conference = _conference_starting_soon(tree, mandatory=mandatory)
        a1 = point_of(conference, tree.commune_a1)
        registered = post(
            client,
            f"/points/{a1.pk}/participants",
            {"names": [{"name": "Giàng Seo Phử", "category": "party_members"}, {"name": "Lò Văn Bình"}]},
        )
        assert registered.status_code == 201
        assert registered.json() == {"added": 2, "participants": 2}
        ids = {p["name"]: p["id"] for p in get(client, f"/points/{a1.pk}").json()["participants"]}
        marks = {
            "marks": [
                {"participant_id": ids["Giàng Seo Phử"], "status": "absent", "absence_reason": "ốm"},
                {"participant_id": ids["Lò Văn Bình"], "status": "present", "is_late": True},
            ]
        }
        response = post(client, f"/points/{a1.pk}/roster", marks)
        if not mandatory:
            assert response.status_code == 422
            assert response.json()["code"] == "absent_list_not_kept"
            assert Participant.objects.filter(point=a1, status="absent").count() == 0
            continue
        assert response.status_code == 200, response.json()
        body = response.json()
        assert (body["absent_excused"], body["present_total"], body["late_total"]) == (1, 1, 1)
        assert body["shows_absent_names"] is True
        assert {(p["name"], p["status"], p["absence_reason"]) for p in body["participants"]} == {
            ("Giàng Seo Phử", "absent", "ốm"),
            ("Lò Văn Bình", "present", ""),
        }
        # An inspector sees the counts, never the names.
        seen = get(client_for(inspector), f"/points/{a1.pk}").json()
        assert (seen["participants_visible"], seen["participants"], seen["present_total"]) == (False, None, 1)
    unknown = post(client, f"/points/{a1.pk}/roster", {"marks": [{"participant_id": 999999, "status": "present"}]})
    assert unknown.status_code == 422
    assert post(client, f"/points/{a1.pk}/participants", {"person_ids": [999999]}).status_code == 404


# --- Study reflections -------------------------------------------------------------------------


def test_reflections_are_recorded_for_cells_in_scope(client_for, officer_a, inspector, relayed, tree):
    client = client_for(officer_a)
    body = {
        "unit": "P-A-1-C1",
        "conference_id": relayed.pk,
        "recorded_on": "2021-05-20",
        "required": 20,
        "exempt": 2,
        "submitted": 17,
        "graded": 15,
    }
    first = put(client, "/reflections", body)
    assert first.status_code == 200, first.json()
    assert (first.json()["unit"], first.json()["submitted"], first.json()["conference"]) == ("P-A-1-C1", 17, relayed.pk)
    corrected = put(client, "/reflections", {**body, "submitted": 18})
    assert corrected.json()["id"] == first.json()["id"]
    assert StudyReflectionTally.objects.get().submitted == 18

    listed = get(client, "/reflections").json()
    assert (listed["count"], listed["items"][0]["submitted"]) == (1, 18)
    assert get(client, "/reflections", unit="P-A-1").json()["count"] == 1
    assert get(client, "/reflections", conference_id=relayed.pk + 1).json()["count"] == 0
    assert get(client_for(inspector), "/reflections").json()["count"] == 1

    assert put(client, "/reflections", {**body, "graded": 19}).status_code == 422
    assert put(client, "/reflections", {**body, "conference_id": None}).status_code == 422
    assert put(client, "/reflections", {**body, "recorded_on": "2021-02-30"}).status_code == 422
    assert put(client, "/reflections", {**body, "unit": "P-B-1"}).status_code == 404
    denied = put(client_for(inspector), "/reflections", body)
    assert (denied.status_code, denied.json()["code"]) == (403, "permission_denied")
    assert StudyReflectionTally.objects.get().submitted == 18


# --- Series ------------------------------------------------------------------------------------


def test_series_plans_the_next_conference(client_for, admin_user, officer_a, inspector, tree):
    client = client_for(admin_user)
    created = post(
        client,
        "/series",
        {
            "title": "Hội nghị báo cáo viên tháng",
            "kind": "reporters_monthly",
            "organiser": "P",
            "level": "province",
            "recurrence": "monthly",
            "starts_at_time": "07:30",
            "day_of_month": 5,
            "sites": [{"unit": "P", "is_host": True}, {"unit": "P-A-1"}],
        },
    )
    assert created.status_code == 201, created.json()
    series_id = created.json()["id"]
    assert [s["unit"] for s in created.json()["sites"]] == ["P", "P-A-1"]

    first = post(client, f"/series/{series_id}/plan-next", {"on": "2021-06-05"})
    assert first.status_code == 201, first.json()
    assert (first.json()["held_on"], first.json()["series"], first.json()["site_count"]) == ("2021-06-05", series_id, 2)
    following = post(client, f"/series/{series_id}/plan-next")
    assert (following.status_code, following.json()["held_on"]) == (201, "2021-07-05")
    replay = post(client, f"/series/{series_id}/plan-next", {"on": "2021-06-05"})
    assert (replay.status_code, replay.json()["id"]) == (200, first.json()["id"])

    detail = get(client, f"/series/{series_id}").json()
    assert detail["next_date"] == "2021-08-05"
    assert [c["held_on"] for c in detail["conferences"]] == ["2021-07-05", "2021-06-05"]
    assert get(client, "/series").json()["count"] == 1

    assert post(client_for(inspector), f"/series/{series_id}/plan-next").status_code == 403
    assert get(client_for(officer_a), f"/series/{series_id}").status_code == 404
    assert get(client_for(officer_a), "/series").json()["count"] == 0
    bad = post(client, "/series", {**created.json(), "organiser": "P", "day_of_month": 31, "sites": []})
    assert bad.status_code == 422
    assert ConferenceSeries.objects.count() == 1


# --- The schema --------------------------------------------------------------------------------


def test_openapi_lists_the_meetings_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/meetings/conferences",
        "/api/v1/meetings/conferences/{conference_id}",
        "/api/v1/meetings/conferences/{conference_id}/points",
        "/api/v1/meetings/conferences/{conference_id}/attendance",
        "/api/v1/meetings/points/{point_id}",
        "/api/v1/meetings/points/{point_id}/attendance",
        "/api/v1/meetings/checkin",
        "/api/v1/meetings/reflections",
        "/api/v1/meetings/series/{series_id}/plan-next",
        "/api/v1/meetings/import",
    ):
        assert path in paths, path
    # Check-in is public: no security requirement.
    assert not paths["/api/v1/meetings/checkin"]["post"].get("security")
    assert paths["/api/v1/meetings/conferences"]["get"].get("security")


def test_categories_are_the_model_categories():
    from typing import get_args

    from lantoa.meetings.schemas import CategoryCode

    assert set(get_args(CategoryCode)) == set(Category.values)


def test_calendar_ics_through_the_api(client_for, admin_user, officer_a, tree):
    from django.utils import timezone

    make_conference(tree.province, sites=[tree.commune_a1], day=timezone.localdate(), title="Hội nghị, lịch; thử")
    body = client_for(admin_user).get("/api/v1/meetings/calendar.ics", {"unit": "P"})
    assert body.status_code == 200 and body["Content-Type"].startswith("text/calendar")
    text = body.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "SUMMARY:Hội nghị\\, lịch\\; thử" in text
    assert client_for(officer_a).get("/api/v1/meetings/calendar.ics", {"unit": "P-B"}).status_code == 404


def test_a_future_conference_cannot_be_marked_held(client_for, admin_user, tree):
    from unittest import mock

    from lantoa.meetings.tests.factories import at

    conference = make_conference(tree.province, held=False, day=DAY)
    with mock.patch("django.utils.timezone.now", return_value=at(DAY - dt.timedelta(days=1), 9)):
        refused = post(client_for(admin_user), f"/conferences/{conference.pk}/held")
    assert refused.status_code == 409
    assert set(refused.json()) == {"code", "message", "extra"}
    assert refused.json()["code"] == "conference_not_started"
    assert Conference.objects.get().status == "planned"


@pytest.fixture
def fresh_limits():  # type: ignore[no-untyped-def]
    from lantoa.core import ratelimit

    ratelimit.reset()
    yield
    ratelimit.reset()


def test_check_in_limits_unknown_codes_per_address_like_the_page(tree, fresh_limits):
    from lantoa.meetings import limits

    a1 = point_of(_conference_starting_soon(tree), tree.commune_a1)
    phone = Client(REMOTE_ADDR="198.51.100.7")
    for attempt in range(limits.FAILED_LOOKUP_LIMIT):
        guess = {"code": f"ZZZZ{attempt:04d}", "client_key": f"g{attempt}"}
        assert phone.post(f"{API}/checkin", guess, content_type="application/json").status_code == 422
    good = {"code": a1.code, "client_key": "phone-1", "name": "Lò Thị Mai"}
    refused = phone.post(f"{API}/checkin", good, content_type="application/json")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(limits.WINDOW_SECONDS)
    assert set(refused.json()) == {"code", "message", "extra"}
    assert refused.json()["code"] == "too_many_attempts"
    assert phone.get(f"/c/{a1.code}").status_code == 429  # the page counts in the same window
    assert not Participant.objects.filter(point=a1).exists()
    elsewhere = Client(REMOTE_ADDR="198.51.100.8")
    assert elsewhere.post(f"{API}/checkin", good, content_type="application/json").status_code == 201


def test_check_in_limits_anonymous_arrivals_per_address_and_site(tree, fresh_limits, monkeypatch):
    from lantoa.meetings import limits

    monkeypatch.setattr(limits, "CHECK_IN_LIMIT", 5)
    a1 = point_of(_conference_starting_soon(tree), tree.commune_a1)
    hall = Client(REMOTE_ADDR="198.51.100.7")
    answers = [
        hall.post(f"{API}/checkin", {"code": a1.code, "client_key": f"k{n}"}, content_type="application/json")
        for n in range(8)
    ]
    assert [a.status_code for a in answers] == [201] * 5 + [429] * 3
    assert answers[-1]["Retry-After"] == str(limits.WINDOW_SECONDS)
    a1.refresh_from_db()
    assert a1.present == 5 and Participant.objects.filter(point=a1).count() == 5
