"""Writing periods and reported figures."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lantoa.core.audit import audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.indicators import FIGURE_DECIMAL_PLACES, FIGURE_MAX, FIGURE_MIN, FIGURE_STEP, Indicator, get_indicator
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


def data_value_record(*, by: Any, indicator: str, unit: Any, period: Period, value: Any, source: str = "") -> DataValue:
    """File a figure for ``unit`` and ``period``. A correction supersedes the previous figure,
    which stays in history; filing the same value again changes nothing (idempotent).

    The figure is checked before any database work: a finite number, zero or more, at most the
    indicator's ``max_value`` (or the column's maximum) and with at most four decimal places."""
    definition = get_indicator(indicator)
    if definition is None or not definition.reported:
        raise ValidationFailed(
            _("%(code)s is not an indicator that units report.") % {"code": indicator}, extra={"field": "indicator"}
        )
    amount = _figure_checked(definition, value)
    if not unit.is_open_on(period.end):
        raise ValidationFailed(
            _("%(unit)s is not open at the end of this period.") % {"unit": unit.name}, extra={"field": "unit"}
        )
    return _data_value_save(by=by, indicator=indicator, unit=unit, period=period, amount=amount, source=source)


def _figure_checked(definition: Indicator, value: Any) -> Decimal:
    """``value`` as the Decimal to store, or a ValidationFailed naming the limit it passes."""
    try:
        # An int exactly, however long (str() refuses ints past 4300 digits); a float as written.
        amount = (
            Decimal(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) else Decimal(str(value))
        )
    except (InvalidOperation, ValueError) as exc:
        shown = str(value)
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        raise ValidationFailed(_("%(value)s is not a number.") % {"value": shown}, extra={"field": "value"}) from exc
    if not amount.is_finite():
        raise ValidationFailed(_("A figure must be a finite number."), extra={"field": "value"})
    if amount < FIGURE_MIN:
        raise ValidationFailed(_("A figure must be a number of zero or more."), extra={"field": "value"})
    bound = definition.max_value if definition.max_value is not None else FIGURE_MAX
    if amount > bound:
        raise ValidationFailed(
            _("A figure for %(indicator)s can be at most %(limit)s %(measure)s; check the figure.")
            % {
                "indicator": definition.name,
                "limit": number_format(bound, force_grouping=True),
                "measure": definition.measure_name,
            },
            extra={"field": "value"},
        )
    # Within the bound the figure has at most 18 digits, so quantising it is exact: a difference
    # means digits the column cannot keep (trailing zeros, as in 1.50000, are no such digits).
    if amount != amount.quantize(FIGURE_STEP):
        raise ValidationFailed(
            _("A figure can have at most %(places)s decimal places.") % {"places": FIGURE_DECIMAL_PLACES},
            extra={"field": "value"},
        )
    return abs(amount)  # -0 is stored and shown as 0


@transaction.atomic
def _data_value_save(*, by: Any, indicator: str, unit: Any, period: Period, amount: Decimal, source: str) -> DataValue:
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
