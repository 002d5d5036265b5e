"""The conference pages: scope, planning, bridge points, headcounts, rosters, reflections, series."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from lantoa.accounts.models import User
from lantoa.accounts.tests.factories import make_user
from lantoa.meetings.models import (
    BridgePoint,
    Category,
    Conference,
    ConferenceKind,
    ConferenceSeries,
    ConnectionEvent,
    Format,
    Participant,
    StudyReflectionTally,
)
from lantoa.meetings.services import SiteData, participants_register, points_add
from lantoa.meetings.tests.factories import make_conference
from lantoa.org.tests.factories import make_unit
from lantoa.people.tests.factories import make_person, make_role

pytestmark = pytest.mark.django_db
DAY = dt.date(2021, 5, 10)


@pytest.fixture
def client_for(client_for):  # type: ignore[no-untyped-def]
    """The shared ``client_for``, with the user reading English (the source language)."""

    def build(user, **kwargs):  # type: ignore[no-untyped-def]
        User.objects.filter(pk=user.pk).update(language="en")
        return client_for(user, **kwargs)

    return build


@pytest.fixture
def relayed(tree):
    """A province conference relayed to both communes; commune A1 takes attendance per person."""
    conference = make_conference(tree.province, sites=[tree.commune_b1], held=False)
    points_add(
        by=None,
        conference=conference,
        sites=[SiteData(unit=tree.commune_a1, mode=BridgePoint.Mode.PER_PERSON)],
    )
    return conference


def _point(conference, unit):
    return conference.points.get(unit=unit)


def _kind() -> ConferenceKind:
    return ConferenceKind.objects.get(code="resolution_study")


def _plan_data(tree, **changes):
    data = {
        "title": "Hội nghị học tập Nghị quyết Trung ương 4",
        "kind": _kind().pk,
        "organiser": tree.province.code,
        "level": "province",
        "starts_on": "2024-06-12",
        "starts_at": "08:00",
        "ends_at": "11:30",
        "format": Format.HYBRID,
        "is_mandatory": "on",
        "notes": "",
        "expected_party_members": "120",
        "expected_non_members": "",
        "client_key": "form-key-1",
        "presenters-TOTAL_FORMS": "3",
        "presenters-INITIAL_FORMS": "0",
        "presenters-MIN_NUM_FORMS": "0",
        "presenters-MAX_NUM_FORMS": "30",
        "presenters-0-person": "",
        "presenters-0-name": "Nguyễn Văn Báo",
        "presenters-0-topic": "Chuyên đề 1",
    }
    data.update(changes)
    return data


# --- Pages and scope ---------------------------------------------------------------------------


def test_every_page_renders_for_an_administrator(tree, admin_user, client_for, relayed):
    client = client_for(admin_user)
    host = _point(relayed, tree.province)
    per_person = _point(relayed, tree.commune_a1)
    series = ConferenceSeries.objects.create(
        title="Hội nghị báo cáo viên tháng",
        kind=_kind(),
        organiser=tree.province,
        level="province",
        recurrence="monthly",
        starts_at_time=dt.time(8),
    )
    pages = [
        reverse("meetings:list"),
        reverse("meetings:conference_new"),
        reverse("meetings:detail", args=[relayed.pk]),
        reverse("meetings:conference_edit", args=[relayed.pk]),
        reverse("meetings:conference_cancel", args=[relayed.pk]),
        reverse("meetings:point_detail", args=[host.pk]),
        reverse("meetings:point_detail", args=[per_person.pk]),
        reverse("meetings:point_roster", args=[per_person.pk]),
        reverse("meetings:reflections"),
        reverse("meetings:series_list"),
        reverse("meetings:series_new"),
        reverse("meetings:series_detail", args=[series.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(reverse("meetings:detail", args=[relayed.pk])).content.decode()
    assert 'data-testid="add-points"' in detail
    assert reverse("meetings:message", args=[relayed.pk]) in detail
    point_page = client.get(reverse("meetings:point_detail", args=[per_person.pk])).content.decode()
    assert per_person.code in point_page
    assert reverse("meetings:point_qr", args=[per_person.pk, "svg"]) in point_page
    assert reverse("meetings_public:checkin_site", args=[per_person.code]) in point_page


def test_the_list_filters_and_answers_htmx_with_the_table(tree, admin_user, client_for, relayed):
    make_conference(tree.commune_b1, format=Format.IN_PERSON, title="Hội nghị chuyên đề xã Lương Sơn", level="commune")
    client = client_for(admin_user)
    everything = client.get(reverse("meetings:list")).content.decode()
    assert "Hội nghị chuyên đề xã Lương Sơn" in everything and "Nghị quyết Đại hội XIII" in everything
    assert 'data-testid="conference-new"' in everything
    fragment = client.get(
        reverse("meetings:list"), {"unit": tree.district_b.code, "q": "Lương"}, HTTP_HX_REQUEST="true"
    )
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body
    assert "Lương Sơn" in body and "Đại hội XIII" not in body
    by_status = client.get(reverse("meetings:list"), {"status": "planned"}).content.decode()
    assert "Đại hội XIII" in by_status and "Lương Sơn" not in by_status
    unknown = client.get(reverse("meetings:list"), {"unit": "NO-SUCH", "start": "not a date"})
    assert unknown.status_code == 200 and 'data-testid="filter-error"' in unknown.content.decode()


def test_users_outside_the_scope_get_404_or_403(tree, client_for, inspector, officer_a):
    own = make_conference(tree.commune_a1, format=Format.IN_PERSON, level="commune", title="Hội nghị xã Quang Kim")
    point = own.points.get()
    officer_b = make_user(role="officer", unit=tree.commune_b1, username="officer_b")
    client = client_for(officer_b)
    for url in [
        reverse("meetings:detail", args=[own.pk]),
        reverse("meetings:conference_edit", args=[own.pk]),
        reverse("meetings:conference_cancel", args=[own.pk]),
        reverse("meetings:point_detail", args=[point.pk]),
        reverse("meetings:point_roster", args=[point.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("meetings:conference_held", args=[own.pk])).status_code == 404
    assert "Hội nghị xã Quang Kim" not in client.get(reverse("meetings:list")).content.decode()
    # Inspectors read figures but change nothing and see no names.
    reader = client_for(inspector)
    assert reader.get(reverse("meetings:detail", args=[own.pk])).status_code == 200
    assert reader.get(reverse("meetings:conference_edit", args=[own.pk])).status_code == 403
    assert reader.get(reverse("meetings:point_roster", args=[point.pk])).status_code == 403
    assert reader.get(reverse("meetings:conference_new")).status_code == 404
    assert (
        'data-testid="headcount-form"'
        not in reader.get(reverse("meetings:point_detail", args=[point.pk])).content.decode()
    )
    # Someone with no role at all has no conference pages.
    nobody = make_user(username="nobody")
    for url in [reverse("meetings:list"), reverse("meetings:reflections"), reverse("meetings:series_list")]:
        assert client_for(nobody).get(url).status_code == 404, url


def test_unit_search_offers_units_the_user_records_for(tree, client_for, admin_user, officer_a):
    url = reverse("meetings:unit_search")
    found = client_for(admin_user).get(url, {"units": "quang kim"}).content.decode()
    assert f'value="{tree.commune_a1.code}"' in found
    assert tree.commune_b1.code not in client_for(officer_a).get(url, {"q": "Lương Sơn"}).content.decode()
    assert client_for(officer_a).get(url, {"q": ""}).content.decode().strip() == ""


# --- Planning ----------------------------------------------------------------------------------


def test_plan_a_conference_through_the_form_and_a_retry_counts_once(tree, admin_user, client_for):
    client = client_for(admin_user)
    form = client.get(reverse("meetings:conference_new")).content.decode()
    assert 'name="client_key"' in form
    response = client.post(reverse("meetings:conference_new"), _plan_data(tree))
    conference = Conference.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[conference.pk])
    assert conference.is_mandatory and conference.expected == {"party_members": 120}
    assert conference.held_on == dt.date(2024, 6, 12) and conference.created_by == admin_user
    assert [p.name for p in conference.presenters.all()] == ["Nguyễn Văn Báo"]
    host = conference.points.get()
    assert host.is_host and host.unit == tree.province
    again = client.post(reverse("meetings:conference_new"), _plan_data(tree))
    assert again.status_code == 302 and Conference.objects.count() == 1


def test_plan_with_a_reporter_and_a_document(tree, admin_user, client_for):
    from lantoa.library.models import Document, DocumentKind

    reporter = make_person(home_unit=tree.province, family_name="Trần", middle_name="Thị", given_name="Lan")
    make_role(reporter, "reporter", tree.province)
    document = Document.objects.create(
        kind=DocumentKind.objects.first() or DocumentKind.objects.create(code="resolution", name_vi="Nghị quyết"),
        title="Nghị quyết Đại hội XIII",
        number="01-NQ/TW",
        owner_unit=tree.province,
    )
    client = client_for(admin_user)
    page = client.get(reverse("meetings:conference_new")).content.decode()
    assert "Trần Thị Lan" in page and "01-NQ/TW" in page
    data = _plan_data(
        tree, **{"presenters-0-person": str(reporter.pk), "presenters-0-name": "", "documents": [str(document.pk)]}
    )
    assert client.post(reverse("meetings:conference_new"), data).status_code == 302
    conference = Conference.objects.get()
    assert [p.person for p in conference.presenters.all()] == [reporter]
    assert list(conference.documents.all()) == [document]
    detail = client.get(reverse("meetings:detail", args=[conference.pk])).content.decode()
    assert "Trần Thị Lan" in detail and reverse("library:document_detail", args=[document.pk]) in detail


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "This field is required."),
        ({"ends_at": "07:00"}, "The conference cannot end before it starts."),
        ({"expected_party_members": "nhiều"}, "Enter a whole number."),
        ({"organiser": "NO-SUCH"}, "No unit with code NO-SUCH."),
        ({"starts_on": "0001-01-01"}, "Enter a date between 1990 and 2100."),
        ({"starts_at": "25:00"}, "Enter a valid time."),
    ],
)
def test_planning_errors_are_shown_next_to_the_field(tree, admin_user, client_for, changes, message):
    response = client_for(admin_user).post(reverse("meetings:conference_new"), _plan_data(tree, **changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Conference.objects.exists()


def test_an_officer_plans_only_for_units_they_record(tree, officer_a, client_for):
    client = client_for(officer_a)
    refused = client.post(reverse("meetings:conference_new"), _plan_data(tree, format=Format.IN_PERSON))
    assert refused.status_code == 200 and not Conference.objects.exists()
    data = _plan_data(tree, organiser=tree.commune_a1.code, level="commune", format=Format.IN_PERSON)
    assert client.post(reverse("meetings:conference_new"), data).status_code == 302
    assert Conference.objects.get().organiser == tree.commune_a1


def test_edit_held_and_cancel(tree, admin_user, client_for):
    conference = make_conference(tree.province, held=False)
    client = client_for(admin_user)
    data = _plan_data(tree, title="Tên mới", client_key="")
    assert client.post(reverse("meetings:conference_edit", args=[conference.pk]), data).status_code == 302
    conference.refresh_from_db()
    assert conference.title == "Tên mới" and conference.held_on == dt.date(2024, 6, 12)
    assert conference.points.get().held_on == dt.date(2024, 6, 12)
    empty = client.post(reverse("meetings:conference_cancel", args=[conference.pk]), {"reason": "  "})
    assert empty.status_code == 200 and Conference.objects.get().status == "planned"
    client.post(reverse("meetings:conference_held", args=[conference.pk]))
    assert Conference.objects.get().status == "held"
    refused = client.post(reverse("meetings:conference_cancel", args=[conference.pk]), {"reason": "Mưa bão"})
    assert refused.status_code == 200 and "was held cannot be cancelled" in refused.content.decode()
    other = make_conference(tree.province, held=False, title="Khác")
    assert client.post(reverse("meetings:conference_cancel", args=[other.pk]), {"reason": "Mưa bão"}).status_code == 302
    other.refresh_from_db()
    assert other.status == "cancelled" and other.cancel_reason == "Mưa bão"


# --- Bridge points -----------------------------------------------------------------------------


def test_add_bridge_points_one_by_one_and_all_communes_of_a_district(tree, admin_user, client_for):
    conference = make_conference(tree.province, held=False)
    client = client_for(admin_user)
    url = reverse("meetings:points_add", args=[conference.pk])
    response = client.post(url, {"units": tree.district_a.code, "mode": "headcount", "location": "Hội trường huyện"})
    assert response.status_code == 302 and response["Location"].endswith("#sites")
    added = _point(conference, tree.district_a)
    assert added.location == "Hội trường huyện" and not added.is_host and added.level == "district"
    children = reverse("meetings:points_add_children", args=[conference.pk])
    response = client.post(children, {"tier": "commune", "parent": tree.province.code, "mode": "per_person"})
    assert response.status_code == 302
    # The communes — not the agencies' party organisations, which sit in the same tier.
    communes = conference.points.filter(unit__in=[tree.commune_a1, tree.commune_b1])
    assert communes.count() == 2 and {p.mode for p in communes} == {"per_person"}
    assert conference.points.count() == 4
    assert not conference.points.filter(unit=tree.agency_cell).exists()
    # Clicking twice adds nothing more; the bloc's organisations are reached under the bloc.
    client.post(children, {"tier": "commune", "parent": tree.province.code, "mode": "per_person"})
    assert conference.points.count() == 4
    client.post(children, {"tier": "commune", "parent": tree.bloc.code, "mode": "headcount"})
    assert conference.points.filter(unit=tree.agency_cell).exists()
    none_there = client.post(children, {"tier": "village", "parent": tree.commune_b1.code, "mode": "headcount"})
    assert none_there.status_code == 200 and "No unit of this tier" in none_there.content.decode()


def test_a_commune_adds_all_its_party_cells_which_the_form_offers_first(tree, officer_a, client_for):
    cells = [tree.cell_a1] + [
        make_unit(kind="party_cell", parent=tree.commune_a1, name=f"Chi bộ thôn {n}", code=f"P-A-1-C{n}")
        for n in range(2, 21)
    ]
    conference = make_conference(tree.commune_a1, held=False, level="commune", by=officer_a)
    client = client_for(officer_a)
    page = client.get(reverse("meetings:detail", args=[conference.pk]))
    form = page.context["children_form"]
    assert (form["tier"].value(), form["parent"].value()) == ("village", tree.commune_a1.code)

    children = reverse("meetings:points_add_children", args=[conference.pk])
    response = client.post(children, {"tier": "village", "parent": tree.commune_a1.code, "mode": "headcount"})
    assert response.status_code == 302, response.content.decode()
    assert set(conference.points.exclude(is_host=True).values_list("unit", flat=True)) == {c.pk for c in cells}


def test_the_tier_offered_first_is_the_one_below_the_organiser(tree, admin_user, client_for):
    conference = make_conference(tree.province, held=False)
    page = client_for(admin_user).get(reverse("meetings:detail", args=[conference.pk]))
    form = page.context["children_form"]
    assert (form["tier"].value(), form["parent"].value()) == ("district", tree.province.code)


def test_bridge_points_refused_with_a_message(tree, admin_user, officer_a, client_for):
    in_person = make_conference(tree.province, format=Format.IN_PERSON, held=False)
    response = client_for(admin_user).post(
        reverse("meetings:points_add", args=[in_person.pk]), {"units": tree.commune_a1.code, "mode": "headcount"}
    )
    assert response.status_code == 200 and "An in-person conference has one site" in response.content.decode()
    unknown = client_for(admin_user).post(
        reverse("meetings:points_add", args=[in_person.pk]), {"units": "NO-SUCH", "mode": "headcount"}
    )
    assert unknown.status_code == 200 and "No unit with code NO-SUCH." in unknown.content.decode()
    assert in_person.points.count() == 1
    relayed = make_conference(tree.province, held=False, title="Khác")
    refused = client_for(officer_a).post(
        reverse("meetings:points_add", args=[relayed.pk]), {"units": tree.commune_a1.code, "mode": "headcount"}
    )
    assert refused.status_code == 404 and relayed.points.count() == 1


def test_remove_a_site_while_nothing_was_recorded(tree, admin_user, client_for, relayed):
    client = client_for(admin_user)
    b1 = _point(relayed, tree.commune_b1)
    host = _point(relayed, tree.province)
    assert client.post(reverse("meetings:point_remove", args=[host.pk])).status_code == 302
    assert BridgePoint.objects.filter(pk=host.pk).exists()
    assert client.post(reverse("meetings:point_remove", args=[b1.pk])).status_code == 302
    assert not BridgePoint.objects.filter(pk=b1.pk).exists()


# --- Attendance --------------------------------------------------------------------------------


def _headcount(**changes):
    data = {
        "present_party_members": "40",
        "late_party_members": "3",
        "present_non_members": "12",
        "late_non_members": "",
        "members_summoned": "50",
        "members_exempt": "5",
        "summoned": "70",
        "absent_excused": "4",
        "absent_unexcused": "1",
    }
    data.update(changes)
    return data


def test_record_a_headcount(tree, admin_user, client_for, relayed):
    point = _point(relayed, tree.commune_b1)
    client = client_for(admin_user)
    response = client.post(reverse("meetings:point_attendance", args=[point.pk]), _headcount())
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.present, point.members_present, point.late, point.members_expected) == (52, 40, 3, 45)
    assert (point.absent_excused, point.absent_unexcused) == (4, 1)
    page = client.get(reverse("meetings:detail", args=[relayed.pk])).content.decode()
    assert 'data-testid="total-present">52<' in page
    assert "88,9 %" in page or "88.9 %" in page  # 40 of 45 party members expected


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"present_party_members": "bốn mươi"}, "Enter a whole number."),
        ({"late_non_members": "13"}, "More late arrivals than people present."),
        ({"members_exempt": "60"}, "More exempt members than members summoned."),
        ({"present_others": "-2"}, "Ensure this value is greater than or equal to 0."),
        ({"summoned": "99999999999999"}, "Ensure this value is less than or equal to"),
    ],
)
def test_bad_headcount_input_changes_nothing(tree, admin_user, client_for, relayed, changes, message):
    point = _point(relayed, tree.commune_b1)
    response = client_for(admin_user).post(reverse("meetings:point_attendance", args=[point.pk]), _headcount(**changes))
    body = response.content.decode()
    assert response.status_code == 200 and message in body and "is-invalid" in body
    point.refresh_from_db()
    assert point.present == 0 and point.members_summoned == 0 and not point.counts.exists()


def test_an_officer_records_their_communes_point_only(tree, officer_a, client_for):
    conference = make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1], held=False)
    a1, b1 = _point(conference, tree.commune_a1), _point(conference, tree.commune_b1)
    client = client_for(officer_a)
    assert client.post(reverse("meetings:point_attendance", args=[a1.pk]), _headcount()).status_code == 302
    a1.refresh_from_db()
    assert a1.present == 52
    assert client.post(reverse("meetings:point_attendance", args=[b1.pk]), _headcount()).status_code in (403, 404)
    refused = client.post(reverse("meetings:point_connection", args=[b1.pk]), {"status": "dropped"})
    assert refused.status_code in (403, 404)
    b1.refresh_from_db()
    assert b1.present == 0 and not ConnectionEvent.objects.filter(point=b1).exists()
    assert (
        'data-testid="headcount-form"'
        not in client.get(reverse("meetings:point_detail", args=[b1.pk])).content.decode()
    )
    detail = client.get(reverse("meetings:detail", args=[conference.pk])).content.decode()
    assert 'data-testid="add-points"' not in detail and 'data-testid="mark-held"' not in detail


def test_connection_reports(tree, admin_user, client_for, relayed):
    point = _point(relayed, tree.commune_b1)
    client = client_for(admin_user)
    bad = client.post(reverse("meetings:point_connection", args=[point.pk]), {"status": "unknown"})
    assert bad.status_code == 200 and not ConnectionEvent.objects.exists()
    ok = client.post(reverse("meetings:point_connection", args=[point.pk]), {"status": "dropped", "note": "Mất mạng"})
    assert ok.status_code == 302
    point.refresh_from_db()
    assert point.connection == "dropped"
    page = client.get(reverse("meetings:detail", args=[relayed.pk])).content.decode()
    assert 'data-testid="connection-logs"' in page and "Mất mạng" in page


def test_per_person_site_takes_only_its_denominators(tree, admin_user, client_for, relayed):
    point = _point(relayed, tree.commune_a1)
    response = client_for(admin_user).post(
        reverse("meetings:point_attendance", args=[point.pk]),
        {"present_party_members": "30", "members_summoned": "25", "members_exempt": "2", "summoned": "40"},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.present, point.members_summoned, point.summoned) == (0, 25, 40)


# --- Roster ------------------------------------------------------------------------------------


def test_register_and_tick_the_roster(tree, admin_user, client_for, relayed):
    point = _point(relayed, tree.commune_a1)
    person = make_person(home_unit=tree.cell_a1, family_name="Giàng", middle_name="Seo", given_name="Phử")
    client = client_for(admin_user)
    roster_url = reverse("meetings:point_roster", args=[point.pk])
    found = client.get(roster_url, {"q": "phu"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="register-candidates")
    assert found.status_code == 200 and "Giàng Seo Phử" in found.content.decode()
    assert "<html" not in found.content.decode()
    register = reverse("meetings:point_register", args=[point.pk])
    empty = client.post(register, {"category": "party_members"})
    assert empty.status_code == 200 and "Choose persons or type names." in empty.content.decode()
    response = client.post(
        register, {"person": [str(person.pk)], "names": "Lò Thị Mai\n\nVàng A Sử", "category": "party_members"}
    )
    assert response.status_code == 302 and point.participants.count() == 3
    mai = point.participants.get(name="Lò Thị Mai")
    rows = [str(p.pk) for p in point.participants.all()]
    ticked = client.post(roster_url, {"row": rows, "present": [str(mai.pk)], "late": [str(mai.pk)]})
    assert ticked.status_code == 302
    point.refresh_from_db()
    assert (point.present, point.late, point.members_present) == (1, 1, 1)
    mai.refresh_from_db()
    assert mai.status == "present" and mai.method == "roster"
    page = client.get(roster_url).content.decode()
    assert "Giàng Seo Phử" in page and 'data-testid="absences-counted"' in page and 'name="absent"' not in page


def test_absent_names_only_on_mandatory_conferences(tree, admin_user, client_for):
    client = client_for(admin_user)
    for mandatory in (False, True):
        conference = make_conference(
            tree.province,
            sites=[tree.commune_a1],
            mode=BridgePoint.Mode.PER_PERSON,
            mandatory=mandatory,
            held=False,
            title=f"Hội nghị {mandatory}",
        )
        point = _point(conference, tree.commune_a1)
        participants_register(by=None, point=point, names=[("Giàng Seo Phử", Category.PARTY_MEMBERS)])
        someone = point.participants.get()
        url = reverse("meetings:point_roster", args=[point.pk])
        page = client.get(url).content.decode()
        assert ('name="absent"' in page) is mandatory
        client.post(url, {"row": [str(someone.pk)], "absent": [str(someone.pk)], f"reason_{someone.pk}": "Ốm"})
        someone.refresh_from_db()
        point.refresh_from_db()
        if mandatory:
            assert someone.status == Participant.Status.ABSENT and someone.absence_reason == "Ốm"
            assert point.absent_excused == 1
        else:
            assert someone.status == Participant.Status.REGISTERED and point.absent_excused == 0


def test_roster_of_a_headcount_site_says_so(tree, admin_user, client_for, relayed):
    point = _point(relayed, tree.commune_b1)
    page = client_for(admin_user).get(reverse("meetings:point_roster", args=[point.pk])).content.decode()
    assert "there is no roster" in page


# --- Study reflections -------------------------------------------------------------------------


def _reflection(tree, subject, **changes):
    data = {
        "unit": tree.cell_a1.code,
        "conference": str(subject.pk),
        "document": "",
        "recorded_on": "2021-06-01",
        "required": "20",
        "exempt": "2",
        "submitted": "17",
        "graded": "15",
        "makeup_sessions": "1",
    }
    data.update(changes)
    return data


def test_record_study_reflections(tree, officer_a, client_for):
    conference = make_conference(tree.province, sites=[tree.commune_a1])
    client = client_for(officer_a)
    page = client.get(reverse("meetings:reflections")).content.decode()
    assert 'data-testid="counts-only"' in page and conference.title in page
    assert client.post(reverse("meetings:reflections"), _reflection(tree, conference)).status_code == 302
    tally = StudyReflectionTally.objects.get()
    assert (tally.unit, tally.submitted, tally.graded) == (tree.cell_a1, 17, 15)
    assert 'data-testid="reflection-submitted">17<' in client.get(reverse("meetings:reflections")).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"graded": "18"}, "More graded than submitted."),
        ({"submitted": "mười"}, "Enter a whole number."),
        ({"conference": ""}, "Choose the conference or the document studied."),
        ({"unit": "P-B-1"}, "No unit with code P-B-1."),
    ],
)
def test_bad_reflection_input_changes_nothing(tree, officer_a, client_for, changes, message):
    conference = make_conference(tree.province, sites=[tree.commune_a1])
    response = client_for(officer_a).post(reverse("meetings:reflections"), _reflection(tree, conference, **changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not StudyReflectionTally.objects.exists()


def test_reflections_of_other_units_stay_hidden(tree, officer_a, client_for):
    conference = make_conference(tree.province, sites=[tree.commune_b1])
    StudyReflectionTally.objects.create(
        unit=tree.commune_b1, conference=conference, recorded_on=DAY, required=9, submitted=9
    )
    page = client_for(officer_a).get(reverse("meetings:reflections")).content.decode()
    assert tree.commune_b1.name not in page


# --- Series ------------------------------------------------------------------------------------


def test_series_create_and_plan_next(tree, admin_user, client_for):
    client = client_for(admin_user)
    data = {
        "title": "Hội nghị báo cáo viên định kỳ",
        "kind": ConferenceKind.objects.get(code="reporters_monthly").pk,
        "organiser": tree.province.code,
        "level": "province",
        "format": "hybrid",
        "recurrence": "monthly",
        "day_of_month": "15",
        "starts_at_time": "08:00",
        "duration_minutes": "180",
        "units": f"{tree.district_a.code}, NO-SUCH",
        "children_tier": "commune",
        "children_parent": tree.district_b.code,
    }
    bad = client.post(reverse("meetings:series_new"), data)
    assert bad.status_code == 200 and "No unit with code NO-SUCH." in bad.content.decode()
    assert not ConferenceSeries.objects.exists()
    response = client.post(reverse("meetings:series_new"), {**data, "units": tree.district_a.code})
    series = ConferenceSeries.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("meetings:series_detail", args=[series.pk])
    assert {s.unit for s in series.sites.all()} == {tree.province, tree.district_a, tree.commune_b1}
    page = client.get(reverse("meetings:series_detail", args=[series.pk])).content.decode()
    assert 'data-testid="series-plan-next"' in page
    planned = client.post(reverse("meetings:series_plan_next", args=[series.pk]))
    conference = Conference.objects.get()
    assert planned.status_code == 302 and planned["Location"] == reverse("meetings:detail", args=[conference.pk])
    assert conference.series == series and conference.points.count() == 3 and conference.held_on.day == 15
    # The next click plans the month after.
    client.post(reverse("meetings:series_plan_next", args=[series.pk]))
    assert Conference.objects.count() == 2
    assert Conference.objects.order_by("held_on").last().held_on.day == 15


def test_series_in_person_with_bridge_points_is_refused(tree, admin_user, client_for):
    data = {
        "title": "Sinh hoạt chuyên đề",
        "kind": _kind().pk,
        "organiser": tree.province.code,
        "level": "province",
        "format": "in_person",
        "recurrence": "quarterly",
        "day_of_month": "31",
        "starts_at_time": "08:00",
        "duration_minutes": "180",
        "units": tree.district_a.code,
    }
    response = client_for(admin_user).post(reverse("meetings:series_new"), data)
    assert response.status_code == 200 and not ConferenceSeries.objects.exists()
    response = client_for(admin_user).post(reverse("meetings:series_new"), {**data, "day_of_month": "5"})
    assert response.status_code == 200 and "An in-person conference has one site" in response.content.decode()


def test_series_pages_are_scoped(tree, client_for, officer_a, admin_user):
    client_for(admin_user)
    series = ConferenceSeries.objects.create(
        title="Hội nghị xã Lương Sơn",
        kind=_kind(),
        organiser=tree.commune_b1,
        level="commune",
        recurrence="monthly",
        starts_at_time=dt.time(8),
    )
    client = client_for(officer_a)
    assert client.get(reverse("meetings:series_detail", args=[series.pk])).status_code == 404
    assert client.post(reverse("meetings:series_plan_next", args=[series.pk])).status_code == 404
    assert "Lương Sơn" not in client.get(reverse("meetings:series_list")).content.decode()
    assert not Conference.objects.exists()


# --- Queries -----------------------------------------------------------------------------------


def _queries(client, url) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_and_conference_pages_read_in_a_fixed_number_of_queries(tree, admin_user, client_for):
    client = client_for(admin_user)
    small = make_conference(tree.province, sites=[tree.district_a])
    before = [_queries(client, reverse("meetings:list")), _queries(client, reverse("meetings:detail", args=[small.pk]))]
    units = [tree.district_a, tree.district_b, tree.commune_a1, tree.commune_b1, tree.bloc, tree.agency_cell]
    for number in range(4):
        make_conference(tree.province, sites=units[:3], title=f"Hội nghị {number}")
    large = make_conference(tree.province, sites=units, mode=BridgePoint.Mode.PER_PERSON, title="Lớn")
    after = [_queries(client, reverse("meetings:list")), _queries(client, reverse("meetings:detail", args=[large.pk]))]
    assert after == before


def test_site_edit_changes_place_and_mode_until_attendance_is_recorded(tree, admin_user, client_for):
    from lantoa.meetings.models import BridgePoint
    from lantoa.meetings.tests.factories import make_conference

    conference = make_conference(tree.province, sites=[tree.commune_a1])
    point = conference.points.get(unit=tree.commune_a1)
    client = client_for(admin_user)
    url = reverse("meetings:point_edit", args=[point.pk])
    data = {"level": "commune", "location": "Nhà văn hóa xã", "contact_name": "Lò Văn Tú",
            "contact_phone": "0912345678", "mode": "per_person"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    point.refresh_from_db()
    assert (point.location, point.mode) == ("Nhà văn hóa xã", BridgePoint.Mode.PER_PERSON)
    assert client.post(url, {**data, "level": "nowhere"}).status_code == 200  # re-rendered with the error
    point.refresh_from_db()
    assert point.level == "commune"


def test_a_sites_check_in_code_is_shown_only_to_its_recorders(tree, admin_user, officer_a, client_for):
    from lantoa.meetings.tests.factories import make_conference

    conference = make_conference(
        tree.province, sites=[tree.commune_a1, tree.commune_b1], mode=BridgePoint.Mode.PER_PERSON
    )
    b1 = conference.points.get(unit=tree.commune_b1)
    a1 = conference.points.get(unit=tree.commune_a1)
    officer = client_for(officer_a)
    # A1's officer sees the province conference (A1 has a site there) and B1's figures, not its code.
    page = officer.get(reverse("meetings:point_detail", args=[b1.pk]))
    assert page.status_code == 200 and b1.code not in page.content.decode()
    assert officer.get(reverse("meetings:point_qr", args=[b1.pk, "svg"])).status_code in (403, 404)
    assert a1.code in officer.get(reverse("meetings:point_detail", args=[a1.pk])).content.decode()
    assert officer.get(reverse("meetings:point_qr", args=[a1.pk, "svg"])).status_code == 200
    assert b1.code in client_for(admin_user).get(reverse("meetings:point_detail", args=[b1.pk])).content.decode()


def test_the_page_refuses_to_mark_a_future_conference_held(tree, admin_user, client_for):
    from unittest import mock

    from lantoa.meetings.tests.factories import at

    day = dt.date(2024, 6, 12)
    conference = make_conference(tree.province, held=False, day=day)
    client = client_for(admin_user)
    with mock.patch("django.utils.timezone.now", return_value=at(day - dt.timedelta(days=3))):
        response = client.post(reverse("meetings:conference_held", args=[conference.pk]), follow=True)
    assert response.status_code == 200
    assert Conference.objects.get().status == "planned"
    assert "has not started yet cannot be marked as held" in response.content.decode()


def test_vietnamese_names_a_conference_and_its_format_as_offices_do(tree, admin_user, client_for):
    make_conference(tree.province, sites=[tree.commune_a1])
    client = client_for(admin_user)
    User.objects.filter(pk=admin_user.pk).update(language="vi")
    form = client.get(reverse("meetings:conference_new")).content.decode()
    listing = client.get(reverse("meetings:list")).content.decode()
    for html in (form, listing):
        assert "Tên hội nghị" in html and "Hình thức" in html
        assert "Trích yếu" not in html and "Định dạng" not in html


def test_a_headcount_site_shows_no_check_in_code_or_qr(tree, admin_user, client_for):
    point = make_conference(tree.province, sites=[tree.commune_a1]).points.get(unit=tree.commune_a1)
    assert point.mode == BridgePoint.Mode.HEADCOUNT
    page = client_for(admin_user).get(reverse("meetings:point_detail", args=[point.pk])).content.decode()
    assert 'data-testid="checkin-panel"' not in page and point.code not in page
    assert reverse("meetings:point_qr", args=[point.pk, "svg"]) not in page
