"""The bulk writes leave exactly the rows the one-at-a-time services leave."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import models, transaction

from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.people import bulk, services
from lantoa.people.models import (
    Activity,
    GroupEvent,
    GroupMembership,
    NetworkGroup,
    Person,
    RoleAssignment,
)
from lantoa.people.services import ActivityData, PersonData
from lantoa.people.tests.factories import activity_kind, group_kind, role_kind

pytestmark = pytest.mark.django_db

DAY = dt.date(2021, 3, 1)
UNSTABLE = {"id", "created_at", "updated_at", "recorded_at", "confirmed_at"}


def _ranks(model: type[models.Model]) -> dict[Any, int]:
    return {pk: rank for rank, pk in enumerate(model._default_manager.order_by("pk").values_list("pk", flat=True))}


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row the people services write, with keys replaced by creation order, as multisets."""
    ranks = {model: _ranks(model) for model in (Person, NetworkGroup, RoleAssignment, GroupMembership, Activity)}
    labels = {model._meta.label_lower: model for model in ranks}

    def rows(model: type[models.Model]) -> list[tuple[Any, ...]]:
        out = []
        for row in model._default_manager.values():
            for name, value in list(row.items()):
                field = model._meta.get_field(name.removesuffix("_id"))
                if name in UNSTABLE:
                    row[name] = value is not None
                elif field.is_relation and field.related_model in ranks and value is not None:
                    row[name] = ranks[field.related_model][value]
            out.append(tuple(sorted(row.items())))
        return sorted(out, key=repr)

    audit = []
    for entry in AuditEntry.objects.values("action", "unit_id", "target_type", "target_id", "target_repr"):
        model = labels.get(entry["target_type"])
        target = ranks[model][int(entry["target_id"])] if model else entry["target_id"]
        audit.append((entry["action"], entry["unit_id"], entry["target_type"], target, entry["target_repr"]))
    changed = sorted((e.action, tuple(e.changed_fields)) for e in AuditEntry.objects.all())
    return {
        **{model.__name__: rows(model) for model in (*ranks, GroupEvent)},
        "audit": sorted(audit, key=repr),
        "audit_fields": changed,
    }


def people_data(tree) -> list[PersonData]:  # type: ignore[no-untyped-def]
    return [
        PersonData(family_name="Giàng", middle_name="Seo", given_name="Phử", home_unit=tree.commune_a1, sex="male"),
        PersonData(family_name="Lò", middle_name="Thị", given_name="Mai", home_unit=tree.commune_a1, birth_year=1985),
        PersonData(given_name="  Dợ ", family_name="Thào", home_unit=tree.cell_a1, phone="+84 912 345 678"),
        PersonData(family_name="Vàng", middle_name="A", given_name="Dình", home_unit=tree.cell_a1, sex="male"),
        PersonData(
            family_name="Tẩn", middle_name="Thị", given_name="Sa", home_unit=tree.cell_a1, email="sa@example.vn"
        ),
    ]


def activities(tree, team: NetworkGroup, persons: list[Person]) -> list[ActivityData]:  # type: ignore[no-untyped-def]
    meeting = activity_kind("village_meeting")
    return [
        ActivityData(
            unit=tree.cell_a1,
            held_on=dt.date(2022, 1, 31),
            kind=meeting,
            topic="  Xây dựng   nông thôn mới ",
            sessions=3,
            people_reached=90,
            group=team,
            person=persons[2],
            is_summary=True,
        ),
        ActivityData(
            unit=tree.commune_a1,
            held_on=dt.date(2022, 2, 10),
            kind=activity_kind("dialogue"),
            topic="Phòng, chống mua bán người",
            people_reached=120,
            person=persons[0],
            note=" một buổi ",
            client_key="form-1",
        ),
        ActivityData(
            unit=tree.commune_a1,
            held_on=dt.date(2022, 2, 10),
            kind=activity_kind("dialogue"),
            topic="Phòng, chống mua bán người",
            people_reached=120,
            client_key="form-1",  # the same form sent again
        ),
    ]


def with_services(tree, by) -> None:  # type: ignore[no-untyped-def]
    board = services.group_create(
        by=by,
        kind=group_kind("outreach_board"),
        unit=tree.commune_a1,
        name="Ban tuyên vận xã Quang Kim",
        valid_from=DAY,
    )
    team = services.group_create(
        by=by, kind=group_kind("outreach_team"), unit=tree.cell_a1, name=" Tổ tuyên vận  thôn Phìn Ngan", valid_from=DAY
    )
    persons = [services.person_create(by=by, data=data, allow_duplicate=True) for data in people_data(tree)]
    services.role_assign(
        by=by, person=persons[4], role=role_kind("propagandist"), unit=tree.cell_a1, valid_from=dt.date(2021, 1, 1)
    )
    services.group_member_add(by=by, group=board, person=persons[0], valid_from=DAY, is_leader=True)
    services.group_member_add(by=by, group=board, person=persons[1], valid_from=DAY, decision_ref="QĐ 12")
    services.group_member_add(by=by, group=team, person=persons[2], valid_from=DAY, is_leader=True)
    services.group_member_add(by=by, group=team, person=persons[3], valid_from=DAY)
    services.group_member_add(by=by, group=team, person=persons[4], valid_from=DAY)  # already a propagandist
    recorded = [services.activity_record(by=by, data=data).obj for data in activities(tree, team, persons)]
    services.activities_confirm(by=by, activities=recorded[:1])


