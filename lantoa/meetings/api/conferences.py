"""Conferences over the API: the list, planning, changing, marking held, cancelling, adding
bridge points, and the attendance of many sites at once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied, ValidationFailed
from lantoa.core.schemas import ERRORS, page
from lantoa.library.selectors import documents_by_id_for_user
from lantoa.meetings import selectors, services
from lantoa.meetings.api._common import (
    _conference_detail,
    _conference_out,
    _headcount,
    _kind,
    _plannable_unit,
    _point_out,
    _sites,
)
from lantoa.meetings.permissions import access_conference, may_change, may_record_point
from lantoa.meetings.presenters import site_contacts
from lantoa.meetings.schemas import (
    AttendanceManyOut,
    CancelIn,
    ConferenceDetailOut,
    ConferenceIn,
    ConferenceListOut,
    ConferencePatch,
    ConferenceQuery,
    Id,
    PointHeadcountIn,
    PointListOut,
    PointsAddIn,
    PresenterIn,
)
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import tier_exists
from lantoa.people.permissions import access_person

router = Router()


def _points_out(by: Any, ids: Iterable[int]) -> dict[str, Any]:
    points = selectors.point_list(list(ids))
    # Points added together belong to one conference, and only its planners add points.
    changing = bool(points) and may_change(by, points[0].conference)
    recordable = {p.pk for p in points if changing or may_record_point(by, p)}
    contacts = site_contacts(by, points, recordable=recordable)
    items = [_point_out(p, may_record=p.pk in recordable, contact=contacts[p.pk]) for p in points]
    return {"items": items, "count": len(items)}


def _key(text: str) -> str:
    """A client key as the services keep it."""
    return " ".join((text or "").split())[:64]


def _check_tier(code: str) -> None:
    if not tier_exists(code):
        raise ValidationFailed(_("Unknown tier %(code)s.") % {"code": code}, extra={"field": "tier"})


def _documents(by: Any, ids: Sequence[int]) -> list[Any]:
    wanted = list(dict.fromkeys(ids))
    found = documents_by_id_for_user(by, wanted)
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise NotFound(_("No such document."), extra={"ids": missing[:50], "field": "documents"})
    return [found[pk] for pk in wanted]


def _presenters(by: Any, presenters: Sequence[PresenterIn]) -> list[services.PresenterData]:
    return [
        services.PresenterData(
            person=access_person(by=by, pk=p.person_id) if p.person_id is not None else None,
            name=p.name,
            topic=p.topic,
        )
        for p in presenters
    ]


@router.get(
    "/conferences",
    response={200: ConferenceListOut, **ERRORS},
    summary="Conferences in your scope",
    operation_id="lantoa_meetings_api_conference_list",
)
def conference_list(request: HttpRequest, filters: Query[ConferenceQuery]) -> Any:
    """Conferences organised in, or with a site in, your scope, newest first, with their number
    of sites and attendances. ``unit`` narrows to one unit's subtree (as it stood at any time)."""
    if filters.start is not None and filters.end is not None and filters.end < filters.start:
        raise ValidationFailed(_("The period must end on or after its start."), extra={"field": "end"})
    unit = access_unit(by=request.user, code=filters.unit) if filters.unit else None
    conferences = selectors.conference_list_for_user(
        request.user,
        unit=unit,
        start=filters.start,
        end=filters.end,
        q=filters.q,
        status=filters.status,
        kind=filters.kind,
        format=filters.format,
    )
    window = page(conferences, limit=filters.limit, offset=filters.offset)
    window["items"] = [_conference_out(c) for c in window["items"]]
    return window


@router.post(
    "/conferences",
    response={200: ConferenceDetailOut, 201: ConferenceDetailOut, **ERRORS},
    summary="Plan a conference",
    operation_id="lantoa_meetings_api_conference_create",
)
def conference_create(request: HttpRequest, body: ConferenceIn) -> Any:
    """A conference with its sites (none: the organiser hosts it). Answers 201 with the new
    conference, or 200 with the first one when the same ``client_key`` was already received
    for this organiser. Needs the right to record the organiser's work."""
    organiser = _plannable_unit(request.user, body.organiser)
    data = services.ConferenceData(
        title=body.title,
        kind=_kind(body.kind),
        organiser=organiser,
        level=body.level,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        format=body.format,
        is_mandatory=body.is_mandatory,
        notes=body.notes,
        expected={str(k): v for k, v in body.expected.items()},
        documents=_documents(request.user, body.documents),
        presenters=_presenters(request.user, body.presenters),
        client_key=_key(body.client_key),
    )
    sites = _sites(request.user, body.sites)
    conference, created = services.conference_create(by=request.user, data=data, sites=sites)
    return Status(201 if created else 200, _conference_detail(request.user, conference.pk))


@router.get(
    "/conferences/{conference_id}",
    response={200: ConferenceDetailOut, **ERRORS},
    summary="One conference",
    operation_id="lantoa_meetings_api_conference_detail",
)
def conference_detail(request: HttpRequest, conference_id: Id) -> Any:
    """The conference with its sites, attendance per category, rates, presenters and the
    documents covered that you may read. Contacts and check-in codes of a site are shown to
    those who record it."""
    return _conference_detail(request.user, conference_id)


