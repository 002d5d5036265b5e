"""The sites of a conference: adding bridge points, taking one off, changing one, and what its
operator reports of the connection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.meetings.models import BridgePoint, Conference, ConnectionEvent, Format, Level
from lantoa.meetings.services._common import (
    MAX_POINTS,
    SiteData,
    _changeable,
    _clean,
    _clean_phone,
    _new_points,
    _sites_validate,
)


@transaction.atomic
def points_add(*, by: Any, conference: Conference, sites: Sequence[SiteData]) -> list[BridgePoint]:
    """Add bridge points; units that already have a site of this conference are skipped, so
    "add all communes of X" may be clicked twice. Returns the points added."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    _changeable(conference)
    if conference.format == Format.IN_PERSON:
        raise ValidationFailed(
            _("An in-person conference has one site; choose online or hybrid to add bridge points."),
            extra={"field": "format"},
        )
    taken = set(conference.points.values_list("unit_id", flat=True))
    fresh: list[SiteData] = []
    for site in sites:
        if site.unit.pk not in taken:
            taken.add(site.unit.pk)
            site.is_host = False
            fresh.append(site)
    _sites_validate(conference.format, fresh, conference.held_on)
    if conference.points.count() + len(fresh) > MAX_POINTS:
        raise ValidationFailed(_("Too many sites for one conference."), extra={"field": "sites"})
    points = _new_points(conference, fresh)
    if points:
        audit_record(
            action="lantoa.meetings.conference.points_added",
            by=by,
            target=conference,
            unit=conference.organiser,
            changed=["sites"],
        )
    return points


@transaction.atomic
def point_remove(*, by: Any, point: BridgePoint) -> None:
    """Take a site off a conference — only while nothing was recorded there."""
    point = BridgePoint.objects.select_for_update().select_related("conference").get(pk=point.pk)
    if point.is_host:
        raise Conflict(_("The host site cannot be removed."), code="host_site")
    recorded = point.present or point.participants.exists() or point.connection_log.exists()
    if recorded:
        raise Conflict(_("Attendance or a connection report was recorded at this site; it stays."), code="point_used")
    audit_record(
        action="lantoa.meetings.conference.point_removed",
        by=by,
        target=point.conference,
        unit=point.conference.organiser,
        changed=["sites"],
    )
    point.delete()


@transaction.atomic
def point_update(*, by: Any, point: BridgePoint, site: SiteData) -> BridgePoint:
    """Change a site's level, location, contact or how attendance is taken."""
    point = BridgePoint.objects.select_for_update().get(pk=point.pk)
    values = {
        "level": site.level if site.level in Level.values else point.level,
        "location": _clean(site.location, 255),
        "contact_name": _clean(site.contact_name, 120),
        "contact_phone": _clean_phone(site.contact_phone),
        "mode": site.mode if site.mode in BridgePoint.Mode.values else point.mode,
    }
    changed = [name for name, value in values.items() if getattr(point, name) != value]
    if "mode" in changed and point.present:
        raise Conflict(
            _("Attendance was already recorded at this site; how it is taken cannot change now."), code="mode_locked"
        )
    for name, value in values.items():
        setattr(point, name, value)
    point.save()
    audit_record(action="lantoa.meetings.point.updated", by=by, target=point, unit=point.unit, changed=changed)
    return point


def connection_report(
    *, by: Any, point: BridgePoint, status: str, note: str = "", at: dt.datetime | None = None
) -> ConnectionEvent:
    """Append what the site's operator reports (connected, dropped, no picture, no sound)."""
    if status not in BridgePoint.Connection.values or status == BridgePoint.Connection.UNKNOWN:
        raise ValidationFailed(_("Choose what happened to the connection."), extra={"field": "status"})
    with transaction.atomic():
        event = ConnectionEvent.objects.create(
            point=point, at=at or timezone.now(), status=status, note=_clean(note, 255), by=actor_or_none(by)
        )
        latest = point.connection_log.order_by("-at", "-pk").values_list("status", flat=True).first()
        BridgePoint.objects.filter(pk=point.pk).update(connection=latest)
        point.connection = latest or status
    return event
