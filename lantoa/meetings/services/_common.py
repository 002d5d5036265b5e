"""What several subjects of the writes share.

The sites a conference or a series is planned with (:class:`SiteData`, the level and check-in
code each is given, their checks and their creation), the cleaning of text and whole numbers,
the refusals of a cancelled conference, and a site's derived totals (:func:`_refresh_point`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.masking import clean_phone
from lantoa.core.rows import insert_rows, update_rows
from lantoa.core.text import clean_text
from lantoa.meetings.models import (
    RELAYED_FORMATS,
    AttendanceCount,
    BridgePoint,
    Category,
    Conference,
    Format,
    Level,
    Participant,
)
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
            conference_held=conference.status == Conference.Status.HELD,
            conference_online=conference.format in RELAYED_FORMATS,
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
        counts = _count_participants([point])[point.pk]
    else:
        counts = {row.category: row for row in AttendanceCount.objects.filter(point=point)}
    _apply_totals(point, counts)
    point.save()


def recount_sites(point_ids: Iterable[int]) -> int:
    """Recompute the totals of per-person sites from their participants, in one transaction and
    a few queries whatever the number of sites; the number of sites recounted.

    Check-ins write only their participant row and leave their site to be recounted here
    (:func:`lantoa.meetings.services.checkin.check_in`), so a recount must be exact whenever it
    runs: it reads the rows, never adds to what is stored. Saved without signals: the totals are
    not part of what the public pages cache about a site."""
    ids = sorted(set(point_ids))
    done = 0
    for start in range(0, len(ids), RECOUNT_CHUNK):
        with transaction.atomic():
            # FOR NO KEY UPDATE: a check-in's INSERT takes a key-share lock on its site, which
            # this lock lets through, so check-ins never wait for a recount on PostgreSQL.
            points = list(
                BridgePoint.objects.select_for_update(no_key=True)
                .filter(pk__in=ids[start : start + RECOUNT_CHUNK], mode=BridgePoint.Mode.PER_PERSON)
                .order_by("pk")
            )
            counts = _count_participants(points)
            for point in points:
                _apply_totals(point, counts.get(point.pk, {}))
            update_rows(points, TOTAL_FIELDS)
            done += len(points)
    return done


def recount_every_site(*, conference_id: int | None = None) -> int:
    """Recount every per-person site (of one conference): after a process was killed before
    writing what it had buffered. The number of sites recounted."""
    sites = BridgePoint.objects.filter(mode=BridgePoint.Mode.PER_PERSON)
    if conference_id is not None:
        sites = sites.filter(conference_id=conference_id)
    return recount_sites(sites.values_list("pk", flat=True).iterator())


# Sites recounted per transaction: few enough to keep SQLite's write lock short and the
# statements within its limit of variables.
RECOUNT_CHUNK = 500
TOTAL_FIELDS = [
    "present",
    "late",
    "members_present",
    "members_expected",
    "rated_members_present",
    "rated_present",
    "attendance_recorded_at",
    "absent_excused",
    "absent_unexcused",
]


def _count_participants(points: Sequence[BridgePoint]) -> dict[int, dict[str, AttendanceCount]]:
    """The headcounts of per-person sites from their participants, written as their
    :class:`AttendanceCount` rows, with the absent counted on each site object (not saved)."""
    ids = [point.pk for point in points]
    present = (
        Participant.objects.filter(point_id__in=ids, status=Participant.Status.PRESENT)
        .values("point_id", "category")
        .annotate(present=Count("pk"), late=Count("pk", filter=Q(is_late=True)))
        .order_by()
    )
    counts: dict[int, dict[str, AttendanceCount]] = {pk: {} for pk in ids}
    for row in present:
        counts[row["point_id"]][row["category"]] = AttendanceCount(
            point_id=row["point_id"], category=row["category"], present=row["present"], late=row["late"]
        )
    absent = {
        row["point_id"]: row
        for row in Participant.objects.filter(point_id__in=ids, status=Participant.Status.ABSENT)
        .values("point_id")
        .annotate(excused=Count("pk", filter=~Q(absence_reason="")), unexcused=Count("pk", filter=Q(absence_reason="")))
        .order_by()
    }
    AttendanceCount.objects.filter(point_id__in=ids).delete()
    insert_rows([row for by_category in counts.values() for row in by_category.values()])
    for point in points:
        point.absent_excused = absent[point.pk]["excused"] if point.pk in absent else 0
        point.absent_unexcused = absent[point.pk]["unexcused"] if point.pk in absent else 0
    return counts


def _apply_totals(point: BridgePoint, counts: Mapping[str, AttendanceCount]) -> None:
    point.present = sum(row.present for row in counts.values())
    point.late = sum(row.late for row in counts.values())
    members = counts.get(Category.PARTY_MEMBERS)
    point.members_present = members.present if members else 0
    point.members_expected = max(0, point.members_summoned - point.members_exempt)
    point.rated_members_present = point.members_present if point.members_expected else 0
    point.rated_present = point.present if point.summoned else 0
    point.attendance_recorded_at = timezone.now()
