from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lantoa.accounts.permissions import current_assignments, units_for
from lantoa.accounts.roles import Capability
from lantoa.org import selectors
from lantoa.org.forms import AsOfForm
from lantoa.org.permissions import access_unit


def _as_of(request: HttpRequest) -> dt.date:
    form = AsOfForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("as_of"):
        return form.cleaned_data["as_of"]
    return selectors.today()


def tree(request: HttpRequest) -> HttpResponse:
    """The tree from the user's own assignment units, children loaded on demand."""
    day = _as_of(request)
    q = request.GET.get("q", "").strip()
    results = []
    if q:
        units = units_for(request.user, Capability.VIEW_UNITS, as_of=day)
        results = list(selectors.unit_search(units, q=q, as_of=day).order_by("kind__tier__rank", "name")[:100])
    roots = []
    seen: set[int] = set()
    for assignment in current_assignments(request.user).order_by("unit__kind__tier__rank"):
        if assignment.unit_id not in seen and assignment.unit.is_open_on(day):
            seen.add(assignment.unit_id)
            roots.append(assignment.unit)
    context = {"roots": roots, "as_of": day, "q": q, "results": results, "form": AsOfForm(initial={"as_of": day})}
    return render(request, "org/tree.html", context)


def unit_children(request: HttpRequest, code: str) -> HttpResponse:
    day = _as_of(request)
    unit = access_unit(by=request.user, code=code, as_of=day)
    children = selectors.unit_children(unit, as_of=day)
    return render(request, "org/partials/_children.html", {"children": children, "as_of": day})


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    day = _as_of(request)
    unit = access_unit(by=request.user, code=code)
    context = {
        "unit": unit,
        "as_of": day,
        "ancestors": selectors.unit_ancestors(unit, as_of=day),
        "children": selectors.unit_children(unit, as_of=day),
        "names": selectors.unit_names(unit),
        "parents": selectors.unit_parent_links(unit),
        "areas": selectors.unit_areas(unit),
    }
    return render(request, "org/unit_detail.html", context)
