"""Activities: the network's own records, kept once per form and withdrawn, never edited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record, audit_record_many
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.results import Created
from lantoa.core.text import clean_text
from lantoa.org.models import Unit
from lantoa.people.models import Activity, ActivityKind, NetworkGroup, Person
from lantoa.people.services.common import check_unit_open


@dataclass(frozen=True)
class ActivityData:
    unit: Unit
    held_on: dt.date
    kind: ActivityKind
    topic: str
    people_reached: int
    sessions: int = 1
    group: NetworkGroup | None = None
    person: Person | None = None
    is_summary: bool = False
    note: str = ""
    client_key: str = ""


MAX_PEOPLE_PER_SESSION = 5000  # a village meeting or a broadcast; a larger figure is a typo


def activity_validate(data: ActivityData) -> None:
    today = timezone.localdate()
    if data.held_on > today:
        raise ValidationFailed(_("An activity cannot be recorded before it happens."), extra={"field": "held_on"})
    check_unit_open(data.unit, data.held_on)
    if not clean_text(data.topic):
        raise ValidationFailed(_("Say what the activity was about."), extra={"field": "topic"})
    if data.sessions < 1:
        raise ValidationFailed(_("At least one session."), extra={"field": "sessions"})
    if data.people_reached < 0:
        raise ValidationFailed(_("The number of people cannot be negative."), extra={"field": "people_reached"})
    if data.people_reached > MAX_PEOPLE_PER_SESSION * data.sessions:
        raise ValidationFailed(
            _("%(count)s people in %(sessions)s session(s) is more than this form accepts; check the figure.")
            % {"count": data.people_reached, "sessions": data.sessions},
            extra={"field": "people_reached"},
        )
    if data.group is not None and data.group.unit_id != data.unit.pk:
        raise ValidationFailed(_("The team belongs to another unit."), extra={"field": "group"})
    if data.is_summary and data.group is None:
        raise ValidationFailed(_("A monthly summary is filed for a team."), extra={"field": "group"})


def activity_record(*, by: Any, data: ActivityData) -> Created[Activity]:
    """Record an activity. Sending the same ``client_key`` again returns the first record, with
    ``created`` False (a retry of the same form)."""
    key = data.client_key.strip()[:64] or None
    if key is not None:
        existing = Activity.objects.filter(client_key=key).first()
        if existing is not None:
            return Created(_same_sender(existing, by), created=False)
    activity_validate(data)
    try:
        with transaction.atomic():
            activity = Activity.objects.create(
                unit=data.unit,
                held_on=data.held_on,
                kind=data.kind,
                topic=clean_text(data.topic)[:255],
                sessions=data.sessions,
                people_reached=data.people_reached,
                group=data.group,
                person=data.person,
                is_summary=data.is_summary,
                note=clean_text(data.note, multiline=True)[:500],
                recorded_by=actor_or_none(by),
                client_key=key,
            )
    except IntegrityError:
        # The same form arrived twice at once: the other request stored it.
        return Created(_same_sender(Activity.objects.get(client_key=key), by), created=False)
    return Created(activity, created=True)


def _same_sender(existing: Activity, by: Any) -> Activity:
    """A key answers only its own sender's retries; someone else's key is an error, not a leak."""
    if existing.recorded_by_id != getattr(actor_or_none(by), "pk", None):
        raise Conflict(
            _("This form key has already been used for another record."),
            code="client_key_used",
            extra={"field": "client_key"},
        )
    return existing


@transaction.atomic
def activities_confirm(*, by: Any, activities: Iterable[Activity]) -> int:
    """Confirm submitted activities; returns how many changed."""
    ids = [a.pk for a in activities]
    pending = list(Activity.objects.filter(pk__in=ids, status=Activity.Status.SUBMITTED).select_related("unit", "kind"))
    Activity.objects.filter(pk__in=[a.pk for a in pending]).update(
        status=Activity.Status.CONFIRMED, confirmed_by=actor_or_none(by), confirmed_at=timezone.now()
    )
    audit_record_many(
        action="lantoa.people.activity.confirmed", by=by, targets=[(a, a.unit) for a in pending], changed=["status"]
    )
    return len(pending)


@transaction.atomic
def activity_withdraw(*, by: Any, activity: Activity, reason: str) -> Activity:
    """Take a wrong record out of the counts, with a reason. The record itself stays."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    reason = clean_text(reason)
    if not reason:
        raise ValidationFailed(_("Say why the record is withdrawn."), extra={"field": "reason"})
    if activity.status == Activity.Status.WITHDRAWN:
        return activity
    activity.status = Activity.Status.WITHDRAWN
    activity.withdrawn_reason = reason[:255]
    activity.save(update_fields=["status", "withdrawn_reason"])
    audit_record(
        action="lantoa.people.activity.withdrawn", by=by, target=activity, unit=activity.unit, changed=["status"]
    )
    return activity
