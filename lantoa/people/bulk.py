"""Bulk writes for the outreach network: many persons, groups, members or activities at once.

Each function writes exactly the rows — and the audit entries — that calling the matching
one-at-a-time service of :mod:`lantoa.people.services` for every item would write, with the
same checks, in a handful of queries instead of several per item. They exist for imports and
generated data (the demo: thousands of persons, tens of thousands of records). This module is
the services' bulk half (it shares their checks): with them, the only code that writes these
tables.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record_many
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.org.models import Unit
from lantoa.people.models import (
    Activity,
    GroupEvent,
    GroupKind,
    GroupMembership,
    NetworkGroup,
    NetworkRoleKind,
    Person,
    RoleAssignment,
)
from lantoa.people.services import (  # the bulk writes share the services' checks
    MEMBER_ROLES,
    ActivityData,
    PersonData,
    activity_validate,
    person_derived,
    person_validate,
)
from lantoa.people.services.common import check_unit_open, clean_decision_ref

BATCH = 1000


def _ends_after(valid_to: dt.date | None, day: dt.date) -> bool:
    return valid_to is None or valid_to > day


# --- Persons ---------------------------------------------------------------------------------


@transaction.atomic
def persons_create_many(*, by: Any, data: Sequence[PersonData]) -> list[Person]:
    """``person_create(allow_duplicate=True)`` for every item: for rows already checked for
    duplicates, or generated. Every row is validated first; nothing is written if one fails."""
    rows: list[Person] = []
    changed: list[tuple[str, ...]] = []
    for item in data:
        values = person_validate(item)
        rows.append(Person(**values, **person_derived(values)))
        changed.append(tuple(sorted(name for name, value in values.items() if value not in ("", None))))
    Person.objects.bulk_create(rows, batch_size=BATCH)
    by_changed: dict[tuple[str, ...], list[tuple[Person, Unit]]] = defaultdict(list)
    for person, names in zip(rows, changed, strict=True):
        by_changed[names].append((person, person.home_unit))
    for names, targets in by_changed.items():
        audit_record_many(action="lantoa.people.person.created", by=by, targets=targets, changed=names)
    return rows


# --- Groups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSpec:
    kind: GroupKind
    unit: Unit  # with kind__tier loaded
    name: str
    valid_from: dt.date
    decision_ref: str = ""


@transaction.atomic
def groups_create_many(*, by: Any, specs: Sequence[GroupSpec]) -> list[NetworkGroup]:
    """``group_create`` for every spec (each group formed, with its "formed" event)."""
    existing: dict[tuple[int, int], list[NetworkGroup]] = defaultdict(list)
    for group in NetworkGroup.objects.filter(
        unit_id__in={spec.unit.pk for spec in specs}, kind_id__in={spec.kind.pk for spec in specs}
    ):
        existing[(group.kind_id, group.unit_id)].append(group)
    rows: list[NetworkGroup] = []
    for spec in specs:
        name = " ".join(spec.name.split())
        if not name:
            raise ValidationFailed(_("A group needs a name."), extra={"field": "name"})
        check_unit_open(spec.unit, spec.valid_from)
        if spec.kind.tier_code and spec.unit.kind.tier.code != spec.kind.tier_code:
            raise ValidationFailed(
                _("A %(kind)s belongs to a unit of the %(tier)s tier.")
                % {"kind": spec.kind.name, "tier": spec.kind.tier_code},
                extra={"field": "unit"},
            )
        same = existing[(spec.kind.pk, spec.unit.pk)]
        if any(g.is_open_on(spec.valid_from) for g in same):
            raise ValidationFailed(
                _("%(unit)s already has a %(kind)s on that date.") % {"unit": spec.unit.name, "kind": spec.kind.name},
                extra={"field": "unit"},
            )
        group = NetworkGroup(
            kind=spec.kind,
            unit=spec.unit,
            name=name,
            valid_from=spec.valid_from,
            decision_ref=clean_decision_ref(spec.decision_ref),
        )
        same.append(group)
        rows.append(group)
    NetworkGroup.objects.bulk_create(rows, batch_size=BATCH)
    GroupEvent.objects.bulk_create(
        [
            GroupEvent(
                group=g,
                kind=GroupEvent.Kind.FORMED,
                happened_on=g.valid_from,
                decision_ref=g.decision_ref,
                recorded_by=actor_or_none(by),
            )
            for g in rows
        ],
        batch_size=BATCH,
    )
    audit_record_many(
        action="lantoa.people.group.formed",
        by=by,
        targets=[(g, g.unit) for g in rows],
        changed=["kind", "unit", "name", "valid_from", "decision_ref"],
    )
    return rows


@dataclass(frozen=True)
class MemberSpec:
    group: NetworkGroup  # with kind and unit loaded
    person: Person
    valid_from: dt.date
    is_leader: bool = False
    decision_ref: str = ""


@transaction.atomic
def group_members_add_many(*, by: Any, specs: Sequence[MemberSpec]) -> list[GroupMembership]:
    """``group_member_add`` for every spec: the membership, and the role the group's kind
    carries in its unit unless the person already holds it that day.

    A leader may only be named for a group that has none on that day (one per group in a
    batch); changing a leader is ``group_leader_set``'s work.
    """
    groups = {spec.group.pk: spec.group for spec in specs}
    persons = {spec.person.pk for spec in specs}
    memberships: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    leaders: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for group_id, person_id, valid_from, valid_to, is_leader in GroupMembership.objects.filter(
        group_id__in=list(groups)
    ).values_list("group_id", "person_id", "valid_from", "valid_to", "is_leader"):
        if person_id in persons:
            memberships[(group_id, person_id)].append((valid_from, valid_to))
        if is_leader:
            leaders[group_id].append((valid_from, valid_to))
    role_codes = {MEMBER_ROLES[g.kind.code] for g in groups.values() if g.kind.code in MEMBER_ROLES}
    roles = {role.code: role for role in NetworkRoleKind.objects.filter(code__in=role_codes)}
    held: dict[tuple[int, int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for person_id, role_id, unit_id, valid_from, valid_to in RoleAssignment.objects.filter(
        person_id__in=persons, role__in=list(roles.values())
    ).values_list("person_id", "role_id", "unit_id", "valid_from", "valid_to"):
        held[(person_id, role_id, unit_id)].append((valid_from, valid_to))

    rows: list[GroupMembership] = []
    assignments: list[RoleAssignment] = []
    for spec in specs:
        group, person, day = spec.group, spec.person, spec.valid_from
        if not group.is_open_on(day):
            raise ValidationFailed(_("The group does not exist on that date."), extra={"field": "valid_from"})
        if person.anonymised_at is not None:
            raise Conflict(_("This person has been anonymised; they cannot join a group."))
        if any(_ends_after(valid_to, day) for _from, valid_to in memberships[(group.pk, person.pk)]):
            raise ValidationFailed(
                _("%(person)s is already a member of this group.") % {"person": person.full_name},
                extra={"field": "person"},
            )
        if spec.is_leader:
            if any(start <= day and _ends_after(end, day) for start, end in leaders[group.pk]):
                raise ValidationFailed(_("The group already has a leader on that date."), extra={"field": "is_leader"})
            leaders[group.pk].append((day, None))
        memberships[(group.pk, person.pk)].append((day, None))
        rows.append(GroupMembership(group=group, person=person, is_leader=spec.is_leader, valid_from=day))
        role = roles.get(MEMBER_ROLES.get(group.kind.code, ""))
        if role is None:
            continue
        periods = held[(person.pk, role.pk, group.unit_id)]
        if any(start <= day and _ends_after(end, day) for start, end in periods):
            continue  # already holds the role there that day
        check_unit_open(group.unit, day)
        if any(_ends_after(end, day) for _start, end in periods):
            raise ValidationFailed(
                _("%(person)s already holds this role in this unit for part of that time.")
                % {"person": person.full_name},
                extra={"field": "role"},
            )
        periods.append((day, None))
        assignments.append(
            RoleAssignment(
                person=person,
                role=role,
                unit=group.unit,
                valid_from=day,
                decision_ref=clean_decision_ref(spec.decision_ref),
            )
        )
    GroupMembership.objects.bulk_create(rows, batch_size=BATCH)
    RoleAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    audit_record_many(
        action="lantoa.people.role.assigned",
        by=by,
        targets=[(a, a.unit) for a in assignments],
        changed=["person", "role", "unit", "valid_from", "valid_to", "decision_ref"],
    )
    audit_record_many(
        action="lantoa.people.group.member_added",
        by=by,
        targets=[(m.group, m.group.unit) for m in rows],
        changed=["person", "is_leader", "valid_from"],
    )
    return rows


# --- Activities ------------------------------------------------------------------------------


@transaction.atomic
def activities_record_many(*, by: Any, data: Sequence[ActivityData]) -> list[Activity]:
    """``activity_record`` for every item. Items whose ``client_key`` the same sender already
    used (before, or earlier in the batch) are not stored again; the list holds what was created.
    A key someone else used is refused, as by the service."""
    actor = actor_or_none(by)
    keys = {item.client_key.strip()[:64] for item in data} - {""}
    sender: int | None = getattr(actor, "pk", None)
    seen: dict[str | None, int | None] = dict(
        Activity.objects.filter(client_key__in=keys).values_list("client_key", "recorded_by_id")
    )
    rows: list[Activity] = []
    for item in data:
        key = item.client_key.strip()[:64] or None
        if key is not None:
            if key in seen:
                if seen[key] != sender:
                    raise Conflict(
                        _("This form key has already been used for another record."),
                        code="client_key_used",
                        extra={"field": "client_key"},
                    )
                continue
            seen[key] = sender
        activity_validate(item)
        rows.append(
            Activity(
                unit=item.unit,
                held_on=item.held_on,
                kind=item.kind,
                topic=" ".join(item.topic.split())[:255],
                sessions=item.sessions,
                people_reached=item.people_reached,
                group=item.group,
                person=item.person,
                is_summary=item.is_summary,
                note=item.note.strip()[:500],
                recorded_by=actor,
                client_key=key,
            )
        )
    return Activity.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def activities_confirm_all(*, by: Any, activities: QuerySet[Activity] | Iterable[Activity]) -> int:
    """``activities_confirm`` for many records: the same update and audit entries, with each
    record's unit and kind read in the same query (the audit names every record)."""
    if isinstance(activities, QuerySet):
        pending_qs = activities.filter(status=Activity.Status.SUBMITTED)
    else:
        pending_qs = Activity.objects.filter(pk__in=[a.pk for a in activities], status=Activity.Status.SUBMITTED)
    pending = list(pending_qs.select_related("unit", "kind").order_by("pk"))
    now = timezone.now()
    for start in range(0, len(pending), BATCH * 5):
        chunk = [a.pk for a in pending[start : start + BATCH * 5]]
        Activity.objects.filter(Q(pk__in=chunk)).update(
            status=Activity.Status.CONFIRMED, confirmed_by=actor_or_none(by), confirmed_at=now
        )
    audit_record_many(
        action="lantoa.people.activity.confirmed", by=by, targets=[(a, a.unit) for a in pending], changed=["status"]
    )
    return len(pending)
