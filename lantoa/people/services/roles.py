"""Network roles: held in a unit from a day, ended — never deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.org.models import Unit
from lantoa.people.models import NetworkRoleKind, Person, RoleAssignment
from lantoa.people.services.common import check_unit_open, clean_decision_ref


def _check_dates(valid_from: dt.date, valid_to: dt.date | None, field: str = "valid_to") -> None:
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationFailed(_("The end date must come after the start date."), extra={"field": field})


@transaction.atomic
def role_assign(
    *,
    by: Any,
    person: Person,
    role: NetworkRoleKind,
    unit: Unit,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    decision_ref: str = "",
) -> RoleAssignment:
    """Record that ``person`` holds ``role`` in ``unit`` from ``valid_from``."""
    _check_dates(valid_from, valid_to)
    check_unit_open(unit, valid_from)
    if person.anonymised_at is not None:
        raise Conflict(_("This person has been anonymised; no new role can be recorded."))
    overlapping = RoleAssignment.objects.filter(person=person, role=role, unit=unit).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=valid_from)
    )
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lt=valid_to)
    if overlapping.exists():
        raise ValidationFailed(
            _("%(person)s already holds this role in this unit for part of that time.") % {"person": person.full_name},
            extra={"field": "role"},
        )
    assignment = RoleAssignment.objects.create(
        person=person,
        role=role,
        unit=unit,
        valid_from=valid_from,
        valid_to=valid_to,
        decision_ref=clean_decision_ref(decision_ref),
    )
    audit_record(
        action="lantoa.people.role.assigned",
        by=by,
        target=assignment,
        unit=unit,
        changed=["person", "role", "unit", "valid_from", "valid_to", "decision_ref"],
    )
    return assignment


@transaction.atomic
def role_end(*, by: Any, assignment: RoleAssignment, on: dt.date) -> RoleAssignment:
    """End a role on ``on`` (the first day no longer held). Roles are ended, never deleted."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if on <= assignment.valid_from:
        raise ValidationFailed(_("The end date must come after the start date."), extra={"field": "valid_to"})
    if assignment.valid_to is not None and assignment.valid_to <= on:
        raise ValidationFailed(_("This role had already ended by then."), extra={"field": "valid_to"})
    assignment.valid_to = on
    assignment.save(update_fields=["valid_to", "updated_at"])
    audit_record(
        action="lantoa.people.role.ended", by=by, target=assignment, unit=assignment.unit, changed=["valid_to"]
    )
    return assignment
