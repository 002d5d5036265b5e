"""Boards and teams: the unit's list, forming one, its members, dissolving and merging."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import name_then, today
from lantoa.people import selectors, services
from lantoa.people.forms import CoverageForm, EndForm, GroupForm, MemberForm, MergeForm
from lantoa.people.permissions import (
    access_group,
    access_membership_to_end,
    access_person,
    endable_membership_ids,
    may_change_group,
    may_see_members,
)
from lantoa.people.presenters import person_views
from lantoa.people.views.common import ROSTER_PAGE_SIZE, edit_unit, form_errors, unit_tabs


def groups(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(by=request.user, code=code, capability=Capability.VIEW_AGGREGATES)
    form = CoverageForm(request.GET or None, initial={"on": today()})
    day = (form.cleaned_data.get("on") if form.is_valid() else None) or today()
    kind = request.GET.get("kind", "")
    found = selectors.groups_for_user(request.user, unit=unit, kind=kind, active_on=day)
    page = Paginator(found, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "page": page,
        "form": form,
        "day": day,
        "kind": kind,
        "kinds": selectors.group_kinds(),
        "may_edit": has_capability(request.user, Capability.EDIT_RECORDS, unit),
        "tabs": unit_tabs(request, unit, "groups"),
    }
    return render(request, "people/groups.html", context)


def group_new(request: HttpRequest) -> HttpResponse:
    page_unit = current_unit(request)
    initial = {"unit": request.GET.get("unit") or (page_unit.code if page_unit else ""), "valid_from": today()}
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = edit_unit(request.user, form.cleaned_data["unit"])
            group = services.group_create(
                by=request.user,
                kind=form.cleaned_data["kind"],
                unit=unit,
                name=form.cleaned_data["name"],
                valid_from=form.cleaned_data["valid_from"],
                decision_ref=form.cleaned_data.get("decision_ref") or "",
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("%(group)s was recorded.") % {"group": group.name})
            return redirect("people:group_detail", group.pk)
    return render(request, "people/group_form.html", {"form": form})


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_group(by=request.user, pk=pk)
    record = selectors.group_record(group)
    may_see_people = may_see_members(request.user, group)
    may_edit = may_change_group(request.user, group)
    member_views = {}
    endable: set[int] = set()
    if may_see_people:
        member_views = {v.pk: v for v in person_views(request.user, [m.person for m in record.members])}
        endable = endable_membership_ids(request.user, group, record.members)
    context = {
        "group": group,
        "record": record,
        "may_see_people": may_see_people,
        "members": [{"membership": m, "person": member_views.get(m.person_id)} for m in record.members],
        "may_edit": may_edit,
        "endable_member_ids": endable,
        "member_form": MemberForm(candidates=selectors.group_member_candidates(request.user, group))
        if may_edit
        else None,
        "end_form": EndForm(initial={"on": today()}),
        "merge_form": MergeForm(targets=selectors.group_merge_targets(group), initial={"on": today()})
        if may_edit
        else None,
        "unit_name": name_then(group.unit),
    }
    return render(request, "people/group_detail.html", context)


@require_POST
def group_member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_group(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = MemberForm(request.POST, candidates=selectors.group_member_candidates(request.user, group))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("people:group_detail", group.pk)
    try:
        if form.cleaned_data.get("person"):
            person = access_person(by=request.user, pk=form.cleaned_data["person"], capability=Capability.EDIT_RECORDS)
        else:
            person = services.person_create(by=request.user, data=form.new_person(group.unit))
        services.group_member_add(
            by=request.user,
            group=group,
            person=person,
            valid_from=form.cleaned_data["valid_from"],
            is_leader=form.cleaned_data.get("is_leader", False),
            decision_ref=form.cleaned_data.get("decision_ref") or "",
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s joined %(group)s.") % {"name": person.full_name, "group": group.name})
    return redirect("people:group_detail", group.pk)


@require_POST
def member_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_membership_to_end(by=request.user, pk=pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.group_member_end(by=request.user, membership=membership, on=form.cleaned_data["on"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The member left the group."))
    return redirect("people:group_detail", membership.group_id)


@require_POST
def group_dissolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_group(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.group_dissolve(
                by=request.user, group=group, on=form.cleaned_data["on"], decision_ref=form.cleaned_data["decision_ref"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(group)s was dissolved.") % {"group": group.name})
    return redirect("people:group_detail", group.pk)


@require_POST
def group_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_group(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = MergeForm(request.POST, targets=selectors.group_merge_targets(group))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("people:group_detail", group.pk)
    into = access_group(by=request.user, pk=form.cleaned_data["into"], capability=Capability.EDIT_RECORDS)
    try:
        services.groups_merge(
            by=request.user,
            groups=[group],
            into=into,
            on=form.cleaned_data["on"],
            decision_ref=form.cleaned_data.get("decision_ref") or "",
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("people:group_detail", group.pk)
    messages.success(request, _("%(group)s was merged into %(into)s.") % {"group": group.name, "into": into.name})
    return redirect("people:group_detail", into.pk)
