"""The outreach network over the API: persons and their roles, groups, activities, coverage.

Every endpoint answers only inside the caller's scope ("not allowed" looks like "not found"),
and every person in an answer is built by :func:`lantoa.people.presenters.person_views`, so
contacts are masked and sensitive fields shown (and their reading logged) exactly as on the
pages. Inspectors see figures: groups and coverage, never persons.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.api_input import IsoDate
from lantoa.core.errors import NotFound, ValidationFailed
from lantoa.core.schemas import ERRORS, page
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import name_then, tier_exists, today
from lantoa.people import selectors, services
from lantoa.people.models import (
    Activity,
    ActivityKind,
    GroupKind,
    GroupMembership,
    NetworkGroup,
    NetworkRoleKind,
    Person,
    RoleAssignment,
)
from lantoa.people.permissions import (
    access_activity,
    access_activity_list_unit,
    access_activity_person,
    access_activity_unit,
    access_group,
    access_person,
    access_role_to_end,
    access_roster_unit,
    check_sensitive_input,
    linked_person,
    may_see_members,
    may_see_sensitive,
    may_write_sensitive,
    persons_in_scope,
)
from lantoa.people.presenters import PersonView, person_view, person_views
from lantoa.people.schemas import (
    ActivityIn,
    ActivityListOut,
    ActivityOut,
    ActivityQuery,
    ConfirmIn,
    ConfirmOut,
    CoverageOut,
    CoverageQuery,
    DissolveIn,
    EndIn,
    GroupDetailOut,
    GroupIn,
    GroupListOut,
    GroupOut,
    GroupQuery,
    Id,
    MemberIn,
    MembershipOut,
    MergeIn,
    PersonDetailOut,
    PersonExportOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    RoleIn,
    RoleOut,
    RosterOut,
    RosterQuery,
    WithdrawIn,
)

router = Router(tags=["people"])


# --- Rendering ---------------------------------------------------------------------------------


def _person_out(view: PersonView) -> dict[str, Any]:
    return {
        "id": view.pk,
        "full_name": view.full_name,
        "family_name": view.family_name,
        "middle_name": view.middle_name,
        "given_name": view.given_name,
        "sex": view.sex,
        "sex_label": view.sex_label,
        "birth_year": view.birth_year,
        "home_unit": view.home_unit_code,
        "home_unit_name": view.home_unit_name,
        "phone": view.phone,
        "email": view.email,
        "contacts_masked": view.contacts_masked,
        "anonymised": view.anonymised,
        "has_account": view.has_account,
    }


def _role_out(role: RoleAssignment) -> dict[str, Any]:
    return {
        "id": role.pk,
        "role": role.role.code,
        "role_name": role.role.name,
        "unit": role.unit.code,
        "unit_name": role.unit.name,
        "tier": role.unit.kind.tier.code,
        "valid_from": role.valid_from,
        "valid_to": role.valid_to,
        "decision_ref": role.decision_ref,
        "continues": role.continues_id,
    }


def _membership_out(membership: GroupMembership) -> dict[str, Any]:
    group = membership.group
    return {
        "id": membership.pk,
        "group": group.pk,
        "group_name": group.name,
        "group_kind": group.kind.code,
        "unit": group.unit.code,
        "unit_name": group.unit.name,
        "person": membership.person_id,
        "is_leader": membership.is_leader,
        "valid_from": membership.valid_from,
        "valid_to": membership.valid_to,
    }


def _group_out(group: NetworkGroup, *, member_count: int | None = None) -> dict[str, Any]:
    return {
        "id": group.pk,
        "kind": group.kind.code,
        "kind_name": group.kind.name,
        "unit": group.unit.code,
        "unit_name": group.unit.name,
        "name": group.name,
        "valid_from": group.valid_from,
        "valid_to": group.valid_to,
        "decision_ref": group.decision_ref,
        "continues": group.continues_id,
        "member_count": member_count,
    }


def _activity_out(activity: Activity, person: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "unit": activity.unit.code,
        "unit_name": activity.unit.name,
        "held_on": activity.held_on,
        "kind": activity.kind.code,
        "kind_name": activity.kind.name,
        "topic": activity.topic,
        "sessions": activity.sessions,
        "people_reached": activity.people_reached,
        "group": activity.group_id,
        "group_name": activity.group.name if activity.group is not None else "",
        "person": person,
        "is_summary": activity.is_summary,
        "note": activity.note,
        "status": activity.status,
        "recorded_at": activity.recorded_at,
        "confirmed_at": activity.confirmed_at,
        "withdrawn_reason": activity.withdrawn_reason,
    }


def _activities_out(by: Any, activities: Iterable[Activity]) -> list[dict[str, Any]]:
    """Activities with who did them — named only to those who may see that person."""
    activities = list(activities)
    refs = _person_refs(by, {a.person_id for a in activities if a.person_id is not None})
    return [_activity_out(a, refs.get(a.person_id) if a.person_id is not None else None) for a in activities]


def _person_refs(by: Any, ids: set[int]) -> dict[int, dict[str, Any]]:
    """Name references for the persons among ``ids`` that ``by`` may see (or is)."""
    if not ids:
        return {}
    persons = list(selectors.person_list_by_ids(by, ids).values())
    own = linked_person(by)
    if own is not None and own.pk in ids and own.pk not in {p.pk for p in persons}:
        persons.append(own)
    return {view.pk: {"id": view.pk, "full_name": view.full_name} for view in person_views(by, persons)}


def _coverage_row_out(row: selectors.CoverageRow) -> dict[str, Any]:
    return {
        "unit": row.unit.code,
        "unit_name": name_then(row.unit),
        "communes": row.communes,
        "communes_with_board": row.communes_with_board,
        "villages": row.villages,
        "villages_with_team": row.villages_with_team,
        "propagandists": row.propagandists,
        "reporters": row.reporters,
        "board_share": round(row.board_share, 4),
        "team_share": round(row.team_share, 4),
        "propagandists_per_village": round(row.propagandists_per_village, 2),
    }


# --- Parsing -----------------------------------------------------------------------------------


def _role_kind(code: str) -> NetworkRoleKind:
    kind = selectors.role_kind(code)
    if kind is None:
        raise ValidationFailed(_("Unknown network role %(code)s.") % {"code": code}, extra={"field": "role"})
    return kind


def _group_kind(code: str) -> GroupKind:
    kind = selectors.group_kind(code)
    if kind is None:
        raise ValidationFailed(_("Unknown group kind %(code)s.") % {"code": code}, extra={"field": "kind"})
    return kind


def _activity_kind(code: str) -> ActivityKind:
    kind = selectors.activity_kind(code)
    if kind is None:
        raise ValidationFailed(_("Unknown activity kind %(code)s.") % {"code": code}, extra={"field": "kind"})
    return kind


def _check_tier(code: str) -> None:
    if code and not tier_exists(code):
        raise ValidationFailed(_("Unknown tier %(code)s.") % {"code": code}, extra={"field": "tier"})


def _max_length(name: str) -> int:
    return getattr(Person._meta.get_field(name), "max_length", None) or 0


def _person_data(values: Mapping[str, Any], home_unit: Unit, *, sets_sensitive: bool) -> services.PersonData:
    """PersonData from sent values (``None`` for a text field means empty)."""
    return services.PersonData(
        family_name=values["family_name"] or "",
        middle_name=values["middle_name"] or "",
        given_name=values["given_name"] or "",
        sex=values["sex"] or "",
        birth_year=values["birth_year"],
        home_unit=home_unit,
        phone=values["phone"] or "",
        email=values["email"] or "",
        ethnicity=values["ethnicity"] or "",
        is_party_member=values["is_party_member"],
        sets_sensitive=sets_sensitive,
    )


# --- Persons -----------------------------------------------------------------------------------


@router.get("/persons", response={200: RosterOut, **ERRORS}, summary="The roster: persons and their roles")
def person_list(request: HttpRequest, filters: Query[RosterQuery]) -> Any:
    """Persons holding a network role in ``unit``'s subtree on ``active_on`` (default today), in
    Vietnamese name order, each with the roles that put them on the roster. Contacts are masked
    for roles that may not see them."""
    unit = access_roster_unit(by=request.user, code=filters.unit)
    if filters.role:
        _role_kind(filters.role)
    _check_tier(filters.tier)
    flt = selectors.RosterFilter(
        unit=unit, role=filters.role, tier=filters.tier, active_on=filters.active_on, q=filters.q
    )
    roles = selectors.roster_for_user(request.user, flt)
    window = page(selectors.roster_persons(roles), limit=filters.limit, offset=filters.offset)
    held = selectors.roster_roles_by_person(roles, window["items"])
    window["items"] = [
        {**_person_out(view), "roles": [_role_out(r) for r in held[view.pk]]}
        for view in person_views(request.user, window["items"])
    ]
    return {**window, "unit": unit.code, "active_on": flt.active_on or today()}


@router.post("/persons", response={201: PersonOut, **ERRORS}, summary="Record a person")
def person_create(request: HttpRequest, body: PersonIn) -> Any:
    """A person of the network in ``home_unit``. A probable duplicate (same name, year of birth
    and home unit, or same phone) answers 409 ``duplicate_person``; send ``allow_duplicate: true``
    once you have checked that it is someone else."""
    home_unit = access_unit(by=request.user, code=body.home_unit, capability=Capability.EDIT_RECORDS)
    values = body.model_dump(exclude={"home_unit", "allow_duplicate"})
    sent = [name for name, value in values.items() if value not in ("", None)]
    check_sensitive_input(request.user, home_unit, sent)
    data = _person_data(values, home_unit, sets_sensitive=may_write_sensitive(request.user, home_unit))
    person = services.person_create(
        by=request.user, data=data, allow_duplicate=body.allow_duplicate, visible=persons_in_scope(request.user)
    )
    return Status(201, _person_out(person_view(request.user, person)))


@router.get("/persons/{person_id}", response={200: PersonDetailOut, **ERRORS}, summary="One person")
def person_detail(request: HttpRequest, person_id: Id) -> Any:
    """The person with all roles held and group memberships. Sensitive fields this deployment
    keeps appear for roles that may see them, and each such reading is logged."""
    person = access_person(by=request.user, pk=person_id)
    record = selectors.person_record(person, activity_limit=0)
    view = person_view(request.user, person, with_sensitive=True)
    return {
        **_person_out(view),
        "sensitive": view.sensitive,
        "roles": [_role_out(r) for r in record.roles],
        "memberships": [_membership_out(m) for m in record.memberships],
        "activity_count": record.activity_count,
    }


@router.patch("/persons/{person_id}", response={200: PersonOut, **ERRORS}, summary="Correct a person's record")
def person_update(request: HttpRequest, person_id: Id, body: PersonPatch) -> Any:
    """Only the fields sent change (the data subject's right to correction goes through here)."""
    person = access_person(by=request.user, pk=person_id, capability=Capability.EDIT_RECORDS)
    sent = body.model_dump(include=body.model_fields_set - {"allow_duplicate"})
    home_unit = person.home_unit
    if sent.get("home_unit"):
        home_unit = access_unit(by=request.user, code=sent["home_unit"], capability=Capability.EDIT_RECORDS)
    check_sensitive_input(request.user, home_unit, sent)
    current = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    changes = {name: value for name, value in sent.items() if name != "home_unit"}
    data = _person_data(
        {**current, **changes}, home_unit, sets_sensitive=bool(set(sent) & set(services.SENSITIVE_FIELDS))
    )
    person = services.person_update(
        by=request.user,
        person=person,
        data=data,
        allow_duplicate=body.allow_duplicate,
        visible=persons_in_scope(request.user),
    )
    return _person_out(person_view(request.user, person))


@router.get(
    "/persons/{person_id}/export", response={200: PersonExportOut, **ERRORS}, summary="Everything held about a person"
)
def person_export(request: HttpRequest, person_id: Id) -> Any:
    """For the data subject's right of access: every field, role, membership and activity, with
    contacts in full. Only for roles that record the person's unit; every export is logged.
    Sensitive fields are left out (and named in ``withheld``) for roles that may not see them."""
    person = access_person(by=request.user, pk=person_id, capability=Capability.EDIT_RECORDS)
    return services.person_export_record(
        by=request.user, person=person, include_sensitive=may_see_sensitive(request.user, person)
    )


@router.post("/persons/{person_id}/anonymise", response={200: PersonOut, **ERRORS}, summary="Anonymise a person")
def person_anonymise(request: HttpRequest, person_id: Id) -> Any:
    """Erase names, contacts, year of birth, sex and sensitive fields. Roles, memberships and
    activities stay on the anonymous record, so every count is unchanged."""
    person = access_person(by=request.user, pk=person_id, capability=Capability.EDIT_RECORDS)
    person = services.person_anonymise(by=request.user, person=person)
    return _person_out(person_view(request.user, person))


# --- Network roles -----------------------------------------------------------------------------


@router.post("/roles", response={201: RoleOut, **ERRORS}, summary="Record a network role held")
def role_create(request: HttpRequest, body: RoleIn) -> Any:
    """``person`` holds ``role`` in ``unit`` from ``valid_from`` (until ``valid_to``, exclusive)."""
    unit = access_unit(by=request.user, code=body.unit, capability=Capability.EDIT_RECORDS)
    person = access_person(by=request.user, pk=body.person)
    assignment = services.role_assign(
        by=request.user,
        person=person,
        role=_role_kind(body.role),
        unit=unit,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        decision_ref=body.decision_ref,
    )
    return Status(201, _role_out(assignment))


@router.post("/roles/{role_id}/end", response={200: RoleOut, **ERRORS}, summary="End a network role")
def role_end(request: HttpRequest, role_id: Id, body: EndIn) -> Any:
    """The role ends on ``on`` (the first day no longer held). Roles are ended, never deleted."""
    assignment = access_role_to_end(by=request.user, pk=role_id)
    return _role_out(services.role_end(by=request.user, assignment=assignment, on=body.on))


# --- Groups ------------------------------------------------------------------------------------


@router.get("/groups", response={200: GroupListOut, **ERRORS}, summary="Outreach groups in a unit's subtree")
def group_list(request: HttpRequest, filters: Query[GroupQuery]) -> Any:
    """Groups in existence on ``active_on`` (default today), with how many members each has."""
    unit = access_unit(by=request.user, code=filters.unit, capability=Capability.VIEW_AGGREGATES)
    if filters.kind:
        _group_kind(filters.kind)
    groups = selectors.groups_for_user(request.user, unit=unit, kind=filters.kind, active_on=filters.active_on)
    window = page(groups, limit=filters.limit, offset=filters.offset)
    window["items"] = [_group_out(g, member_count=g.member_count) for g in window["items"]]  # type: ignore[attr-defined]
    return window


@router.post("/groups", response={201: GroupOut, **ERRORS}, summary="Form a group")
def group_create(request: HttpRequest, body: GroupIn) -> Any:
    unit = access_unit(by=request.user, code=body.unit, capability=Capability.EDIT_RECORDS)
    group = services.group_create(
        by=request.user,
        kind=_group_kind(body.kind),
        unit=unit,
        name=body.name,
        valid_from=body.valid_from,
        decision_ref=body.decision_ref,
    )
    return Status(201, _group_out(group, member_count=0))


# Declared before /groups/{group_id} so that "merge" is never read as a group id.
@router.post("/groups/merge", response={200: GroupOut, **ERRORS}, summary="Merge groups")
def groups_merge(request: HttpRequest, body: MergeIn) -> Any:
    """``groups`` end on ``on`` and their members join ``into``, which continues."""
    into = access_group(by=request.user, pk=body.into, capability=Capability.EDIT_RECORDS)
    sources = [
        access_group(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS) for pk in dict.fromkeys(body.groups)
    ]
    merged = services.groups_merge(
        by=request.user, groups=sources, into=into, on=body.on, decision_ref=body.decision_ref
    )
    return _group_out(merged)


@router.get("/groups/{group_id}", response={200: GroupDetailOut, **ERRORS}, summary="One group")
def group_detail(request: HttpRequest, group_id: Id, on: IsoDate | None = None) -> Any:
    """The group, its history and its members on ``on`` (default today). Roles that see figures
    only get ``member_count`` without the members."""
    group = access_group(by=request.user, pk=group_id)
    record = selectors.group_record(group, on=on)
    out: dict[str, Any] = {
        **_group_out(group, member_count=len(record.members)),
        "members_visible": may_see_members(request.user, group),
        "events": [
            {
                "kind": event.kind,
                "kind_label": event.get_kind_display(),
                "happened_on": event.happened_on,
                "other": event.other_id,
                "other_name": event.other.name if event.other is not None else "",
                "other_unit": event.other.unit.code if event.other is not None else "",
                "decision_ref": event.decision_ref,
            }
            for event in record.events
        ],
    }
    if out["members_visible"]:
        views = {
            view.pk: view
            for view in person_views(
                request.user, selectors.person_list_with_home_units(m.person_id for m in record.members)
            )
        }
        out["members"] = [
            {
                "membership_id": m.pk,
                "is_leader": m.is_leader,
                "valid_from": m.valid_from,
                "valid_to": m.valid_to,
                "person": _person_out(views[m.person_id]),
            }
            for m in record.members
        ]
        out["leader"] = record.leader.pk if record.leader is not None else None
    return out


@router.post("/groups/{group_id}/members", response={201: MembershipOut, **ERRORS}, summary="Add a group member")
def group_member_add(request: HttpRequest, group_id: Id, body: MemberIn) -> Any:
    """The person joins from ``valid_from`` and takes the role the group's kind carries."""
    group = access_group(by=request.user, pk=group_id, capability=Capability.EDIT_RECORDS)
    person = access_person(by=request.user, pk=body.person)
    membership = services.group_member_add(
        by=request.user,
        group=group,
        person=person,
        valid_from=body.valid_from,
        is_leader=body.is_leader,
        decision_ref=body.decision_ref,
    )
    return Status(201, _membership_out(membership))


@router.post(
    "/groups/{group_id}/members/{membership_id}/end",
    response={200: MembershipOut, **ERRORS},
    summary="End a group membership",
)
def group_member_end(request: HttpRequest, group_id: Id, membership_id: Id, body: EndIn) -> Any:
    """The member leaves on ``on``; the role the membership carried ends with it."""
    group = access_group(by=request.user, pk=group_id, capability=Capability.EDIT_RECORDS)
    membership = selectors.group_membership(group, membership_id)
    if membership is None:
        raise NotFound(_("No such group member."), extra={"id": membership_id})
    ended = services.group_member_end(by=request.user, membership=membership, on=body.on)
    ended.group = group
    return _membership_out(ended)


@router.post("/groups/{group_id}/dissolve", response={200: GroupOut, **ERRORS}, summary="Dissolve a group")
def group_dissolve(request: HttpRequest, group_id: Id, body: DissolveIn) -> Any:
    """The group stops on ``on``; its memberships and the roles they carried end with it."""
    group = access_group(by=request.user, pk=group_id, capability=Capability.EDIT_RECORDS)
    return _group_out(services.group_dissolve(by=request.user, group=group, on=body.on, decision_ref=body.decision_ref))


# --- Activities --------------------------------------------------------------------------------


@router.get("/activities", response={200: ActivityListOut, **ERRORS}, summary="Outreach activities")
def activity_list(request: HttpRequest, filters: Query[ActivityQuery]) -> Any:
    """Activities in your scope, newest first (a network member without a staff role sees their
    own). ``totals`` covers every matching record except withdrawn ones."""
    if filters.start is not None and filters.end is not None and filters.end < filters.start:
        raise ValidationFailed(_("The period must end on or after its start."), extra={"field": "end"})
    unit = access_activity_list_unit(by=request.user, code=filters.unit) if filters.unit else None
    activities: QuerySet[Activity] = selectors.activities_for_user(
        request.user, unit=unit, start=filters.start, end=filters.end, status=filters.status
    )
    window = page(activities, limit=filters.limit, offset=filters.offset)
    window["items"] = _activities_out(request.user, window["items"])
    return {**window, "totals": selectors.activity_totals(activities)}


@router.post("/activities", response={200: ActivityOut, 201: ActivityOut, **ERRORS}, summary="Record an activity")
def activity_create(request: HttpRequest, body: ActivityIn) -> Any:
    """Answers 201 with the new record, or 200 with the first record when the same
    ``client_key`` was already received (a phone sending the form again)."""
    unit = access_activity_unit(by=request.user, code=body.unit, on=body.held_on)
    kind = _activity_kind(body.kind)
    group = None
    if body.group is not None:
        group = selectors.group_open_for_unit(unit, body.group, on=body.held_on)
        if group is None:
            raise ValidationFailed(_("No such team in this unit on that date."), extra={"field": "group"})
    person = access_activity_person(by=request.user, unit=unit, pk=body.person) if body.person is not None else None
    recorded = services.activity_record(
        by=request.user,
        data=services.ActivityData(
            unit=unit,
            held_on=body.held_on,
            kind=kind,
            topic=body.topic,
            people_reached=body.people_reached,
            sessions=body.sessions,
            group=group,
            person=person,
            is_summary=body.is_summary,
            note=body.note,
            client_key=body.client_key,
        ),
    )
    return Status(201 if recorded.created else 200, _activities_out(request.user, [recorded.obj])[0])


@router.post("/activities/confirm", response={200: ConfirmOut, **ERRORS}, summary="Confirm submitted activities")
def activities_confirm(request: HttpRequest, body: ConfirmIn) -> Any:
    """Confirm the submitted records among ``ids``; answers how many changed. Every id must be
    an activity of a unit whose work you record, or nothing changes."""
    activities = [
        access_activity(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS) for pk in dict.fromkeys(body.ids)
    ]
    return {"confirmed": services.activities_confirm(by=request.user, activities=activities)}


@router.post(
    "/activities/{activity_id}/withdraw", response={200: ActivityOut, **ERRORS}, summary="Withdraw an activity"
)
def activity_withdraw(request: HttpRequest, activity_id: Id, body: WithdrawIn) -> Any:
    """Take a wrong record out of the counts, with a reason. The record itself stays."""
    activity = access_activity(by=request.user, pk=activity_id, capability=Capability.EDIT_RECORDS)
    withdrawn = services.activity_withdraw(by=request.user, activity=activity, reason=body.reason)
    return _activities_out(request.user, [withdrawn])[0]


# --- Coverage ----------------------------------------------------------------------------------


@router.get("/coverage", response={200: CoverageOut, **ERRORS}, summary="Coverage of the outreach network")
def coverage(request: HttpRequest, filters: Query[CoverageQuery]) -> Any:
    """Boards, teams, propagandists and reporters under ``unit`` on ``on`` (default today): the
    totals, one row per child unit, and the communes and villages still without a board or team.
    Counts only — no person is named."""
    unit = access_unit(by=request.user, code=filters.unit, capability=Capability.VIEW_AGGREGATES)
    found = selectors.coverage(unit, on=filters.on, gap_limit=filters.gap_limit)
    total = found.total
    return {
        "unit": unit.code,
        "unit_name": name_then(unit),
        "on": found.day,
        "totals": _coverage_row_out(total),
        "rows": [_coverage_row_out(row) for row in found.rows],
        "reporters_by_level": [{"level": label, "reporters": count} for label, count in found.reporters_by_level],
        "propagandist_distribution": [
            {"propagandists": bucket, "villages": count} for bucket, count in found.propagandist_distribution
        ],
        "gaps": {
            "communes_without_board": total.communes - total.communes_with_board,
            "villages_without_team": total.villages - total.villages_with_team,
            "first_communes_without_board": [
                {"code": u.code, "name": name_then(u)} for u in found.communes_without_board
            ],
            "first_villages_without_team": [
                {"code": u.code, "name": name_then(u)} for u in found.villages_without_team
            ],
            "limit": found.gap_limit,
        },
    }
