"""Attendance taken per person: who is registered at a site, check-in from a phone (one row
each, the busiest write when a conference starts; the site's totals recounted from the rows a
few seconds later), and the roster an officer ticks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core import counters
from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.rows import insert_row
from lantoa.meetings import public_cache
from lantoa.meetings.models import BridgePoint, Category, Conference, Participant
from lantoa.meetings.services._common import CODE_LENGTH, _clean, _refresh_point, _writable, recount_sites


def normal_code(text: str) -> str:
    """What a user typed as a check-in code, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


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
    one write lock): an arrival's transaction is its row's INSERT alone; the site's totals are
    recounted from the rows at the next flush of the buffered counters (a few seconds). An
    anonymous phone's key is checked by its unique constraint (the INSERT fails for a key
    already used: the earlier check-in answers), which also settles two copies of the same form
    arriving at once. ``site``: the site of ``data.code`` when the
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
            _arrive(site, participant)
        else:
            _arrive_registered(site, participant)
    except IntegrityError:
        # The same form arrived twice at once: the other request counted it.
        again = _earlier_check_in(site, key, user)
        if again is None:
            raise
        return CheckInResult(again, created=False, point=site)
    return CheckInResult(participant, created=True, point=site)


def _arrive(point: BridgePoint, participant: Participant) -> None:
    """A new participant: its row is the whole write; the site's totals are recounted from the
    rows shortly after (:data:`_sites_to_recount`)."""
    with transaction.atomic():
        insert_row(participant)  # nothing listens to a participant's save
    _recount_later(point.pk)


def _arrive_registered(point: BridgePoint, participant: Participant) -> None:
    """A person registered at the site (the roster) arrives: rarer; the site is locked and
    recounted at once so the roster's totals stay whole."""
    with transaction.atomic():
        locked = BridgePoint.objects.select_for_update().get(pk=point.pk)
        participant.save()
        _refresh_point(locked)


# Sites with new check-ins, recounted from their rows at the next flush of the buffered
# counters (every LANTOA_COUNTER_FLUSH_SECONDS, and when the process stops): the site's totals
# are a few seconds behind its rows, never wrong once recounted, and a check-in holds the
# database's write lock only for its own INSERT. See docs/decisions/0040-buffered-counters.md.
def _recount_marked(batch: Mapping[Hashable, int]) -> None:
    recount_sites(int(point_id) for point_id in batch)  # type: ignore[call-overload]


_sites_to_recount = counters.counter("meetings.sites_to_recount", _recount_marked)


def _recount_later(point_id: int) -> None:
    _sites_to_recount.add(point_id)
    if transaction.get_connection().in_atomic_block:
        # A flush between now and the commit of the caller's transaction would not see the row:
        # ask again once it is committed.
        transaction.on_commit(lambda: _sites_to_recount.add(point_id))


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
