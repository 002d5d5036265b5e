"""What several subjects of the writes share.

The sites a conference or a series is planned with (:class:`SiteData`, the level and check-in
code each is given, their checks and their creation), the cleaning of text and whole numbers,
the refusals of a cancelled conference, and a site's derived totals (:func:`_refresh_point`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.masking import clean_phone
from lantoa.core.text import clean_text
from lantoa.meetings.models import AttendanceCount, BridgePoint, Category, Conference, Format, Level, Participant
from lantoa.org.models import Unit

# Unit tier → the level a site of that unit reports by default.
LEVEL_OF_TIER = {"province": Level.PROVINCE, "district": Level.DISTRICT, "commune": Level.COMMUNE}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones
# 32^8 ≈ 10^12 codes: a national conference's 31,000 sites draw theirs without a clash (with
# six letters one clash in every other such conference), and check-ins are limited per client.
CODE_LENGTH = 8
MAX_POINTS = 50_000


def level_for_unit(unit: Unit) -> str:
    """Territorial units report by their tier; the party organisations of agencies, enterprises
    and forces below the district tier report as grassroots."""
    if not unit.kind.is_territorial and unit.kind.tier.code != "province" and unit.kind.tier.code != "district":
        return Level.GRASSROOTS
    return LEVEL_OF_TIER.get(unit.kind.tier.code, Level.GRASSROOTS)


def new_point_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass
class SiteData:
    unit: Unit
    is_host: bool = False
    level: str = ""  # empty: from the unit's tier
    location: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    mode: str = BridgePoint.Mode.HEADCOUNT


def _clean(text: str, limit: int) -> str:
    return clean_text(text)[:limit]


def _clean_phone(phone: str) -> str:
    return clean_phone(phone)[:20]


def _whole(value: Any, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationFailed(_("Enter a whole number, zero or more."), extra={"field": field_name})
    return value


def _writable(point: BridgePoint) -> None:
    if point.conference.status == Conference.Status.CANCELLED:
        raise Conflict(_("The conference was cancelled."), code="conference_cancelled")


def _changeable(conference: Conference) -> None:
    if conference.status == Conference.Status.CANCELLED:
        raise Conflict(_("A cancelled conference cannot be changed."), code="conference_cancelled")


def _sites_validate(conference_format: str, sites: Sequence[SiteData], day: dt.date) -> None:
    units = [site.unit.pk for site in sites]
    if len(set(units)) != len(units):
        raise ValidationFailed(_("A unit can be only one site of a conference."), extra={"field": "sites"})
    if sum(1 for site in sites if site.is_host) > 1:
        raise ValidationFailed(_("A conference has one host site."), extra={"field": "sites"})
    if conference_format == Format.IN_PERSON and len(sites) > 1:
        raise ValidationFailed(
            _("An in-person conference has one site; choose online or hybrid to add bridge points."),
            extra={"field": "format"},
        )
    if len(sites) > MAX_POINTS:
        raise ValidationFailed(_("Too many sites for one conference."), extra={"field": "sites"})
    closed = [site.unit.name for site in sites if site.unit.closed_on and site.unit.closed_on <= day]
    if closed:
        raise ValidationFailed(
            _("These units had closed by the conference date: %(units)s.") % {"units": ", ".join(closed[:5])},
            extra={"field": "sites"},
        )


def _new_points(conference: Conference, sites: Sequence[SiteData]) -> list[BridgePoint]:
    points = [
        BridgePoint(
            conference=conference,
            unit=site.unit,
            held_on=conference.held_on,
            is_host=site.is_host,
            level=site.level if site.level in Level.values else level_for_unit(site.unit),
            location=_clean(site.location, 255),
            contact_name=_clean(site.contact_name, 120),
            contact_phone=_clean_phone(site.contact_phone),
            mode=site.mode if site.mode in BridgePoint.Mode.values else BridgePoint.Mode.HEADCOUNT,
            code=new_point_code(),
        )
        for site in sites
    ]
    for attempt in range(5):
        try:
            with transaction.atomic():
                return BridgePoint.objects.bulk_create(points, batch_size=2000)
        except IntegrityError:
            # A check-in code collided (one in 10^9 per pair): draw new ones. A unit twice is
            # refused before this point.
            if attempt == 4:
                raise
            for point in points:
                point.code = new_point_code()
    return points


def _refresh_point(point: BridgePoint) -> None:
    """Recompute a site's totals from its headcounts (and, per person, its headcounts from its
    participants)."""
    if point.mode == BridgePoint.Mode.PER_PERSON:
        rows = (
            point.participants.filter(status=Participant.Status.PRESENT)
            .values("category")
            .annotate(present=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
        )
        AttendanceCount.objects.filter(point=point).delete()
        AttendanceCount.objects.bulk_create(
            [AttendanceCount(point=point, category=r["category"], present=r["present"], late=r["late"]) for r in rows]
        )
        absent = point.participants.filter(status=Participant.Status.ABSENT)
        point.absent_excused = absent.exclude(absence_reason="").count()
        point.absent_unexcused = absent.filter(absence_reason="").count()
    counts = {row.category: row for row in AttendanceCount.objects.filter(point=point)}
    _apply_totals(point, counts)
    point.save()


def _apply_totals(point: BridgePoint, counts: Mapping[str, AttendanceCount]) -> None:
    point.present = sum(row.present for row in counts.values())
    point.late = sum(row.late for row in counts.values())
    members = counts.get(Category.PARTY_MEMBERS)
    point.members_present = members.present if members else 0
    point.members_expected = max(0, point.members_summoned - point.members_exempt)
    point.rated_members_present = point.members_present if point.members_expected else 0
    point.rated_present = point.present if point.summoned else 0
    point.attendance_recorded_at = timezone.now()
