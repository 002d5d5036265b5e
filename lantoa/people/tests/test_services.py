"""Persons, roles, groups, activities and coverage through the services and selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.core.text import person_sort_key, person_sort_text
from lantoa.org.restructuring import event_apply
from lantoa.org.rollup import indicator_values
from lantoa.org.tests.factories import make_unit
from lantoa.people import selectors, services
from lantoa.people.models import GroupEvent, NetworkGroup, Person, RoleAssignment
from lantoa.people.tests.factories import activity_kind, make_group, make_person, make_role

pytestmark = pytest.mark.django_db
JULY = (dt.date(2022, 7, 1), dt.date(2022, 7, 31))


def _values(unit, *codes, start=JULY[0], end=JULY[1]):
    return {v.indicator.code: v.value for v in indicator_values(unit=unit, start=start, end=end, codes=list(codes))}


# --- Persons ---------------------------------------------------------------------------------

SYLLABLES = ["An", "Ân", "Anh", "Ánh", "Ba", "Bá", "Dũng", "Đức", "Dương", "Giàng", "Lý", "Ơn", "Ông", "Ư", "Uyên", "Y"]


@given(st.lists(st.tuples(*(st.sampled_from(SYLLABLES),) * 3), min_size=2, max_size=12))
def test_the_stored_sort_key_orders_people_like_the_vietnamese_sort_key(names):
    by_key = sorted(names, key=lambda n: person_sort_key(*n))
    by_text = sorted(names, key=lambda n: person_sort_text(*n))
    assert [person_sort_key(*n) for n in by_key] == [person_sort_key(*n) for n in by_text]


def test_rosters_sort_by_given_name_in_vietnamese_order(tree):
    for family, middle, given_name in [
        ("Nguyễn", "Văn", "Đức"),
        ("Lò", "Thị", "Ánh"),
        ("Giàng", "A", "Dũng"),
        ("Trần", "", "An"),
        ("Vàng", "Seo", "Ân"),
    ]:
        person = make_person(home_unit=tree.cell_a1, family_name=family, middle_name=middle, given_name=given_name)
        make_role(person, "propagandist", tree.cell_a1)
    from lantoa.accounts.tests.factories import make_user

    officer = make_user(role="officer", unit=tree.province, username="sorter")
    roster = selectors.roster_for_user(
        officer, selectors.RosterFilter(unit=tree.province, active_on=dt.date(2022, 1, 1))
    )
    assert [r.person.given_name for r in roster] == ["An", "Ánh", "Ân", "Dũng", "Đức"]  # a < ă < â, then d < đ


def test_duplicates_are_detected_by_name_year_and_unit_or_by_phone(tree):
    make_person(home_unit=tree.cell_a1, family_name="Lò", middle_name="Văn", given_name="Minh", birth_year=1975)
    make_person(home_unit=tree.commune_b1, given_name="Khác", phone="0912 345 678")
    same_name = services.PersonData(
        family_name="lo", middle_name="VAN", given_name="minh", birth_year=1975, home_unit=tree.cell_a1
    )
    with pytest.raises(services.DuplicatePerson) as error:
        services.person_create(by=None, data=same_name)
    assert error.value.code == "duplicate_person" and len(error.value.extra["matches"]) == 1
    same_phone = services.PersonData(given_name="Ai", home_unit=tree.cell_a1, phone="+84 912345678")
    with pytest.raises(services.DuplicatePerson):
        services.person_create(by=None, data=same_phone)
    # Another year of birth is another person; and an officer may confirm a real namesake.
    services.person_create(by=None, data=services.PersonData(**{**same_name.__dict__, "birth_year": 1990}))
    services.person_create(by=None, data=same_name, allow_duplicate=True)
    assert Person.objects.filter(given_name__iexact="minh").count() == 3


def test_full_width_digits_in_a_phone_are_stored_as_ascii_and_found_as_duplicates(tree):
    typed = services.PersonData(given_name="Mai", home_unit=tree.cell_a1, phone="０９１２　３４５\u200b ６７８")
    person = services.person_create(by=None, data=typed)
    assert (person.phone, person.phone_digits) == ("0912 345 678", "0912345678")
    with pytest.raises(services.DuplicatePerson):
        services.person_create(
            by=None, data=services.PersonData(given_name="Ai", home_unit=tree.commune_b1, phone="0912345678")
        )


def test_names_of_invisible_characters_are_empty_and_nul_is_never_stored(tree):
    with pytest.raises(ValidationFailed) as error:
        services.person_create(by=None, data=services.PersonData(given_name="\u200b\u2060", home_unit=tree.cell_a1))
    assert error.value.extra["field"] == "given_name"
    person = services.person_create(
        by=None, data=services.PersonData(family_name="L\x00ò", given_name="Mai\x00", home_unit=tree.cell_a1)
    )
    assert (person.family_name, person.given_name) == ("Lò", "Mai")


def test_bad_person_input_is_refused_and_changes_nothing(tree):
    for data, field in [
        (services.PersonData(given_name="  ", home_unit=tree.cell_a1), "given_name"),
        (services.PersonData(given_name="A", home_unit=tree.cell_a1, birth_year=1800), "birth_year"),
        (services.PersonData(given_name="A", home_unit=tree.cell_a1, phone="12"), "phone"),
    ]:
        with pytest.raises(ValidationFailed) as error:
            services.person_create(by=None, data=data)
        assert error.value.extra["field"] == field
    assert not Person.objects.exists()


def test_sensitive_fields_are_not_stored_unless_the_deployment_keeps_them(tree, settings):
    settings.LANTOA_PERSON_SENSITIVE_FIELDS = []
    kept_nothing = make_person(home_unit=tree.cell_a1, ethnicity="Mông", is_party_member=True)
    assert kept_nothing.ethnicity == "" and kept_nothing.is_party_member is None
    settings.LANTOA_PERSON_SENSITIVE_FIELDS = ["ethnicity"]
    kept = make_person(home_unit=tree.cell_a1, ethnicity="Mông", is_party_member=True)
    assert kept.ethnicity == "Mông" and kept.is_party_member is None


def test_audit_entries_name_fields_never_values(tree):
    person = make_person(home_unit=tree.cell_a1, given_name="Bình", phone="0912345678")
    entry = AuditEntry.objects.get(action="lantoa.people.person.created", target_id=str(person.pk))
    assert "phone" in entry.changed_fields
    assert "0912345678" not in str(entry.changed_fields)


# --- Roles and groups ------------------------------------------------------------------------


def test_overlapping_role_is_refused(tree):
    person = make_person(home_unit=tree.cell_a1)
    make_role(person, "reporter", tree.commune_a1, valid_from=dt.date(2021, 1, 1), valid_to=dt.date(2022, 1, 1))
    with pytest.raises(ValidationFailed):
        make_role(person, "reporter", tree.commune_a1, valid_from=dt.date(2021, 6, 1))
    make_role(person, "reporter", tree.commune_a1, valid_from=dt.date(2022, 1, 1))
    assert RoleAssignment.objects.filter(person=person).count() == 2


def test_joining_a_team_makes_a_village_propagandist_and_leaving_ends_it(tree):
    team = make_group("outreach_team", tree.cell_a1)
    person = make_person(home_unit=tree.cell_a1)
    membership = services.group_member_add(by=None, group=team, person=person, valid_from=dt.date(2022, 1, 1))
    assert _values(tree.province, "village_propagandists", "outreach_teams") == {
        "village_propagandists": 1,
        "outreach_teams": 1,
    }
    services.group_member_end(by=None, membership=membership, on=dt.date(2022, 7, 15))
    assert _values(tree.province, "village_propagandists")["village_propagandists"] == 0
    # June still counts the propagandist: history is ended, not rewritten.
    june = _values(tree.province, "village_propagandists", start=dt.date(2022, 6, 1), end=dt.date(2022, 6, 30))
    assert june["village_propagandists"] == 1


def test_a_group_belongs_to_a_unit_of_its_tier(tree):
    with pytest.raises(ValidationFailed):
        make_group("outreach_team", tree.commune_a1)
    make_group("outreach_board", tree.commune_a1)
    with pytest.raises(ValidationFailed):
        make_group("outreach_board", tree.commune_a1, valid_from=dt.date(2021, 6, 1))


def test_group_events_merge_and_dissolve(tree):
    second_cell = make_unit(kind="party_cell", parent=tree.commune_a1, name="Chi bộ thôn Cốc Ngù")
    first = make_group("outreach_team", tree.cell_a1, name="Tổ tuyên vận Phìn Ngan")
    second = make_group("outreach_team", second_cell, name="Tổ tuyên vận Cốc Ngù")
    alice = make_person(home_unit=tree.cell_a1, given_name="Hoa")
    bob = make_person(home_unit=second_cell, given_name="Lan")
    services.group_member_add(by=None, group=first, person=alice, valid_from=dt.date(2021, 2, 1), is_leader=True)
    services.group_member_add(by=None, group=second, person=bob, valid_from=dt.date(2021, 2, 1))
    services.groups_merge(
        by=None, groups=[second], into=first, on=dt.date(2023, 1, 1), decision_ref="Quyết định số 5-QĐ/ĐU"
    )
    second.refresh_from_db()
    assert second.valid_to == dt.date(2023, 1, 1)
    kinds = list(GroupEvent.objects.filter(group=second).values_list("kind", flat=True))
    assert kinds == ["formed", "merged"]
    assert GroupEvent.objects.filter(group=first, kind="absorbed", other=second).exists()
    record = selectors.group_record(first, on=dt.date(2023, 2, 1))
    assert {m.person.given_name for m in record.members} == {"Hoa", "Lan"}
    assert record.leader == alice
    # Lan's propagandist role moved to the continuing team's village.
    assert RoleAssignment.objects.get(person=bob, valid_to__isnull=True).unit == tree.cell_a1
    services.group_dissolve(by=None, group=first, on=dt.date(2024, 1, 1))
    assert _values(
        tree.province, "outreach_teams", "village_propagandists", start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 31)
    ) == {
        "outreach_teams": 0,
        "village_propagandists": 0,
    }
    with pytest.raises(ValidationFailed):
        services.group_dissolve(by=None, group=first, on=dt.date(2025, 1, 1))


def test_groups_and_roles_follow_a_merged_commune(tree):
    board_a = make_group("outreach_board", tree.commune_a1)
    cadre = make_person(home_unit=tree.commune_a1)
    services.group_member_add(by=None, group=board_a, person=cadre, valid_from=dt.date(2021, 3, 1))
    reporter = make_person(home_unit=tree.commune_a1, given_name="Tùng")
    make_role(reporter, "reporter", tree.commune_a1)
    event_apply(
        by=None,
        kind="merge",
        effective_on=dt.date(2024, 11, 1),
        payload={"predecessors": [tree.commune_a1.code], "into": tree.commune_b1.code},
    )
    continued = NetworkGroup.objects.get(continues=board_a)
    assert continued.unit == tree.commune_b1 and continued.valid_from == dt.date(2024, 11, 1)
    assert RoleAssignment.objects.get(person=reporter, valid_to__isnull=True).unit == tree.commune_b1
    # Before the merger the board counted in district A, after it in district B; never twice.
    before = _values(
        tree.district_a,
        "outreach_boards",
        "outreach_commune_cadres",
        start=dt.date(2024, 10, 1),
        end=dt.date(2024, 10, 31),
    )
    after = _values(
        tree.district_b,
        "outreach_boards",
        "outreach_commune_cadres",
        start=dt.date(2024, 12, 1),
        end=dt.date(2024, 12, 31),
    )
    assert before == after == {"outreach_boards": 1, "outreach_commune_cadres": 1}
    assert _values(tree.province, "reporters", start=dt.date(2024, 12, 1), end=dt.date(2024, 12, 31))["reporters"] == 1


def test_the_network_can_end_with_a_closing_unit(tree):
    board = make_group("outreach_board", tree.commune_a1)
    report = event_apply(
        by=None,
        kind="merge",
        effective_on=dt.date(2025, 7, 1),
        payload={
            "predecessors": [tree.commune_a1.code],
            "into": tree.commune_b1.code,
            "pointers": {"network_groups": "end"},
        },
    )
    board.refresh_from_db()
    assert board.valid_to == dt.date(2025, 7, 1)
    assert not NetworkGroup.objects.filter(continues=board).exists()
    assert any(p.what == "network_group" and p.to_unit is None for p in report.pointers)


# --- Activities ------------------------------------------------------------------------------


def _activity(tree, **overrides):
    data = {
        "unit": tree.cell_a1,
        "held_on": dt.date(2022, 7, 5),
        "kind": activity_kind(),
        "topic": "Nghị quyết Đại hội XIII",
        "people_reached": 45,
    }
    data.update(overrides)
    return services.ActivityData(**data)


def test_the_same_form_sent_twice_counts_once(tree):
    first = services.activity_record(by=None, data=_activity(tree, client_key="abc"))
    again = services.activity_record(by=None, data=_activity(tree, client_key="abc"))
    assert first.created and not again.created and first.obj.pk == again.obj.pk
    assert _values(tree.province, "outreach_activities", "people_reached") == {
        "outreach_activities": 1,
        "people_reached": 45,
    }


def test_withdrawn_activities_stop_counting_and_stay_recorded(tree):
    recorded = services.activity_record(by=None, data=_activity(tree, sessions=3, people_reached=120))
    services.activity_withdraw(by=None, activity=recorded.obj, reason="Nhập trùng")
    assert _values(tree.province, "outreach_activities", "people_reached") == {
        "outreach_activities": 0,
        "people_reached": 0,
    }
    recorded.obj.refresh_from_db()
    assert recorded.obj.status == "withdrawn" and recorded.obj.withdrawn_reason == "Nhập trùng"


def test_implausible_activities_are_refused(tree):
    for overrides, field in [
        ({"held_on": dt.date(2999, 1, 1)}, "held_on"),
        ({"topic": " "}, "topic"),
        ({"people_reached": 1_000_000}, "people_reached"),
        ({"is_summary": True}, "group"),
    ]:
        with pytest.raises(ValidationFailed) as error:
            services.activity_record(by=None, data=_activity(tree, **overrides))
        assert error.value.extra["field"] == field


def test_anonymisation_keeps_every_count(tree):
    team = make_group("outreach_team", tree.cell_a1)
    person = make_person(home_unit=tree.cell_a1, given_name="Mai", phone="0987654321", email="mai@example.vn")
    services.group_member_add(by=None, group=team, person=person, valid_from=dt.date(2022, 1, 1))
    make_role(person, "reporter", tree.commune_a1)
    services.activity_record(by=None, data=_activity(tree, person=person, group=team))
    codes = ["village_propagandists", "reporters", "outreach_activities", "people_reached", "outreach_teams"]
    before = _values(tree.province, *codes)
    services.person_anonymise(by=None, person=person)
    person.refresh_from_db()
    assert (person.given_name, person.phone, person.email, person.birth_year) == ("—", "", "", None)
    assert _values(tree.province, *codes) == before
    with pytest.raises(Conflict):
        services.person_update(by=None, person=person, data=services.PersonData(given_name="X", home_unit=tree.cell_a1))
    assert AuditEntry.objects.filter(action="lantoa.people.person.anonymised").count() == 1


# --- Coverage --------------------------------------------------------------------------------


def test_coverage_on_a_small_tree(tree):
    second_cell = make_unit(kind="party_cell", parent=tree.commune_a1, name="Chi bộ thôn Cốc Ngù")
    b_cell = make_unit(kind="party_cell", parent=tree.commune_b1, name="Chi bộ thôn Nà Ràng")
    make_group("outreach_board", tree.commune_a1)
    team = make_group("outreach_team", tree.cell_a1)
    for given_name in ("Hoa", "Lan", "Mai"):
        services.group_member_add(
            by=None,
            group=team,
            person=make_person(home_unit=tree.cell_a1, given_name=given_name),
            valid_from=dt.date(2021, 5, 1),
        )
    make_role(make_person(home_unit=tree.province, given_name="Tỉnh"), "reporter", tree.province)
    make_role(make_person(home_unit=tree.district_a, given_name="Huyện"), "reporter", tree.district_a)
    make_role(make_person(home_unit=tree.bloc, given_name="Khối"), "reporter", tree.bloc)
    result = selectors.coverage(tree.province, on=dt.date(2022, 7, 1))
    total = result.total
    assert (total.communes, total.communes_with_board) == (2, 1)
    assert (total.villages, total.villages_with_team, total.propagandists, total.reporters) == (3, 1, 3, 3)
    assert [u.pk for u in result.villages_without_team] == sorted([second_cell.pk, b_cell.pk], key=lambda pk: pk) or {
        u.pk for u in result.villages_without_team
    } == {second_cell.pk, b_cell.pk}
    assert [u.pk for u in result.communes_without_board] == [tree.commune_b1.pk]
    rows = {r.unit.code: r for r in result.rows}
    assert (rows["P-A"].villages, rows["P-A"].villages_with_team, rows["P-A"].reporters) == (2, 1, 1)
    assert (rows["P-B"].villages, rows["P-B"].villages_with_team) == (1, 0)
    assert dict(result.propagandist_distribution) == {"0": 2, "1": 0, "2": 0, "3": 1, "4+": 0}
    assert sum(count for _label, count in result.reporters_by_level) == 3
