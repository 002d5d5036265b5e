"""Pages of study conferences: the list, planning one, a conference with its sites, its
attachments, marking it held, cancelling it and adding bridge points.

Each view parses input, asks a gate, calls a service or selector and renders — nothing else."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError
from lantoa.core.htmx import wants_fragment
from lantoa.core.uploads import kept_file_response
from lantoa.meetings import selectors, services
from lantoa.meetings.forms import (
    UNIT_OPTIONS_ID,
    AttachmentForm,
    CancelForm,
    ConferenceFilterForm,
    ConferenceForm,
    PointsAddForm,
    PointsChildrenForm,
    PresenterFormSet,
    presenter_initial,
    presenters_from,
)
from lantoa.meetings.models import Category, Conference, Format
from lantoa.meetings.permissions import (
    access_attachment,
    access_conference,
    may_plan,
    may_plan_anywhere,
    require_planner,
)
from lantoa.meetings.presenters import presenter_views, site_contacts
from lantoa.meetings.views._common import CHOICE_LIMIT, _page, _require_figures, _unit_in_form
from lantoa.org.models import Unit
from lantoa.org.selectors import today

UNIT_SEARCH_LIMIT = 30


# --- The list ----------------------------------------------------------------------------------


def conference_list(request: HttpRequest) -> HttpResponse:
    _require_figures(request.user)
    form = ConferenceFilterForm(request.GET or None)
    values = form.values()
    code = values.pop("unit")
    unit = _unit_in_form(form, "unit", request.user, code, Capability.VIEW_UNITS) if code else None
    if code and unit is None:
        found: Any = selectors.conference_list_empty()
    else:
        found = selectors.conference_list_for_user(request.user, unit=unit, **values)
    page, query = _page(request, found)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "unit": unit,
        "may_plan": may_plan_anywhere(request.user),
    }
    template = "meetings/partials/_conference_table.html" if wants_fragment(request) else "meetings/list.html"
    return render(request, template, context)


@require_GET
def unit_search(request: HttpRequest) -> HttpResponse:
    """Options for unit-code inputs (htmx): units the user records for, matching the query.

    The query is the value of whichever input asked (htmx sends only that input's value)."""
    values = (str(value).strip() for name, value in request.GET.items() if name != "tier")
    q = next((value for value in values if value), "")
    units: list[Unit] = []
    if q:
        units = selectors.unit_options_for_user(
            request.user, q=q, tier=request.GET.get("tier", ""), limit=UNIT_SEARCH_LIMIT
        )
    return render(request, "meetings/partials/_unit_options.html", {"units": units})


# --- Planning ----------------------------------------------------------------------------------


def conference_new(request: HttpRequest) -> HttpResponse:
    require_planner(request.user)
    unit = current_unit(request)
    if unit is not None and not may_plan(request.user, unit):
        unit = None
    kind = selectors.conference_kind_default()
    initial = {
        "organiser": unit.code if unit else "",
        "level": services.level_for_unit(unit) if unit else "",
        "kind": kind.pk if kind else None,
        "format": Format.IN_PERSON,
        "starts_on": today(),
        "starts_at": dt.time(8, 0),
        "ends_at": dt.time(11, 0),
    }
    return _conference_form(request, None, initial)


def conference_edit(request: HttpRequest, pk: int) -> HttpResponse:
    conference = access_conference(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    if conference.status == Conference.Status.CANCELLED:
        messages.error(request, _("A cancelled conference cannot be changed."))
        return redirect("meetings:detail", conference.pk)
    return _conference_form(request, conference, ConferenceForm.initial_for(conference))


def _conference_form(request: HttpRequest, conference: Conference | None, initial: dict[str, Any]) -> HttpResponse:
    existing = [p.person for p in selectors.conference_presenters(conference) if p.person_id] if conference else []
    reporters = selectors.presenter_choices(request.user, existing, limit=CHOICE_LIMIT)
    documents, hidden_documents = selectors.conference_document_choices(request.user, conference, limit=CHOICE_LIMIT)
    posted = request.method == "POST"
    form = ConferenceForm(request.POST if posted else None, initial=initial, documents=documents)
    presenters = PresenterFormSet(
        request.POST if posted else None,
        prefix="presenters",
        initial=presenter_initial(conference) if conference else None,
        form_kwargs={"reporters": reporters},
    )
    if posted and form.is_valid() and presenters.is_valid():
        organiser = _unit_in_form(form, "organiser", request.user, form.cleaned_data["organiser"])
        if organiser is not None:
            chosen = set(form.cleaned_data.get("documents") or [])
            data = form.to_data(
                organiser=organiser,
                documents=[d for d in documents if d.pk in chosen] + hidden_documents,
                presenters=presenters_from(presenters, {p.pk: p for p in reporters}),
            )
            try:
                if conference is None:
                    saved = services.conference_create(by=request.user, data=data).obj
                else:
                    saved = services.conference_update(by=request.user, conference=conference, data=data)
            except ApplicationError as error:
                form.show_error(error)
            else:
                if conference is None:
                    messages.success(
                        request,
                        _("The conference was planned. Its host site is %(unit)s.") % {"unit": saved.organiser.name},
                    )
                else:
                    messages.success(request, _("The conference was saved."))
                return redirect("meetings:detail", saved.pk)
    context = {"form": form, "presenters": presenters, "conference": conference, "options_id": UNIT_OPTIONS_ID}
    return render(request, "meetings/conference_form.html", context)


# --- A conference ------------------------------------------------------------------------------


def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _conference_page(request, pk)


def _children_form(conference: Conference, open_for_changes: bool) -> PointsChildrenForm | None:
    """The empty "all units of a tier" form: the units of the tier below the organiser."""
    if not open_for_changes:
        return None
    organiser = conference.organiser
    return PointsChildrenForm.for_unit(organiser, selectors.tier_below(organiser, conference.held_on))


def _conference_page(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    page = selectors.conference_page(request.user, pk)
    conference = page.conference
    open_for_changes = page.may_change and conference.status != Conference.Status.CANCELLED
    expected = conference.expected or {}
    contacts = site_contacts(request.user, page.points, recordable=page.recordable)
    context = {
        "page": page,
        "conference": conference,
        "rows": [
            {
                "point": p,
                "log": page.log.get(p.pk, []),
                "recordable": p.pk in page.recordable,
                "contact": contacts[p.pk],
            }
            for p in page.points
        ],
        "presenters": presenter_views(selectors.conference_presenters(conference)),
        "categories": [
            {"label": label, "present": page.totals.get(value, 0), "expected": expected.get(value)}
            for value, label in Category.choices
        ],
        "expected_total": sum(v for v in expected.values() if isinstance(v, int)),
        "may_change": open_for_changes,
        "may_mark_held": page.may_change and conference.status == Conference.Status.PLANNED,
        "may_cancel": page.may_change and conference.status == Conference.Status.PLANNED,
        # A refused addition shows its form again, with the reason, even on an in-person conference.
        "may_add_points": open_for_changes
        and (conference.is_relayed or "points_form" in forms or "children_form" in forms),
        "points_form": forms.get("points_form") or PointsAddForm(),
        "children_form": forms.get("children_form") or _children_form(conference, open_for_changes),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "attachments": list(conference.attachments.all()),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "options_id": UNIT_OPTIONS_ID,
    }
    return render(request, "meetings/conference_detail.html", context)


@require_POST
def attachment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    conference = access_conference(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                by=request.user, conference=conference, upload=form.cleaned_data["file"], kind=form.cleaned_data["kind"]
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The file was added to the conference."))
            return redirect(reverse("meetings:detail", args=[conference.pk]) + "#attachments")
    return _conference_page(request, conference.pk, attachment_form=form)


def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    attachment = access_attachment(by=request.user, pk=pk)
    return kept_file_response(attachment)


@require_POST
def conference_held(request: HttpRequest, pk: int) -> HttpResponse:
    conference = access_conference(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    try:
        services.conference_mark_held(by=request.user, conference=conference)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The conference was marked as held: it now counts in the figures."))
    return redirect("meetings:detail", conference.pk)


def conference_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    conference = access_conference(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conference_cancel(by=request.user, conference=conference, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The conference was cancelled."))
            return redirect("meetings:detail", conference.pk)
    return render(request, "meetings/conference_cancel.html", {"conference": conference, "form": form})


@require_POST
def points_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    conference = access_conference(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = PointsAddForm(request.POST)
    if form.is_valid():
        units = [_unit_in_form(form, "units", request.user, code) for code in form.codes()]
        if not form.errors:
            sites = [
                services.SiteData(
                    unit=unit,
                    mode=form.cleaned_data["mode"],
                    location=form.cleaned_data.get("location") or "",
                    contact_name=form.cleaned_data.get("contact_name") or "",
                    contact_phone=form.cleaned_data.get("contact_phone") or "",
                )
                for unit in units
                if unit is not None
            ]
            if _points_added(request, form, conference, sites):
                return redirect(reverse("meetings:detail", args=[conference.pk]) + "#sites")
    return _conference_page(request, conference.pk, points_form=form)


@require_POST
def points_add_children(request: HttpRequest, pk: int) -> HttpResponse:
    conference = access_conference(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = PointsChildrenForm(request.POST)
    if form.is_valid():
        parent = _unit_in_form(form, "parent", request.user, form.cleaned_data["parent"])
        if parent is not None:
            day = conference.held_on
            units = list(selectors.units_of_tier_under(parent, form.cleaned_data["tier"], day))
            if not units:
                form.add_error(
                    "tier",
                    _("No unit of this tier was under %(unit)s on %(day)s.")
                    % {"unit": parent.name, "day": date_format(day, "SHORT_DATE_FORMAT")},
                )
            else:
                sites = [services.SiteData(unit=unit, mode=form.cleaned_data["mode"]) for unit in units]
                if _points_added(request, form, conference, sites):
                    return redirect(reverse("meetings:detail", args=[conference.pk]) + "#sites")
    return _conference_page(request, conference.pk, children_form=form)


def _points_added(request: HttpRequest, form: Any, conference: Conference, sites: list[Any]) -> bool:
    try:
        added = services.points_add(by=request.user, conference=conference, sites=sites)
    except ApplicationError as error:
        form.show_error(error)
        return False
    if added:
        messages.success(
            request,
            ngettext("%(count)s bridge point was added.", "%(count)s bridge points were added.", len(added))
            % {"count": len(added)},
        )
    else:
        messages.info(request, _("These units already have a site of this conference."))
    return True
