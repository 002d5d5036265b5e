"""Pages of the outreach network: rosters, persons, groups, activities and coverage.

Each view parses input, asks a gate, calls a service or selector and renders — nothing else.
The JSON API (lantoa/people/api.py) calls the same services and selectors.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.models import User
from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.charts import bar_chart
from lantoa.core.errors import ApplicationError, NotFound
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import name_then, today, unit_children, unit_parent
from lantoa.people import selectors, services
from lantoa.people.forms import (
    ActivityFilterForm,
    ActivityForm,
    CoverageForm,
    EndForm,
    GroupForm,
    LinkUserForm,
    MemberForm,
    MergeForm,
    PersonForm,
    RoleForm,
    RosterFilterForm,
    TeamSummaryForm,
    WithdrawForm,
)
from lantoa.people.models import GroupMembership, NetworkGroup, Person, RoleAssignment
from lantoa.people.permissions import (
    access_activity,
    access_activity_unit,
    access_group,
    access_person,
    access_role,
    check_sensitive_input,
    linked_person,
    may_end_role,
    may_record_activity,
    may_see_sensitive,
    may_write_sensitive,
    persons_in_scope,
    self_service_unit_ids,
)
from lantoa.people.presenters import person_view, person_views

ROSTER_PAGE_SIZE = 100


def _unit_or_404(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).select_related("kind__tier").first()
    if unit is None:
        raise NotFound(_("No unit with code %(code)s.") % {"code": code}, extra={"code": code})
    return unit


def _edit_unit(by: Any, code: str) -> Unit:
    """A unit named in a form, where ``by`` records the unit's work."""
    return access_unit(by=by, code=(code or "").strip(), capability=Capability.EDIT_RECORDS)


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


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


# --- Rosters and persons ---------------------------------------------------------------------


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
        "tabs": _tabs(request, unit, "roster"),
    }
    template = "people/partials/_roster_table.html" if _htmx(request) else "people/roster.html"
    return render(request, template, context)


def _tabs(request: HttpRequest, unit: Unit, active: str) -> list[dict[str, Any]]:
    tabs: list[dict[str, Any]] = []
    if has_capability(request.user, Capability.VIEW_PERSONS, unit):
        tabs.append({"key": "roster", "label": _("Roster"), "url": reverse("people:roster", args=[unit.code])})
    tabs += [
        {"key": "groups", "label": _("Boards and teams"), "url": reverse("people:groups", args=[unit.code])},
        {"key": "activities", "label": _("Activities"), "url": reverse("people:activities", args=[unit.code])},
        {"key": "coverage", "label": _("Coverage"), "url": reverse("people:coverage", args=[unit.code])},
    ]
    for tab in tabs:
        tab["active"] = tab["key"] == active
    return tabs


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
            home_unit = _edit_unit(request.user, form.cleaned_data["home_unit"])
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
    may_edit = has_capability(request.user, Capability.EDIT_RECORDS, person.home_unit)
    context = {
        "person": person,
        "view": view,
        "record": record,
        "may_edit": may_edit and view.anonymised is False,
        "may_manage_privacy": may_edit,
        "endable_role_ids": set()
        if view.anonymised
        else {role.pk for role in record.roles if may_end_role(request.user, role)},
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
            home_unit = _edit_unit(request.user, form.cleaned_data["home_unit"])
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
            unit = _edit_unit(request.user, form.cleaned_data["unit"])
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
        messages.error(request, _("Check the role form: %(errors)s") % {"errors": _form_errors(form)})
    return redirect("people:person_detail", person.pk)


def _form_errors(form: Any) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else ''} {' '.join(errors)}".strip()
        for name, errors in form.errors.items()
    )


