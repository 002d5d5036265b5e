"""Writing periods and reported figures."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.indicators import get_indicator
from lantoa.core.models import DataValue, Period


def period_bounds(kind: str, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
    """First and last day of month ``number`` / quarter / half-year of ``year``."""
    months = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
    if kind not in months:
        raise ValidationFailed(_("Unknown period kind %(kind)s.") % {"kind": kind}, extra={"field": "kind"})
    span = months[kind]
    count = 12 // span
    if not 1 <= number <= count:
        raise ValidationFailed(_("There is no such period in a year."), extra={"field": "number"})
    first_month = (number - 1) * span + 1
    last_month = first_month + span - 1
    return dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1])


def period_ensure(*, kind: str, start: dt.date, end: dt.date, cutoff: dt.date | None = None) -> Period:
    if end < start:
        raise ValidationFailed(_("A period must end on or after its start."), extra={"field": "end"})
    if kind not in Period.Kind.values:
        raise ValidationFailed(_("Unknown period kind %(kind)s.") % {"kind": kind}, extra={"field": "kind"})
    period, _created = Period.objects.get_or_create(kind=kind, start=start, end=end, defaults={"cutoff": cutoff})
    return period


@transaction.atomic
def data_value_record(*, by: Any, indicator: str, unit: Any, period: Period, value: Any, source: str = "") -> DataValue:
    """File a figure for ``unit`` and ``period``. A correction supersedes the previous figure,
    which stays in history; filing the same value again changes nothing (idempotent)."""
    definition = get_indicator(indicator)
    if definition is None or not definition.reported:
        raise ValidationFailed(
            _("%(code)s is not an indicator that units report.") % {"code": indicator}, extra={"field": "indicator"}
        )
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(_("%(value)s is not a number.") % {"value": value}, extra={"field": "value"}) from exc
    if not amount.is_finite() or amount < 0:
        raise ValidationFailed(_("A figure must be a number of zero or more."), extra={"field": "value"})
    if not unit.is_open_on(period.end):
        raise ValidationFailed(
            _("%(unit)s is not open at the end of this period.") % {"unit": unit.name}, extra={"field": "unit"}
        )
    current = (
        DataValue.objects.select_for_update()
        .filter(indicator=indicator, unit=unit, period=period, superseded_at__isnull=True)
        .first()
    )
    if current is not None and current.value == amount:
        return current
    if current is not None:
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    try:
        with transaction.atomic():
            row = DataValue.objects.create(
                indicator=indicator,
                unit=unit,
                period=period,
                value=amount,
                source=source[:255],
                created_by=by if getattr(by, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:
        raise Conflict(_("Someone else filed this figure at the same moment; reload and try again.")) from exc
    audit_record(
        action="lantoa.core.data_value.recorded" if current is None else "lantoa.core.data_value.corrected",
        by=by,
        target=row,
        unit=unit,
        changed=["value"],
    )
    return row
