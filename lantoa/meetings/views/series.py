"""Pages of recurring conference series: the list, creating one, a series with its conferences,
and planning its next conference."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError
from lantoa.meetings import selectors, services
from lantoa.meetings.forms import UNIT_OPTIONS_ID, SeriesForm
from lantoa.meetings.permissions import access_series, may_plan, may_plan_anywhere, require_planner
from lantoa.meetings.views._common import _page, _require_figures, _unit_in_form
from lantoa.org.selectors import today


def series_list(request: HttpRequest) -> HttpResponse:
    _require_figures(request.user)
    rows = selectors.series_list_for_user(request.user)
    page, query = _page(request, rows)
    context = {"page": page, "query": query, "may_plan": may_plan_anywhere(request.user)}
    return render(request, "meetings/series_list.html", context)


def series_new(request: HttpRequest) -> HttpResponse:
    require_planner(request.user)
    unit = current_unit(request)
    if unit is not None and not may_plan(request.user, unit):
        unit = None
    kind = selectors.conference_kind("reporters_monthly")
    initial = {
        "organiser": unit.code if unit else "",
        "level": services.level_for_unit(unit) if unit else "",
        "kind": kind.pk if kind else None,
        "starts_at_time": dt.time(8, 0),
    }
    form = SeriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        series = _series_created(request, form)
        if series is not None:
            messages.success(request, _("The series was created. Plan its next conference with one click."))
            return redirect("meetings:series_detail", series.pk)
    return render(request, "meetings/series_form.html", {"form": form, "options_id": UNIT_OPTIONS_ID})


def _series_created(request: HttpRequest, form: SeriesForm) -> Any:
    data = form.cleaned_data
    organiser = _unit_in_form(form, "organiser", request.user, data["organiser"])
    units = [_unit_in_form(form, "units", request.user, code) for code in form.codes()]
    if data.get("children_tier"):
        parent = _unit_in_form(form, "children_parent", request.user, data["children_parent"])
        if parent is not None:
            day = today()
            units += list(selectors.units_of_tier_under(parent, data["children_tier"], day))
    if form.errors or organiser is None:
        return None
    sites = [services.SiteData(unit=organiser, is_host=True)]
    taken = {organiser.pk}
    for unit in units:
        if unit is not None and unit.pk not in taken:
            taken.add(unit.pk)
            sites.append(services.SiteData(unit=unit))
    try:
        return services.series_create(by=request.user, data=form.to_data(organiser=organiser), sites=sites)
    except ApplicationError as error:
        form.show_error(error)
        return None


def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = access_series(by=request.user, pk=pk)
    conferences = selectors.conference_list_for_series(request.user, series)
    page, query = _page(request, conferences)
    context = {
        "series": series,
        "page": page,
        "query": query,
        "sites": selectors.series_sites(series),
        "next_date": services.series_next_date(series),
        "may_plan": series.is_active and may_plan(request.user, series.organiser),
    }
    return render(request, "meetings/series_detail.html", context)


@require_POST
def series_plan_next_view(request: HttpRequest, pk: int) -> HttpResponse:
    series = access_series(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    try:
        conference = services.series_plan_next(by=request.user, series=series).obj
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("meetings:series_detail", series.pk)
    messages.success(
        request,
        _("The next conference was planned for %(day)s.")
        % {"day": date_format(conference.held_on, "SHORT_DATE_FORMAT")},
    )
    return redirect("meetings:detail", conference.pk)
