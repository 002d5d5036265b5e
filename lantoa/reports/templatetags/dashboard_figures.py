"""A dashboard figure as the page shows it: "—" with the reason for no data (never 0), a rate
with one decimal, a count grouped by thousands in the active language.

Filters rather than included templates: the children's table has a cell per unit and indicator
(over a thousand on a province), and an include per cell cost a third of the page."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lantoa.reports.selectors import Figure

register = template.Library()


def _no_data(reason: str) -> SafeString:
    return format_html('<span class="text-body-secondary" title="{}">—</span>', reason)


@register.filter
def figure_value(figure: Figure) -> SafeString:
    if figure.value is None:
        return _no_data(_("No data: nothing was recorded or reported for this period"))
    if figure.rate:
        return format_html("{} %", floatformat(figure.value, 1))
    return format_html("{}", intcomma(figure.value))


@register.filter
def figure_change(figure: Figure) -> SafeString:
    change = figure.change
    if change is None:
        return _no_data(_("No change can be given without data for both periods"))
    sign = "+" if change > 0 else ""
    if figure.rate:
        return format_html('<span title="{}">{}{}</span>', _("Percentage points"), sign, floatformat(change, 1))
    return format_html("{}{}", sign, intcomma(change))
