"""Activities: the unit's list, the phone-first form, a team's monthly summary, confirming and
withdrawing."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, NotFound
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import unit_by_code
from lantoa.people import selectors, services
from lantoa.people.forms import ActivityFilterForm, ActivityForm, TeamSummaryForm, WithdrawForm
from lantoa.people.models import NetworkGroup
from lantoa.people.permissions import (
    access_activity,
    access_activity_unit,
    access_person,
    linked_person,
    may_record_activity,
    may_record_for_others,
)
from lantoa.people.views.common import ROSTER_PAGE_SIZE, unit_tabs


def _unit_or_404(code: str) -> Unit:
    unit = unit_by_code(code)
    if unit is None:
        raise NotFound(_("No unit with code %(code)s.") % {"code": code}, extra={"code": code})
    return unit


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
        "tabs": unit_tabs(request, unit, "activities"),
    }
    return render(request, "people/activities.html", context)


def _activity_units(request: HttpRequest) -> list[Unit]:
    """Where the user may record: their own network units, and — for officers — the chosen
    unit with the units directly below it."""
    units = selectors.units_for_activity(request.user)
    code = request.GET.get("unit") or request.POST.get("unit") or ""
    base = unit_by_code(code) if code else current_unit(request)
    if base is not None and may_record_for_others(request.user, base):
        below = selectors.units_below_for_activity(base)
        units = [base, *below, *[u for u in units if u.pk != base.pk]]
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
    chosen_unit = _unit_or_404(chosen)
    on_behalf = (
        [p for p in selectors.persons_for_user(request.user, unit=chosen_unit)[:300] if own is None or p.pk != own.pk]
        if may_record_for_others(request.user, chosen_unit)
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
            team = selectors.team_open_for_unit(unit, on=form.cleaned_data["held_on"])
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
    unit = current_unit(request)
    officer_unit = unit if unit is not None and may_record_for_others(request.user, unit) else None
    return selectors.teams_for_summary(request.user, officer_unit=officer_unit)


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
