"""Writes for conferences, their sites, attendance, check-in and study reflections.

Nothing else writes these tables. Staff writes are audited (names of fields, never values).
Check-ins are the public's own high-volume records: each is a :class:`Participant` row, made
idempotent by the phone form's key, and not audited one by one.

A site's derived totals (``present``, ``members_present``, ``late``, ``members_expected``,
``rated_present``, ``rated_members_present``) are recomputed by :func:`_refresh_point` in the
same transaction as every change to its headcounts, participants or denominators.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record, audit_record_many
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.masking import clean_phone
from lantoa.core.results import Created
from lantoa.core.text import clean_text, fold
from lantoa.library import files as library_files
from lantoa.meetings import public_cache
from lantoa.meetings.models import (
    AttendanceCount,
    BridgePoint,
    Category,
    Conference,
    ConferenceAttachment,
    ConferenceKind,
    ConferencePresenter,
    ConferenceSeries,
    ConnectionEvent,
    Format,
    Level,
    Participant,
    Recurrence,
    SeriesSite,
    StudyReflectionTally,
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


def normal_code(text: str) -> str:
    """What a user typed as a check-in code, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


# --- Conferences -------------------------------------------------------------------------------


@dataclass
class SiteData:
    unit: Unit
    is_host: bool = False
    level: str = ""  # empty: from the unit's tier
    location: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    mode: str = BridgePoint.Mode.HEADCOUNT


@dataclass
class PresenterData:
    person: Any = None  # a people.Person
    name: str = ""
    topic: str = ""


@dataclass
class ConferenceData:
    title: str
    kind: ConferenceKind
    organiser: Unit
    level: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    format: str = Format.IN_PERSON
    is_mandatory: bool = False
    notes: str = ""
    expected: Mapping[str, int] = field(default_factory=dict)
    documents: Sequence[Any] = ()
    presenters: Sequence[PresenterData] = ()
    series: ConferenceSeries | None = None
    client_key: str = ""


def _clean(text: str, limit: int) -> str:
    return clean_text(text)[:limit]


def _clean_phone(phone: str) -> str:
    return clean_phone(phone)[:20]


def conference_validate(data: ConferenceData) -> None:
    """Every problem of ``data`` at once, as one error."""
    problems: dict[str, str] = {}
    if not _clean(data.title, 255):
        problems["title"] = _("Give the conference a title.")
    if data.level not in Level.values:
        problems["level"] = _("Choose a level.")
    if data.format not in Format.values:
        problems["format"] = _("Choose a format.")
    if data.starts_at and data.ends_at and data.ends_at < data.starts_at:
        problems["ends_at"] = _("The conference cannot end before it starts.")
    for category, number in (data.expected or {}).items():
        if category not in Category.values or not isinstance(number, int) or number < 0:
            problems["expected"] = _("Expected attendance is a whole number per category.")
    if data.organiser.closed_on and data.starts_at and timezone.localdate(data.starts_at) >= data.organiser.closed_on:
        problems["organiser"] = _("%(unit)s had closed by then.") % {"unit": data.organiser.name}
    for presenter in data.presenters:
        if presenter.person is None and not _clean(presenter.name, 200):
            problems["presenters"] = _("Each presenter needs a person or a name.")
    if problems:
        field_name, message = next(iter(problems.items()))
        raise ValidationFailed(message, extra={"field": field_name, "errors": problems})


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


def conference_create(*, by: Any, data: ConferenceData, sites: Sequence[SiteData] = ()) -> Created[Conference]:
    """Plan a conference with its sites. Without sites, the organiser hosts it. The first host
    in ``sites`` (or the organiser's site) is the host site. Sending the same ``client_key``
    again returns the first conference, with ``created`` False."""
    key = _clean(data.client_key, 64)
    if key:
        existing = Conference.objects.filter(organiser=data.organiser, client_key=key).first()
        if existing is not None:
            return Created(existing, created=False)
    conference_validate(data)
    sites = list(sites) or [SiteData(unit=data.organiser, is_host=True)]
    if not any(site.is_host for site in sites):
        sites[0].is_host = True
    held_on = timezone.localdate(data.starts_at)
    _sites_validate(data.format, sites, held_on)
    try:
        with transaction.atomic():
            conference = Conference.objects.create(
                title=_clean(data.title, 255),
                title_folded=fold(_clean(data.title, 255)),
                kind=data.kind,
                series=data.series,
                organiser=data.organiser,
                level=data.level,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                held_on=held_on,
                format=data.format,
                is_mandatory=data.is_mandatory,
                notes=clean_text(data.notes, multiline=True),
                expected={k: v for k, v in (data.expected or {}).items() if v},
                client_key=key,
                created_by=actor_or_none(by),
            )
            conference.documents.set(list(data.documents))
            _presenters_set(conference, data.presenters)
            _new_points(conference, sites)
            audit_record(
                action="lantoa.meetings.conference.created",
                by=by,
                target=conference,
                unit=conference.organiser,
                changed=["title", "kind", "level", "starts_at", "format", "sites"],
            )
    except IntegrityError:
        if key:  # the same request arrived twice at once: the other call stored it
            return Created(Conference.objects.get(organiser=data.organiser, client_key=key), created=False)
        raise
    return Created(conference, created=True)


