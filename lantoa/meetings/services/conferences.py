"""Conferences: planning one with its sites and presenters, changing it, marking it held,
cancelling it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.results import Created
from lantoa.core.text import clean_text, fold
from lantoa.meetings.models import (
    RELAYED_FORMATS,
    Category,
    Conference,
    ConferenceKind,
    ConferencePresenter,
    ConferenceSeries,
    Format,
    Level,
)
from lantoa.meetings.services._common import SiteData, _changeable, _clean, _new_points, _sites_validate
from lantoa.org.models import Unit


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
    if "held_on" in changed or "format" in changed:
        conference.points.update(held_on=conference.held_on, conference_online=conference.format in RELAYED_FORMATS)
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
        conference.points.update(conference_held=True)
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
