"""Persons: record, read and correct them, their roles, and the data subject's rights."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError
from lantoa.org.selectors import today
from lantoa.people import selectors, services
from lantoa.people.forms import EndForm, LinkUserForm, PersonForm, RoleForm
from lantoa.people.permissions import (
    access_person,
    access_role_to_end,
    check_sensitive_input,
    may_edit_person,
    may_end_role,
    may_see_sensitive,
    may_write_sensitive,
    persons_in_scope,
)
from lantoa.people.presenters import person_view
from lantoa.people.views.common import edit_unit, form_errors


def person_new(request: HttpRequest) -> HttpResponse:
    page_unit = current_unit(request)
    default_unit = request.GET.get("unit") or (page_unit.code if page_unit else "")
    form = PersonForm(
        request.POST or None,
        initial={"home_unit": default_unit},
        sensitive_allowed=page_unit is not None and may_write_sensitive(request.user, page_unit),
    )
    if request.method == "POST" and form.is_valid():
        try:
            home_unit = edit_unit(request.user, form.cleaned_data["home_unit"])
            if form.sets_sensitive:
                check_sensitive_input(request.user, home_unit, services.SENSITIVE_FIELDS)
            person = services.person_create(
                by=request.user,
                data=form.to_data(home_unit),
                allow_duplicate=form.cleaned_data.get("allow_duplicate", False),
                visible=persons_in_scope(request.user),
            )
        except services.DuplicatePerson as error:
            form.show_error(error)
            form.offer_duplicate_override()
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("%(name)s was recorded.") % {"name": person.full_name})
            return redirect("people:person_detail", person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(by=request.user, pk=pk)
    view = person_view(request.user, person, with_sensitive=True)
    record = selectors.person_record(person)
    may_edit = may_edit_person(request.user, person)
    context = {
        "person": person,
        "view": view,
        "record": record,
        "may_edit": may_edit and view.anonymised is False,
        "may_manage_privacy": may_edit,
        # An anonymised person's roles still count, so they can still be ended.
        "endable_role_ids": {role.pk for role in record.roles if may_end_role(request.user, role)},
        "role_form": RoleForm(initial={"unit": person.home_unit.code, "valid_from": today()}),
        "end_form": EndForm(initial={"on": today()}),
        "today": today(),
    }
    return render(request, "people/person_detail.html", context)


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = PersonForm(
        request.POST or None,
        initial=PersonForm.initial_for(person),
        sensitive_allowed=may_write_sensitive(request.user, person.home_unit),
    )
    if request.method == "POST" and form.is_valid():
        try:
            # As the API: a home unit asks the gate only when it changes (a person is corrected by
            # whoever records their home unit or a unit where they hold a role).
            code = (form.cleaned_data["home_unit"] or "").strip()
            home_unit = person.home_unit if code == person.home_unit.code else edit_unit(request.user, code)
            if form.sets_sensitive:
                check_sensitive_input(request.user, home_unit, services.SENSITIVE_FIELDS)
            services.person_update(
                by=request.user,
                person=person,
                data=form.to_data(home_unit),
                allow_duplicate=form.cleaned_data.get("allow_duplicate", False),
                visible=persons_in_scope(request.user),
            )
        except services.DuplicatePerson as error:
            form.show_error(error)
            form.offer_duplicate_override()
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The record was corrected."))
            return redirect("people:person_detail", person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@require_POST
def role_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            unit = edit_unit(request.user, form.cleaned_data["unit"])
            services.role_assign(
                by=request.user,
                person=person,
                role=form.cleaned_data["role"],
                unit=unit,
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data.get("valid_to"),
                decision_ref=form.cleaned_data.get("decision_ref") or "",
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The role was recorded."))
    else:
        messages.error(request, _("Check the role form: %(errors)s") % {"errors": form_errors(form)})
    return redirect("people:person_detail", person.pk)


@require_POST
def role_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_role_to_end(by=request.user, pk=pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.role_end(by=request.user, assignment=assignment, on=form.cleaned_data["on"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The role was ended."))
    else:
        messages.error(request, form_errors(form))
    return redirect("people:person_detail", assignment.person_id)


@require_POST
def person_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the person to an existing account, so they can record their own activities."""
    person = access_person(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = LinkUserForm(request.POST)
    if form.is_valid():
        username = form.cleaned_data["username"].strip()
        user = selectors.account_by_username(username) if username else None
        if username and user is None:
            messages.error(request, _("No active account with the username %(username)s.") % {"username": username})
        else:
            try:
                services.person_link_user(by=request.user, person=person, user=user)
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The account link was saved."))
    return redirect("people:person_privacy", person.pk)


def person_privacy(request: HttpRequest, pk: int) -> HttpResponse:
    """The data subject's rights in one place: see and export everything, correct, anonymise."""
    person = access_person(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    context = {
        "person": person,
        "view": person_view(request.user, person, with_sensitive=True),
        "link_form": LinkUserForm(initial={"username": person.user.username if person.user_id else ""}),  # type: ignore[union-attr]
        "record": selectors.person_record(person),
    }
    return render(request, "people/person_privacy.html", context)


def person_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    data = services.person_export_record(
        by=request.user, person=person, include_sensitive=may_see_sensitive(request.user, person)
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    return response


@require_POST
def person_anonymise_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the anonymisation."))
        return redirect("people:person_privacy", person.pk)
    services.person_anonymise(by=request.user, person=person)
    messages.success(request, _("The person was anonymised. What they held and did still counts."))
    return redirect("people:person_detail", person.pk)