def _presenters_set(conference: Conference, presenters: Sequence[PresenterData]) -> None:
    conference.presenters.all().delete()
    ConferencePresenter.objects.bulk_create(
        [
            ConferencePresenter(
                conference=conference,
                person=p.person,
                name="" if p.person is not None else _clean(p.name, 200),
                topic=_clean(p.topic, 255),
                order=n,
            )
            for n, p in enumerate(presenters)
        ]
    )


@transaction.atomic
def conference_update(*, by: Any, conference: Conference, data: ConferenceData) -> Conference:
    """Change what a conference is (title, kind, level, time, format, documents, presenters).
    Its sites keep their attendance and follow its new date."""
    conference_validate(data)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    _changeable(conference)
    if data.format == Format.IN_PERSON and conference.points.count() > 1:
        raise ValidationFailed(
            _("This conference has bridge points: it stays online or hybrid."), extra={"field": "format"}
        )
    values = {
        "title": _clean(data.title, 255),
        "title_folded": fold(_clean(data.title, 255)),
        "kind": data.kind,
        "organiser": data.organiser,
        "level": data.level,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "held_on": timezone.localdate(data.starts_at),
        "format": data.format,
        "is_mandatory": data.is_mandatory,
        "notes": clean_text(data.notes, multiline=True),
        "expected": {k: v for k, v in (data.expected or {}).items() if v},
    }
    changed = [name for name, value in values.items() if getattr(conference, name) != value]
    for name, value in values.items():
        setattr(conference, name, value)
    conference.save()
    if "held_on" in changed:
        conference.points.update(held_on=conference.held_on)
    before_docs = set(conference.documents.values_list("pk", flat=True))
    conference.documents.set(list(data.documents))
    if before_docs != {d.pk for d in data.documents}:
        changed.append("documents")
    _presenters_set(conference, data.presenters)
    audit_record(
        action="lantoa.meetings.conference.updated",
        by=by,
        target=conference,
        unit=conference.organiser,
        changed=[*changed, "presenters"],
    )
    return conference


@transaction.atomic
def conference_mark_held(*, by: Any, conference: Conference, now: dt.datetime | None = None) -> Conference:
    """The conference took place: from now on it counts in ``conferences_held``.

    One that has not started yet at ``now`` cannot have taken place, so it cannot count."""
    now = now or timezone.now()
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status == Conference.Status.CANCELLED:
        raise Conflict(_("A cancelled conference cannot be marked as held."), code="conference_cancelled")
    if conference.starts_at > now:
        raise Conflict(
            _("A conference that has not started yet cannot be marked as held."),
            code="conference_not_started",
            extra={"starts_at": conference.starts_at.isoformat()},
        )
    if conference.status != Conference.Status.HELD:
        conference.status = Conference.Status.HELD
        conference.save(update_fields=["status", "updated_at"])
        audit_record(
            action="lantoa.meetings.conference.held",
            by=by,
            target=conference,
            unit=conference.organiser,
            changed=["status"],
        )
    return conference


