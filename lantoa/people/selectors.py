"""Reads for the outreach network: rosters, a person's record, groups, activities, coverage.

Every list takes the acting user, so scoping cannot be forgotten. People sort in Vietnamese
order (given name, family name, middle name) through the stored ``sort_key``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability, scope_root_ids, units_for
from lantoa.accounts.roles import Capability
from lantoa.core.registry import WorkItem
from lantoa.core.text import fold, vn_sort_key
from lantoa.org.models import Unit
from lantoa.org.selectors import (
    name_then,
    subtree_ids,
    subtree_root_of,
    today,
    unit_children,
    unit_parent,
    valid_on,
    with_names_on,
)
from lantoa.people.models import (
    Activity,
    ActivityKind,
    GroupEvent,
    GroupKind,
    GroupMembership,
    NetworkGroup,
    NetworkRoleKind,
    Person,
    RoleAssignment,
)
from lantoa.people.permissions import linked_person, persons_in_scope, self_service_unit_ids


def role_kinds() -> QuerySet[NetworkRoleKind]:
    return NetworkRoleKind.objects.filter(is_active=True)


def group_kinds() -> QuerySet[GroupKind]:
    return GroupKind.objects.all()


def activity_kinds() -> QuerySet[ActivityKind]:
    return ActivityKind.objects.filter(is_active=True)


# --- Rosters and persons ---------------------------------------------------------------------


@dataclass(frozen=True)
class RosterFilter:
    unit: Unit
    role: str = ""  # a NetworkRoleKind code; empty = any role (or none, with include_without_role)
    tier: str = ""  # tier code of the unit where the role is held
    active_on: dt.date | None = None  # holding the role on this day; None = today
    q: str = ""


def roster_for_user(by: Any, flt: RosterFilter) -> QuerySet[RoleAssignment]:
    """Roles held in ``flt.unit``'s subtree on the day, with their persons, in name order."""
    day = flt.active_on or today()
    inside = subtree_ids(flt.unit.pk, as_of=day)
    roles = RoleAssignment.objects.filter(valid_on(day), unit_id__in=inside, person__in=persons_in_scope(by))
    if flt.role:
        roles = roles.filter(role__code=flt.role)
    if flt.tier:
        roles = roles.filter(unit__kind__tier__code=flt.tier)
    if flt.q:
        roles = roles.filter(person__name_folded__contains=fold(flt.q))
    return roles.select_related("person__home_unit", "role", "unit__kind__tier").order_by(
        "person__sort_key", "person_id", "role__rank", "unit__code"
    )


def persons_for_user(by: Any, *, unit: Unit, q: str = "", as_of: dt.date | None = None) -> QuerySet[Person]:
    """Persons whose home unit is in ``unit``'s subtree (with or without a role), in name order."""
    inside = subtree_ids(unit.pk, as_of=as_of)
    persons = persons_in_scope(by).filter(home_unit_id__in=inside)
    if q:
        persons = persons.filter(name_folded__contains=fold(q))
    return persons.select_related("home_unit").order_by("sort_key", "pk")


@dataclass
class PersonRecord:
    person: Person
    roles: list[RoleAssignment]
    memberships: list[GroupMembership]
    activities: list[Activity]
    activity_count: int


def person_record(person: Person, *, activity_limit: int = 50) -> PersonRecord:
    roles = list(
        RoleAssignment.objects.filter(person=person)
        .select_related("role", "unit__kind__tier")
        .order_by("-valid_from", "pk")
    )
    memberships = list(
        GroupMembership.objects.filter(person=person)
        .select_related("group__kind", "group__unit")
        .order_by("-valid_from")
    )
    activities = Activity.objects.filter(person=person).select_related("kind", "unit").order_by("-held_on", "-pk")
    return PersonRecord(person, roles, memberships, list(activities[:activity_limit]), activities.count())


