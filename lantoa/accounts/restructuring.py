"""How assignments follow a unit that closes in a restructuring event.

An assignment on a closing unit ends on the event's date; when the unit has a successor, the
same person gets the same role on the successor from that date. Both steps are audited by the
assignment services, and the event's preview lists them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from lantoa.accounts.models import Assignment
from lantoa.accounts.services import assignment_create, assignment_end
from lantoa.org.models import Unit
from lantoa.org.restructuring import PointerChange


def assignments_follow_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[PointerChange]:
    """End the current assignments on the closing units; recreate them on the successors."""
    successors = {unit.pk: successor for unit, successor in closing}
    current = Assignment.objects.filter(unit_id__in=list(successors), valid_from__lt=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    changes = []
    for assignment in current.select_related("user", "unit").order_by("unit__code", "pk"):
        successor = successors[assignment.unit_id]
        # The event was authorised as a whole; its consequences run as the system.
        assignment_end(by=None, assignment=assignment, on=day)
        if successor is not None:
            assignment_create(
                by=None,
                user=assignment.user,
                unit=successor,
                role=assignment.role,
                valid_from=day,
                valid_to=assignment.valid_to,
            )
        label = _("%(user)s, %(role)s") % {"user": assignment.user, "role": assignment.get_role_display()}
        changes.append(
            PointerChange(
                what="assignment",
                label=label,
                from_unit=assignment.unit.code,
                to_unit=successor.code if successor else None,
            )
        )
    return changes
