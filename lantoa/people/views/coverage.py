"""Coverage: villages with an outreach team and communes with a board, for a unit's subtree."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lantoa.accounts.roles import Capability
from lantoa.core.charts import bar_chart
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import name_then, today
from lantoa.people import selectors
from lantoa.people.forms import CoverageForm
from lantoa.people.views.common import unit_tabs


def coverage_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(by=request.user, code=code, capability=Capability.VIEW_AGGREGATES)
    form = CoverageForm(request.GET or None, initial={"on": today()})
    day = (form.cleaned_data.get("on") if form.is_valid() else None) or today()
    result = selectors.coverage(unit, on=day)
    chart_rows = [r for r in result.rows if r.villages]
    chart = bar_chart(
        _("Villages with an outreach team (%)"),
        [(name_then(r.unit), round(r.team_share * 100, 1), f"{r.team_share * 100:.0f}%") for r in chart_rows],
        maximum=100,
    )
    context = {
        "unit": unit,
        "form": form,
        "day": day,
        "coverage": result,
        "chart": chart,
        "villages_without_team": result.total.villages - result.total.villages_with_team,
        "communes_without_board": result.total.communes - result.total.communes_with_board,
        "tabs": unit_tabs(request, unit, "coverage"),
    }
    return render(request, "people/coverage.html", context)