def person_export(person: Person) -> dict[str, Any]:
    """Everything Lantoa holds about a person, for the data subject (right of access)."""
    record = person_record(person, activity_limit=100_000)
    return {
        "person": {
            "id": person.pk,
            "family_name": person.family_name,
            "middle_name": person.middle_name,
            "given_name": person.given_name,
            "sex": person.sex,
            "birth_year": person.birth_year,
            "home_unit": person.home_unit.code,
            "phone": person.phone,
            "email": person.email,
            "ethnicity": person.ethnicity,
            "is_party_member": person.is_party_member,
            "user_account": person.user.username if person.user_id else None,  # type: ignore[union-attr]
            "anonymised_at": person.anonymised_at.isoformat() if person.anonymised_at else None,
            "created_at": person.created_at.isoformat(),
            "updated_at": person.updated_at.isoformat(),
        },
        "roles": [
            {
                "role": r.role.code,
                "unit": r.unit.code,
                "valid_from": r.valid_from.isoformat(),
                "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                "decision": r.decision_ref,
            }
            for r in record.roles
        ],
        "group_memberships": [
            {
                "group": m.group.name,
                "unit": m.group.unit.code,
                "leader": m.is_leader,
                "valid_from": m.valid_from.isoformat(),
                "valid_to": m.valid_to.isoformat() if m.valid_to else None,
            }
            for m in record.memberships
        ],
        "activities": [
            {
                "date": a.held_on.isoformat(),
                "unit": a.unit.code,
                "kind": a.kind.code,
                "topic": a.topic,
                "sessions": a.sessions,
                "people_reached": a.people_reached,
                "note": a.note,
                "status": a.status,
            }
            for a in record.activities
        ],
    }


# --- Groups ----------------------------------------------------------------------------------


def groups_for_user(by: Any, *, unit: Unit, kind: str = "", active_on: dt.date | None = None) -> QuerySet[NetworkGroup]:
    day = active_on or today()
    groups = NetworkGroup.objects.filter(valid_on(day), unit_id__in=subtree_ids(unit.pk, as_of=day))
    if kind:
        groups = groups.filter(kind__code=kind)
    members = Count("members", filter=valid_on(day, "members__"), distinct=True)
    return (
        groups.select_related("kind", "unit").annotate(member_count=members).order_by("unit__code", "kind__rank", "pk")
    )


@dataclass
class GroupRecord:
    group: NetworkGroup
    members: list[GroupMembership]
    past_members: list[GroupMembership]
    events: list[GroupEvent]
    leader: Person | None
    activities: list[Activity]


def group_record(group: NetworkGroup, *, on: dt.date | None = None) -> GroupRecord:
    day = on or today()
    if group.valid_to is not None and group.valid_to <= day:
        day = group.valid_to - dt.timedelta(days=1)
    all_members = GroupMembership.objects.filter(group=group).select_related("person__home_unit")
    current = sorted(all_members.filter(valid_on(day)), key=lambda m: m.person.sort_key)
    past = list(all_members.exclude(valid_on(day)).order_by("-valid_to"))
    events = list(GroupEvent.objects.filter(Q(group=group)).select_related("other__unit").order_by("happened_on", "pk"))
    leader = next((m.person for m in current if m.is_leader), None)
    activities = list(Activity.objects.filter(group=group).select_related("kind").order_by("-held_on", "-pk")[:50])
    return GroupRecord(group, current, past, events, leader, activities)


def open_teams_for_unit(unit: Unit, *, on: dt.date | None = None) -> QuerySet[NetworkGroup]:
    return NetworkGroup.objects.filter(valid_on(on or today()), unit=unit).select_related("kind")


# --- Activities ------------------------------------------------------------------------------


def activities_for_user(
    by: Any, *, unit: Unit | None = None, start: dt.date | None = None, end: dt.date | None = None, status: str = ""
) -> QuerySet[Activity]:
    """Activities in the user's scope (or, for a network member without a staff role, their own)."""
    activities = Activity.objects.all()
    if scope_root_ids(by, Capability.VIEW_AGGREGATES):
        scope = Q(unit__in=units_for(by, Capability.VIEW_AGGREGATES).values("pk"))
    else:
        scope = Q(pk__in=[])
    person = linked_person(by)
    own = Q(recorded_by=by) | (Q(person=person) if person is not None else Q(pk__in=[]))
    activities = activities.filter(scope | own)
    if unit is not None:
        activities = activities.filter(unit_id__in=subtree_ids(unit.pk, as_of=end))
    if start is not None:
        activities = activities.filter(held_on__gte=start)
    if end is not None:
        activities = activities.filter(held_on__lte=end)
    if status:
        activities = activities.filter(status=status)
    return activities.select_related("unit", "kind", "group", "person__home_unit").order_by("-held_on", "-pk")


def recent_activities_recorded_by(by: Any, *, limit: int = 5) -> list[Activity]:
    if not getattr(by, "is_authenticated", False):
        return []
    return list(
        Activity.objects.filter(recorded_by_id=by.pk).select_related("kind", "unit").order_by("-recorded_at")[:limit]
    )


def activity_totals(activities: QuerySet[Activity]) -> dict[str, int]:
    counted = activities.exclude(status=Activity.Status.WITHDRAWN)
    totals = counted.aggregate(sessions=Sum("sessions"), people=Sum("people_reached"), records=Count("pk"))
    return {key: value or 0 for key, value in totals.items()}


