from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lantoa.accounts.permissions import current_assignments, has_capability, scope_root_ids, units_for
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, ImportRejected, NotFound
from lantoa.core.htmx import wants_fragment
from lantoa.core.importing import template_workbook
from lantoa.core.indicators import all_indicators
from lantoa.core.text import vn_sort_key
from lantoa.org import rollup, selectors
from lantoa.org.forms import (
    UNIT_OPTIONS_ID,
    WIZARD_KINDS,
    AsOfForm,
    EventForm,
    FiguresForm,
    TreeExportForm,
    TreeImportForm,
    fingerprint,
    payload_form_for,
)
from lantoa.org.models import Unit
from lantoa.org.permissions import access_restructuring, access_unit
from lantoa.org.restructuring import EventReport, event_apply
from lantoa.org.tree_io import COLUMNS, tree_export_csv, tree_export_rows, tree_export_xlsx, tree_import

SEARCH_LIMIT = 100


def _as_of(request: HttpRequest) -> dt.date:
    form = AsOfForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("as_of"):
        return form.cleaned_data["as_of"]
    return selectors.today()


def _by_name(units: Iterable[Unit]) -> list[Unit]:
    """Units in Vietnamese letter and tone order (not the database's byte order)."""
    return sorted(units, key=lambda unit: vn_sort_key(selectors.name_then(unit)))


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
    context = {
        "roots": roots,
        "as_of": day,
        "q": q,
        "results": results,
        "search_limit": SEARCH_LIMIT,
        "may_import": has_capability(request.user, Capability.MANAGE_UNITS),
    }
    template = "org/partials/_tree_body.html" if wants_fragment(request) else "org/tree.html"
    return render(request, template, context)


def unit_children(request: HttpRequest, code: str) -> HttpResponse:
    """The children of a node (htmx, when it is opened); without htmx, the unit's own page."""
    day = _as_of(request)
    unit = access_unit(by=request.user, code=code, as_of=day)
    if not wants_fragment(request):
        return redirect(f"{reverse('org:unit_detail', args=[unit.code])}?as_of={day.isoformat()}")
    children = _by_name(selectors.unit_children(unit, as_of=day))
    return render(request, "org/partials/_children.html", {"children": children, "as_of": day})


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


# --- The unit page ---------------------------------------------------------------------------


