"""The network's landing page and the roster: the page, and the roster as a spreadsheet
(export, import and the empty template)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, ImportRejected, NotFound
from lantoa.core.forms import Form, SpreadsheetUploadForm
from lantoa.core.htmx import wants_fragment
from lantoa.org.permissions import access_unit
from lantoa.people import roster_io, selectors
from lantoa.people.forms import RosterFilterForm
from lantoa.people.models import RoleAssignment
from lantoa.people.permissions import require_recorder, self_service_unit_ids
from lantoa.people.presenters import person_views
from lantoa.people.selectors import role_kinds, role_kinds_all
from lantoa.people.views.common import ROSTER_PAGE_SIZE, unit_tabs


def home(request: HttpRequest) -> HttpResponse:
    """The network's landing page: the working unit's roster — or, for a member of the network
    without a staff role, the activity form."""
    unit = current_unit(request)
    if unit is not None and has_capability(request.user, Capability.VIEW_PERSONS, unit):
        return redirect("people:roster", unit.code)
    if unit is not None and has_capability(request.user, Capability.VIEW_AGGREGATES, unit):
        return redirect("people:coverage", unit.code)
    if self_service_unit_ids(request.user):
        return redirect("people:activity_new")
    raise NotFound(_("You have no unit to show."))


def roster(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(by=request.user, code=code, capability=Capability.VIEW_PERSONS)
    form = RosterFilterForm(request.GET or None)
    values = form.values()
    roles = selectors.roster_for_user(request.user, selectors.RosterFilter(unit=unit, **values))
    page = Paginator(roles, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    assignments: list[RoleAssignment] = list(page.object_list)
    views = {v.pk: v for v in person_views(request.user, {a.person for a in assignments})}
    rows = [{"assignment": a, "person": views[a.person_id]} for a in assignments]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "unit": unit,
        "form": form,
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
        "day": values["active_on"],
        "may_edit": has_capability(request.user, Capability.EDIT_RECORDS, unit),
        "tabs": unit_tabs(request, unit, "roster"),
    }
    template = "people/partials/_roster_table.html" if wants_fragment(request) else "people/roster.html"
    return render(request, template, context)


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class RosterExportForm(Form):
    """The roster page's filter (same parameter names) and the format."""

    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("xlsx", gettext_lazy("Excel workbook (XLSX)")), ("csv", gettext_lazy("CSV (UTF-8)"))],
        required=False,
    )
    role = forms.ModelChoiceField(
        label=gettext_lazy("Role"),
        queryset=role_kinds_all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All roles"),
    )
    tier = forms.SlugField(label=gettext_lazy("Level"), required=False)
    active_on = forms.DateField(
        label=gettext_lazy("Holding the role on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=100)

    def value(self, name: str) -> Any:
        """The cleaned value, or nothing for a missing or unreadable one (the defaults apply)."""
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get(name)


class RosterImportForm(SpreadsheetUploadForm):
    role = forms.ModelChoiceField(
        label=gettext_lazy("Role (for a CSV file)"),
        help_text=gettext_lazy(
            'A workbook names each sheet after a role; a CSV file has one role, or a "Vai trò" column.'
        ),
        queryset=role_kinds(),
        to_field_name="code",
        required=False,
        empty_label="—",
    )


@require_GET
def roster_export(request: HttpRequest, code: str) -> HttpResponse:
    """The roster of a unit's subtree on a day, as XLSX (one sheet per role) or CSV."""
    unit = roster_io.access_roster(by=request.user, code=code)
    form = RosterExportForm(request.GET or None)
    role = form.value("role")
    exported = roster_io.roster_export(
        by=request.user,
        unit=unit,
        fmt=form.value("format") or "xlsx",
        role=role.code if role is not None else "",
        tier=form.value("tier") or "",
        day=form.value("active_on"),
        q=(form.value("q") or "").strip(),
    )
    return _attachment(exported.content, exported.content_type, exported.filename)


@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a roster; every problem is listed, or every row is recorded."""
    unit = access_unit(by=request.user, code=code, capability=Capability.EDIT_RECORDS)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    problems: list[dict[str, Any]] = []
    more_problems = 0
    if request.method == "POST" and form.is_valid():
        try:
            result = roster_io.roster_import(
                by=request.user, unit=unit, file=form.cleaned_data["file"].read(), role=form.cleaned_data["role"]
            )
        except ImportRejected as rejection:
            problems = rejection.extra.get("details", [])
            more_problems = rejection.extra.get("more", 0)
            form.add_error(None, rejection.message)
        except ApplicationError as error:
            form.add_error("role" if error.extra.get("field") == "role" else None, error.message)
        else:
            messages.success(
                request,
                _(
                    "%(rows)s rows imported: %(created)s people added, %(reused)s already recorded; "
                    "%(memberships)s of the roles came with a group membership."
                )
                % {
                    "rows": result.rows,
                    "created": result.persons_created,
                    "reused": result.persons_reused,
                    "memberships": result.memberships,
                },
            )
            return redirect("people:roster_import", code=unit.code)
    context = {
        "unit": unit,
        "form": form,
        "problems": problems,
        "more_problems": more_problems,
        "with_sheets": any(p.get("sheet") for p in problems),
        "columns": roster_io.IMPORT_COLUMNS,
    }
    return render(request, "people/roster_import.html", context, status=422 if request.method == "POST" else 200)


@require_GET
def roster_template(request: HttpRequest) -> HttpResponse:
    """One sheet per role with the headers (in the user's language) and an example row."""
    require_recorder(request.user)
    english = _english()
    filename = "lantoa-roster.xlsx" if english else "lantoa-danh-sach-mang-luoi.xlsx"
    return _attachment(roster_io.roster_template(english=english), roster_io.XLSX_TYPE, filename)
