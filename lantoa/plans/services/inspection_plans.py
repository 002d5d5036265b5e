"""A unit's yearly plan of inspections and the inspections it foresees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.org.models import Unit
from lantoa.org.selectors import unit_is_within
from lantoa.plans.models import (
    PLAN_ITEMS_MAX,
    TITLE_MAX,
    InspectionKind,
    InspectionPlan,
    PlannedInspection,
)
from lantoa.plans.services._common import _text, party_number


@dataclass(frozen=True)
class PlannedData:
    unit: Unit
    topic: str
    month: int
    kind: str = "inspection"


def _item(plan: InspectionPlan, data: PlannedData, position: int) -> PlannedInspection:
    topic = _text(data.topic, field="topic", limit=TITLE_MAX)
    if data.kind not in InspectionKind.values:
        raise ValidationFailed(_("Unknown kind."), code="invalid_kind", extra={"field": "kind"})
    if not 1 <= data.month <= 12:
        raise ValidationFailed(_("Give a month from 1 to 12."), code="invalid_month", extra={"field": "month"})
    first_day = dt.date(plan.year, 1, 1)
    if data.unit.pk == plan.unit_id or not unit_is_within(data.unit.pk, [plan.unit_id], as_of=first_day):
        raise ValidationFailed(_("A plan inspects units beneath the planning unit."), code="unit_not_beneath",
                               extra={"field": "unit"})  # fmt: skip
    return PlannedInspection(
        plan=plan, position=position, unit=data.unit, kind=data.kind, topic=topic, month=data.month
    )


@transaction.atomic
def inspection_plan_create(
    *, by: Any, unit: Unit, year: int, title: str, decision_number: str, decided_on: dt.date,
    items: tuple[PlannedData, ...] = (),
) -> InspectionPlan:  # fmt: skip
    """The unit's plan for ``year`` (one a year), with the inspections it foresees."""
    title = _text(title, field="title", limit=TITLE_MAX)
    number = party_number(decision_number)
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Give a year from 2000 to 2100."), code="invalid_year", extra={"field": "year"})
    if decided_on.year not in (year - 1, year):
        raise ValidationFailed(_("A plan is issued in its year or the year before."), code="decided_out_of_year",
                               extra={"field": "decided_on"})  # fmt: skip
    if len(items) > PLAN_ITEMS_MAX:
        raise ValidationFailed(_("A plan foresees at most %(limit)d inspections.") % {"limit": PLAN_ITEMS_MAX},
                               code="too_many_items", extra={"field": "items"})  # fmt: skip
    if InspectionPlan.objects.filter(unit=unit, year=year).exists():
        raise Conflict(_("This unit has its plan for that year already."), code="plan_exists",
                       extra={"field": "year"})  # fmt: skip
    try:
        with transaction.atomic():
            plan = InspectionPlan.objects.create(unit=unit, year=year, title=title, decision_number=number,
                                                 decided_on=decided_on, created_by=actor_or_none(by))  # fmt: skip
    except IntegrityError as error:
        raise Conflict(_("This unit has its plan for that year already."), code="plan_exists",
                       extra={"field": "year"}) from error  # fmt: skip
    PlannedInspection.objects.bulk_create([_item(plan, data, n) for n, data in enumerate(items, start=1)])
    audit_record(action="lantoa.plans.inspection_plan.created", by=by, target=plan, unit=unit,
                 changed=["title", "decision_number", "decided_on", "items"])  # fmt: skip
    return plan


@transaction.atomic
def planned_inspection_add(*, by: Any, plan: InspectionPlan, data: PlannedData) -> PlannedInspection:
    """One more inspection the plan foresees, numbered after the others."""
    InspectionPlan.objects.select_for_update().filter(pk=plan.pk).first()
    last = plan.items.aggregate(last=Max("position"))
    if plan.items.count() >= PLAN_ITEMS_MAX:
        raise ValidationFailed(_("A plan foresees at most %(limit)d inspections.") % {"limit": PLAN_ITEMS_MAX},
                               code="too_many_items", extra={"field": "items"})  # fmt: skip
    item = _item(plan, data, (last["last"] or 0) + 1)
    item.save()
    audit_record(action="lantoa.plans.inspection_plan.item_added", by=by, target=plan, unit=plan.unit,
                 changed=["items"])  # fmt: skip
    return item
