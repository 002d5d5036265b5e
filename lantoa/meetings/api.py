"""Study conferences over the API: conferences and their sites, attendance, check-in, study
reflections, recurring series and the spreadsheet import.

Every endpoint parses, asks a gate of :mod:`lantoa.meetings.permissions`, calls the same
service or selector as the pages, and answers. A conference (or site) the caller may not see
answers 404 like one that does not exist; one they may see but not change answers 403.
Check-in is public, like the QR page at the site.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from lantoa.accounts.api_auth import PersonalTokenAuth
from lantoa.accounts.middleware import two_factor_state
from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.api_input import FormText
from lantoa.core.clients import client_address
from lantoa.core.errors import NotFound, PermissionDenied, ValidationFailed
from lantoa.core.forms import MAX_IMPORT_BYTES
from lantoa.core.schemas import ERRORS, ErrorOut, page
from lantoa.library.permissions import access_document, documents_visible_to
from lantoa.meetings import importing, limits, selectors, services
from lantoa.meetings.feeds import feed_text
from lantoa.meetings.models import (
    BridgePoint,
    Conference,
    ConferenceKind,
    ConferenceSeries,
    StudyReflectionTally,
)
from lantoa.meetings.permissions import (
    access_conference,
    access_point,
    access_series,
    may_change,
    may_plan,
    may_record_point,
    reflections_visible_to,
    require_record_for_unit,
    series_visible_to,
    units_ever_within,
)
from lantoa.meetings.presenters import SiteContact, presenter_views, site_contact, site_contacts
from lantoa.meetings.schemas import (
    AttendanceManyOut,
    CancelIn,
    CheckInIn,
    CheckInOut,
    ConferenceDetailOut,
    ConferenceIn,
    ConferenceListOut,
    ConferencePatch,
    ConferenceQuery,
    ConnectionEventOut,
    ConnectionIn,
    HeadcountIn,
    Id,
    ImportOut,
    ParticipantsAddedOut,
    ParticipantsIn,
    PlanNextIn,
    PointDetailOut,
    PointHeadcountIn,
    PointListOut,
    PointPatch,
    PointsAddIn,
    PresenterIn,
    ReflectionIn,
    ReflectionListOut,
    ReflectionOut,
    ReflectionQuery,
    RosterIn,
    SeriesDetailOut,
    SeriesIn,
    SeriesListOut,
    SiteIn,
    Window,
)
from lantoa.org.models import Tier, Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import ever_within_ids
from lantoa.people.permissions import access_person, persons_in_scope

router = Router(tags=["meetings"])

SERIES_CONFERENCES = 12  # the latest conferences shown with a series


# --- Rendering ---------------------------------------------------------------------------------


def _conference_out(conference: Conference, *, site_count: int | None = None, attendance: int | None = None) -> dict:
    return {
        "id": conference.pk,
        "title": conference.title,
        "kind": conference.kind.code,
        "kind_name": conference.kind.name,
        "organiser": conference.organiser.code,
        "organiser_name": conference.organiser.name,
        "level": conference.level,
        "starts_at": conference.starts_at,
        "ends_at": conference.ends_at,
        "held_on": conference.held_on,
        "format": conference.format,
        "is_mandatory": conference.is_mandatory,
        "status": conference.status,
        "series": conference.series_id,
        "site_count": site_count if site_count is not None else getattr(conference, "site_count", 0) or 0,
        "attendance": attendance if attendance is not None else getattr(conference, "attendance", 0) or 0,
    }


def _point_out(point: BridgePoint, *, may_record: bool, contact: SiteContact) -> dict[str, Any]:
    counts = list(point.counts.all())
    return {
        "id": point.pk,
        "conference": point.conference_id,
        "unit": point.unit.code,
        "unit_name": point.unit.name,
        "is_host": point.is_host,
        "level": point.level,
        "location": point.location,
        "contact_name": contact.name,
        "contact_phone": contact.phone,
        "connection": point.connection,
        "mode": point.mode,
        "code": point.code if may_record else None,
        "present": {row.category: row.present for row in counts},
        "late": {row.category: row.late for row in counts if row.late},
        "present_total": point.present,
        "late_total": point.late,
        "members_present": point.members_present,
        "members_summoned": point.members_summoned,
        "members_exempt": point.members_exempt,
        "summoned": point.summoned,
        "absent_excused": point.absent_excused,
        "absent_unexcused": point.absent_unexcused,
        "attendance_recorded_at": point.attendance_recorded_at,
        "may_record": may_record,
    }


def _rate(value: Any) -> float | None:
    return float(value) if value is not None else None


def _conference_detail(by: Any, pk: int) -> dict[str, Any]:
    """The conference as :func:`selectors.conference_page` reads it for the page."""
    found = selectors.conference_page(by, pk)
    conference = found.conference
    contacts = site_contacts(by, found.points, recordable=found.recordable)
    presenters = presenter_views(conference.presenters.select_related("person"))
    return {
        **_conference_out(conference, site_count=len(found.points), attendance=found.present),
        "notes": conference.notes,
        "cancel_reason": conference.cancel_reason,
        "expected": dict(conference.expected or {}),
        "presenters": [{"person": p.person_id, "name": p.name, "topic": p.topic} for p in presenters],
        "documents": [{"id": d.pk, "kind": d.kind.code, "number": d.number, "title": d.title} for d in found.documents],
        "host": found.host.pk if found.host is not None else None,
        "totals": found.totals,
        "late": found.late,
        "rates": {
            "member_rate": _rate(found.rates.member_rate),
            "summoned_rate": _rate(found.rates.summoned_rate),
            "members_present": found.rates.members_present,
            "members_expected": found.rates.members_expected,
            "present_of_summoned": found.rates.present_of_summoned,
            "summoned": found.rates.summoned,
        },
        "may_change": found.may_change,
        "points": [
            _point_out(point, may_record=point.pk in found.recordable, contact=contacts[point.pk])
            for point in found.points
        ],
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "url": reverse("meetings:attachment", args=[a.pk]),
            }
            for a in conference.attachments.all()
        ],
    }


def _may_see_participants(by: Any, point: BridgePoint) -> bool:
    """Names at a site are person-level data: for those who record the site or see persons there."""
    return may_record_point(by, point) or has_capability(by, Capability.VIEW_PERSONS, point.unit)


def _point_detail(by: Any, pk: int) -> dict[str, Any]:
    point = access_point(by=by, pk=pk)
    point = (
        BridgePoint.objects.select_related("conference__organiser", "unit__kind__tier")
        .prefetch_related("counts")
        .get(pk=point.pk)
    )
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
    if point.mode == BridgePoint.Mode.PER_PERSON and _may_see_participants(by, point):
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


def _points_out(by: Any, ids: Iterable[int]) -> dict[str, Any]:
    points = list(
        BridgePoint.objects.filter(pk__in=list(ids))
        .select_related("conference__organiser", "unit__kind__tier")
        .prefetch_related("counts")
        .order_by("-is_host", "pk")
    )
    # Points added together belong to one conference, and only its planners add points.
    changing = bool(points) and may_change(by, points[0].conference)
    recordable = {p.pk for p in points if changing or may_record_point(by, p)}
    contacts = site_contacts(by, points, recordable=recordable)
    items = [_point_out(p, may_record=p.pk in recordable, contact=contacts[p.pk]) for p in points]
    return {"items": items, "count": len(items)}


def _reflection_out(tally: StudyReflectionTally) -> dict[str, Any]:
    return {
        "id": tally.pk,
        "unit": tally.unit.code,
        "unit_name": tally.unit.name,
        "conference": tally.conference_id,
        "conference_title": tally.conference.title if tally.conference is not None else "",
        "document": tally.document_id,
        "document_title": tally.document.title if tally.document is not None else "",
        "recorded_on": tally.recorded_on,
        "required": tally.required,
        "exempt": tally.exempt,
        "submitted": tally.submitted,
        "graded": tally.graded,
        "makeup_sessions": tally.makeup_sessions,
        "updated_at": tally.updated_at,
    }


def _series_out(series: ConferenceSeries) -> dict[str, Any]:
    return {
        "id": series.pk,
        "title": series.title,
        "kind": series.kind.code,
        "kind_name": series.kind.name,
        "organiser": series.organiser.code,
        "organiser_name": series.organiser.name,
        "level": series.level,
        "format": series.format,
        "recurrence": series.recurrence,
        "day_of_month": series.day_of_month,
        "starts_at_time": series.starts_at_time,
        "duration_minutes": series.duration_minutes,
        "is_mandatory": series.is_mandatory,
        "notes": series.notes,
        "is_active": series.is_active,
    }


def _series_detail(by: Any, series: ConferenceSeries) -> dict[str, Any]:
    conferences = selectors.conference_list_for_user(by).filter(series=series)[:SERIES_CONFERENCES]
    return {
        **_series_out(series),
        "sites": [
            {"unit": s.unit.code, "unit_name": s.unit.name, "is_host": s.is_host, "location": s.location}
            for s in series.sites.select_related("unit")
        ],
        "next_date": services.series_next_date(series),
        "conferences": [_conference_out(c) for c in conferences],
    }


# --- Parsing -----------------------------------------------------------------------------------


def _key(text: str) -> str:
    """A client key as the services keep it."""
    return " ".join((text or "").split())[:64]


def _kind(code: str) -> ConferenceKind:
    kind = ConferenceKind.objects.filter(code=code).first()
    if kind is None:
        raise ValidationFailed(_("Unknown conference kind %(code)s.") % {"code": code}, extra={"field": "kind"})
    return kind


def _check_tier(code: str) -> None:
    if not Tier.objects.filter(code=code).exists():
        raise ValidationFailed(_("Unknown tier %(code)s.") % {"code": code}, extra={"field": "tier"})


def _plannable_unit(by: Any, code: str) -> Unit:
    """The organiser of a conference or series: a unit ``by`` sees (404) and may plan for (403)."""
    unit = access_unit(by=by, code=code)
    if not may_plan(by, unit):
        raise PermissionDenied(
            _("Your role does not allow planning conferences of %(unit)s.") % {"unit": unit.name},
            extra={"field": "organiser"},
        )
    return unit


def _units(by: Any, codes: Sequence[str]) -> dict[str, Unit]:
    """The units of ``codes`` that are, or ever were, in ``by``'s scope; any other is not found."""
    wanted = set(codes)
    found = {
        u.code: u
        for u in Unit.objects.filter(
            code__in=wanted, pk__in=units_ever_within(by, Capability.VIEW_UNITS)
        ).select_related("kind__tier")
    }
    missing = sorted(wanted - set(found))
    if missing:
        raise NotFound(
            _("No unit with code %(code)s.") % {"code": ", ".join(missing[:5])}, extra={"codes": missing[:50]}
        )
    return found


