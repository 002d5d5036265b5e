"""Gates for persons, groups and activities. "Not allowed" looks exactly like "not found".

A person is in a user's scope when their home unit, or a unit where they hold (or held) a
network role, lies in a subtree where the user may see persons. Inspectors have no
person-level capability: they see the network's figures, never its people.

Someone with no staff role but linked to a person who holds a role or team membership (a
propagandist with an account) may record activities for those units — and see only their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability, scope_root_ids, units_for
from lantoa.accounts.roles import Capability
from lantoa.core.errors import Conflict, NotFound, PermissionDenied
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import today
from lantoa.people.models import Activity, GroupMembership, NetworkGroup, Person, RoleAssignment


def persons_in_scope(by: Any, capability: str = Capability.VIEW_PERSONS) -> QuerySet[Person]:
    if not scope_root_ids(by, capability):
        return Person.objects.none()
    units = units_for(by, capability).values("pk")
    roles_inside = RoleAssignment.objects.filter(person=OuterRef("pk"), unit__in=units)
    return Person.objects.filter(Q(home_unit__in=units) | Exists(roles_inside))


def _person_allows(by: Any, pk: int, capability: str) -> bool:
    return persons_in_scope(by, capability).filter(pk=pk).exists()


def access_person(*, by: Any, pk: int, capability: str = Capability.VIEW_PERSONS) -> Person:
    """A person ``by`` may see; acting on them (``edit_records``: correcting, recording a role,
    the privacy page, export, anonymisation) needs the capability in their home unit or in a
    unit where they hold (or held) a network role — the rule :func:`may_edit_person` answers."""
    person = persons_in_scope(by, Capability.VIEW_PERSONS).filter(pk=pk).select_related("home_unit").first()
    if person is None:
        raise NotFound(_("No such person."), extra={"id": pk})
    if capability != Capability.VIEW_PERSONS and not _person_allows(by, pk, capability):
        raise PermissionDenied(_("Your role does not allow this action for this person."))
    return person


def may_edit_person(by: Any, person: Person) -> bool:
    """Does a person's page offer ``by`` to correct the record and manage its privacy? What
    :func:`access_person` answers with ``edit_records`` for a person the page already shows:
    those who record the work of the person's home unit or of a unit where they hold (or held)
    a network role."""
    return _person_allows(by, person.pk, Capability.EDIT_RECORDS)


def may_see_contacts(by: Any, person: Person) -> bool:
    return has_capability(by, Capability.VIEW_CONTACTS, person.home_unit)


def may_see_sensitive(by: Any, person: Person) -> bool:
    return has_capability(by, Capability.VIEW_SENSITIVE, person.home_unit)


def may_write_sensitive(by: Any, unit: Unit) -> bool:
    """Sensitive fields are written only by roles that may read them: nobody overwrites (or
    probes) a value they are not allowed to see."""
    return has_capability(by, Capability.VIEW_SENSITIVE, unit)


def check_sensitive_input(by: Any, unit: Unit, sent: Iterable[str]) -> None:
    from lantoa.people.services import sensitive_fields_enabled

    fields = [name for name in sensitive_fields_enabled() if name in set(sent)]
    if fields and not may_write_sensitive(by, unit):
        raise PermissionDenied(
            _("Your role does not allow recording these fields: %(fields)s.") % {"fields": ", ".join(fields)},
            extra={"fields": fields},
        )


def access_group(*, by: Any, pk: int, capability: str = Capability.VIEW_AGGREGATES) -> NetworkGroup:
    """A group whose unit ``by`` may read figures for; a group outside that answers exactly as a
    missing id does (same message, same ``extra``), so groups cannot be enumerated."""
    group = NetworkGroup.objects.filter(pk=pk).select_related("kind", "unit").first()
    missing = NotFound(_("No such group."), extra={"id": pk})
    if group is None:
        raise missing
    day = _last_day(group)
    try:
        access_unit(by=by, code=group.unit.code, capability=Capability.VIEW_AGGREGATES, as_of=day)
    except (NotFound, PermissionDenied):
        raise missing from None
    if capability != Capability.VIEW_AGGREGATES:
        access_unit(by=by, code=group.unit.code, capability=capability, as_of=day)
    return group


def _group_allows(by: Any, group: NetworkGroup, capability: str) -> bool:
    """What :func:`access_group` answers for ``capability`` on a group ``by`` already sees: the
    group's unit judged on the group's last day (a closed unit on its own last open day), and a
    successor's officers judging their predecessors' groups (``org``'s rule)."""
    try:
        access_unit(by=by, code=group.unit.code, capability=capability, as_of=_last_day(group))
    except (NotFound, PermissionDenied):
        return False
    return True


def may_change_group(by: Any, group: NetworkGroup) -> bool:
    """Does a group's page offer ``by`` to add members, merge or dissolve it? An open group, for
    those :func:`access_group` lets record its unit's work."""
    return group.valid_to is None and _group_allows(by, group, Capability.EDIT_RECORDS)


def access_role(*, by: Any, pk: int, capability: str = Capability.VIEW_PERSONS) -> RoleAssignment:
    """A network role of a person ``by`` may see, held in a unit ``by`` may see; changing it
    (``edit_records``) needs that capability in the role's unit. Out of scope answers exactly
    as a missing id does."""
    assignment = RoleAssignment.objects.filter(pk=pk).select_related("role", "person", "unit__kind__tier").first()
    missing = NotFound(_("No such role."), extra={"id": pk})
    if assignment is None or not persons_in_scope(by).filter(pk=assignment.person_id).exists():
        raise missing
    try:
        access_unit(by=by, code=assignment.unit.code, capability=Capability.VIEW_UNITS)
    except NotFound:
        raise missing from None
    if capability != Capability.VIEW_PERSONS and not has_capability(by, capability, assignment.unit):
        raise PermissionDenied(_("Your role does not allow ending this role."), extra={"id": pk})
    return assignment


def may_change_role(by: Any, assignment: RoleAssignment) -> bool:
    """Who may end (or shorten) a network role: those who record the work of the unit where it is
    held. The one rule behind :func:`access_role_to_end` (the page's form and the API) and
    :func:`may_end_role` (the page's button)."""
    return has_capability(by, Capability.EDIT_RECORDS, assignment.unit)


def _still_held(valid_to: dt.date | None) -> bool:
    """Held today or later: open, or with a planned end still to come (which may be brought
    forward). One that has ended is history, no longer ended again."""
    return valid_to is None or valid_to > today()


def access_role_to_end(*, by: Any, pk: int) -> RoleAssignment:
    """The gate of ending (or shortening) a role, for the page and the API alike: a role ``by``
    may not see answers as a missing one (404); one they see but may not change answers 403; one
    that has already ended answers 409."""
    assignment = access_role(by=by, pk=pk)
    if not may_change_role(by, assignment):
        raise PermissionDenied(_("Your role does not allow ending this role."), extra={"id": pk})
    if not _still_held(assignment.valid_to):
        raise Conflict(_("This role has already ended."), extra={"id": pk})
    return assignment


def may_end_role(by: Any, assignment: RoleAssignment) -> bool:
    """What :func:`access_role_to_end` answers, as a yes or no for a page's button (a role of a
    person the page already shows): a role still held — open or ending later — in a unit whose
    work ``by`` records."""
    return _still_held(assignment.valid_to) and may_change_role(by, assignment)


def access_membership_to_end(*, by: Any, pk: int, group_id: int | None = None) -> GroupMembership:
    """The gate of ending a group membership, for the page and the API alike. A membership that
    does not exist, is not of ``group_id`` (the API names both) or is of a group ``by`` may not
    see answers "No such member." with its id (404); one ``by`` sees but may not change answers
    403 (the rule of :func:`access_group` for ``edit_records``); one that has already ended, 409."""
    found = GroupMembership.objects.filter(pk=pk)
    if group_id is not None:
        found = found.filter(group_id=group_id)
    membership = found.first()
    missing = NotFound(_("No such member."), extra={"id": pk})
    if membership is None:
        raise missing
    try:
        group = access_group(by=by, pk=membership.group_id)
    except NotFound:
        raise missing from None
    membership.group = group
    if not _group_allows(by, group, Capability.EDIT_RECORDS):
        raise PermissionDenied(_("Your role does not allow changing this group."), extra={"id": pk})
    if not _still_held(membership.valid_to):
        raise Conflict(_("This membership has already ended."), extra={"id": pk})
    return membership


def may_end_membership(by: Any, membership: GroupMembership) -> bool:
    """What :func:`access_membership_to_end` answers for a membership of a group the page already
    shows, as a yes or no for its button."""
    return _still_held(membership.valid_to) and _group_allows(by, membership.group, Capability.EDIT_RECORDS)


def endable_membership_ids(by: Any, group: NetworkGroup, memberships: Iterable[GroupMembership]) -> set[int]:
    """:func:`may_end_membership` for each of ``memberships`` of ``group``, asking the tree once."""
    held = {m.pk for m in memberships if _still_held(m.valid_to)}
    return held if held and _group_allows(by, group, Capability.EDIT_RECORDS) else set()


def may_see_members(by: Any, group: NetworkGroup) -> bool:
    """Who the members of a group ``by`` sees are, for the page and the API alike: those who may
    see persons in the group's unit, judged as :func:`access_group` judges (the tree on the
    group's last day; a successor's officers see their predecessors' groups)."""
    return _group_allows(by, group, Capability.VIEW_PERSONS)


def access_roster_unit(*, by: Any, code: str) -> Unit:
    """A unit whose persons ``by`` may list; to a role without person access it does not exist."""
    try:
        return access_unit(by=by, code=code, capability=Capability.VIEW_PERSONS)
    except PermissionDenied as exc:
        raise NotFound(_("No unit with code %(code)s.") % {"code": code}, extra={"code": code}) from exc


def require_recorder(by: Any) -> None:
    """Pages for those who record the network's work somewhere; for anyone else there is nothing."""
    if not has_capability(by, Capability.EDIT_RECORDS):
        raise NotFound(_("Page not found."))


def _last_day(group: NetworkGroup) -> dt.date | None:
    """A dissolved group is judged by the tree on its last day."""
    if group.valid_to is not None and group.valid_to <= today():
        return group.valid_to - dt.timedelta(days=1)
    return None


def self_service_unit_ids(by: Any, *, on: dt.date | None = None) -> set[int]:
    """Units where ``by``'s own person holds a network role or team membership on ``on``."""
    person = linked_person(by)
    if person is None:
        return set()
    day = on or today()
    open_on = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    units = set(RoleAssignment.objects.filter(open_on, person=person).values_list("unit_id", flat=True))
    units |= set(GroupMembership.objects.filter(open_on, person=person).values_list("group__unit_id", flat=True))
    return units


def linked_person(by: Any) -> Person | None:
    if not getattr(by, "is_authenticated", False):
        return None
    return Person.objects.filter(user=by, anonymised_at__isnull=True).first()


def may_record_for_others(by: Any, unit: Unit) -> bool:
    return has_capability(by, Capability.EDIT_RECORDS, unit)


def may_record_activity(by: Any, unit: Unit, *, on: dt.date | None = None) -> bool:
    """What :func:`access_activity_unit` answers, as a yes or no for a page's button."""
    return has_capability(by, Capability.EDIT_RECORDS, unit) or unit.pk in self_service_unit_ids(by, on=on)


def access_activity_unit(*, by: Any, code: str, on: dt.date | None = None) -> Unit:
    """The unit an activity is recorded for: one where ``by`` records the unit's work, or one
    where their own person serves in the network."""
    unit = Unit.objects.filter(code=code).select_related("kind__tier").first()
    if unit is not None and may_record_activity(by, unit, on=on):
        return unit
    raise NotFound(_("No unit with code %(code)s.") % {"code": code}, extra={"code": code})


def access_activity_list_unit(*, by: Any, code: str) -> Unit:
    """A unit whose activities ``by`` may list: in their scope, or one where they serve themselves."""
    try:
        return access_unit(by=by, code=code, capability=Capability.VIEW_AGGREGATES)
    except (NotFound, PermissionDenied):
        return access_activity_unit(by=by, code=code)


def access_activity_person(*, by: Any, unit: Unit, pk: int) -> Person:
    """The person an activity of ``unit`` is recorded for: ``by``'s own person, or — for those
    who record the unit's work — a person they may see."""
    own = linked_person(by)
    if own is not None and own.pk == pk:
        return own
    if not may_record_for_others(by, unit):
        raise PermissionDenied(_("You may record only your own activities."), extra={"field": "person"})
    return access_person(by=by, pk=pk)


def access_activity(*, by: Any, pk: int, capability: str = Capability.VIEW_AGGREGATES) -> Activity:
    """An activity: visible with the capability in its unit, or to whoever it is about/recorded."""
    activity = Activity.objects.filter(pk=pk).select_related("unit", "kind", "group", "person").first()
    if activity is None:
        raise NotFound(_("No such activity."), extra={"id": pk})
    if has_capability(by, capability, activity.unit):
        return activity
    own = activity.recorded_by_id == getattr(by, "pk", None) or (
        activity.person is not None and activity.person.user_id == getattr(by, "pk", None)
    )
    if own and capability == Capability.VIEW_AGGREGATES:
        return activity
    raise NotFound(_("No such activity."), extra={"id": pk})
