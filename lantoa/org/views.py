from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from lantoa.accounts.permissions import current_assignments, scope_root_ids, units_for
from lantoa.accounts.roles import Capability
from lantoa.core.text import vn_sort_key
from lantoa.org import selectors
from lantoa.org.forms import AsOfForm
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit

SEARCH_LIMIT = 100


def _as_of(request: HttpRequest) -> dt.date:
    form = AsOfForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("as_of"):
        return form.cleaned_data["as_of"]
    return selectors.today()


def _by_name(units: Iterable[Unit]) -> list[Unit]:
    """Units in Vietnamese letter and tone order (not the database's byte order)."""
    return sorted(units, key=lambda unit: vn_sort_key(unit.name))


def tree(request: HttpRequest) -> HttpResponse:
    """The tree from the user's own assignment units, open one level; deeper levels load
    when a node is opened. Also a search over the units in scope, on the chosen date."""
    day = _as_of(request)
    q = request.GET.get("q", "").strip()
    results: list[Unit] = []
    if q:
        units = units_for(request.user, Capability.VIEW_UNITS, as_of=day)
        found = selectors.unit_search(units, q=q, as_of=day).order_by("kind__tier__rank", "name")[:SEARCH_LIMIT]
        results = sorted(found, key=lambda unit: (unit.kind.tier.rank, vn_sort_key(unit.name)))
    roots = []
    seen: set[int] = set()
    for assignment in current_assignments(request.user).order_by("unit__kind__tier__rank"):
        unit = assignment.unit
        if unit.pk not in seen and unit.is_open_on(day):
            seen.add(unit.pk)
            roots.append({"unit": unit, "children": _by_name(selectors.unit_children(unit, as_of=day))})
    context = {"roots": roots, "as_of": day, "q": q, "results": results, "search_limit": SEARCH_LIMIT}
    template = "org/partials/_tree_body.html" if request.htmx else "org/tree.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def unit_children(request: HttpRequest, code: str) -> HttpResponse:
    """The children of a node (htmx, when it is opened); without htmx, the unit's own page."""
    day = _as_of(request)
    unit = access_unit(by=request.user, code=code, as_of=day)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(f"{reverse('org:unit_detail', args=[unit.code])}?as_of={day.isoformat()}")
    children = _by_name(selectors.unit_children(unit, as_of=day))
    return render(request, "org/partials/_children.html", {"children": children, "as_of": day})


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    day = _as_of(request)
    unit = access_unit(by=request.user, code=code)
    # Ancestors above the user's scope are shown as plain names, not links to a 404.
    scope_roots = set(scope_root_ids(request.user, Capability.VIEW_UNITS))
    ancestors = []
    in_scope = False
    for ancestor in selectors.unit_ancestors(unit, as_of=day):
        in_scope = in_scope or ancestor.pk in scope_roots
        ancestors.append({"unit": ancestor, "linked": in_scope})
    context = {
        "unit": unit,
        "as_of": day,
        "ancestors": ancestors,
        "children": _by_name(selectors.unit_children(unit, as_of=day)),
        "names": selectors.unit_names(unit),
        "parents": selectors.unit_parent_links(unit),
        "areas": selectors.unit_areas(unit),
    }
    return render(request, "org/unit_detail.html", context)
