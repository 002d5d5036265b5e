"""Pages of a conference's site: its headcount, connection reports, settings and removal, and the
roster of a per-person site.

Each view parses input, asks a gate, calls a service or selector and renders — nothing else."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, PermissionDenied
from lantoa.core.htmx import wants_fragment
from lantoa.meetings import selectors, services
from lantoa.meetings.forms import ConnectionForm, HeadcountForm, PersonSearchForm, RegisterForm, SiteForm, roster_marks
from lantoa.meetings.models import BridgePoint, Category, Conference
from lantoa.meetings.permissions import (
    access_conference,
    access_point,
    may_change,
    may_record_point,
    may_see_participants,
)
from lantoa.meetings.presenters import site_contact
from lantoa.people import selectors as people_selectors
from lantoa.people.permissions import persons_in_scope

CANDIDATE_LIMIT = 50


def _htmx_target(request: HttpRequest) -> str:
    htmx = getattr(request, "htmx", None)
    return (getattr(htmx, "target", None) or "") if htmx else ""


# --- A site ------------------------------------------------------------------------------------


def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    point = access_point(by=request.user, pk=pk)
    return _point_page(request, point)


def _point_page(request: HttpRequest, point: BridgePoint, **forms: Any) -> HttpResponse:
    conference = point.conference
    per_person = point.mode == BridgePoint.Mode.PER_PERSON
    log = list(point.connection_log.select_related("by").order_by("at", "pk"))
    participants = selectors.point_participant_count(point) if per_person else 0
    open_for_records = conference.status != Conference.Status.CANCELLED
    recorded = bool(point.present or log or participants)
    counts = {row.category: row for row in point.counts.all()}
    recorder = may_record_point(request.user, point)
    context = {
        "point": point,
        "conference": conference,
        "per_person": per_person,
        "may_record": open_for_records and recorder,
        # The check-in code lets anyone count as present at the site: only its recorders see it,
        # and only where people check in (a headcount site has no use for it).
        "shows_code": recorder and per_person,
        "contact": site_contact(request.user, point, may_record=recorder),
        "may_see_roster": may_see_participants(request.user, point, records=recorder),
        "may_remove": open_for_records and not point.is_host and not recorded and may_change(request.user, conference),
        "log": log,
        "participants": participants,
        "counts": [{"label": label, "row": counts.get(value)} for value, label in Category.choices if value in counts],
        "checkin_url": request.build_absolute_uri(reverse("meetings_public:checkin_site", args=[point.code])),
        "headcount_form": forms.get("headcount_form")
        or HeadcountForm(initial=HeadcountForm.initial_for(point), per_person=per_person),
        "connection_form": forms.get("connection_form") or ConnectionForm(),
        "site_form": forms.get("site_form") or SiteForm(initial=SiteForm.initial_for(point)),
        "rates": selectors.Rates(
            members_present=point.rated_members_present,
            members_expected=point.members_expected,
            present_of_summoned=point.rated_present,
            summoned=point.summoned,
        ),
    }
    return render(request, "meetings/point_detail.html", context)


@require_POST
def point_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    point = access_point(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = HeadcountForm(request.POST, per_person=point.mode == BridgePoint.Mode.PER_PERSON)
    if form.is_valid():
        try:
            saved = services.attendance_record(by=request.user, point=point, counts=form.to_headcount())
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(
                request,
                _("Attendance at %(unit)s was recorded: %(present)s present.")
                % {"unit": saved.unit.name, "present": saved.present},
            )
            return redirect("meetings:point_detail", point.pk)
    return _point_page(request, point, headcount_form=form)


@require_POST
def point_connection(request: HttpRequest, pk: int) -> HttpResponse:
    point = access_point(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = ConnectionForm(request.POST)
    if form.is_valid():
        try:
            services.connection_report(
                by=request.user, point=point, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The connection report was recorded."))
            return redirect("meetings:point_detail", point.pk)
    return _point_page(request, point, connection_form=form)


@require_POST
def point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point = access_point(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = SiteForm(request.POST)
    if form.is_valid():
        try:
            site = services.SiteData(unit=point.unit, **form.cleaned_data)
            services.point_update(by=request.user, point=point, site=site)
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The site was saved."))
            return redirect("meetings:point_detail", point.pk)
    return _point_page(request, point, site_form=form)


@require_POST
def point_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    point = access_point(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    conference = access_conference(by=request.user, pk=point.conference_id, capability=Capability.EDIT_RECORDS)
    try:
        services.point_remove(by=request.user, point=point)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("meetings:point_detail", point.pk)
    messages.success(request, _("%(unit)s is no longer a site of this conference.") % {"unit": point.unit.name})
    return redirect(reverse("meetings:detail", args=[conference.pk]) + "#sites")


# --- The roster of a per-person site -----------------------------------------------------------


def _roster_point(request: HttpRequest, pk: int, capability: str = Capability.VIEW_AGGREGATES) -> BridgePoint:
    """A site whose roster the user may read: names are for those who record the site or may
    see the persons of its unit."""
    point = access_point(by=request.user, pk=pk, capability=capability)
    if not may_see_participants(request.user, point):
        raise PermissionDenied(_("Your role does not allow seeing who attended."))
    return point


def point_roster_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the roster; POST: the ticks of the roster (only the rows that changed)."""
    if request.method == "POST":
        point = _roster_point(request, pk, Capability.EDIT_RECORDS)
        roster = selectors.point_roster(point)
        rows = [*roster.present, *roster.registered, *roster.absent]
        changes = roster_marks(request.POST, rows, mandatory=roster.shows_absent_names)
        marks = [services.RosterMark(pid, status, late, reason) for pid, status, late, reason in changes]
        try:
            if marks:
                services.roster_mark(by=request.user, point=point, marks=marks)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext("%(count)s row was changed.", "%(count)s rows were changed.", len(marks))
                % {"count": len(marks)},
            )
        return redirect("meetings:point_roster", point.pk)
    point = _roster_point(request, pk)
    return _roster_page(request, point)


