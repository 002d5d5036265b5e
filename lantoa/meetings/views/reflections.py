"""The study reflections page: the counts in the user's scope, and the form that records a party
cell's counts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, PermissionDenied
from lantoa.library.permissions import access_document
from lantoa.meetings import selectors, services
from lantoa.meetings.forms import UNIT_OPTIONS_ID, ReflectionForm
from lantoa.meetings.permissions import access_conference, may_plan
from lantoa.meetings.views._common import CHOICE_LIMIT, _page, _require_figures, _unit_in_form


def reflections(request: HttpRequest) -> HttpResponse:
    _require_figures(request.user)
    may_record = has_capability(request.user, Capability.EDIT_RECORDS)
    form = None
    if may_record:
        unit = current_unit(request)
        conferences, documents = selectors.reflection_form_choices(request.user, limit=CHOICE_LIMIT)
        form = ReflectionForm(
            request.POST or None,
            conferences=conferences,
            documents=documents,
            initial={
                "unit": unit.code if unit and unit.kind.code == "party_cell" and may_plan(request.user, unit) else ""
            },
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Your role does not allow recording study reflections."))
        if form.is_valid() and _reflections_recorded(request, form):
            return redirect("meetings:reflections")
    # The page lists the latest recorded first, even on the same day.
    page, query = _page(request, selectors.reflection_list(request.user).order_by("-recorded_on", "-pk"))
    context = {"form": form, "page": page, "query": query, "may_plan": may_record, "options_id": UNIT_OPTIONS_ID}
    return render(request, "meetings/reflections.html", context)


def _reflections_recorded(request: HttpRequest, form: ReflectionForm) -> bool:
    data = form.cleaned_data
    unit = _unit_in_form(form, "unit", request.user, data["unit"])
    try:
        conference = access_conference(by=request.user, pk=data["conference"]) if data.get("conference") else None
        document = access_document(by=request.user, pk=data["document"]) if data.get("document") else None
    except ApplicationError as error:
        form.add_error("conference", error.message)
        return False
    if unit is None:
        return False
    try:
        tally = services.reflections_record(
            by=request.user, data=form.to_data(unit=unit, conference=conference, document=document)
        )
    except ApplicationError as error:
        form.show_error(error)
        return False
    messages.success(
        request,
        _("Study reflections of %(unit)s were recorded: %(submitted)s submitted of %(required)s required.")
        % {"unit": unit.name, "submitted": tally.submitted, "required": tally.required},
    )
    return True
