"""Outreach activities over the API: the list with its totals, recording (idempotent by client
key), confirming and withdrawing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.errors import ValidationFailed
from lantoa.core.schemas import ERRORS, page
from lantoa.people import selectors, services
from lantoa.people.models import Activity, ActivityKind
from lantoa.people.permissions import (
    access_activity,
    access_activity_list_unit,
    access_activity_person,
    access_activity_unit,
    linked_person,
)
from lantoa.people.presenters import person_views
from lantoa.people.schemas import (
    ActivityIn,
    ActivityListOut,
    ActivityOut,
    ActivityQuery,
    ConfirmIn,
    ConfirmOut,
    Id,
    WithdrawIn,
)

router = Router()


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


def _activity_kind(code: str) -> ActivityKind:
    kind = selectors.activity_kind(code)
    if kind is None:
        raise ValidationFailed(_("Unknown activity kind %(code)s.") % {"code": code}, extra={"field": "kind"})
    return kind


@router.get(
    "/activities",
    response={200: ActivityListOut, **ERRORS},
    summary="Outreach activities",
    operation_id="lantoa_people_api_activity_list",
)
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


@router.post(
    "/activities",
    response={200: ActivityOut, 201: ActivityOut, **ERRORS},
    summary="Record an activity",
    operation_id="lantoa_people_api_activity_create",
)
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


@router.post(
    "/activities/confirm",
    response={200: ConfirmOut, **ERRORS},
    summary="Confirm submitted activities",
    operation_id="lantoa_people_api_activities_confirm",
)
def activities_confirm(request: HttpRequest, body: ConfirmIn) -> Any:
    """Confirm the submitted records among ``ids``; answers how many changed. Every id must be
    an activity of a unit whose work you record, or nothing changes."""
    activities = [
        access_activity(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS) for pk in dict.fromkeys(body.ids)
    ]
    return {"confirmed": services.activities_confirm(by=request.user, activities=activities)}


@router.post(
    "/activities/{activity_id}/withdraw",
    response={200: ActivityOut, **ERRORS},
    summary="Withdraw an activity",
    operation_id="lantoa_people_api_activity_withdraw",
)
def activity_withdraw(request: HttpRequest, activity_id: Id, body: WithdrawIn) -> Any:
    """Take a wrong record out of the counts, with a reason. The record itself stays."""
    activity = access_activity(by=request.user, pk=activity_id, capability=Capability.EDIT_RECORDS)
    withdrawn = services.activity_withdraw(by=request.user, activity=activity, reason=body.reason)
    return _activities_out(request.user, [withdrawn])[0]
