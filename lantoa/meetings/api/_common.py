"""What the endpoints of several subjects share: a conference and a site as they are answered,
and the parsing of units, sites, conference kinds and headcounts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lantoa.core.errors import NotFound, PermissionDenied, ValidationFailed
from lantoa.meetings import selectors, services
from lantoa.meetings.models import BridgePoint, Conference, ConferenceKind
from lantoa.meetings.permissions import may_plan
from lantoa.meetings.presenters import SiteContact, presenter_views, site_contacts
from lantoa.meetings.schemas import HeadcountIn, SiteIn
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit


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
    presenters = presenter_views(selectors.conference_presenters(conference))
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


def _kind(code: str) -> ConferenceKind:
    kind = selectors.conference_kind(code)
    if kind is None:
        raise ValidationFailed(_("Unknown conference kind %(code)s.") % {"code": code}, extra={"field": "kind"})
    return kind


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
    found = selectors.units_by_code_for_user(by, wanted)
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
