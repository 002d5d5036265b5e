"""Boards and teams over the API: the list, forming, merging, one group with its members, adding
and ending memberships, dissolving."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.api_input import IsoDate
from lantoa.core.errors import ValidationFailed
from lantoa.core.schemas import ERRORS, page
from lantoa.org.permissions import access_unit
from lantoa.people import selectors, services
from lantoa.people.api._common import _membership_out, _person_out
from lantoa.people.models import GroupKind, NetworkGroup
from lantoa.people.permissions import access_group, access_membership_to_end, access_person, may_see_members
from lantoa.people.presenters import person_views
from lantoa.people.schemas import (
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
)

router = Router()


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


def _group_kind(code: str) -> GroupKind:
    kind = selectors.group_kind(code)
    if kind is None:
        raise ValidationFailed(_("Unknown group kind %(code)s.") % {"code": code}, extra={"field": "kind"})
    return kind


@router.get(
    "/groups",
    response={200: GroupListOut, **ERRORS},
    summary="Outreach groups in a unit's subtree",
    operation_id="lantoa_people_api_group_list",
)
def group_list(request: HttpRequest, filters: Query[GroupQuery]) -> Any:
    """Groups in existence on ``active_on`` (default today), with how many members each has."""
    unit = access_unit(by=request.user, code=filters.unit, capability=Capability.VIEW_AGGREGATES)
    if filters.kind:
        _group_kind(filters.kind)
    groups = selectors.groups_for_user(request.user, unit=unit, kind=filters.kind, active_on=filters.active_on)
    window = page(groups, limit=filters.limit, offset=filters.offset)
    window["items"] = [_group_out(g, member_count=g.member_count) for g in window["items"]]  # type: ignore[attr-defined]
    return window


@router.post(
    "/groups", response={201: GroupOut, **ERRORS}, summary="Form a group", operation_id="lantoa_people_api_group_create"
)
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
@router.post(
    "/groups/merge",
    response={200: GroupOut, **ERRORS},
    summary="Merge groups",
    operation_id="lantoa_people_api_groups_merge",
)
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


@router.get(
    "/groups/{group_id}",
    response={200: GroupDetailOut, **ERRORS},
    summary="One group",
    operation_id="lantoa_people_api_group_detail",
)
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


@router.post(
    "/groups/{group_id}/members",
    response={201: MembershipOut, **ERRORS},
    summary="Add a group member",
    operation_id="lantoa_people_api_group_member_add",
)
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
    operation_id="lantoa_people_api_group_member_end",
)
def group_member_end(request: HttpRequest, group_id: Id, membership_id: Id, body: EndIn) -> Any:
    """The member leaves on ``on``; the role the membership carried ends with it."""
    membership = access_membership_to_end(by=request.user, pk=membership_id, group_id=group_id)
    ended = services.group_member_end(by=request.user, membership=membership, on=body.on)
    ended.group = membership.group
    return _membership_out(ended)


@router.post(
    "/groups/{group_id}/dissolve",
    response={200: GroupOut, **ERRORS},
    summary="Dissolve a group",
    operation_id="lantoa_people_api_group_dissolve",
)
def group_dissolve(request: HttpRequest, group_id: Id, body: DissolveIn) -> Any:
    """The group stops on ``on``; its memberships and the roles they carried end with it."""
    group = access_group(by=request.user, pk=group_id, capability=Capability.EDIT_RECORDS)
    return _group_out(services.group_dissolve(by=request.user, group=group, on=body.on, decision_ref=body.decision_ref))