def _roster_page(request: HttpRequest, point: BridgePoint, register_form: RegisterForm | None = None) -> HttpResponse:
    may_record = point.conference.status != Conference.Status.CANCELLED and may_record_point(request.user, point)
    search = PersonSearchForm(request.GET or None)
    q = (search.cleaned_data.get("q") or "").strip() if search.is_valid() else ""
    candidates = (
        list(people_selectors.persons_for_user(request.user, unit=point.unit, q=q)[:CANDIDATE_LIMIT])
        if q and may_record
        else []
    )
    context = {
        "point": point,
        "conference": point.conference,
        "per_person": point.mode == BridgePoint.Mode.PER_PERSON,
        "may_record": may_record,
        "search": search,
        "q": q,
        "candidates": candidates,
        "register_form": register_form or RegisterForm(initial={"category": Category.PARTY_MEMBERS}),
    }
    if wants_fragment(request) and _htmx_target(request) == "register-candidates":
        return render(request, "meetings/partials/_register_candidates.html", context)
    context["roster"] = selectors.point_roster(point)
    return render(request, "meetings/point_roster.html", context)


@require_POST
def point_register(request: HttpRequest, pk: int) -> HttpResponse:
    point = access_point(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = RegisterForm(request.POST)
    if form.is_valid():
        category = form.cleaned_data["category"]
        persons = list(persons_in_scope(request.user).filter(pk__in=form.cleaned_data["person"][:1000]))
        try:
            added = services.participants_register(
                by=request.user,
                point=point,
                people=[(person, category) for person in persons],
                names=[(name, category) for name in form.name_lines()],
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(
                request,
                ngettext("%(count)s person was registered.", "%(count)s persons were registered.", added)
                % {"count": added},
            )
            return redirect("meetings:point_roster", point.pk)
    return _roster_page(request, point, register_form=form)
