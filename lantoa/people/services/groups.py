"""Boards and teams: formed, joined, led, left, dissolved and merged, each step a group event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record, audit_record_many
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.text import clean_text
from lantoa.org.models import Unit
from lantoa.people.models import (
    GroupEvent,
    GroupKind,
    GroupMembership,
    NetworkGroup,
    NetworkRoleKind,
    Person,
    RoleAssignment,
)
from lantoa.people.services.common import check_unit_open, clean_decision_ref, group_event, open_on, roles_continue
from lantoa.people.services.roles import role_assign, role_end


@transaction.atomic
def group_create(
    *, by: Any, kind: GroupKind, unit: Unit, name: str, valid_from: dt.date, decision_ref: str = ""
) -> NetworkGroup:
    name = clean_text(name)
    if not name:
        raise ValidationFailed(_("A group needs a name."), extra={"field": "name"})
    check_unit_open(unit, valid_from)
    if kind.tier_code and unit.kind.tier.code != kind.tier_code:
        raise ValidationFailed(
            _("A %(kind)s belongs to a unit of the %(tier)s tier.") % {"kind": kind.name, "tier": kind.tier_code},
            extra={"field": "unit"},
        )
    if NetworkGroup.objects.filter(kind=kind, unit=unit).filter(open_on(valid_from)).exists():
        raise ValidationFailed(
            _("%(unit)s already has a %(kind)s on that date.") % {"unit": unit.name, "kind": kind.name},
            extra={"field": "unit"},
        )
    ref = clean_decision_ref(decision_ref)
    group = NetworkGroup.objects.create(kind=kind, unit=unit, name=name, valid_from=valid_from, decision_ref=ref)
    group_event(group, GroupEvent.Kind.FORMED, valid_from, by, ref=ref).save()
    audit_record(
        action="lantoa.people.group.formed",
        by=by,
        target=group,
        unit=unit,
        changed=["kind", "unit", "name", "valid_from", "decision_ref"],
    )
    return group


def _member_role(group: NetworkGroup) -> NetworkRoleKind | None:
    """The network role that membership of this kind of group carries (a team member is a
    propagandist of the village; a board member an outreach cadre of the commune)."""
    code = MEMBER_ROLES.get(group.kind.code)
    return NetworkRoleKind.objects.filter(code=code).first() if code else None


MEMBER_ROLES = {"outreach_team": "propagandist", "outreach_board": "outreach_cadre"}


@transaction.atomic
def group_member_add(
    *,
    by: Any,
    group: NetworkGroup,
    person: Person,
    valid_from: dt.date,
    is_leader: bool = False,
    decision_ref: str = "",
) -> GroupMembership:
    """Add ``person`` to ``group``; they also take the role the group's kind carries, in its unit."""
    if not group.is_open_on(valid_from):
        raise ValidationFailed(_("The group does not exist on that date."), extra={"field": "valid_from"})
    if person.anonymised_at is not None:
        raise Conflict(_("This person has been anonymised; they cannot join a group."))
    if (
        GroupMembership.objects.filter(group=group, person=person)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from))
        .exists()
    ):
        raise ValidationFailed(
            _("%(person)s is already a member of this group.") % {"person": person.full_name}, extra={"field": "person"}
        )
    if is_leader:
        _end_leadership(group, valid_from)
    membership = GroupMembership.objects.create(group=group, person=person, is_leader=is_leader, valid_from=valid_from)
    role = _member_role(group)
    if role is not None:
        held = RoleAssignment.objects.filter(person=person, role=role, unit=group.unit).filter(open_on(valid_from))
        if not held.exists():
            role_assign(
                by=by, person=person, role=role, unit=group.unit, valid_from=valid_from, decision_ref=decision_ref
            )
    audit_record(
        action="lantoa.people.group.member_added",
        by=by,
        target=group,
        unit=group.unit,
        changed=["person", "is_leader", "valid_from"],
    )
    return membership


def _end_leadership(group: NetworkGroup, day: dt.date) -> None:
    """A group has one leader: the current one stays a member but stops leading."""
    for current in GroupMembership.objects.filter(group=group, is_leader=True).filter(open_on(day)):
        if current.valid_from < day:
            current.valid_to = day
            current.save(update_fields=["valid_to", "updated_at"])
            GroupMembership.objects.create(group=group, person=current.person, is_leader=False, valid_from=day)
        else:
            current.is_leader = False
            current.save(update_fields=["is_leader", "updated_at"])


@transaction.atomic
def group_leader_set(*, by: Any, group: NetworkGroup, person: Person, on: dt.date) -> GroupMembership:
    membership = GroupMembership.objects.filter(group=group, person=person).filter(open_on(on)).first()
    if membership is None:
        raise ValidationFailed(_("Only a member can lead the group."), extra={"field": "person"})
    if membership.is_leader:
        return membership
    _end_leadership(group, on)
    if membership.valid_from < on:
        membership.valid_to = on
        membership.save(update_fields=["valid_to", "updated_at"])
        membership = GroupMembership.objects.create(group=group, person=person, is_leader=True, valid_from=on)
    else:
        membership.is_leader = True
        membership.save(update_fields=["is_leader", "updated_at"])
    audit_record(action="lantoa.people.group.leader_set", by=by, target=group, unit=group.unit, changed=["is_leader"])
    return membership


