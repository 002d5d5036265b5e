"""A conference's sites over the API: one site, changing it, taking it off, its connection
reports, its attendance, its participants and its roster."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.core.schemas import ERRORS
from lantoa.meetings import selectors, services
from lantoa.meetings.api._common import _headcount, _point_out
from lantoa.meetings.models import BridgePoint
from lantoa.meetings.permissions import access_point, may_change, may_record_point, may_see_participants
from lantoa.meetings.presenters import site_contact
from lantoa.meetings.schemas import (
    ConnectionEventOut,
    ConnectionIn,
    HeadcountIn,
    Id,
    ParticipantsAddedOut,
    ParticipantsIn,
    PointDetailOut,
    PointPatch,
    RosterIn,
)
from lantoa.people.selectors import person_list_by_ids

router = Router()


def _point_detail(by: Any, pk: int) -> dict[str, Any]:
    point = access_point(by=by, pk=pk)
    point = selectors.point_detail(point)
    recording = may_record_point(by, point)
    out = {
        **_point_out(point, may_record=recording, contact=site_contact(by, point, may_record=recording)),
        "conference_title": point.conference.title,
        "conference_status": point.conference.status,
        "is_mandatory": point.conference.is_mandatory,
        "connection_log": [{"at": e.at, "status": e.status, "note": e.note} for e in point.connection_log.all()],
        "participants_visible": False,
        "shows_absent_names": point.conference.is_mandatory,
        "participants": None,
    }
    if point.mode == BridgePoint.Mode.PER_PERSON and may_see_participants(by, point):
        roster = selectors.point_roster(point)
        out["participants_visible"] = True
        out["participants"] = [
            {
                "id": p.pk,
                "person": p.person_id,
                "name": p.display_name,
                "category": p.category,
                "status": p.status,
                "is_late": p.is_late,
                "absence_reason": p.absence_reason if roster.shows_absent_names else "",
                "checked_in_at": p.checked_in_at,
                "method": p.method,
            }
            for p in [*roster.present, *roster.registered, *roster.absent]
        ]
    return out


@router.get(
    "/points/{point_id}",
    response={200: PointDetailOut, **ERRORS},
    summary="One site",
    operation_id="lantoa_meetings_api_point_detail",
)
def point_detail(request: HttpRequest, point_id: Id) -> Any:
    """The site with its attendance and connection reports. Per-person sites list their
    participants for those who record the site or see persons there — the absent by name only
    when the conference is mandatory for cadres."""
    return _point_detail(request.user, point_id)


@router.patch(
    "/points/{point_id}",
    response={200: PointDetailOut, **ERRORS},
    summary="Change a site",
    operation_id="lantoa_meetings_api_point_update",
)
def point_update(request: HttpRequest, point_id: Id, body: PointPatch) -> Any:
    """Level, location, contact, or how attendance is taken (not once attendance was recorded)."""
    point = access_point(by=request.user, pk=point_id, capability=Capability.EDIT_RECORDS)
    sent = {name for name in body.model_fields_set if getattr(body, name) is not None}

    def value(name: str) -> Any:
        return getattr(body, name) if name in sent else getattr(point, name)

    site = services.SiteData(
        unit=point.unit,
        level=value("level"),
        location=value("location"),
        contact_name=value("contact_name"),
        contact_phone=value("contact_phone"),
        mode=value("mode"),
    )
    services.point_update(by=request.user, point=point, site=site)
    return _point_detail(request.user, point.pk)


@router.delete(
    "/points/{point_id}",
    response={204: None, **ERRORS},
    summary="Take a site off a conference",
    operation_id="lantoa_meetings_api_point_remove",
)
def point_remove(request: HttpRequest, point_id: Id) -> Any:
    """Only by the conference's planners, and only while nothing was recorded at the site."""
    point = access_point(by=request.user, pk=point_id)
    if not may_change(request.user, point.conference):
        raise PermissionDenied(_("Your role does not allow changing this conference."))
    services.point_remove(by=request.user, point=point)
    return Status(204, None)


@router.post(
    "/points/{point_id}/connection",
    response={201: ConnectionEventOut, **ERRORS},
    summary="Report the connection",
    operation_id="lantoa_meetings_api_connection_report",
)
def connection_report(request: HttpRequest, point_id: Id, body: ConnectionIn) -> Any:
    point = access_point(by=request.user, pk=point_id, capability=Capability.EDIT_RECORDS)
    event = services.connection_report(by=request.user, point=point, status=body.status, note=body.note)
    return Status(201, {"at": event.at, "status": event.status, "note": event.note})


@router.put(
    "/points/{point_id}/attendance",
    response={200: PointDetailOut, **ERRORS},
    summary="Record a site's attendance",
    operation_id="lantoa_meetings_api_attendance_record",
)
def attendance_record(request: HttpRequest, point_id: Id, body: HeadcountIn) -> Any:
    """Present and late per category, and the denominators. A per-person site takes only its
    denominators here: its headcount comes from check-ins and the roster."""
    point = access_point(by=request.user, pk=point_id, capability=Capability.EDIT_RECORDS)
    services.attendance_record(by=request.user, point=point, counts=_headcount(body))
    return _point_detail(request.user, point.pk)


@router.post(
    "/points/{point_id}/participants",
    response={201: ParticipantsAddedOut, **ERRORS},
    summary="Register participants",
    operation_id="lantoa_meetings_api_participants_register",
)
def participants_register(request: HttpRequest, point_id: Id, body: ParticipantsIn) -> Any:
    """Who is summoned to a per-person site: persons of your scope (in ``category``) or names.
    A person already registered is skipped."""
    by = request.user
    point = access_point(by=by, pk=point_id, capability=Capability.EDIT_RECORDS)
    wanted = list(dict.fromkeys(body.person_ids))
    persons = person_list_by_ids(by, wanted)
    missing = [pk for pk in wanted if pk not in persons]
    if missing:
        raise NotFound(_("No such person."), extra={"ids": missing[:50], "field": "person_ids"})
    added = services.participants_register(
        by=by,
        point=point,
        people=[(persons[pk], body.category) for pk in wanted],
        names=[(row.name, row.category) for row in body.names],
    )
    return Status(201, {"added": added, "participants": selectors.point_participant_count(point)})


@router.post(
    "/points/{point_id}/roster",
    response={200: PointDetailOut, **ERRORS},
    summary="Tick the roster",
    operation_id="lantoa_meetings_api_roster_mark",
)
def roster_mark(request: HttpRequest, point_id: Id, body: RosterIn) -> Any:
    """Present (late or not) or absent with a reason. Absent persons are named only for
    conferences mandatory for cadres; otherwise 422 ``absent_list_not_kept``."""
    point = access_point(by=request.user, pk=point_id, capability=Capability.EDIT_RECORDS)
    marks = [
        services.RosterMark(
            participant_id=m.participant_id, status=m.status, is_late=m.is_late, absence_reason=m.absence_reason
        )
        for m in body.marks
    ]
    services.roster_mark(by=request.user, point=point, marks=marks)
    return _point_detail(request.user, point.pk)