def with_bulk(tree, by) -> None:  # type: ignore[no-untyped-def]
    board, team = bulk.groups_create_many(
        by=by,
        specs=[
            bulk.GroupSpec(group_kind("outreach_board"), tree.commune_a1, "Ban tuyên vận xã Quang Kim", DAY),
            bulk.GroupSpec(group_kind("outreach_team"), tree.cell_a1, " Tổ tuyên vận  thôn Phìn Ngan", DAY),
        ],
    )
    persons = bulk.persons_create_many(by=by, data=people_data(tree))
    services.role_assign(
        by=by, person=persons[4], role=role_kind("propagandist"), unit=tree.cell_a1, valid_from=dt.date(2021, 1, 1)
    )
    bulk.group_members_add_many(
        by=by,
        specs=[
            bulk.MemberSpec(board, persons[0], DAY, is_leader=True),
            bulk.MemberSpec(board, persons[1], DAY, decision_ref="QĐ 12"),
            bulk.MemberSpec(team, persons[2], DAY, is_leader=True),
            bulk.MemberSpec(team, persons[3], DAY),
            bulk.MemberSpec(team, persons[4], DAY),
        ],
    )
    recorded = bulk.activities_record_many(by=by, data=activities(tree, team, persons))
    bulk.activities_confirm_all(by=by, activities=recorded[:1])


def written_by(write: Callable[[], None]) -> dict[str, list[tuple[Any, ...]]]:
    with transaction.atomic():
        write()
        rows = snapshot()
        transaction.set_rollback(True)
    return rows


def test_bulk_writes_match_the_services(tree, admin_user):
    one_by_one = written_by(lambda: with_services(tree, admin_user))
    assert len(one_by_one["Person"]) == 5 and len(one_by_one["Activity"]) == 2
    assert written_by(lambda: with_bulk(tree, admin_user)) == one_by_one


def test_bulk_writes_check_like_the_services(tree):
    board_kind = group_kind("outreach_board")
    with pytest.raises(ValidationFailed):  # a board belongs to a commune
        bulk.groups_create_many(by=None, specs=[bulk.GroupSpec(board_kind, tree.cell_a1, "Ban", DAY)])
    (board,) = bulk.groups_create_many(by=None, specs=[bulk.GroupSpec(board_kind, tree.commune_a1, "Ban", DAY)])
    with pytest.raises(ValidationFailed):  # one board per commune at a time
        bulk.groups_create_many(by=None, specs=[bulk.GroupSpec(board_kind, tree.commune_a1, "Ban 2", DAY)])
    first, second = bulk.persons_create_many(by=None, data=people_data(tree)[:2])
    with pytest.raises(ValidationFailed):  # two leaders
        bulk.group_members_add_many(
            by=None,
            specs=[
                bulk.MemberSpec(board, first, DAY, is_leader=True),
                bulk.MemberSpec(board, second, DAY, is_leader=True),
            ],
        )
    with pytest.raises(ValidationFailed):  # the same person twice
        bulk.group_members_add_many(
            by=None, specs=[bulk.MemberSpec(board, first, DAY), bulk.MemberSpec(board, first, DAY)]
        )
    with pytest.raises(ValidationFailed):  # before the group existed
        bulk.group_members_add_many(by=None, specs=[bulk.MemberSpec(board, first, DAY - dt.timedelta(days=1))])
    with pytest.raises(ValidationFailed):
        bulk.persons_create_many(by=None, data=[PersonData(given_name=" ", home_unit=tree.commune_a1)])
    with pytest.raises(ValidationFailed):  # a decision reference longer than the services accept
        bulk.group_members_add_many(by=None, specs=[bulk.MemberSpec(board, first, DAY, decision_ref="x" * 500)])


def test_a_form_key_answers_only_its_sender(tree, admin_user):
    data = ActivityData(
        unit=tree.commune_a1,
        held_on=DAY,
        kind=activity_kind("dialogue"),
        topic="Đối thoại",
        people_reached=40,
        client_key="k-1",
    )
    assert len(bulk.activities_record_many(by=admin_user, data=[data])) == 1
    assert bulk.activities_record_many(by=admin_user, data=[data]) == []
    with pytest.raises(Conflict):
        bulk.activities_record_many(by=None, data=[data])