def _sites(by: Any, sites: Sequence[SiteIn]) -> list[services.SiteData]:
    units = _units(by, [site.unit for site in sites]) if sites else {}
    return [
        services.SiteData(
            unit=units[site.unit],
            is_host=site.is_host,
            level=site.level,
            location=site.location,
            contact_name=site.contact_name,
            contact_phone=site.contact_phone,
            mode=site.mode,
        )
        for site in sites
    ]


def _documents(by: Any, ids: Sequence[int]) -> list[Any]:
    wanted = list(dict.fromkeys(ids))
    found = {d.pk: d for d in documents_visible_to(by).filter(pk__in=wanted)}
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


def _headcount(body: HeadcountIn) -> services.Headcount:
    return services.Headcount(
        present={str(k): v for k, v in body.present.items()},
        late={str(k): v for k, v in body.late.items()},
        members_summoned=body.members_summoned,
        members_exempt=body.members_exempt,
        summoned=body.summoned,
        absent_excused=body.absent_excused,
        absent_unexcused=body.absent_unexcused,
    )


def _caller(request: HttpRequest) -> Any:
    """Who calls a public endpoint: the user of a valid token or of a confirmed session, or nobody."""
    if request.headers.get("Authorization"):
        return PersonalTokenAuth()(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and two_factor_state(user) == "ok":
        return user
    return None


# --- Conferences -------------------------------------------------------------------------------


@router.get("/conferences", response={200: ConferenceListOut, **ERRORS}, summary="Conferences in your scope")
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


@router.get("/conferences/{conference_id}", response={200: ConferenceDetailOut, **ERRORS}, summary="One conference")
def conference_detail(request: HttpRequest, conference_id: Id) -> Any:
    """The conference with its sites, attendance per category, rates, presenters and the
    documents covered that you may read. Contacts and check-in codes of a site are shown to
    those who record it."""
    return _conference_detail(request.user, conference_id)


@router.patch(
    "/conferences/{conference_id}", response={200: ConferenceDetailOut, **ERRORS}, summary="Change a conference"
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
        hidden = conference.documents.exclude(pk__in=documents_visible_to(by).values("pk"))
        documents = [*hidden, *_documents(by, body.documents or [])]
    else:
        documents = list(conference.documents.all())
    if "presenters" in sent:
        presenters = _presenters(by, body.presenters or [])
    else:
        presenters = [
            services.PresenterData(person=p.person, name=p.name, topic=p.topic)
            for p in conference.presenters.select_related("person")
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


@router.post("/conferences/{conference_id}/held", response={200: ConferenceDetailOut, **ERRORS}, summary="Mark as held")
def conference_held(request: HttpRequest, conference_id: Id) -> Any:
    """The conference took place: from now on it counts in the figures."""
    conference = access_conference(by=request.user, pk=conference_id, capability=Capability.EDIT_RECORDS)
    services.conference_mark_held(by=request.user, conference=conference)
    return _conference_detail(request.user, conference.pk)


@router.post(
    "/conferences/{conference_id}/cancel", response={200: ConferenceDetailOut, **ERRORS}, summary="Cancel a conference"
)
def conference_cancel(request: HttpRequest, conference_id: Id, body: CancelIn) -> Any:
    """A planned conference is cancelled with a reason; one already held cannot be (409)."""
    conference = access_conference(by=request.user, pk=conference_id, capability=Capability.EDIT_RECORDS)
    services.conference_cancel(by=request.user, conference=conference, reason=body.reason)
    return _conference_detail(request.user, conference.pk)


@router.post("/conferences/{conference_id}/points", response={201: PointListOut, **ERRORS}, summary="Add bridge points")
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
    points = {p.pk: p for p in conference.points.filter(pk__in=ids).select_related("unit", "conference__organiser")}
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


# --- Sites -------------------------------------------------------------------------------------


@router.get("/points/{point_id}", response={200: PointDetailOut, **ERRORS}, summary="One site")
def point_detail(request: HttpRequest, point_id: Id) -> Any:
    """The site with its attendance and connection reports. Per-person sites list their
    participants for those who record the site or see persons there — the absent by name only
    when the conference is mandatory for cadres."""
    return _point_detail(request.user, point_id)


@router.patch("/points/{point_id}", response={200: PointDetailOut, **ERRORS}, summary="Change a site")
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


@router.delete("/points/{point_id}", response={204: None, **ERRORS}, summary="Take a site off a conference")
def point_remove(request: HttpRequest, point_id: Id) -> Any:
    """Only by the conference's planners, and only while nothing was recorded at the site."""
    point = access_point(by=request.user, pk=point_id)
    if not may_change(request.user, point.conference):
        raise PermissionDenied(_("Your role does not allow changing this conference."))
    services.point_remove(by=request.user, point=point)
    return Status(204, None)


@router.post(
    "/points/{point_id}/connection", response={201: ConnectionEventOut, **ERRORS}, summary="Report the connection"
)
def connection_report(request: HttpRequest, point_id: Id, body: ConnectionIn) -> Any:
    point = access_point(by=request.user, pk=point_id, capability=Capability.EDIT_RECORDS)
    event = services.connection_report(by=request.user, point=point, status=body.status, note=body.note)
    return Status(201, {"at": event.at, "status": event.status, "note": event.note})


@router.put(
    "/points/{point_id}/attendance", response={200: PointDetailOut, **ERRORS}, summary="Record a site's attendance"
)
def attendance_record(request: HttpRequest, point_id: Id, body: HeadcountIn) -> Any:
    """Present and late per category, and the denominators. A per-person site takes only its
    denominators here: its headcount comes from check-ins and the roster."""
    point = access_point(by=request.user, pk=point_id, capability=Capability.EDIT_RECORDS)
    services.attendance_record(by=request.user, point=point, counts=_headcount(body))
    return _point_detail(request.user, point.pk)


@router.post(
    "/points/{point_id}/participants", response={201: ParticipantsAddedOut, **ERRORS}, summary="Register participants"
)
def participants_register(request: HttpRequest, point_id: Id, body: ParticipantsIn) -> Any:
    """Who is summoned to a per-person site: persons of your scope (in ``category``) or names.
    A person already registered is skipped."""
    by = request.user
    point = access_point(by=by, pk=point_id, capability=Capability.EDIT_RECORDS)
    wanted = list(dict.fromkeys(body.person_ids))
    persons = {p.pk: p for p in persons_in_scope(by).filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in persons]
    if missing:
        raise NotFound(_("No such person."), extra={"ids": missing[:50], "field": "person_ids"})
    added = services.participants_register(
        by=by,
        point=point,
        people=[(persons[pk], body.category) for pk in wanted],
        names=[(row.name, row.category) for row in body.names],
    )
    return Status(201, {"added": added, "participants": point.participants.count()})


@router.post("/points/{point_id}/roster", response={200: PointDetailOut, **ERRORS}, summary="Tick the roster")
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


# --- Check-in (public) -------------------------------------------------------------------------


@router.post(
    "/checkin",
    auth=None,
    response={200: CheckInOut, 201: CheckInOut, 429: ErrorOut, **ERRORS},
    summary="Check in at a site (no sign-in needed)",
)
def check_in(request: HttpRequest, body: CheckInIn) -> Any:
    """The phone sends the site's code and a key made once by its form. Answers 201 when
    counted, 200 when this key (or this signed-in user) had already checked in. A signed-in
    user linked to a person registered at the site checks in as that person. The limits are the
    phone page's: too many unknown codes from one address, or too many check-ins from one
    address at one site, answer 429 with Retry-After."""
    address = client_address(request)
    limits.refuse_if_guessing(address)
    point = services.point_for_code(body.code)
    if point is None:
        limits.count_unknown_code(address)
        raise ValidationFailed(_("No site has this check-in code."), extra={"field": "code"})
    limits.count_check_in(address, point.pk)
    result = services.check_in(
        by=_caller(request),
        data=services.CheckIn(code=body.code, client_key=body.client_key, name=body.name, category=body.category),
        site=point,
    )
    participant, point = result.participant, result.point
    out = {
        "created": result.created,
        "conference": point.conference.title,
        "site": point.unit.name,
        "name": participant.display_name,
        "category": participant.category,
        "is_late": participant.is_late,
        "checked_in_at": participant.checked_in_at,
    }
    return Status(201 if result.created else 200, out)


# --- Study reflections -------------------------------------------------------------------------


@router.get("/reflections", response={200: ReflectionListOut, **ERRORS}, summary="Study reflection counts")
def reflection_list(request: HttpRequest, filters: Query[ReflectionQuery]) -> Any:
    """Counts of study reflections of the party cells in your scope, newest first."""
    by = request.user
    tallies = reflections_visible_to(by)
    if filters.unit:
        unit = access_unit(by=by, code=filters.unit)
        tallies = tallies.filter(unit_id__in=ever_within_ids(unit.pk))
    if filters.conference_id is not None:
        tallies = tallies.filter(conference_id=filters.conference_id)
    if filters.document_id is not None:
        tallies = tallies.filter(document_id=filters.document_id)
    if filters.start is not None:
        tallies = tallies.filter(recorded_on__gte=filters.start)
    if filters.end is not None:
        tallies = tallies.filter(recorded_on__lte=filters.end)
    tallies = tallies.select_related("unit", "conference", "document").order_by("-recorded_on", "pk")
    window = page(tallies, limit=filters.limit, offset=filters.offset)
    window["items"] = [_reflection_out(t) for t in window["items"]]
    return window


@router.put("/reflections", response={200: ReflectionOut, **ERRORS}, summary="Record study reflection counts")
def reflection_record(request: HttpRequest, body: ReflectionIn) -> Any:
    """A party cell's counts for a conference (or a document studied without one); sending
    them again corrects them. Only numbers: no text is stored."""
    by = request.user
    unit = access_unit(by=by, code=body.unit)
    require_record_for_unit(by, unit)
    conference = access_conference(by=by, pk=body.conference_id) if body.conference_id is not None else None
    document = access_document(by=by, pk=body.document_id) if body.document_id is not None else None
    tally = services.reflections_record(
        by=by,
        data=services.ReflectionCounts(
            unit=unit,
            recorded_on=body.recorded_on,
            conference=conference,
            document=document,
            required=body.required,
            exempt=body.exempt,
            submitted=body.submitted,
            graded=body.graded,
            makeup_sessions=body.makeup_sessions,
        ),
    )
    tally = StudyReflectionTally.objects.select_related("unit", "conference", "document").get(pk=tally.pk)
    return _reflection_out(tally)


# --- Series ------------------------------------------------------------------------------------


@router.get("/series", response={200: SeriesListOut, **ERRORS}, summary="Recurring conference series")
def series_list(request: HttpRequest, filters: Query[Window]) -> Any:
    """Series organised in your scope, by title."""
    series = series_visible_to(request.user).select_related("kind", "organiser").order_by("title", "pk")
    window = page(series, limit=filters.limit, offset=filters.offset)
    window["items"] = [_series_out(s) for s in window["items"]]
    return window


@router.post("/series", response={201: SeriesDetailOut, **ERRORS}, summary="Create a series")
def series_create(request: HttpRequest, body: SeriesIn) -> Any:
    """A recurring conference and the sites every one of its conferences is planned with."""
    by = request.user
    organiser = _plannable_unit(by, body.organiser)
    data = services.SeriesData(
        title=body.title,
        kind=_kind(body.kind),
        organiser=organiser,
        level=body.level,
        recurrence=body.recurrence,
        starts_at_time=body.starts_at_time,
        day_of_month=body.day_of_month,
        duration_minutes=body.duration_minutes,
        format=body.format,
        is_mandatory=body.is_mandatory,
        notes=body.notes,
    )
    series = services.series_create(by=by, data=data, sites=_sites(by, body.sites))
    return Status(201, _series_detail(by, access_series(by=by, pk=series.pk)))


@router.get("/series/{series_id}", response={200: SeriesDetailOut, **ERRORS}, summary="One series")
def series_detail(request: HttpRequest, series_id: Id) -> Any:
    """The series, its sites, the date of its next conference and its latest conferences."""
    return _series_detail(request.user, access_series(by=request.user, pk=series_id))


@router.post(
    "/series/{series_id}/plan-next",
    response={200: ConferenceDetailOut, 201: ConferenceDetailOut, **ERRORS},
    summary="Plan the next conference of a series",
)
def series_plan_next(request: HttpRequest, series_id: Id, body: PlanNextIn | None = None) -> Any:
    """The next conference with the series' sites, a step after the latest one (or on ``on``).
    Answers 200 with the existing conference when the series already has one that day."""
    by = request.user
    series = access_series(by=by, pk=series_id, capability=Capability.EDIT_RECORDS)
    conference, created = services.series_plan_next(by=by, series=series, on=body.on if body is not None else None)
    return Status(201 if created else 200, _conference_detail(by, conference.pk))


# --- Import ------------------------------------------------------------------------------------


@router.post(
    "/conferences/{conference_id}/attachments",
    response={201: ConferenceDetailOut, **ERRORS},
    summary="Add a photo or the minutes",
)
def attachment_add(
    request: HttpRequest, conference_id: Id, file: File[UploadedFile], kind: Annotated[FormText, Form("photo")]
) -> Any:
    """multipart/form-data ``file`` and ``kind`` (photo, minutes, other). The file is checked by
    its content; minutes carrying a secrecy stamp are refused (422 ``classified_material``)."""
    conference = access_conference(by=request.user, pk=conference_id, capability=Capability.EDIT_RECORDS)
    services.attachment_add(by=request.user, conference=conference, upload=file, kind=kind)
    return Status(201, _conference_detail(request.user, conference.pk))


@router.get(
    "/calendar.ics",
    response={200: str, **ERRORS},
    summary="The unit's conferences as a calendar (text/calendar)",
    openapi_extra={"responses": {"200": {"content": {"text/calendar": {"schema": {"type": "string"}}}}}},
)
def calendar_ics(request: HttpRequest, unit: str) -> Any:
    """RFC 5545 calendar of the unit's conferences (organised there or with a site there) from
    three months back, the same events as the calendar page's feed. Calendar applications that
    cannot send a token subscribe to the feed address shown on the calendar page instead."""
    found = access_unit(by=request.user, code=unit, capability=Capability.VIEW_AGGREGATES)
    return HttpResponse(feed_text(request, request.user, found), content_type="text/calendar; charset=utf-8")


@router.post("/import", response={200: ImportOut, 201: ImportOut, **ERRORS}, summary="Import past conferences")
def conferences_import(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """multipart/form-data ``file``: an XLSX workbook with the sheets "Hội nghị" (Conferences)
    and "Điểm cầu" (Sites); the template is at ``/meetings/import/template.xlsx``. Every row is
    checked first: any problem answers 422 ``import_rejected`` with every problem (sheet, row,
    column) and nothing is written. Importing the same file again creates nothing new."""
    importing.require_importer(request.user)
    if file.size is not None and file.size > MAX_IMPORT_BYTES:
        raise ValidationFailed(_("The file is larger than 5 MB."), extra={"field": "file"})
    result = importing.conferences_import(by=request.user, file=file.read())
    out = {
        "conferences_created": len(result.created),
        "conferences_already_imported": result.already_imported,
        "sites": result.sites,
        "held": result.held,
        "conferences": result.created,
        "message": result.summary(),
    }
    return Status(201 if result.created else 200, out)
