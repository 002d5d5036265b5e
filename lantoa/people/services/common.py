"""What the services' modules share: the dated-record checks, the group event, and how
roles continue in a successor unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none
from lantoa.core.errors import ValidationFailed
from lantoa.core.text import clean_text
from lantoa.org.models import Unit
from lantoa.people.models import GroupEvent, NetworkGroup, RoleAssignment

DECISION_LIMIT = RoleAssignment._meta.get_field("decision_ref").max_length or 120


def clean_decision_ref(text: str) -> str:
    ref = clean_text(text)
    if len(ref) > DECISION_LIMIT:
        raise ValidationFailed(
            _("The decision reference is longer than %(max)s characters.") % {"max": DECISION_LIMIT},
            extra={"field": "decision_ref"},
        )
    return ref


def open_on(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


def check_unit_open(unit: Unit, day: dt.date, field: str = "unit") -> None:
    if not unit.is_open_on(day):
        raise ValidationFailed(
            _("%(unit)s is not open on %(day)s.") % {"unit": unit.name, "day": date_format(day, "SHORT_DATE_FORMAT")},
            extra={"field": field},
        )


def group_event(
    group: NetworkGroup, kind: str, day: dt.date, by: Any, other: NetworkGroup | None = None, ref: str = ""
) -> GroupEvent:
    return GroupEvent(
        group=group, kind=kind, happened_on=day, other=other, decision_ref=ref, recorded_by=actor_or_none(by)
    )


def roles_continue(assignments: Any, successors: Mapping[int, Unit | None], day: dt.date) -> list[RoleAssignment]:
    """End the open ``assignments`` on ``day``; continue each on its unit's successor (if any)."""
    current = list(assignments.filter(valid_from__lt=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day)))
    if not current:
        return []
    now = timezone.now()
    RoleAssignment.objects.filter(pk__in=[a.pk for a in current]).update(valid_to=day, updated_at=now)
    continued = [
        RoleAssignment(
            person_id=a.person_id,
            role_id=a.role_id,
            unit=successors[a.unit_id],
            valid_from=day,
            valid_to=a.valid_to,
            decision_ref=a.decision_ref,
            continues=a,
        )
        for a in current
        if successors.get(a.unit_id) is not None
    ]
    RoleAssignment.objects.bulk_create(continued, batch_size=1000)
    return current
