"""Conference figures of a unit and of each unit under it, over a period, through the indicator
registry — the same figures as ``/api/v1/indicators/values``."""

from __future__ import annotations

import datetime as dt
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
from lantoa.accounts.roles import Capability
from lantoa.core.charts import bar_chart
from lantoa.core.errors import NotFound
from lantoa.core.forms import Form
from lantoa.core.htmx import wants_fragment
from lantoa.meetings import selectors
from lantoa.meetings.models import Level
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import name_then

# The study of the XIII Congress resolution: from the Congress to the end of the study plans.
CONGRESS_XIII = (dt.date(2021, 3, 1), dt.date(2022, 7, 31))
STRUCTURES = [
    ("historical", gettext_lazy("As the tree stood then")),
    ("current", gettext_lazy("As the tree stands today")),
]
COLUMNS = [
    ("conferences_held", gettext_lazy("Conferences held")),
    ("online_bridge_points", gettext_lazy("Online bridge points")),
    ("conference_attendances", gettext_lazy("Attendances")),
    ("member_attendance_rate", gettext_lazy("Party member attendance rate")),
    ("summoned_attendance_rate", gettext_lazy("Attendance of those summoned")),
    ("study_reflections_submitted", gettext_lazy("Study reflections submitted")),
]
RATES = {"member_attendance_rate", "summoned_attendance_rate"}


class RollupForm(Form):
    unit = forms.CharField(label=gettext_lazy("Unit code"), max_length=40, required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    structure = forms.ChoiceField(label=gettext_lazy("Units"), choices=STRUCTURES, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end comes before the start."))
        return data


def _this_year() -> tuple[dt.date, dt.date]:
    year = timezone.localdate().year
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _presets(unit_code: str, structure: str) -> list[dict[str, Any]]:
    year = timezone.localdate().year
    periods = [
        (_("This year"), dt.date(year, 1, 1), dt.date(year, 12, 31)),
        (_("Last year"), dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)),
        (_("Study of the XIII Congress resolution (1/3/2021–31/7/2022)"), *CONGRESS_XIII),
    ]
    return [
        {
            "label": label,
            "start": start,
            "end": end,
            "url": reverse("meetings:rollup")
            + "?"
            + urlencode(
                {"unit": unit_code, "start": start.isoformat(), "end": end.isoformat(), "structure": structure}
            ),
        }
        for label, start, end in periods
    ]


def _cells(values: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"code": code, "label": label, "value": values.get(code), "rate": code in RATES} for code, label in COLUMNS]


@require_GET
def rollup(request: HttpRequest) -> HttpResponse:
    """One row per unit under the chosen one and a total; bridge points per level; a chart."""
    form = RollupForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    code = (values.get("unit") or "").strip()
    if not code:
        working = current_unit(request)
        if working is None:
            raise NotFound(_("You have no unit to show."))
        code = working.code
    unit = access_unit(by=request.user, code=code, capability=Capability.VIEW_AGGREGATES)
    default_start, default_end = _this_year()
    start = values.get("start") or default_start
    end = values.get("end") or default_end
    if end < start:
        start, end = default_start, default_end
    structure = values.get("structure") or "historical"
    result = selectors.conference_rollup(unit=unit, start=start, end=end, structure=structure)

    rows = [{"unit": row.unit, "name": name_then(row.unit), "cells": _cells(row.values)} for row in result.rows]
    chart = bar_chart(
        _("Attendances by unit (where people sat)"),
        [
            (name_then(source.unit), float(value), formats.number_format(value, force_grouping=True))
            for source in result.rows
            if (value := source.values.get("conference_attendances") or 0)
        ],
    )
    month_chart = bar_chart(
        _("Attendances by month"),
        [
            (formats.date_format(first, "YEAR_MONTH_FORMAT"), float(value or 0),
             formats.number_format(value or 0, force_grouping=True))
            for first, value in result.months
        ],
    )  # fmt: skip
    level_names = dict(Level.choices)
    levels = [
        {"label": level_names[code.removeprefix("bridge_points_")], "value": result.levels.get(code) or 0}
        for code in selectors.LEVEL_CODES
    ]
    context = {
        "form": form,
        "unit": unit,
        "result": result,
        "start": start,
        "end": end,
        "structure": structure,
        "columns": [label for _code, label in COLUMNS],
        "rows": rows,
        "total": _cells(result.total),
        "levels": levels,
        "chart": chart,
        "month_chart": month_chart,
        "presets": _presets(unit.code, structure),
        "api_url": "/api/v1/indicators/values?"
        + urlencode(
            {
                "unit": unit.code,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "structure": structure,
                "indicator": selectors.ROLLUP_CODES,
            },
            doseq=True,
        ),
    }
    template = "meetings/partials/_rollup_results.html" if wants_fragment(request) else "meetings/rollup.html"
    return render(request, template, context)


__all__ = ["rollup"]
