"""What follows a closing unit to its successor (restructuring pointer handlers): the unit's
programmes, and its open work — tasks it owns, follow-ups it must carry out, recommendations it
must answer. Closed work stays with the closed unit, as history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantoa.core.audit import audit_record
from lantoa.org.models import Unit
from lantoa.plans.models import (
    OPEN_STATUSES,
    ActionProgramme,
    FollowUp,
    ProgrammeTask,
    ProgrammeTransfer,
    Recommendation,
)


def programmes_follow_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[Any]:
    """The restructuring handler: a closing unit's programmes continue at its successor (their
    issuing unit stays as it was, and a transfer row keeps the history). Without a successor
    they stay with the closed unit, as history."""
    from lantoa.org.restructuring import PointerChange

    changes: list[Any] = []
    successors = {unit.pk: (unit, successor) for unit, successor in closing if successor is not None}
    if not successors:
        return changes
    moving = list(ActionProgramme.objects.filter(unit_id__in=list(successors)).order_by("pk"))
    for programme in moving:
        unit, successor = successors[programme.unit_id]
        assert successor is not None
        ProgrammeTransfer.objects.create(programme=programme, from_unit=unit, to_unit=successor, effective_on=day)
        changes.append(
            PointerChange(
                what="action_programme",
                label=f"{programme.decision_number} — {programme.title}"[:200],
                from_unit=unit.code,
                to_unit=successor.code,
            )
        )
        audit_record(action="lantoa.plans.programme.transferred", by=by, target=programme, unit=successor,
                     changed=["unit"])  # fmt: skip
    for unit_id, (_unit, successor) in successors.items():
        ActionProgramme.objects.filter(unit_id=unit_id).update(unit=successor)
    return changes


def open_work_follows_successor(closing: list[tuple[Unit, Unit | None]], day: dt.date, by: Any) -> list[Any]:
    """Open tasks owned by a closing unit, its open follow-ups and the open recommendations
    addressed to it move to its successor (one update each)."""
    from lantoa.org.restructuring import PointerChange

    changes: list[Any] = []
    for unit, successor in closing:
        if successor is None:
            continue
        moved = (
            ("programme_task", ProgrammeTask.objects.filter(owner_unit=unit, percent_done__lt=100), "owner_unit"),
            ("follow_up", FollowUp.objects.filter(owner_unit=unit, closed_on__isnull=True), "owner_unit"),
            (
                "recommendation",
                Recommendation.objects.filter(addressee_unit=unit, status__in=OPEN_STATUSES),
                "addressee_unit",
            ),
        )
        for what, rows, field in moved:
            count = rows.update(**{field: successor})
            if count:
                changes.append(PointerChange(what=what, label=str(count), from_unit=unit.code, to_unit=successor.code))
                audit_record(action="lantoa.plans.work.transferred", by=by, target=successor, unit=successor,
                             changed=[field])  # fmt: skip
    return changes
