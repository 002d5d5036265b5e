"""A dashboard figure as the page shows it: "—" with the reason for no data (never 0), a rate
with one decimal, a count grouped by thousands in the active language (6.808.919 in Vietnamese,
6,808,919 in English).

Filters rather than included templates, and numbers written here rather than through
``intcomma``: the children's table has a cell per unit and indicator (over a thousand on a
province), and an include per cell, then a localised format per number, cost a third of the page."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import get_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lantoa.reports.selectors import Figure

register = template.Library()


class _Separators:
    """The active language's separators, read once per filter call."""

    def __init__(self) -> None:
        self.table = str.maketrans(
            {",": str(get_format("THOUSAND_SEPARATOR")), ".": str(get_format("DECIMAL_SEPARATOR"))}
        )

    def grouped(self, value: int | Decimal) -> str:
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        return f"{value:,}".translate(self.table)

    def one_decimal(self, value: int | Decimal, *, sign: bool = False) -> str:
        # Halves round up, as floatformat rounds them (a format string would round them to even).
        rounded = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return f"{rounded:{'+' if sign else ''}.1f}".translate(self.table)


def _no_data(reason: str) -> str:
    return f'<span class="text-body-secondary" title="{escape(reason)}">—</span>'


def _value(figure: Figure, numbers: _Separators, no_data: str) -> str:
    if figure.value is None:
        return no_data
    if figure.rate:
        return f"{numbers.one_decimal(figure.value)} %"
    return numbers.grouped(figure.value)


@register.filter
def figure_value(figure: Figure) -> SafeString:
    no_data = _no_data(_("No data: nothing was recorded or reported for this period"))
    return mark_safe(_value(figure, _Separators(), no_data))  # digits, separators and escaped text only


@register.filter
def figure_change(figure: Figure) -> SafeString:
    change = figure.change
    if change is None:
        return mark_safe(_no_data(_("No change can be given without data for both periods")))
    numbers = _Separators()
    if figure.rate:
        return format_html(
            '<span title="{}">{}</span>', _("Percentage points"), numbers.one_decimal(change, sign=change > 0)
        )
    return format_html("{}{}", "+" if change > 0 else "", numbers.grouped(change))


@register.filter
def figure_cells(cells: list[tuple[Any, Figure]]) -> SafeString:
    """A table row's cells, one per (column, figure)."""
    numbers = _Separators()
    no_data = _no_data(_("No data: nothing was recorded or reported for this period"))
    return mark_safe(  # escaped names and codes, digits and separators only
        "".join(
            f'<td class="text-end" data-label="{escape(column.name)}" data-code="{escape(column.code)}">'
            f"{_value(figure, numbers, no_data)}</td>"
            for column, figure in cells
        )
    )