@transaction.atomic
def conference_cancel(*, by: Any, conference: Conference, reason: str) -> Conference:
    """Cancel a planned conference, with a reason. A conference already held stays held."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    reason = _clean(reason, 255)
    if not reason:
        raise ValidationFailed(_("Say why the conference is cancelled."), extra={"field": "reason"})
    if conference.status == Conference.Status.HELD:
        raise Conflict(_("A conference that was held cannot be cancelled."), code="conference_held")
    if conference.status != Conference.Status.CANCELLED:
        conference.status = Conference.Status.CANCELLED
        conference.cancel_reason = reason
        conference.save(update_fields=["status", "cancel_reason", "updated_at"])
        audit_record(
            action="lantoa.meetings.conference.cancelled",
            by=by,
            target=conference,
            unit=conference.organiser,
            changed=["status", "cancel_reason"],
        )
    return conference


# --- Attachments ------------------------------------------------------------------------------


@library_files.records_classified_refusals
@transaction.atomic
def attachment_add(*, by: Any, conference: Conference, upload: Any, kind: str = "photo") -> ConferenceAttachment:
    """Keep a photo or the minutes of a conference. The file is checked by its content (the
    library's rules: PDF, DOCX, ODT, images…, size limits), and minutes that carry a secrecy
    stamp are refused like any classified document."""
    if kind not in ConferenceAttachment.Kind.values:
        raise ValidationFailed(_("Choose what the file is."), extra={"field": "kind"})
    seen = library_files.inspect_upload(upload)
    if seen.role in ("audio", "video"):
        raise ValidationFailed(
            _("Keep recordings in the library; a conference keeps photos and documents."), extra={"field": "file"}
        )
    library_files.refuse_if_classified(by=by, text=seen.sample_text, where=upload.name or "")
    upload.seek(0)
    attachment = ConferenceAttachment.objects.create(
        conference=conference,
        kind=kind,
        file=upload,
        original_name=(upload.name or "")[:255],
        content_type=seen.content_type,
        size=seen.size,
        uploaded_by=actor_or_none(by),
    )
    audit_record(
        action="lantoa.meetings.attachment.added",
        by=by,
        target=conference,
        unit=conference.organiser,
        changed=["attachments"],
    )
    return attachment


# --- Sites -------------------------------------------------------------------------------------


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


# --- Attendance --------------------------------------------------------------------------------


@dataclass
class Headcount:
    """What a site reports: present (and late) per category, and its denominators."""

    present: Mapping[str, int] = field(default_factory=dict)
    late: Mapping[str, int] = field(default_factory=dict)
    members_summoned: int = 0
    members_exempt: int = 0
    summoned: int = 0
    absent_excused: int = 0
    absent_unexcused: int = 0


def _whole(value: Any, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationFailed(_("Enter a whole number, zero or more."), extra={"field": field_name})
    return value


def headcount_validate(counts: Headcount) -> None:
    for category in [*counts.present, *counts.late]:
        if category not in Category.values:
            raise ValidationFailed(
                _("Unknown category: %(category)s.") % {"category": category}, extra={"field": "category"}
            )
    for category, number in counts.present.items():
        _whole(number, f"present_{category}")
    for category, number in counts.late.items():
        if _whole(number, f"late_{category}") > counts.present.get(category, 0):
            raise ValidationFailed(_("More late arrivals than people present."), extra={"field": f"late_{category}"})
    for name in ("members_summoned", "members_exempt", "summoned", "absent_excused", "absent_unexcused"):
        _whole(getattr(counts, name), name)
    if counts.members_exempt > counts.members_summoned:
        raise ValidationFailed(_("More exempt members than members summoned."), extra={"field": "members_exempt"})
    members = counts.present.get(Category.PARTY_MEMBERS, 0)
    if counts.members_summoned and members > counts.members_summoned:
        raise ValidationFailed(
            _("More party members present than summoned."), extra={"field": f"present_{Category.PARTY_MEMBERS}"}
        )
    if counts.summoned and sum(counts.present.values()) > counts.summoned:
        # People who came without being summoned are welcome but break the rate.
        raise ValidationFailed(_("More people present than summoned."), extra={"field": "summoned"})


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


def _writable(point: BridgePoint) -> None:
    if point.conference.status == Conference.Status.CANCELLED:
        raise Conflict(_("The conference was cancelled."), code="conference_cancelled")


def _changeable(conference: Conference) -> None:
    if conference.status == Conference.Status.CANCELLED:
        raise Conflict(_("A cancelled conference cannot be changed."), code="conference_cancelled")


@transaction.atomic
def attendance_record(*, by: Any, point: BridgePoint, counts: Headcount) -> BridgePoint:
    """Record (or correct) a site's headcount per category and its denominators. Per-person
    sites take only their denominators here: their headcount comes from check-ins."""
    headcount_validate(counts)
    point = BridgePoint.objects.select_for_update().select_related("conference", "unit").get(pk=point.pk)
    _writable(point)
    point.members_summoned = counts.members_summoned
    point.members_exempt = counts.members_exempt
    point.summoned = counts.summoned
    changed = ["members_summoned", "members_exempt", "summoned"]
    if point.mode == BridgePoint.Mode.HEADCOUNT:
        point.absent_excused = counts.absent_excused
        point.absent_unexcused = counts.absent_unexcused
        AttendanceCount.objects.filter(point=point).delete()
        AttendanceCount.objects.bulk_create(
            [
                AttendanceCount(point=point, category=category, present=number, late=counts.late.get(category, 0))
                for category, number in counts.present.items()
                if number
            ]
        )
        changed += ["present", "late", "absent"]
    _refresh_point(point)
    audit_record(action="lantoa.meetings.attendance.recorded", by=by, target=point, unit=point.unit, changed=changed)
    return point


def attendance_record_many(*, by: Any, rows: Sequence[tuple[BridgePoint, Headcount]]) -> int:
    """The headcounts of many sites of one or more conferences in one transaction (imports,
    bulk entry by the organiser). All rows are checked before anything is written."""
    for _point, counts in rows:
        headcount_validate(counts)
    ids = [point.pk for point, _c in rows]
    with transaction.atomic():
        points = {
            p.pk: p for p in BridgePoint.objects.select_for_update().select_related("conference").filter(pk__in=ids)
        }
        for point in points.values():
            _writable(point)
            if point.mode != BridgePoint.Mode.HEADCOUNT:
                raise Conflict(
                    _("Attendance at this site is taken per person."), code="per_person_site", extra={"id": point.pk}
                )
        AttendanceCount.objects.filter(point_id__in=ids).delete()
        new_counts: list[AttendanceCount] = []
        for stale, counts in rows:
            point = points[stale.pk]
            point.members_summoned = counts.members_summoned
            point.members_exempt = counts.members_exempt
            point.summoned = counts.summoned
            point.absent_excused = counts.absent_excused
            point.absent_unexcused = counts.absent_unexcused
            mine = {
                category: AttendanceCount(
                    point=point, category=category, present=number, late=counts.late.get(category, 0)
                )
                for category, number in counts.present.items()
                if number
            }
            new_counts.extend(mine.values())
            _apply_totals(point, mine)
        AttendanceCount.objects.bulk_create(new_counts, batch_size=5000)
        fields = [
            "members_summoned",
            "members_exempt",
            "summoned",
            "absent_excused",
            "absent_unexcused",
            "present",
            "late",
            "members_present",
            "members_expected",
            "rated_members_present",
            "rated_present",
            "attendance_recorded_at",
        ]
        _save_totals(list(points.values()), fields)
        units = Unit.objects.in_bulk({p.unit_id for p in points.values()})
        audit_record_many(
            action="lantoa.meetings.attendance.recorded",
            by=by,
            targets=[(p, units[p.unit_id]) for p in points.values()],
            changed=["present", "members_summoned", "summoned"],
        )
    return len(points)


def _save_totals(points: Sequence[BridgePoint], fields: Sequence[str]) -> None:
    """Write these fields of many sites, one parameterised UPDATE each, sent together (the ORM's
    bulk_update builds a CASE per field and row, which grows with the square of the batch)."""
    table = BridgePoint._meta.db_table
    columns = [cast(Field, BridgePoint._meta.get_field(name)) for name in fields]  # type: ignore[type-arg]
    assignments = ", ".join(f"{connection.ops.quote_name(c.column or c.name)} = %s" for c in columns)
    rows = [
        [c.get_db_prep_save(getattr(point, c.attname), connection) for c in columns] + [point.pk] for point in points
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {connection.ops.quote_name(table)} SET {assignments} WHERE id = %s", rows)  # noqa: S608


# --- Per person --------------------------------------------------------------------------------


def _person_category(person: Any) -> str:
    return Category.PARTY_MEMBERS if getattr(person, "is_party_member", None) else Category.CADRES


@transaction.atomic
def participants_register(
    *, by: Any, point: BridgePoint, people: Iterable[tuple[Any, str]] = (), names: Iterable[tuple[str, str]] = ()
) -> int:
    """Register who is summoned to a per-person site: persons (with their category) or names.
    A person already registered is skipped. Returns how many were added."""
    point = BridgePoint.objects.select_for_update().select_related("conference").get(pk=point.pk)
    _writable(point)
    if point.mode != BridgePoint.Mode.PER_PERSON:
        raise Conflict(_("Attendance at this site is a headcount."), code="headcount_site")
    taken = set(point.participants.exclude(person=None).values_list("person_id", flat=True))
    rows: list[Participant] = []
    for person, category in people:
        if person.pk not in taken:
            taken.add(person.pk)
            rows.append(Participant(point=point, person=person, category=_category(category)))
    for name, category in names:
        clean = _clean(name, 200)
        if clean:
            rows.append(Participant(point=point, name=clean, category=_category(category)))
    Participant.objects.bulk_create(rows)
    if rows:
        audit_record(
            action="lantoa.meetings.participants.registered",
            by=by,
            target=point,
            unit=point.unit,
            changed=["participants"],
        )
    return len(rows)


def _category(category: str) -> str:
    if category not in Category.values:
        raise ValidationFailed(
            _("Unknown category: %(category)s.") % {"category": category}, extra={"field": "category"}
        )
    return category


@dataclass
class CheckIn:
    code: str  # the site's check-in code, as typed or scanned
    client_key: str  # generated with the phone's form: the same scan sent twice counts once
    name: str = ""
    category: str = Category.PARTY_MEMBERS
    method: str = Participant.Method.CODE


@dataclass
class CheckInResult:
    participant: Participant
    created: bool  # False: this check-in had already been counted
    point: BridgePoint  # the site, with its conference and unit


def point_for_code(code: str) -> BridgePoint | None:
    """The site with this check-in code (with its conference and unit), from the shared cache
    when it can (:mod:`lantoa.meetings.public_cache`)."""
    code = normal_code(code)
    if not code or len(code) > CODE_LENGTH * 2:
        return None
    return public_cache.cached_point(code, _load_point)


def _load_point(code: str) -> BridgePoint | None:
    return BridgePoint.objects.select_related("conference", "unit").filter(code=code).first()


def check_in(
    *, by: Any, data: CheckIn, now: dt.datetime | None = None, site: BridgePoint | None = None
) -> CheckInResult:
    """Check in at a site from a phone (scanned QR code or typed short code).

    Counted once per form key, and once per signed-in user: a second scan answers with the
    first check-in. A signed-in user linked to a person registered at the site checks in as that
    person. Check-in opens an hour before the start and closes at the end of the day of the
    end; after the start plus 15 minutes it is marked late.

    Everything is read and prepared before the write transaction opens (on SQLite it holds the
    one write lock): an arrival's transaction is its row's INSERT and the site's two counter
    UPDATEs, written beforehand. An anonymous phone's key is checked by its unique constraint
    (the INSERT fails for a key already used: the earlier check-in answers), which also settles
    two copies of the same form arriving at once. ``site``: the site of ``data.code`` when the
    caller has already resolved it.
    """
    now = now or timezone.now()
    if site is None or site.code != normal_code(data.code):
        site = point_for_code(data.code)
    if site is None:
        raise ValidationFailed(_("No site has this check-in code."), extra={"field": "code"})
    conference = site.conference
    check_in_open(conference, now)
    if site.mode != BridgePoint.Mode.PER_PERSON:
        raise Conflict(
            _("This site counts its attendance by headcount; check-in is not used here."), code="headcount_site"
        )
    key = _clean(data.client_key, 64)
    user = actor_or_none(by)
    if not key and user is None:
        raise ValidationFailed(
            _("The form is incomplete; open the check-in page again."), extra={"field": "client_key"}
        )
    person = getattr(user, "person", None) if user is not None else None
    earlier = _earlier_check_in(site, key, user) if user is not None else None
    if earlier is not None:
        return CheckInResult(earlier, created=False, point=site)
    name = _clean(data.name, 200)
    if person is None and not name and conference.is_mandatory:
        raise ValidationFailed(_("Write your full name."), extra={"field": "name"})
    late = now > conference.starts_at + dt.timedelta(minutes=15)
    registered = site.participants.filter(person=person).first() if person is not None else None
    if registered is not None and registered.status == Participant.Status.PRESENT:
        return CheckInResult(registered, created=False, point=site)
    participant = registered or Participant(
        point=site,
        person=person,
        name="" if person is not None else name,
        category=_person_category(person) if person is not None else _category(data.category),
    )
    participant.status = Participant.Status.PRESENT
    participant.is_late = late
    participant.absence_reason = ""
    participant.checked_in_at = now
    participant.method = data.method if data.method in Participant.Method.values else Participant.Method.CODE
    participant.client_key = key
    participant.user = user
    try:
        if registered is None:
            _arrive(site, participant, late=late, now=now)
        else:
            _arrive_registered(site, participant, was_absent=registered.status == Participant.Status.ABSENT, now=now)
    except IntegrityError:
        # The same form arrived twice at once: the other request counted it.
        again = _earlier_check_in(site, key, user)
        if again is None:
            raise
        return CheckInResult(again, created=False, point=site)
    return CheckInResult(participant, created=True, point=site)


def _arrive(point: BridgePoint, participant: Participant, *, late: bool, now: dt.datetime) -> None:
    """A new participant: the row and the counters, nothing else inside the transaction."""
    statements = _arrival_statements(point, participant.category, late=late, now=now)
    with transaction.atomic():
        participant.save(force_insert=True)
        _count_arrival(point, participant.category, late=late, statements=statements)


def _arrive_registered(point: BridgePoint, participant: Participant, *, was_absent: bool, now: dt.datetime) -> None:
    """A person registered at the site (the roster) arrives: rarer; the site is locked so the
    roster's totals stay whole."""
    statements = _arrival_statements(point, participant.category, late=participant.is_late, now=now)
    with transaction.atomic():
        locked = BridgePoint.objects.select_for_update().get(pk=point.pk)
        participant.save()
        if was_absent:
            _refresh_point(locked)
        else:
            _count_arrival(locked, participant.category, late=participant.is_late, statements=statements)


@functools.cache
def _arrival_sql(vendor: str) -> tuple[str, str]:
    """The two UPDATEs of an arrival, written once per process from the models' own table and
    column names: compiling them through the ORM cost more than the rest of a check-in."""
    quote = connection.ops.quote_name

    def column(model: Any, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    count_table, point_table = quote(AttendanceCount._meta.db_table), quote(BridgePoint._meta.db_table)
    c_present, c_late = column(AttendanceCount, "present"), column(AttendanceCount, "late")
    # Only quoted table and column names from the models go into the text; values are parameters.
    arrived = (
        f"UPDATE {count_table} SET {c_present} = {c_present} + 1, {c_late} = {c_late} + %s "  # noqa: S608
        f"WHERE {column(AttendanceCount, 'point')} = %s AND {column(AttendanceCount, 'category')} = %s"
    )
    present, late, members = (column(BridgePoint, name) for name in ("present", "late", "members_present"))
    rated, rated_members = column(BridgePoint, "rated_present"), column(BridgePoint, "rated_members_present")
    summoned, expected = column(BridgePoint, "summoned"), column(BridgePoint, "members_expected")
    totals = (
        f"UPDATE {point_table} SET {present} = {present} + 1, {late} = {late} + %s, "  # noqa: S608
        f"{members} = {members} + %s, "
        f"{rated} = CASE WHEN {summoned} > 0 THEN {rated} + 1 ELSE {rated} END, "
        f"{rated_members} = CASE WHEN {expected} > 0 THEN {rated_members} + %s ELSE {rated_members} END, "
        f"{column(BridgePoint, 'attendance_recorded_at')} = %s "
        f"WHERE {column(BridgePoint, 'id')} = %s"
    )
    return arrived, totals


Statements = tuple[tuple[str, Sequence[Any]], tuple[str, Sequence[Any]]]


def _arrival_statements(point: BridgePoint, category: str, *, late: bool, now: dt.datetime) -> Statements:
    """The UPDATEs of :func:`_count_arrival` with their values, ready before the write begins."""
    arrived_sql, totals_sql = _arrival_sql(connection.vendor)
    member = int(category == Category.PARTY_MEMBERS)
    recorded_at = connection.ops.adapt_datetimefield_value(now)
    return (
        (arrived_sql, [int(late), point.pk, category]),
        (totals_sql, [int(late), member, member, recorded_at, point.pk]),
    )


def _count_arrival(point: BridgePoint, category: str, *, late: bool, statements: Statements) -> None:
    """One more person present at a per-person site: the totals :func:`_refresh_point` would
    recompute, as increments — check-in is the busiest write when a conference starts."""
    (arrived_sql, arrived_params), (totals_sql, totals_params) = statements
    with connection.cursor() as cursor:
        cursor.execute(arrived_sql, arrived_params)
        if not cursor.rowcount:  # the first arrival of this category at the site
            AttendanceCount.objects.create(point_id=point.pk, category=category, present=1, late=int(late))
        cursor.execute(totals_sql, totals_params)


def _earlier_check_in(point: BridgePoint, key: str, user: Any) -> Participant | None:
    earlier = Q(client_key=key) if key else Q(pk__in=[])
    if user is not None:
        earlier |= Q(user=user)
    return point.participants.filter(earlier).first()


def check_in_open(conference: Conference, now: dt.datetime) -> None:
    """Raise Conflict when check-in is not open for the conference at ``now``."""
    if conference.status == Conference.Status.CANCELLED:
        raise Conflict(_("The conference was cancelled."), code="conference_cancelled")
    opens = conference.starts_at - dt.timedelta(hours=1)
    closes = timezone.localtime(conference.ends_at).replace(hour=23, minute=59, second=59)
    if now < opens:
        raise Conflict(_("Check-in opens an hour before the conference starts."), code="check_in_not_open")
    if now > closes:
        raise Conflict(_("Check-in has closed for this conference."), code="check_in_closed")


@dataclass
class RosterMark:
    participant_id: int
    status: str  # present, absent or registered (undo)
    is_late: bool = False
    absence_reason: str = ""


@transaction.atomic
def roster_mark(*, by: Any, point: BridgePoint, marks: Sequence[RosterMark]) -> BridgePoint:
    """An officer ticks the roster: present (late or not) or absent with a reason. Names of the
    absent are kept only for conferences mandatory for cadres; otherwise absence is a count
    (the headcount form)."""
    point = BridgePoint.objects.select_for_update().select_related("conference", "unit").get(pk=point.pk)
    _writable(point)
    if point.mode != BridgePoint.Mode.PER_PERSON:
        raise Conflict(_("Attendance at this site is a headcount."), code="headcount_site")
    participants = {p.pk: p for p in point.participants.filter(pk__in=[m.participant_id for m in marks])}
    now = timezone.now()
    for mark in marks:
        participant = participants.get(mark.participant_id)
        if participant is None:
            raise ValidationFailed(_("This person is not on the site's roster."), extra={"field": "participant"})
        if mark.status not in Participant.Status.values:
            raise ValidationFailed(_("Choose present or absent."), extra={"field": "status"})
        if mark.status == Participant.Status.ABSENT and not point.conference.is_mandatory:
            raise ValidationFailed(
                _("Absent persons are listed only for conferences mandatory for cadres; enter the number instead."),
                code="absent_list_not_kept",
                extra={"field": "status"},
            )
        participant.status = mark.status
        participant.is_late = mark.is_late and mark.status == Participant.Status.PRESENT
        participant.absence_reason = (
            _clean(mark.absence_reason, 255) if mark.status == Participant.Status.ABSENT else ""
        )
        if mark.status == Participant.Status.PRESENT and participant.checked_in_at is None:
            participant.checked_in_at = now
            participant.method = Participant.Method.ROSTER
        if mark.status != Participant.Status.PRESENT:
            participant.checked_in_at = None
            participant.method = ""
    Participant.objects.bulk_update(
        list(participants.values()), ["status", "is_late", "absence_reason", "checked_in_at", "method"]
    )
    _refresh_point(point)
    audit_record(action="lantoa.meetings.roster.marked", by=by, target=point, unit=point.unit, changed=["participants"])
    return point


# --- Study reflections -------------------------------------------------------------------------


@dataclass
class ReflectionCounts:
    unit: Unit
    recorded_on: dt.date
    conference: Conference | None = None
    document: Any = None
    required: int = 0
    exempt: int = 0
    submitted: int = 0
    graded: int = 0
    makeup_sessions: int = 0


def reflections_validate(data: ReflectionCounts) -> None:
    if data.conference is None and data.document is None:
        raise ValidationFailed(_("Choose the conference or the document studied."), extra={"field": "conference"})
    for name in ("required", "exempt", "submitted", "graded", "makeup_sessions"):
        _whole(getattr(data, name), name)
    if data.exempt > data.required:
        raise ValidationFailed(_("More exempt than required."), extra={"field": "exempt"})
    if data.submitted > data.required - data.exempt:
        raise ValidationFailed(_("More submitted than required (less the exempt)."), extra={"field": "submitted"})
    if data.graded > data.submitted:
        raise ValidationFailed(_("More graded than submitted."), extra={"field": "graded"})


@transaction.atomic
def reflections_record(*, by: Any, data: ReflectionCounts) -> StudyReflectionTally:
    """Record (or correct) a party cell's study reflection counts for a conference or a
    document. Only numbers: nobody's text is stored or read here."""
    reflections_validate(data)
    subject = (
        {"conference": data.conference}
        if data.conference is not None
        else {
            "conference": None,
            "document": data.document,
        }
    )
    tally = StudyReflectionTally.objects.select_for_update().filter(unit=data.unit, **subject).first()
    values = {
        "recorded_on": data.recorded_on,
        "document": data.document,
        "required": data.required,
        "exempt": data.exempt,
        "submitted": data.submitted,
        "graded": data.graded,
        "makeup_sessions": data.makeup_sessions,
    }
    if tally is None:
        tally = StudyReflectionTally.objects.create(
            unit=data.unit, conference=data.conference, recorded_by=actor_or_none(by), **values
        )
        changed = list(values)
    else:
        changed = [name for name, value in values.items() if getattr(tally, name) != value]
        for name, value in values.items():
            setattr(tally, name, value)
        tally.recorded_by = actor_or_none(by)
        tally.save()
    audit_record(action="lantoa.meetings.reflections.recorded", by=by, target=tally, unit=data.unit, changed=changed)
    return tally


# --- Series ------------------------------------------------------------------------------------


@dataclass
class SeriesData:
    title: str
    kind: ConferenceKind
    organiser: Unit
    level: str
    recurrence: str
    starts_at_time: dt.time
    day_of_month: int = 1
    duration_minutes: int = 180
    format: str = Format.HYBRID
    is_mandatory: bool = False
    notes: str = ""


def series_validate(data: SeriesData) -> None:
    if not _clean(data.title, 255):
        raise ValidationFailed(_("Give the series a title."), extra={"field": "title"})
    if data.recurrence not in Recurrence.values:
        raise ValidationFailed(_("Choose how often it recurs."), extra={"field": "recurrence"})
    if not 1 <= data.day_of_month <= 28:
        raise ValidationFailed(_("Choose a day between 1 and 28."), extra={"field": "day_of_month"})
    if not 15 <= data.duration_minutes <= 24 * 60:
        raise ValidationFailed(
            _("A conference lasts between 15 minutes and a day."), extra={"field": "duration_minutes"}
        )
    if data.level not in Level.values or data.format not in Format.values:
        raise ValidationFailed(_("Choose a level and a format."), extra={"field": "level"})


@transaction.atomic
def series_create(*, by: Any, data: SeriesData, sites: Sequence[SiteData] = ()) -> ConferenceSeries:
    """A recurring conference and the sites every one of its conferences is planned with."""
    series_validate(data)
    sites = list(sites) or [SiteData(unit=data.organiser, is_host=True)]
    if not any(site.is_host for site in sites):
        sites[0].is_host = True
    _sites_validate(data.format, sites, timezone.localdate())
    series = ConferenceSeries.objects.create(
        title=_clean(data.title, 255),
        kind=data.kind,
        organiser=data.organiser,
        level=data.level,
        format=data.format,
        recurrence=data.recurrence,
        day_of_month=data.day_of_month,
        starts_at_time=data.starts_at_time,
        duration_minutes=data.duration_minutes,
        is_mandatory=data.is_mandatory,
        notes=clean_text(data.notes, multiline=True),
        created_by=actor_or_none(by),
    )
    SeriesSite.objects.bulk_create(
        [
            SeriesSite(
                series=series,
                unit=site.unit,
                is_host=site.is_host,
                location=_clean(site.location, 255),
                contact_name=_clean(site.contact_name, 120),
                contact_phone=_clean_phone(site.contact_phone),
            )
            for site in sites
        ]
    )
    audit_record(
        action="lantoa.meetings.series.created", by=by, target=series, unit=series.organiser, changed=["title"]
    )
    return series


def _add_months(day: dt.date, months: int, day_of_month: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day_of_month, calendar.monthrange(year, month)[1]))


def _working_day(day: dt.date) -> dt.date:
    """Offices meet on working days: a Saturday or Sunday moves to the Monday after."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def series_next_date(series: ConferenceSeries, *, after: dt.date | None = None) -> dt.date:
    """The date of the next conference: the series' day of the month, a step (a month or a
    quarter) after the latest one (or from ``after``), moved off a weekend to the Monday."""
    latest = series.conferences.exclude(status=Conference.Status.CANCELLED).order_by("-held_on").first()
    step = 1 if series.recurrence == Recurrence.MONTHLY else 3
    if latest is not None:
        return _working_day(_add_months(latest.held_on, step, series.day_of_month))
    start = after or timezone.localdate()
    candidate = _add_months(start, 0, series.day_of_month)
    return _working_day(candidate if candidate >= start else _add_months(start, 1, series.day_of_month))


def series_plan_next(*, by: Any, series: ConferenceSeries, on: dt.date | None = None) -> Created[Conference]:
    """One click: the next conference of the series, with the series' sites, on the next date
    (``created`` False: the series already had its conference that day)."""
    day = on or series_next_date(series)
    starts = timezone.make_aware(dt.datetime.combine(day, series.starts_at_time))
    data = ConferenceData(
        title=f"{series.title} — {day:%m/%Y}",
        kind=series.kind,
        organiser=series.organiser,
        level=series.level,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=series.duration_minutes),
        format=series.format,
        is_mandatory=series.is_mandatory,
        series=series,
        client_key=f"series-{series.pk}-{day.isoformat()}",
    )
    sites = [
        SiteData(
            unit=site.unit,
            is_host=site.is_host,
            location=site.location,
            contact_name=site.contact_name,
            contact_phone=site.contact_phone,
        )
        for site in series.sites.select_related("unit__kind__tier")
        if not (site.unit.closed_on and site.unit.closed_on <= day)
    ]
    return conference_create(by=by, data=data, sites=sites)
