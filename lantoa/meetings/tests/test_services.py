"""Conferences, sites, attendance, check-in and reflections through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.meetings.models import BridgePoint, Category, Format, Participant
from lantoa.meetings.services import (
    CheckIn,
    Headcount,
    RosterMark,
    SiteData,
    attendance_record,
    attendance_record_many,
    check_in,
    participants_register,
    point_update,
    roster_mark,
)
from lantoa.meetings.tests.factories import at, make_conference

pytestmark = pytest.mark.django_db


def test_relayed_conference_is_one_conference_with_a_site_per_unit(tree):
    conference = make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1])
    points = list(conference.points.order_by("-is_host", "pk"))
    assert [p.unit for p in points] == [tree.province, tree.commune_a1, tree.commune_b1]
    assert [p.is_host for p in points] == [True, False, False]
    assert [p.level for p in points] == ["province", "commune", "commune"]
    assert len({p.code for p in points}) == 3


def test_a_site_contact_is_cleaned_text_and_its_phone_ascii_digits(tree):
    point = make_conference(tree.province, sites=[tree.commune_a1]).points.get(unit=tree.commune_a1)
    site = SiteData(
        unit=tree.commune_a1, contact_name="Lò\x00 Văn\u200b Páo", contact_phone="０９８７\u200b ６５４ ３２１"
    )
    point = point_update(by=None, point=point, site=site)
    assert (point.contact_name, point.contact_phone) == ("Lò Văn Páo", "0987 654 321")


def test_a_title_of_invisible_characters_is_refused(tree):
    with pytest.raises(ValidationFailed) as error:
        make_conference(tree.province, title="\u200b\ufeff\u2060")
    assert error.value.extra["field"] == "title"


def test_in_person_conference_has_one_site(tree):
    with pytest.raises(ValidationFailed):
        make_conference(tree.province, sites=[tree.commune_a1], format=Format.IN_PERSON)


def test_headcount_totals_and_rates(tree):
    conference = make_conference(tree.province, sites=[tree.commune_a1])
    point = conference.points.get(unit=tree.commune_a1)
    counts = Headcount(
        present={Category.PARTY_MEMBERS: 40, Category.NON_MEMBERS: 10},
        late={Category.PARTY_MEMBERS: 3},
        members_summoned=50,
        members_exempt=5,
        summoned=60,
    )
    point = attendance_record(by=None, point=point, counts=counts)
    assert (point.present, point.members_present, point.late) == (50, 40, 3)
    assert (point.members_expected, point.rated_members_present, point.rated_present) == (45, 40, 50)


def test_bulk_attendance_audit_rows_name_each_sites_unit(tree, admin_user):
    conference = make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1])
    points = list(conference.points.order_by("pk"))
    counts = Headcount(present={Category.PARTY_MEMBERS: 12}, members_summoned=20, summoned=20)

    assert attendance_record_many(by=admin_user, rows=[(point, counts) for point in points]) == 3

    entries = AuditEntry.objects.filter(action="lantoa.meetings.attendance.recorded")
    assert {(int(e.target_id), e.unit_id) for e in entries} == {(p.pk, p.unit_id) for p in points}


def test_headcount_refuses_more_members_than_summoned(tree):
    conference = make_conference(tree.province, sites=[tree.commune_a1])
    point = conference.points.get(unit=tree.commune_a1)
    with pytest.raises(ValidationFailed):
        attendance_record(
            by=None, point=point, counts=Headcount(present={Category.PARTY_MEMBERS: 60}, members_summoned=50)
        )
    point.refresh_from_db()
    assert point.present == 0


def test_check_in_replay_counts_once(tree):
    day = dt.date(2021, 5, 10)
    conference = make_conference(tree.province, sites=[tree.commune_a1], mode=BridgePoint.Mode.PER_PERSON)
    point = conference.points.get(unit=tree.commune_a1)
    scan = CheckIn(code=point.code.lower(), client_key="phone-1", name="Lò Thị Mai", category=Category.PARTY_MEMBERS)
    first = check_in(by=None, data=scan, now=at(day, 7, 50))
    again = check_in(by=None, data=scan, now=at(day, 7, 52))
    assert first.created and not again.created
    assert first.participant.pk == again.participant.pk
    late = check_in(by=None, data=CheckIn(code=point.code, client_key="phone-2", name="Vàng A Sử"), now=at(day, 8, 30))
    point.refresh_from_db()
    assert (point.present, point.late) == (2, 1)
    assert late.participant.is_late


def test_check_in_closed_outside_the_day(tree):
    conference = make_conference(tree.province, sites=[tree.commune_a1], mode=BridgePoint.Mode.PER_PERSON)
    point = conference.points.get(unit=tree.commune_a1)
    with pytest.raises(Conflict):
        check_in(by=None, data=CheckIn(code=point.code, client_key="k"), now=at(dt.date(2021, 5, 11), 8))


def test_absent_names_only_for_mandatory_conferences(tree):
    for mandatory in (False, True):
        conference = make_conference(
            tree.province, sites=[tree.commune_a1], mode=BridgePoint.Mode.PER_PERSON, mandatory=mandatory
        )
        point = conference.points.get(unit=tree.commune_a1)
        participants_register(by=None, point=point, names=[("Giàng Seo Phử", Category.PARTY_MEMBERS)])
        registered = point.participants.get()
        mark = RosterMark(registered.pk, Participant.Status.ABSENT, absence_reason="ốm")
        if mandatory:
            point = roster_mark(by=None, point=point, marks=[mark])
            assert point.absent_excused == 1
        else:
            with pytest.raises(ValidationFailed):
                roster_mark(by=None, point=point, marks=[mark])


def test_counting_check_ins_one_by_one_gives_what_a_recount_gives(tree):
    from lantoa.meetings.services._common import _refresh_point

    day = dt.date(2021, 5, 10)
    conference = make_conference(tree.province, sites=[tree.commune_a1], mode=BridgePoint.Mode.PER_PERSON)
    point = conference.points.get(unit=tree.commune_a1)
    attendance_record(by=None, point=point, counts=Headcount(members_summoned=10, summoned=12))
    arrivals = [("k1", Category.PARTY_MEMBERS, 7), ("k2", Category.NON_MEMBERS, 9), ("k3", Category.PARTY_MEMBERS, 30)]
    for key, category, minute in arrivals:
        check_in(by=None, data=CheckIn(code=point.code, client_key=key, name=key, category=category),
                 now=at(day, 8, minute))  # fmt: skip
    point.refresh_from_db()
    counted = (point.present, point.late, point.members_present, point.rated_present, point.rated_members_present)
    counts = sorted(point.counts.values_list("category", "present", "late"))
    _refresh_point(point)
    point.refresh_from_db()
    assert counted == (point.present, point.late, point.members_present, point.rated_present,
                       point.rated_members_present) == (3, 1, 2, 3, 2)  # fmt: skip
    assert counts == sorted(point.counts.values_list("category", "present", "late"))


def test_my_work_lists_sites_waiting_for_attendance(tree, officer_a):
    from django.utils import timezone

    from lantoa.meetings.selectors import my_work_items

    today = timezone.localdate()
    conference = make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1], day=today)
    items = my_work_items(officer_a, tree.commune_a1)
    waiting = [item for item in items if "start=" in item.url]
    assert [item.count for item in waiting] == [1]  # A1's site only, not B1's
    attendance_record(by=officer_a, point=conference.points.get(unit=tree.commune_a1),
                      counts=Headcount(present={Category.PARTY_MEMBERS: 5}))  # fmt: skip
    assert not [item for item in my_work_items(officer_a, tree.commune_a1) if "start=" in item.url]
    assert my_work_items(officer_a, tree.commune_b1) == []  # no right to record there


def test_my_work_counts_the_coming_week_s_conferences_of_the_unit_s_subtree(tree, officer_a):
    """Organised in the subtree or with a site in it, within the coming week, not cancelled; a
    conference elsewhere, after the week or cancelled does not count."""
    from django.utils import timezone

    from lantoa.meetings.selectors import UPCOMING_DAYS, my_work_items
    from lantoa.meetings.services import conference_cancel

    today = timezone.localdate()
    soon = today + dt.timedelta(days=2)

    def coming() -> list[int]:
        return [item.count for item in my_work_items(officer_a, tree.commune_a1) if "start=" not in item.url]

    assert coming() == []
    make_conference(tree.commune_a1, day=soon, held=False, format=Format.IN_PERSON)  # organised inside
    make_conference(tree.province, sites=[tree.commune_a1], day=soon, held=False)  # a site inside
    make_conference(tree.province, sites=[tree.commune_b1], day=soon, held=False)  # elsewhere
    make_conference(tree.commune_a1, day=today + dt.timedelta(days=UPCOMING_DAYS + 1), held=False,
                    format=Format.IN_PERSON)  # fmt: skip
    cancelled = make_conference(tree.province, sites=[tree.commune_a1], day=soon, held=False, title="Hoãn")
    assert coming() == [3]
    conference_cancel(by=None, conference=cancelled, reason="Trùng lịch")
    assert coming() == [2]


def test_a_conference_that_has_not_started_cannot_be_marked_held(tree):
    from lantoa.meetings.models import Conference
    from lantoa.meetings.services import conference_mark_held

    conference = make_conference(tree.province, held=False, day=dt.date(2024, 6, 12))
    with pytest.raises(Conflict) as refused:
        conference_mark_held(by=None, conference=conference, now=at(dt.date(2024, 6, 11), 23))
    assert refused.value.code == "conference_not_started"
    assert Conference.objects.get().status == Conference.Status.PLANNED
    held = conference_mark_held(by=None, conference=conference, now=at(dt.date(2024, 6, 12), 8))
    assert held.status == Conference.Status.HELD


def test_each_site_keeps_its_conference_s_status_and_format_in_step(tree):
    """The sites' copies the rollup reads (``conference_held``, ``conference_online``) follow the
    conference: created planned or held, online or in person; marked held; its format changed."""
    from lantoa.meetings.services import ConferenceData, conference_mark_held, conference_update

    def copies(conference: Any) -> set[tuple[bool, bool]]:
        return set(conference.points.values_list("conference_held", "conference_online"))

    relayed = make_conference(tree.province, sites=[tree.commune_a1, tree.commune_b1], held=False)
    assert copies(relayed) == {(False, True)}
    relayed = conference_mark_held(by=None, conference=relayed, now=relayed.starts_at)
    assert copies(relayed) == {(True, True)}
    in_person = make_conference(tree.commune_a1, format=Format.IN_PERSON)
    assert copies(in_person) == {(True, False)}
    data = ConferenceData(
        title=in_person.title,
        kind=in_person.kind,
        organiser=in_person.organiser,
        level=in_person.level,
        starts_at=in_person.starts_at,
        ends_at=in_person.ends_at,
        format=Format.ONLINE,
        is_mandatory=in_person.is_mandatory,
    )
    conference_update(by=None, conference=in_person, data=data)
    assert copies(in_person) == {(True, True)}