@require_POST
def role_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_role(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.role_end(by=request.user, assignment=assignment, on=form.cleaned_data["on"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The role was ended."))
    else:
        messages.error(request, _form_errors(form))
    return redirect("people:person_detail", assignment.person_id)


@require_POST
def person_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the person to an existing account, so they can record their own activities."""
    person = access_person(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = LinkUserForm(request.POST)
    if form.is_valid():
        username = form.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first() if username else None
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


# --- Groups ----------------------------------------------------------------------------------


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
        "tabs": _tabs(request, unit, "groups"),
    }
    return render(request, "people/groups.html", context)


def group_new(request: HttpRequest) -> HttpResponse:
    page_unit = current_unit(request)
    initial = {"unit": request.GET.get("unit") or (page_unit.code if page_unit else ""), "valid_from": today()}
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = _edit_unit(request.user, form.cleaned_data["unit"])
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


def _member_candidates(by: Any, group: NetworkGroup) -> list[Person]:
    """People who could join: those recorded in the group's unit and the unit above it."""
    return list(selectors.persons_for_user(by, unit=_parent_or_self(group.unit))[:500])


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_group(by=request.user, pk=pk)
    record = selectors.group_record(group)
    may_see_people = has_capability(request.user, Capability.VIEW_PERSONS, group.unit)
    may_edit = has_capability(request.user, Capability.EDIT_RECORDS, group.unit) and group.valid_to is None
    member_views = {}
    if may_see_people:
        member_views = {v.pk: v for v in person_views(request.user, [m.person for m in record.members])}
    context = {
        "group": group,
        "record": record,
        "may_see_people": may_see_people,
        "members": [{"membership": m, "person": member_views.get(m.person_id)} for m in record.members],
        "may_edit": may_edit,
        "member_form": MemberForm(candidates=_member_candidates(request.user, group)) if may_edit else None,
        "end_form": EndForm(initial={"on": today()}),
        "merge_form": MergeForm(targets=_merge_targets(group), initial={"on": today()}) if may_edit else None,
        "unit_name": name_then(group.unit),
    }
    return render(request, "people/group_detail.html", context)


def _merge_targets(group: NetworkGroup) -> list[NetworkGroup]:
    """Open groups of the same kind in the same unit or its neighbours (same parent)."""
    day = today()
    return list(
        NetworkGroup.objects.filter(kind=group.kind, valid_to__isnull=True)
        .exclude(pk=group.pk)
        .filter(unit__in=[group.unit, *unit_children(_parent_or_self(group.unit), as_of=day)])
        .select_related("unit")[:200]
    )


def _parent_or_self(unit: Unit) -> Unit:
    return unit_parent(unit) or unit


@require_POST
def group_member_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_group(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = MemberForm(request.POST, candidates=_member_candidates(request.user, group))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
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
    membership = GroupMembership.objects.filter(pk=pk).select_related("group").first()
    missing = NotFound(_("No such member."))
    if membership is None:
        raise missing
    try:
        group = access_group(by=request.user, pk=membership.group_id, capability=Capability.EDIT_RECORDS)
    except NotFound:
        raise missing from None
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.group_member_end(by=request.user, membership=membership, on=form.cleaned_data["on"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The member left the group."))
    return redirect("people:group_detail", group.pk)


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
    form = MergeForm(request.POST, targets=_merge_targets(group))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
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


# --- Activities ------------------------------------------------------------------------------


def activities(request: HttpRequest, code: str) -> HttpResponse:
    unit = access_unit(by=request.user, code=code, capability=Capability.VIEW_AGGREGATES)
    form = ActivityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.activities_for_user(
        request.user, unit=unit, start=data.get("start"), end=data.get("end"), status=data.get("status") or ""
    )
    page = Paginator(found, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "unit": unit,
        "form": form,
        "page": page,
        "totals": selectors.activity_totals(found),
        "query": query.urlencode(),
        "may_confirm": has_capability(request.user, Capability.EDIT_RECORDS, unit),
        "may_record": may_record_activity(request.user, unit),
        "may_see_people": has_capability(request.user, Capability.VIEW_PERSONS, unit),
        "tabs": _tabs(request, unit, "activities"),
    }
    return render(request, "people/activities.html", context)


def _activity_units(request: HttpRequest) -> list[Unit]:
    """Where the user may record: their own network units, and — for officers — the chosen
    unit with the units directly below it."""
    units = selectors.units_for_activity(request.user)
    code = request.GET.get("unit") or request.POST.get("unit") or ""
    base = Unit.objects.filter(code=code).select_related("kind__tier").first() if code else current_unit(request)
    if base is not None and has_capability(request.user, Capability.EDIT_RECORDS, base):
        below = [
            u for u in unit_children(base).select_related("kind__tier") if u.kind.tier.code in ("commune", "village")
        ]
        units = [base, *sorted(below, key=lambda u: u.name), *[u for u in units if u.pk != base.pk]]
    seen: set[int] = set()
    return [u for u in units if not (u.pk in seen or seen.add(u.pk))]  # type: ignore[func-returns-value]


def activity_new(request: HttpRequest) -> HttpResponse:
    """The phone-first form. Network members record their own work; officers may record on
    behalf of a member of the unit."""
    units = _activity_units(request)
    if not units:
        raise NotFound(_("You have no unit to record activities for."))
    own = linked_person(request.user)
    chosen = request.POST.get("unit") or request.GET.get("unit") or units[0].code
    on_behalf = (
        [
            p
            for p in selectors.persons_for_user(request.user, unit=_unit_or_404(chosen))[:300]
            if own is None or p.pk != own.pk
        ]
        if has_capability(request.user, Capability.EDIT_RECORDS, _unit_or_404(chosen))
        else []
    )
    form = ActivityForm(request.POST or None, units=units, persons=on_behalf, initial={"unit": chosen})
    if request.method == "POST" and form.is_valid():
        try:
            unit = access_activity_unit(
                by=request.user, code=form.cleaned_data["unit"], on=form.cleaned_data["held_on"]
            )
            person = own
            if form.cleaned_data.get("person"):
                person = access_person(
                    by=request.user, pk=form.cleaned_data["person"], capability=Capability.EDIT_RECORDS
                )
            team = (
                selectors.open_teams_for_unit(unit, on=form.cleaned_data["held_on"])
                .filter(kind__code="outreach_team")
                .first()
            )
            recorded = services.activity_record(
                by=request.user, data=form.to_data(unit=unit, group=team, person=person)
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            if recorded.created:
                messages.success(
                    request, _("Recorded: %(people)s people reached.") % {"people": recorded.obj.people_reached}
                )
            else:
                messages.info(request, _("This activity had already been recorded; it counts once."))
            return redirect(reverse("people:activity_new") + f"?unit={unit.code}")
    recent = selectors.recent_activities_recorded_by(request.user)
    return render(request, "people/activity_form.html", {"form": form, "recent": recent})


def team_summary(request: HttpRequest) -> HttpResponse:
    """A team's monthly summary, filed by its leader or by an officer."""
    teams = _summary_teams(request)
    if not teams:
        raise NotFound(_("You have no team to file a summary for."))
    form = TeamSummaryForm(request.POST or None, teams=teams, initial={"group": request.GET.get("group")})
    if request.method == "POST" and form.is_valid():
        group = next(t for t in teams if t.pk == form.cleaned_data["group"])
        try:
            data = services.ActivityData(
                unit=group.unit,
                held_on=form.summary_day(),
                kind=form.cleaned_data["kind"],
                topic=form.cleaned_data["topic"],
                people_reached=form.cleaned_data["people_reached"],
                sessions=form.cleaned_data["sessions"],
                group=group,
                person=linked_person(request.user),
                is_summary=True,
                note=form.cleaned_data.get("note") or "",
                client_key=form.cleaned_data.get("client_key") or "",
            )
            recorded = services.activity_record(by=request.user, data=data)
        except ApplicationError as error:
            form.show_error(error)
        else:
            if recorded.created:
                messages.success(request, _("The monthly summary of %(team)s was recorded.") % {"team": group.name})
            else:
                messages.info(request, _("This summary had already been recorded; it counts once."))
            return (
                redirect("people:group_detail", group.pk)
                if has_capability(request.user, Capability.VIEW_AGGREGATES, group.unit)
                else redirect("people:activity_new")
            )
    return render(request, "people/team_summary.html", {"form": form})


def _summary_teams(request: HttpRequest) -> list[NetworkGroup]:
    """Teams the user leads, and — for officers — the open teams of the working unit's subtree."""
    day = today()
    teams: list[NetworkGroup] = []
    person = linked_person(request.user)
    if person is not None:
        led = GroupMembership.objects.filter(person=person, is_leader=True, valid_from__lte=day).exclude(
            valid_to__lte=day
        )
        teams += [m.group for m in led.select_related("group__unit", "group__kind")]
    unit = current_unit(request)
    if unit is not None and has_capability(request.user, Capability.EDIT_RECORDS, unit):
        teams += list(selectors.groups_for_user(request.user, unit=unit, kind="outreach_team")[:500])
    seen: set[int] = set()
    return [t for t in teams if not (t.pk in seen or seen.add(t.pk))]  # type: ignore[func-returns-value]


@require_POST
def activities_confirm_view(request: HttpRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("activity") if value.isdigit()]
    allowed = [access_activity(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS) for pk in ids]
    count = services.activities_confirm(by=request.user, activities=allowed)
    messages.success(request, _("%(count)s activities confirmed.") % {"count": count})
    return redirect(request.POST.get("next") or reverse("people:home"))


def activity_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = access_activity(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.activity_withdraw(by=request.user, activity=activity, reason=form.cleaned_data["reason"])
        messages.success(request, _("The record was withdrawn from the counts."))
        return redirect("people:activities", activity.unit.code)
    return render(request, "people/activity_withdraw.html", {"form": form, "activity": activity})


# --- Coverage --------------------------------------------------------------------------------


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
        "tabs": _tabs(request, unit, "coverage"),
    }
    return render(request, "people/coverage.html", context)
