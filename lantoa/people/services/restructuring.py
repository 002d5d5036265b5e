"""Restructuring: what points at a closing unit — groups, network roles and home units follow
the unit's successor (the pointer handlers of ``registrations.py``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record_many
from lantoa.core.text import fold
from lantoa.org.models import Unit
from lantoa.people.models import GroupEvent, GroupMembership, NetworkGroup, Person, RoleAssignment
from lantoa.people.services.common import group_event, open_on, roles_continue
from lantoa.people.services.groups import group_create, group_leader_set, groups_merge


def groups_follow_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[Any]:
    """The restructuring handler for groups: a unit keeps one group of each kind.

    Groups of a closing unit end that day. Per successor and kind of group:

    - a successor that already has such a group takes the closing units' groups in (merged);
    - a single group continues in the successor as a new group with the same name and members;
    - several groups (communes merged into a new one) merge into a new group of the successor,
      named after it, led by the leader of the predecessor whose name the successor keeps.

    Without a successor (or when the event says ``pointers: {"network_groups": "end"}``), the
    groups dissolve.
    """
    from lantoa.org.restructuring import PointerChange

    successors = {unit.pk: successor for unit, successor in closing}
    groups = list(
        NetworkGroup.objects.filter(unit_id__in=list(successors), valid_from__lt=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("unit", "kind")
        .order_by("unit__code", "pk")
    )
    buckets: dict[tuple[int, int], list[NetworkGroup]] = defaultdict(list)
    continuing: list[NetworkGroup] = []
    for group in groups:
        successor = successors[group.unit_id]
        if successor is None:
            continuing.append(group)  # dissolves below
        else:
            buckets[(successor.pk, group.kind_id)].append(group)
    merges: list[tuple[list[NetworkGroup], Unit, NetworkGroup | None]] = []
    for bucket in buckets.values():
        successor = successors[bucket[0].unit_id]
        assert successor is not None
        existing = NetworkGroup.objects.filter(open_on(day), unit=successor, kind_id=bucket[0].kind_id).first()
        if len(bucket) == 1 and existing is None:
            continuing.append(bucket[0])
        else:
            merges.append((bucket, successor, existing))
    changes = _groups_continue(continuing, successors, day, by)
    for bucket, successor, into in merges:
        leader = None
        if into is None:
            name = f"{bucket[0].kind.name_vi} {_without_prefix(successor.name)}"
            into = group_create(by=by, kind=bucket[0].kind, unit=successor, name=name, valid_from=day)
            leader = _leader_before(_keeping_name(bucket, successor), day)
        groups_merge(by=by, groups=bucket, into=into, on=day)
        if leader is not None:
            group_leader_set(by=by, group=into, person=leader, on=day)
        changes += [
            PointerChange(what="network_group", label=g.name, from_unit=g.unit.code, to_unit=successor.code)
            for g in bucket
        ]
    return changes


_UNIT_PREFIXES = ("Đảng bộ ", "Chi bộ ")
_COMMUNE_TYPES = ("xa ", "phuong ", "thi tran ", "dac khu ")


def _without_prefix(unit_name: str) -> str:
    """ "Đảng bộ xã Bản Cái" → "xã Bản Cái"."""
    return next((unit_name[len(p) :] for p in _UNIT_PREFIXES if unit_name.startswith(p)), unit_name)


def _proper_name(unit: Unit) -> str:
    """The folded name without the kind of unit: "Đảng bộ thị trấn Bắc Hà" → "bac ha"."""
    label = fold(_without_prefix(unit.name))
    return next((label[len(t) :] for t in _COMMUNE_TYPES if label.startswith(t)), label)


def _keeping_name(bucket: list[NetworkGroup], successor: Unit) -> NetworkGroup:
    """The group of the predecessor whose name the successor keeps, else the first by code."""
    wanted = _proper_name(successor)
    return next((group for group in bucket if _proper_name(group.unit) == wanted), bucket[0])


def _leader_before(group: NetworkGroup, day: dt.date) -> Person | None:
    membership = (
        GroupMembership.objects.filter(open_on(day - dt.timedelta(days=1)), group=group, is_leader=True)
        .select_related("person")
        .first()
    )
    return membership.person if membership else None


def _groups_continue(
    groups: list[NetworkGroup], successors: Mapping[int, Unit | None], day: dt.date, by: Any
) -> list[Any]:
    """Each group ends on ``day`` and continues in its unit's successor (same kind, name and
    members, linked to the old one); without a successor it dissolves."""
    from lantoa.org.restructuring import PointerChange

    if not groups:
        return []
    now = timezone.now()
    members = list(GroupMembership.objects.filter(group__in=groups).filter(open_on(day)))
    GroupMembership.objects.filter(pk__in=[m.pk for m in members]).update(valid_to=day, updated_at=now)
    NetworkGroup.objects.filter(pk__in=[g.pk for g in groups]).update(valid_to=day, updated_at=now)
    continuing = [g for g in groups if successors[g.unit_id] is not None]
    created = NetworkGroup.objects.bulk_create(
        [
            NetworkGroup(
                kind_id=g.kind_id,
                unit=successors[g.unit_id],
                name=g.name,
                valid_from=day,
                decision_ref=g.decision_ref,
                continues=g,
            )
            for g in continuing
        ],
        batch_size=1000,
    )
    if created and created[0].pk is None:  # backends that do not return keys from bulk inserts
        created = list(NetworkGroup.objects.filter(continues__in=continuing).order_by("pk"))
    new_of = {new.continues_id: new for new in created}
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(group=new_of[m.group_id], person_id=m.person_id, is_leader=m.is_leader, valid_from=day)
            for m in members
            if m.group_id in new_of
        ],
        batch_size=1000,
    )
    events = []
    for group in groups:
        new = new_of.get(group.pk)
        events.append(
            group_event(group, GroupEvent.Kind.MOVED if new else GroupEvent.Kind.DISSOLVED, day, by, other=new)
        )
        if new is not None:
            events.append(group_event(new, GroupEvent.Kind.FORMED, day, by, other=group))
    GroupEvent.objects.bulk_create(events, batch_size=1000)
    audit_record_many(action="lantoa.people.group.followed_unit", by=None, targets=[(g, g.unit) for g in groups])
    return [
        PointerChange(
            what="network_group",
            label=group.name,
            from_unit=group.unit.code,
            to_unit=successors[group.unit_id].code if successors[group.unit_id] else None,  # type: ignore[union-attr]
        )
        for group in groups
    ]


def roles_follow_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[Any]:
    """Network roles held in a closing unit end that day and continue in its successor."""
    from lantoa.org.restructuring import PointerChange

    successors = {unit.pk: successor for unit, successor in closing}
    ended = roles_continue(RoleAssignment.objects.filter(unit_id__in=list(successors)), successors, day)
    if not ended:
        return []
    codes = {unit.pk: unit.code for unit, _successor in closing}
    counts: dict[int, int] = {}
    for assignment in ended:
        counts[assignment.unit_id] = counts.get(assignment.unit_id, 0) + 1
    # One line per unit: the preview of a provincial merger would otherwise list thousands of people.
    return [
        PointerChange(
            what="network_role",
            label=_("%(count)s network roles") % {"count": count},
            from_unit=codes[unit_id],
            to_unit=successors[unit_id].code if successors[unit_id] else None,  # type: ignore[union-attr]
        )
        for unit_id, count in sorted(counts.items(), key=lambda item: codes[item[0]])
    ]


def person_home_units_follow_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[Any]:
    """A person's home unit is where they live or work now: when it closes, it becomes the
    successor (a person's current attribute, not a dated record; roles keep their history)."""
    from lantoa.org.restructuring import PointerChange

    changes = []
    for unit, successor in sorted(closing, key=lambda pair: pair[0].code):
        if successor is None:
            continue
        persons = list(Person.objects.filter(home_unit=unit))
        if not persons:
            continue
        Person.objects.filter(pk__in=[p.pk for p in persons]).update(home_unit=successor, updated_at=timezone.now())
        audit_record_many(
            action="lantoa.people.person.home_unit_followed",
            by=None,
            targets=[(person, successor) for person in persons],
            changed=["home_unit"],
        )
        label = _("%(count)s persons") % {"count": len(persons)}
        changes.append(PointerChange(what="person_home_unit", label=label, from_unit=unit.code, to_unit=successor.code))
    return changes