@transaction.atomic
def group_member_end(*, by: Any, membership: GroupMembership, on: dt.date) -> GroupMembership:
    """The person leaves the group on ``on``; the role it carried ends with it."""
    membership = GroupMembership.objects.select_for_update().select_related("group__kind").get(pk=membership.pk)
    if on <= membership.valid_from:
        raise ValidationFailed(_("The end date must come after the start date."), extra={"field": "valid_to"})
    if membership.valid_to is not None and membership.valid_to <= on:
        raise ValidationFailed(_("This membership had already ended by then."), extra={"field": "valid_to"})
    membership.valid_to = on
    membership.save(update_fields=["valid_to", "updated_at"])
    role = _member_role(membership.group)
    if role is not None:
        for held in RoleAssignment.objects.filter(
            person=membership.person, role=role, unit=membership.group.unit
        ).filter(open_on(on)):
            if held.valid_from < on:
                role_end(by=by, assignment=held, on=on)
    audit_record(
        action="lantoa.people.group.member_ended",
        by=by,
        target=membership.group,
        unit=membership.group.unit,
        changed=["valid_to"],
    )
    return membership


def _close_group(group: NetworkGroup, day: dt.date) -> list[GroupMembership]:
    """End the group and its memberships on ``day``; returns the memberships that were open."""
    open_members = list(GroupMembership.objects.filter(group=group).filter(open_on(day)).select_related("person"))
    GroupMembership.objects.filter(pk__in=[m.pk for m in open_members]).update(valid_to=day, updated_at=timezone.now())
    group.valid_to = day
    group.save(update_fields=["valid_to", "updated_at"])
    return open_members


def _check_can_end(group: NetworkGroup, day: dt.date) -> None:
    if not group.is_open_on(day) or day <= group.valid_from:
        raise ValidationFailed(
            _("%(group)s does not exist on %(day)s.")
            % {"group": group.name, "day": date_format(day, "SHORT_DATE_FORMAT")},
            extra={"field": "valid_to"},
        )


@transaction.atomic
def group_dissolve(*, by: Any, group: NetworkGroup, on: dt.date, decision_ref: str = "") -> NetworkGroup:
    """The group stops on ``on``. Its members' group roles end with it."""
    group = NetworkGroup.objects.select_for_update().select_related("kind", "unit").get(pk=group.pk)
    _check_can_end(group, on)
    members = _close_group(group, on)
    role = _member_role(group)
    if role is not None:
        RoleAssignment.objects.filter(
            person__in=[m.person_id for m in members], role=role, unit=group.unit, valid_from__lt=on
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on)).update(valid_to=on, updated_at=timezone.now())
    group_event(group, GroupEvent.Kind.DISSOLVED, on, by, ref=clean_decision_ref(decision_ref)).save()
    audit_record(action="lantoa.people.group.dissolved", by=by, target=group, unit=group.unit, changed=["valid_to"])
    return group


@transaction.atomic
def groups_merge(
    *, by: Any, groups: Iterable[NetworkGroup], into: NetworkGroup, on: dt.date, decision_ref: str = ""
) -> NetworkGroup:
    """Merge ``groups`` into ``into`` on ``on``: they end, their members join ``into``."""
    sources = list(
        NetworkGroup.objects.select_for_update().filter(pk__in=[g.pk for g in groups]).select_related("kind")
    )
    if not sources or into.pk in {g.pk for g in sources}:
        raise ValidationFailed(
            _("Choose the groups to merge and a different group that continues."), extra={"field": "groups"}
        )
    if not into.is_open_on(on):
        raise ValidationFailed(_("The continuing group does not exist on that date."), extra={"field": "into"})
    if any(g.kind_id != into.kind_id for g in sources):
        raise ValidationFailed(_("Only groups of the same kind can be merged."), extra={"field": "into"})
    ref = clean_decision_ref(decision_ref)
    already = set(GroupMembership.objects.filter(group=into).filter(open_on(on)).values_list("person_id", flat=True))
    joining: list[GroupMembership] = []
    events: list[GroupEvent] = []
    for group in sources:
        _check_can_end(group, on)
        for member in _close_group(group, on):
            if member.person_id not in already:
                already.add(member.person_id)
                joining.append(GroupMembership(group=into, person_id=member.person_id, is_leader=False, valid_from=on))
        events.append(group_event(group, GroupEvent.Kind.MERGED, on, by, other=into, ref=ref))
        events.append(group_event(into, GroupEvent.Kind.ABSORBED, on, by, other=group, ref=ref))
    GroupMembership.objects.bulk_create(joining)
    _move_roles(
        [(g.unit, into.unit) for g in sources if g.unit_id != into.unit_id],
        [m.person_id for m in joining],
        {_member_role(g) for g in sources} - {None},
        on,
    )
    GroupEvent.objects.bulk_create(events)
    audit_record_many(
        action="lantoa.people.group.merged", by=by, targets=[(g, g.unit) for g in sources], changed=["valid_to"]
    )
    audit_record(action="lantoa.people.group.absorbed", by=by, target=into, unit=into.unit, changed=["members"])
    return into


def _move_roles(unit_pairs: list[tuple[Unit, Unit]], person_ids: list[int], roles: set[Any], on: dt.date) -> None:
    """Group roles held in a merged group's unit continue in the continuing group's unit."""
    if not unit_pairs or not roles:
        return
    successors = {old.pk: new for old, new in unit_pairs}
    roles_continue(
        RoleAssignment.objects.filter(unit_id__in=list(successors), person_id__in=person_ids, role__in=list(roles)),
        successors,
        on,
    )