def units_for_activity(by: Any, *, on: dt.date | None = None) -> list[Unit]:
    """Units a network member may record for, their own first; officers pick any unit in scope."""
    ids = self_service_unit_ids(by, on=on)
    units = Unit.objects.filter(pk__in=ids).select_related("kind__tier")
    return sorted(units, key=lambda u: (u.kind.tier.rank, vn_sort_key(u.name)))


def my_work_items(user: Any, unit: Unit | None) -> list[WorkItem]:
    items: list[WorkItem] = []
    person = linked_person(user)
    if person is not None and GroupMembership.objects.filter(valid_on(today()), person=person, is_leader=True).exists():
        items.append(
            WorkItem(title=_("File your team's monthly summary"), url=reverse("people:team_summary"), module="people")
        )
    if self_service_unit_ids(user):
        items.append(
            WorkItem(title=_("Record an outreach activity"), url=reverse("people:activity_new"), module="people")
        )
    if unit is not None and has_capability(user, Capability.EDIT_RECORDS, unit):
        pending = Activity.objects.filter(status=Activity.Status.SUBMITTED, unit_id__in=subtree_ids(unit.pk)).count()
        if pending:
            items.append(
                WorkItem(
                    title=_("Outreach activities to confirm"),
                    url=reverse("people:activities", args=[unit.code]) + "?status=submitted",
                    count=pending,
                    module="people",
                )
            )
    return items


# --- Coverage --------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    unit: Unit
    communes: int = 0
    communes_with_board: int = 0
    villages: int = 0
    villages_with_team: int = 0
    propagandists: int = 0
    reporters: int = 0

    @property
    def team_share(self) -> float:
        return self.villages_with_team / self.villages if self.villages else 0.0

    @property
    def board_share(self) -> float:
        return self.communes_with_board / self.communes if self.communes else 0.0

    @property
    def propagandists_per_village(self) -> float:
        return self.propagandists / self.villages_with_team if self.villages_with_team else 0.0


@dataclass
class Coverage:
    unit: Unit
    day: dt.date
    total: CoverageRow
    rows: list[CoverageRow]
    reporters_by_level: list[tuple[str, int]]
    propagandist_distribution: list[tuple[str, int]]  # "0", "1", "2", "3", "4+" per village
    communes_without_board: list[Unit] = field(default_factory=list)
    villages_without_team: list[Unit] = field(default_factory=list)
    gap_limit: int = 200