@router.patch(
    "/conferences/{conference_id}",
    response={200: ConferenceDetailOut, **ERRORS},
    summary="Change a conference",
    operation_id="lantoa_meetings_api_conference_update",
)
def conference_update(request: HttpRequest, conference_id: Id, body: ConferencePatch) -> Any:
    """Only the fields sent change. The sites keep their attendance and follow a new date."""
    by = request.user
    conference = access_conference(by=by, pk=conference_id, capability=Capability.EDIT_RECORDS)
    sent = {name for name in body.model_fields_set if getattr(body, name) is not None}
    organiser = conference.organiser
    if "organiser" in sent and body.organiser != organiser.code:
        organiser = _plannable_unit(by, body.organiser or "")
    if "documents" in sent:
        hidden = selectors.conference_documents_hidden_from(by, conference)
        documents = [*hidden, *_documents(by, body.documents or [])]
    else:
        documents = list(conference.documents.all())
    if "presenters" in sent:
        presenters = _presenters(by, body.presenters or [])
    else:
        presenters = [
            services.PresenterData(person=p.person, name=p.name, topic=p.topic)
            for p in selectors.conference_presenters(conference)
        ]

    def value(name: str) -> Any:
        return getattr(body, name) if name in sent else getattr(conference, name)

    data = services.ConferenceData(
        title=value("title"),
        kind=_kind(body.kind or "") if "kind" in sent else conference.kind,
        organiser=organiser,
        level=value("level"),
        starts_at=value("starts_at"),
        ends_at=value("ends_at"),
        format=value("format"),
        is_mandatory=value("is_mandatory"),
        notes=(body.notes or "") if "notes" in body.model_fields_set else conference.notes,
        expected=dict(value("expected") or {}),
        documents=documents,
        presenters=presenters,
        series=conference.series,
    )
    services.conference_update(by=by, conference=conference, data=data)
    return _conference_detail(by, conference.pk)


@router.post(
    "/conferences/{conference_id}/held",
    response={200: ConferenceDetailOut, **ERRORS},
    summary="Mark as held",
    operation_id="lantoa_meetings_api_conference_held",
)
def conference_held(request: HttpRequest, conference_id: Id) -> Any:
    """The conference took place: from now on it counts in the figures."""
    conference = access_conference(by=request.user, pk=conference_id, capability=Capability.EDIT_RECORDS)
    services.conference_mark_held(by=request.user, conference=conference)
    return _conference_detail(request.user, conference.pk)


@router.post(
    "/conferences/{conference_id}/cancel",
    response={200: ConferenceDetailOut, **ERRORS},
    summary="Cancel a conference",
    operation_id="lantoa_meetings_api_conference_cancel",
)
def conference_cancel(request: HttpRequest, conference_id: Id, body: CancelIn) -> Any:
    """A planned conference is cancelled with a reason; one already held cannot be (409)."""
    conference = access_conference(by=request.user, pk=conference_id, capability=Capability.EDIT_RECORDS)
    services.conference_cancel(by=request.user, conference=conference, reason=body.reason)
    return _conference_detail(request.user, conference.pk)


@router.post(
    "/conferences/{conference_id}/points",
    response={201: PointListOut, **ERRORS},
    summary="Add bridge points",
    operation_id="lantoa_meetings_api_points_add",
)
def points_add(request: HttpRequest, conference_id: Id, body: PointsAddIn) -> Any:
    """Add ``sites``, or every unit of ``tier`` under ``parent`` as the tree stood on the
    conference date. Units that already have a site are skipped, so the same request may be
    sent twice; the answer lists the sites added."""
    by = request.user
    conference = access_conference(by=by, pk=conference_id, capability=Capability.EDIT_RECORDS)
    by_tier = bool(body.parent or body.tier)
    if by_tier == bool(body.sites):
        raise ValidationFailed(_("Send either sites, or a parent unit and a tier."), extra={"field": "sites"})
    if by_tier:
        if not body.parent or not body.tier:
            raise ValidationFailed(_("Send a parent unit and a tier."), extra={"field": "tier"})
        _check_tier(body.tier)
        parent = access_unit(by=by, code=body.parent)
        day = conference.held_on
        units = selectors.units_of_tier_under(parent, body.tier, day)
        sites = [services.SiteData(unit=unit, mode=body.mode) for unit in units]
    else:
        sites = _sites(by, body.sites)
    added = services.points_add(by=by, conference=conference, sites=sites)
    return Status(201, _points_out(by, [p.pk for p in added]))


@router.post(
    "/conferences/{conference_id}/attendance",
    response={200: AttendanceManyOut, **ERRORS},
    summary="Record the attendance of many sites",
    operation_id="lantoa_meetings_api_attendance_many",
)
def attendance_many(request: HttpRequest, conference_id: Id, body: list[PointHeadcountIn]) -> Any:
    """The headcounts of many sites of this conference at once: every row is checked before
    anything is written. Each site must be one you record."""
    by = request.user
    conference = access_conference(by=by, pk=conference_id)
    ids = [row.point_id for row in body]
    if not ids:
        raise ValidationFailed(_("Send at least one site."), extra={"field": "point_id"})
    if len(ids) > services.MAX_POINTS:
        raise ValidationFailed(_("Too many sites for one conference."), extra={"field": "point_id"})
    if len(set(ids)) != len(ids):
        raise ValidationFailed(_("Each site may appear once."), extra={"field": "point_id"})
    points = selectors.conference_points_by_id(conference, ids)
    missing = [pk for pk in ids if pk not in points]
    if missing:
        raise NotFound(_("No such site."), extra={"ids": missing[:50]})
    if not may_change(by, conference):
        for point in points.values():
            if not may_record_point(by, point):
                raise PermissionDenied(
                    _("Your role does not allow recording attendance at this site."), extra={"id": point.pk}
                )
    recorded = services.attendance_record_many(by=by, rows=[(points[row.point_id], _headcount(row)) for row in body])
    return {"recorded": recorded}
