"""Study reflections: a party cell's counts for a conference or a document (numbers only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import ValidationFailed
from lantoa.meetings.models import Conference, StudyReflectionTally
from lantoa.meetings.services._common import _whole
from lantoa.org.models import Unit


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