def coverage(unit: Unit, *, on: dt.date | None = None, gap_limit: int = 200) -> Coverage:
    """Boards, teams, propagandists and reporters under ``unit`` on ``on``, per child unit, with the gaps.

    Each row counts its child's subtree as the tree stood on ``on``, the child included, in five
    queries however many children there are. The figures keep the page's meaning, which is not
    always that of the indicator with a similar name (``lantoa.org.rollup`` over the period
    ``(on, on)``, historical or as of ``on``):

    * the total's ``reporters`` is the ``reporters`` indicator: distinct persons holding the role
      anywhere in the subtree. A row's ``reporters`` adds up each unit's distinct reporters, so
      a person reporting for a district and for one of its communes counts twice in that
      district's row (and the rows may add up to more than the total);
    * ``propagandists`` adds up each village's distinct propagandists, where
      ``village_propagandists`` counts distinct persons: a person serving two villages of the
      same child counts twice here, once there;
    * ``villages`` is ``units_village`` plus the child itself when it is a village-tier unit
      (the indicator counts the units below a unit);
    * ``communes`` counts the territorial commune-tier units (communes, wards, townships), the
      child itself included; ``units_commune`` counts every commune-tier unit below the child,
      grassroots party organisations of agencies, enterprises and the forces too;
    * ``communes_with_board`` and ``villages_with_team`` count units with at least one open
      board or team, where ``outreach_boards`` and ``outreach_teams`` count the groups: a
      commune with two boards counts twice there, and a grassroots organisation's board counts
      there only. With one board per territorial commune and none elsewhere, and one team per
      village (as the services keep it), they agree.

    Where the meanings coincide, ``people/tests/test_coverage_rollup.py`` checks that the
    figures equal the rollup's for the same units, and shows where they part. (The as-of
    structure would also count, at their successors, records left open in units closed by
    ``on``; the pointer handlers end such records at the closing.) The figures are read here
    rather than through the rollup: the gaps, the distribution and the reporters by level need
    these unit-by-unit sets anyway, and the rollup would read the same rows again.
    """
    day = on or today()
    inside = with_names_on(
        Unit.objects.filter(pk__in=subtree_ids(unit.pk, as_of=day)).select_related("kind__tier"), day
    )
    units = {u.pk: u for u in inside}
    communes = {pk for pk, u in units.items() if u.kind.tier.code == "commune" and u.kind.is_territorial}
    villages = {pk for pk, u in units.items() if u.kind.tier.code == "village"}
    # Boards and teams in one query, propagandists and reporters in another.
    groups = (
        NetworkGroup.objects.filter(valid_on(day), unit_id__in=list(units))
        .filter(kind__code__in=["outreach_board", "outreach_team"])
        .order_by()
        .values_list("unit_id", "kind__code")
        .distinct()
    )
    with_board: set[int] = set()
    with_team: set[int] = set()
    for unit_id, kind in groups:
        if kind == "outreach_board" and unit_id in communes:
            with_board.add(unit_id)
        elif kind == "outreach_team" and unit_id in villages:
            with_team.add(unit_id)
    roles = (
        RoleAssignment.objects.filter(valid_on(day), unit_id__in=list(units))
        .filter(role__code__in=["propagandist", "reporter"])
        .order_by()  # the model's ordering would otherwise join the DISTINCT below
        .values_list("unit_id", "person_id", "role__code")
        .distinct()
    )
    propagandists: Counter[int] = Counter()
    reporters_per_unit: dict[int, set[int]] = defaultdict(set)
    for unit_id, person_id, role in roles:
        if role == "reporter":
            reporters_per_unit[unit_id].add(person_id)
        elif unit_id in villages:
            propagandists[unit_id] += 1

    # Which child of ``unit`` each unit sits under (the unit itself stands for its own row).
    children = list(unit_children(unit, as_of=day).select_related("kind__tier"))
    under = subtree_root_of([c.pk for c in children], as_of=day)
    rows = {c.pk: CoverageRow(unit=c) for c in children}
    total = CoverageRow(unit=unit)

    def add(unit_id: int, attribute: str, amount: int = 1) -> None:
        setattr(total, attribute, getattr(total, attribute) + amount)
        row = rows.get(under.get(unit_id, -1))
        if row is not None:
            setattr(row, attribute, getattr(row, attribute) + amount)

    for pk in communes:
        add(pk, "communes")
        if pk in with_board:
            add(pk, "communes_with_board")
    for pk in villages:
        add(pk, "villages")
        if pk in with_team:
            add(pk, "villages_with_team")
        add(pk, "propagandists", propagandists.get(pk, 0))
    total.reporters = len({person for persons in reporters_per_unit.values() for person in persons})
    for unit_id, persons in reporters_per_unit.items():
        row = rows.get(under.get(unit_id, -1))
        if row is not None:
            row.reporters += len(persons)
    levels: Counter[tuple[int, str]] = Counter()
    for unit_id, persons in reporters_per_unit.items():
        u = units[unit_id]
        label = (
            u.kind.tier.name if u.kind.is_territorial else _("%(tier)s (blocs and forces)") % {"tier": u.kind.tier.name}
        )
        levels[(u.kind.tier.rank * 2 + (0 if u.kind.is_territorial else 1), label)] += len(persons)
    distribution = Counter(min(propagandists.get(pk, 0), 4) for pk in villages)
    gaps_communes = sorted((units[pk] for pk in communes - with_board), key=lambda u: u.code)
    gaps_villages = sorted((units[pk] for pk in villages - with_team), key=lambda u: u.code)
    return Coverage(
        unit=unit,
        day=day,
        total=total,
        rows=sorted(rows.values(), key=lambda r: vn_sort_key(name_then(r.unit))),
        reporters_by_level=[(label, count) for (_rank, label), count in sorted(levels.items())],
        propagandist_distribution=[("4+" if n == 4 else str(n), distribution.get(n, 0)) for n in range(5)],
        communes_without_board=gaps_communes[:gap_limit],
        villages_without_team=gaps_villages[:gap_limit],
        gap_limit=gap_limit,
    )


def prefetch_current_roles(persons: QuerySet[Person], day: dt.date) -> QuerySet[Person]:
    current = RoleAssignment.objects.filter(valid_on(day)).select_related("role", "unit")
    return persons.prefetch_related(Prefetch("roles", queryset=current, to_attr="current_roles"))


# --- Reads the pages and the API answer with -----------------------------------------------------


def role_kinds_all() -> QuerySet[NetworkRoleKind]:
    """Every network role, in use or not (an export may name a role no longer given)."""
    return NetworkRoleKind.objects.all()


def role_kind(code: str) -> NetworkRoleKind | None:
    """The network role in use with ``code``."""
    return role_kinds().filter(code=code).first()


