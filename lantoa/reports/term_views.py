"""The page of a unit's Party terms: the list, and for those who may, recording and removing one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, NotFound
from lantoa.core.forms import Form, ServiceErrorMixin
from lantoa.org.permissions import access_unit
from lantoa.reports.models import TERM_MAX
from lantoa.reports.terms import term_add, term_for, term_remove, unit_terms

DATE = forms.DateInput(attrs={"type": "date"})


class TermForm(ServiceErrorMixin, Form):
    name = forms.CharField(label=gettext_lazy("Term"), max_length=TERM_MAX, help_text=gettext_lazy("e.g. 2025–2030"))
    congress = forms.CharField(
        label=gettext_lazy("Congress"), max_length=20, required=False, help_text=gettext_lazy("e.g. XVI")
    )
    starts_on = forms.DateField(label=gettext_lazy("Starts on (the congress)"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), required=False, widget=DATE)


def _unit_code(request: HttpRequest) -> str:
    code = request.GET.get("unit", "")[:64]
    if not code:
        unit = current_unit(request)
        if unit is None:
            raise NotFound(_("You have no unit to show."))
        code = unit.code
    return code


@require_http_methods(["GET", "POST"])
def term_list(request: HttpRequest) -> HttpResponse:
    unit = access_unit(by=request.user, code=_unit_code(request))
    may_change = has_capability(request.user, Capability.EDIT_RECORDS, unit)
    form = TermForm(request.POST or None) if may_change else None
    if request.method == "POST":
        if form is None:
            raise NotFound(_("No such page."))
        if form.is_valid():
            try:
                term_add(by=request.user, unit=unit, **form.cleaned_data)
            except ApplicationError as error:
                form.show_error(error)
            else:
                messages.success(request, _("Term recorded."))
                return redirect(reverse("reports:term_list") + f"?unit={unit.code}")
    context = {"unit": unit, "terms": unit_terms(unit), "form": form, "may_change": may_change}
    return render(request, "reports/terms.html", context)


@require_POST
def term_delete(request: HttpRequest, pk: int) -> HttpResponse:
    term = term_for(request.user, pk)
    unit = term.unit
    try:
        term_remove(by=request.user, term=term)
        messages.success(request, _("Term removed."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(reverse("reports:term_list") + f"?unit={unit.code}")