def _figures(unit: Unit, form: FiguresForm) -> list[rollup.IndicatorValue]:
    codes = [i.code for i in all_indicators()]
    return rollup.indicator_values(unit=unit, codes=codes, **form.query())


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A unit: its place in the tree, its history (names, parents, areas, restructuring events,
    predecessors and successors) and — for those who may read figures — its subtree's figures
    for a chosen period and structure. htmx asks for the figures alone when they change."""
    day = _as_of(request)
    unit = access_unit(by=request.user, code=code)
    last_day = selectors.last_open_day(unit)
    may_see_figures = has_capability(request.user, Capability.VIEW_AGGREGATES, unit, as_of=last_day)
    asked = any(name in request.GET for name in FiguresForm.base_fields)
    figures_form = FiguresForm(request.GET if asked else None)
    figures = _figures(unit, figures_form) if may_see_figures and (not asked or figures_form.is_valid()) else None
    figures_context = {
        "unit": unit,
        "as_of": day,
        "figures": figures,
        "figures_form": figures_form,
        "may_see_figures": may_see_figures,
    }
    if wants_fragment(request):
        if not may_see_figures:
            raise NotFound(_("Page not found."))
        return render(request, "org/partials/_figures.html", figures_context)
    # Ancestors above the user's scope are shown as plain names, not links to a 404.
    scope_roots = set(scope_root_ids(request.user, Capability.VIEW_UNITS))
    ancestors = []
    in_scope = False
    for ancestor in selectors.unit_ancestors(unit, as_of=day):
        in_scope = in_scope or ancestor.pk in scope_roots
        ancestors.append({"unit": ancestor, "linked": in_scope})
    context = {
        **figures_context,
        "ancestors": ancestors,
        "children": _by_name(selectors.unit_children(unit, as_of=day)),
        "names": selectors.unit_names(unit),
        "parents": selectors.unit_parent_links(unit),
        "areas": selectors.unit_areas(unit),
        "events": selectors.unit_events(unit),
        "predecessors": selectors.unit_predecessors(unit),
        "successors": selectors.unit_successors(unit),
        "may_restructure": unit.closed_on is None and has_capability(request.user, Capability.MANAGE_UNITS, unit),
    }
    return render(request, "org/unit_detail.html", context)


@require_GET
def unit_options(request: HttpRequest) -> HttpResponse:
    """Datalist options for unit-code inputs (htmx): units the user may restructure.

    The query is the value of whichever input asked (htmx sends only that input's value)."""
    values = (str(value).strip() for _name, value in request.GET.items())
    q = next((value for value in values if value), "")
    units: list[Unit] = []
    if q:
        scope = units_for(request.user, Capability.MANAGE_UNITS)
        found = selectors.unit_search(scope, q=q, as_of=selectors.today()).order_by("name")[:UNIT_OPTIONS_LIMIT]
        units = sorted(found, key=lambda unit: vn_sort_key(unit.name))
    return render(request, "org/partials/_unit_options.html", {"units": units})


UNIT_OPTIONS_LIMIT = 30


# --- The restructuring wizard ------------------------------------------------------------------


def _report_context(report: EventReport, payload: dict[str, Any]) -> dict[str, Any]:
    """The report with a name beside each code (new units' names come from the request)."""
    codes = set(report.created) | set(report.closed) | {p for p, _s, _w, _d in report.successions}
    codes |= {s for _p, s, _w, _d in report.successions}
    codes |= {code for move in report.moved for code in move if code}
    codes |= {code for part in report.parts for code in part}
    names = selectors.unit_names_by_code(codes)
    new_specs = [payload.get("new")] + [part.get("new") for part in payload.get("successors", []) or []]
    for spec in new_specs:
        if isinstance(spec, dict) and spec.get("code"):
            names.setdefault(str(spec["code"]), str(spec.get("name", "")))
    return {
        "report": report,
        "created": [(code, names.get(code, "")) for code in report.created],
        "closed": [(code, names.get(code, "")) for code in report.closed],
        "successions": [
            {
                "predecessor": (p, names.get(p, "")),
                "successor": (s, names.get(s, "")),
                "weight": weight.normalize(),
                "is_default": is_default,
            }
            for p, s, weight, is_default in report.successions
        ],
        "moved": [{"unit": (u, names.get(u, "")), "from": old, "to": new} for u, old, new in report.moved],
        "parts": [{"from": (f, names.get(f, "")), "to": (t, names.get(t, ""))} for f, t in report.parts],
    }


def restructure(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1 (GET): what happens and when. Step 2 (GET with a kind): the kind's form.
    "Preview" (POST) runs the event as a dry run; "Apply" (POST, after a preview of exactly the
    same request) applies it and goes back to the unit."""
    unit = access_unit(by=request.user, code=code, capability=Capability.MANAGE_UNITS)
    if unit.closed_on is not None:
        raise NotFound(_("Page not found."))
    posted = request.method == "POST"
    data = request.POST if posted else (request.GET if "kind" in request.GET else None)
    # Coming back from step 2 to choose another kind keeps the dates and the legal basis.
    event_form = EventForm(data, initial={"effective_on": selectors.today(), **request.GET.dict()})
    context: dict[str, Any] = {"unit": unit, "event_form": event_form, "options_id": UNIT_OPTIONS_ID}
    if event_form.is_bound and event_form.is_valid():
        arguments = event_form.event_arguments()
        payload_form = payload_form_for(arguments["kind"], request.POST if posted else None, unit=unit)
        context.update(step=2, payload_form=payload_form, kind_label=dict(WIZARD_KINDS)[arguments["kind"]])
        if posted and payload_form.is_valid():
            payload = payload_form.request_payload()
            digest = fingerprint(arguments, payload)
            apply = request.POST.get("action") == "apply" and request.POST.get("previewed") == digest
            try:
                access_restructuring(by=request.user, payload=payload, as_of=arguments["effective_on"])
                report = event_apply(by=request.user, payload=payload, dry_run=not apply, **arguments)
            except ApplicationError as error:
                if not payload_form.show_error(error):
                    field = error.extra.get("field")
                    event_form.add_error(field if field in event_form.fields else None, error.message)
            else:
                if apply:
                    messages.success(
                        request, _("The restructuring was applied: %(summary)s") % {"summary": _summary(report)}
                    )
                    return redirect("org:unit_detail", unit.code)
                if request.POST.get("action") == "apply":
                    messages.warning(request, _("The form changed since the preview. Check this preview, then apply."))
                context.update(_report_context(report, payload), previewed=digest)
    else:
        context["step"] = 1
    status = 422 if posted and "report" not in context else 200
    return render(request, "org/restructure.html", context, status=status)


def _summary(report: EventReport) -> str:
    parts = []
    if report.created:
        parts.append(_("created %(codes)s") % {"codes": ", ".join(report.created)})
    if report.closed:
        parts.append(_("closed %(codes)s") % {"codes": ", ".join(report.closed)})
    if report.parts:
        parts.append(_("parts given to %(codes)s") % {"codes": ", ".join(to for _from, to in report.parts)})
    if report.moved:
        parts.append(_("%(count)s moved") % {"count": len(report.moved)})
    if report.renamed:
        parts.append(_("renamed %(codes)s") % {"codes": ", ".join(r[0] for r in report.renamed)})
    return "; ".join(parts) or _("recorded")


# --- Tree export and import --------------------------------------------------------------------


@require_GET
def tree_export(request: HttpRequest, code: str) -> HttpResponse:
    """The subtree of a unit as it stood on a date, as XLSX or CSV (UTF-8 with a BOM)."""
    form = TreeExportForm(request.GET or None)
    day = form.export_day()
    unit = access_unit(by=request.user, code=code, as_of=day)
    rows = tree_export_rows(unit, day)
    filename = f"lantoa-{unit.code}-{day.isoformat()}"
    if form.export_format() == "csv":
        response = HttpResponse(tree_export_csv(rows, english=_english()), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    else:
        content = tree_export_xlsx(rows, english=_english(), title=unit.code)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _require_tree_management(request: HttpRequest) -> None:
    if not has_capability(request.user, Capability.MANAGE_UNITS):
        raise NotFound(_("Page not found."))


def tree_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a spreadsheet of new units; every problem is listed, or every unit is created."""
    _require_tree_management(request)
    form = TreeImportForm(request.POST or None, request.FILES or None)
    problems: list[dict[str, Any]] = []
    more_problems = 0
    if request.method == "POST" and form.is_valid():
        try:
            result = tree_import(by=request.user, file=form.cleaned_data["file"].read())
        except ImportRejected as rejection:
            problems = rejection.extra.get("details", [])
            more_problems = rejection.extra.get("more", 0)
            form.add_error(None, rejection.message)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            if result.created:
                messages.success(
                    request,
                    _("%(created)s units created, %(skipped)s already there with the same data.")
                    % {"created": len(result.created), "skipped": len(result.skipped)},
                )
            else:
                messages.info(request, _("Nothing to import: every unit in the file already exists."))
            return redirect("org:tree")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "problems": problems, "more_problems": more_problems, "columns": COLUMNS}
    return render(request, "org/tree_import.html", context, status=status)


@require_GET
def tree_import_template(request: HttpRequest) -> HttpResponse:
    _require_tree_management(request)
    english = _english()
    response = HttpResponse(
        template_workbook(COLUMNS, english=english),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = "lantoa-units.xlsx" if english else "lantoa-don-vi.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
