"""The unit's dashboard, served as the signed-in home page, and its children table as XLSX."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.api_input import FIRST_YEAR, LAST_YEAR
from lantoa.core.charts import StackedChart, bar_chart, stacked
from lantoa.core.errors import NotFound
from lantoa.core.forms import Form
from lantoa.core.htmx import wants_fragment
from lantoa.core.registry import my_work_items
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.reports import exports
from lantoa.reports.periods import default_period, presets
from lantoa.reports.selectors import Column, Dashboard, Figure, Period, unit_dashboard

CHART_LIMIT = 15  # bars per chart: the largest; the table lists every unit
STRUCTURE_CHOICES = [
    ("historical", gettext_lazy("As the tree stood then")),
    ("current", gettext_lazy("As the tree stands today")),
]


class DashboardForm(Form):
    unit = forms.CharField(label=gettext_lazy("Unit code"), max_length=40, required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    structure = forms.ChoiceField(label=gettext_lazy("Units"), choices=STRUCTURE_CHOICES, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        for name, day in (("start", start), ("end", end)):
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name, _("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
                )
        if start and end and end < start:
            self.add_error("end", _("The end comes before the start."))
        return data


def _choice(request: HttpRequest) -> tuple[DashboardForm, str, Period, str]:
    """The form, the unit code asked for ("" for the current unit), the period and the structure."""
    form = DashboardForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    period = default_period(timezone.localdate())
    if values.get("start") and values.get("end"):
        period = Period(values["start"], values["end"])
    structure = values.get("structure") or "historical"
    return form, (values.get("unit") or "").strip(), period, structure


def _unit(request: HttpRequest, code: str) -> Unit | None:
    """The unit asked for, through the gate (out of scope answers like missing); without a code,
    the current unit when the user may read its figures."""
    if code:
        return access_unit(by=request.user, code=code, capability=Capability.VIEW_AGGREGATES)
    working = current_unit(request)
    if working is not None and has_capability(request.user, Capability.VIEW_AGGREGATES, working):
        return working
    return None


def _query(code: str, period: Period, structure: str) -> str:
    return urlencode(
        {"unit": code, "start": period.start.isoformat(), "end": period.end.isoformat(), "structure": structure}
    )


def _shown(figure: Figure) -> str:
    if figure.value is None:
        return "—"
    if figure.rate:
        return formats.number_format(figure.value, decimal_pos=1) + " %"
    return formats.number_format(figure.value, force_grouping=True)


def _charts(board: Dashboard) -> list[tuple[Column, StackedChart, int]]:
    """One bar chart per indicator over the children that have data for it, the largest first
    (at most CHART_LIMIT, with the number of units that have data); none where every child has 0
    or no data: there is nothing to compare."""
    charts = []
    for column in board.columns:
        items = [
            (row.name, float(figure.value), _shown(figure))
            for row in board.children
            if (figure := row.figures[column.code]).value is not None
        ]
        if any(value for _label, value, _shown in items):
            items.sort(key=lambda item: -item[1])
            title = _("%(indicator)s by unit") % {"indicator": column.name}
            chart = bar_chart(title, items[:CHART_LIMIT], maximum=100 if column.rate else None)
            charts.append((column, stacked(chart), len(items)))
    return charts


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What waits for the user, then the unit's main indicators beside the previous period and
    its siblings, its children with a link to each one's dashboard, and a chart per indicator."""
    form, code, period, structure = _choice(request)
    unit = _unit(request, code)
    board = unit_dashboard(by=request.user, unit=unit, period=period, structure=structure) if unit else None
    context: dict[str, Any] = {
        "form": form,
        "board": board,
        "unit": unit,
        "period": period,
        "structure": structure,
        "work_items": my_work_items(request.user, current_unit(request)),
    }
    if board is not None and unit is not None:
        today = timezone.localdate()
        context |= {
            "charts": _charts(board),
            "keep": "&" + _query(unit.code, period, structure).split("&", 1)[1],
            "presets": [
                {"label": label, "url": reverse("reports:dashboard") + "?" + _query(unit.code, preset, structure)}
                for _key, label, preset in presets(today, unit)
            ],
            "export_url": reverse("reports:dashboard_export") + "?" + _query(unit.code, period, structure),
            "api_url": "/api/v1/reports/dashboard?" + _query(unit.code, period, structure),
        }
    template = "reports/partials/_dashboard.html" if wants_fragment(request) else "reports/dashboard.html"
    return render(request, template, context)


@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The children table of the dashboard (and the unit's total) as an XLSX workbook."""
    _form, code, period, structure = _choice(request)
    unit = _unit(request, code)
    if unit is None:
        raise NotFound(_("You have no unit to show."))
    board = unit_dashboard(by=request.user, unit=unit, period=period, structure=structure)
    response = HttpResponse(exports.dashboard_workbook(board), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(board)}"'
    return response