def group_kind(code: str) -> GroupKind | None:
    return group_kinds().filter(code=code).first()


def activity_kind(code: str) -> ActivityKind | None:
    """The activity kind in use with ``code``."""
    return activity_kinds().filter(code=code).first()


def person_list_by_ids(by: Any, ids: Iterable[int]) -> dict[int, Person]:
    """The persons among ``ids`` that ``by`` may see, with their home units, by id (any other is left out)."""
    return {p.pk: p for p in persons_in_scope(by).filter(pk__in=ids).select_related("home_unit")}


def person_list_with_home_units(ids: Iterable[int]) -> list[Person]:
    """The persons of ``ids`` (already gated) with their home units in one query."""
    return list(Person.objects.filter(pk__in=list(ids)).select_related("home_unit"))


def roster_persons(roles: QuerySet[RoleAssignment]) -> QuerySet[Person]:
    """The persons holding ``roles`` (a roster from :func:`roster_for_user`), once each, in name order."""
    return (
        Person.objects.filter(pk__in=roles.order_by().values("person_id"))
        .select_related("home_unit")
        .order_by("sort_key", "pk")
    )


def roster_roles_by_person(
    roles: QuerySet[RoleAssignment], persons: Iterable[Person]
) -> dict[int, list[RoleAssignment]]:
    """The roles among ``roles`` that ``persons`` hold, per person, in the roster's order."""
    held: dict[int, list[RoleAssignment]] = defaultdict(list)
    for role in roles.filter(person_id__in=[p.pk for p in persons]):
        held[role.person_id].append(role)
    return held


def account_by_username(username: str) -> Any:
    """The active account with ``username``, or None."""
    from lantoa.accounts.models import User

    return User.objects.filter(username=username, is_active=True).first()


def group_membership(group: NetworkGroup, pk: int) -> GroupMembership | None:
    """The membership ``pk`` of ``group`` (already gated), or None."""
    return GroupMembership.objects.filter(pk=pk, group=group).first()


def group_open_for_unit(unit: Unit, pk: int, *, on: dt.date | None = None) -> NetworkGroup | None:
    """The group ``pk`` if it is open in ``unit`` on ``on``."""
    return open_teams_for_unit(unit, on=on).filter(pk=pk).first()


def team_open_for_unit(unit: Unit, *, on: dt.date | None = None) -> NetworkGroup | None:
    """The outreach team open in ``unit`` on ``on``, if any."""
    return open_teams_for_unit(unit, on=on).filter(kind__code="outreach_team").first()


def _parent_or_self(unit: Unit) -> Unit:
    return unit_parent(unit) or unit


def group_member_candidates(by: Any, group: NetworkGroup, *, limit: int = 500) -> list[Person]:
    """People who could join: those ``by`` sees recorded in the group's unit and the unit above it."""
    return list(persons_for_user(by, unit=_parent_or_self(group.unit))[:limit])


def group_merge_targets(group: NetworkGroup, *, limit: int = 200) -> list[NetworkGroup]:
    """Open groups of the same kind in the same unit or its neighbours (same parent)."""
    day = today()
    return list(
        NetworkGroup.objects.filter(kind=group.kind, valid_to__isnull=True)
        .exclude(pk=group.pk)
        .filter(unit__in=[group.unit, *unit_children(_parent_or_self(group.unit), as_of=day)])
        .select_related("unit")[:limit]
    )


def teams_for_summary(by: Any, *, officer_unit: Unit | None, limit: int = 500) -> list[NetworkGroup]:
    """Teams whose monthly summary ``by`` may file: those their own person leads today, and —
    when ``by`` records the work of ``officer_unit`` — the open teams of its subtree (up to ``limit``)."""
    day = today()
    teams: list[NetworkGroup] = []
    person = linked_person(by)
    if person is not None:
        led = GroupMembership.objects.filter(person=person, is_leader=True, valid_from__lte=day).exclude(
            valid_to__lte=day
        )
        teams += [m.group for m in led.select_related("group__unit", "group__kind")]
    if officer_unit is not None:
        teams += list(groups_for_user(by, unit=officer_unit, kind="outreach_team")[:limit])
    seen: set[int] = set()
    return [t for t in teams if not (t.pk in seen or seen.add(t.pk))]  # type: ignore[func-returns-value]


def units_below_for_activity(unit: Unit) -> list[Unit]:
    """The communes and villages directly below ``unit``, by name: where an officer of ``unit``
    records activities besides ``unit`` itself."""
    below = [u for u in unit_children(unit).select_related("kind__tier") if u.kind.tier.code in ("commune", "village")]
    return sorted(below, key=lambda u: u.name)
