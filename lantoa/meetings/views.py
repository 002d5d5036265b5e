"""Pages of study conferences: the list, planning, a conference with its sites, a site with its
headcount, connection reports and roster, study reflections and recurring series.

Each view parses input, asks a gate, calls a service or selector and renders — nothing else.
The calendar, check-in, rollup and import pages live in their own ``views_*`` modules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.permissions import has_capability, scope_root_ids, units_for
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, NotFound, PermissionDenied
from lantoa.core.text import vn_sort_key
from lantoa.library.permissions import access_document, documents_visible_to
from lantoa.meetings import selectors, services
from lantoa.meetings.forms import (
    UNIT_OPTIONS_ID,
    AttachmentForm,
    CancelForm,
    ConferenceFilterForm,
    ConferenceForm,
    ConnectionForm,
    HeadcountForm,
    PersonSearchForm,
    PointsAddForm,
    PointsChildrenForm,
    PresenterFormSet,
    ReflectionForm,
    RegisterForm,
    SeriesForm,
    SiteForm,
    presenter_initial,
    presenters_from,
    roster_marks,
)
from lantoa.meetings.models import BridgePoint, Category, Conference, ConferenceAttachment, ConferenceKind, Format
from lantoa.meetings.permissions import (
    access_conference,
    access_point,
    access_series,
    conferences_visible_to,
    may_change,
    may_plan,
    may_record_point,
    reflections_visible_to,
    series_visible_to,
)
from lantoa.meetings.presenters import presenter_views, site_contact, site_contacts
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import today
from lantoa.org.selectors import unit_search as org_unit_search
from lantoa.people import selectors as people_selectors
from lantoa.people.permissions import persons_in_scope

PAGE_SIZE = 50
UNIT_SEARCH_LIMIT = 30
CHOICE_LIMIT = 300
CANDIDATE_LIMIT = 50


def _htmx(request: HttpRequest) -> bool:
    """An htmx request for a fragment (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def _htmx_target(request: HttpRequest) -> str:
    htmx = getattr(request, "htmx", None)
    return (getattr(htmx, "target", None) or "") if htmx else ""


def _require_figures(by: Any) -> None:
    """The lists are for users who see figures somewhere; for anyone else there is nothing here."""
    if not has_capability(by, Capability.VIEW_AGGREGATES):
        raise NotFound(_("Page not found."))


def _unit_in_form(form: Any, field: str, by: Any, code: str, capability: str = Capability.EDIT_RECORDS) -> Unit | None:
    """The unit a form names, through the gate; a refusal is shown next to the field."""
    try:
        return access_unit(by=by, code=(code or "").strip(), capability=capability)
    except ApplicationError as error:
        form.add_error(field, error.message)
        return None


def _page(request: HttpRequest, rows: Any) -> tuple[Any, str]:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


# --- The list ----------------------------------------------------------------------------------


def conference_list(request: HttpRequest) -> HttpResponse:
    _require_figures(request.user)
    form = ConferenceFilterForm(request.GET or None)
    values = form.values()
    code = values.pop("unit")
    unit = _unit_in_form(form, "unit", request.user, code, Capability.VIEW_UNITS) if code else None
    if code and unit is None:
        found: Any = Conference.objects.none()
    else:
        found = selectors.conference_list_for_user(request.user, unit=unit, **values)
    page, query = _page(request, found)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "unit": unit,
        "may_plan": has_capability(request.user, Capability.EDIT_RECORDS),
    }
    template = "meetings/partials/_conference_table.html" if _htmx(request) else "meetings/list.html"
    return render(request, template, context)


@require_GET
def unit_search(request: HttpRequest) -> HttpResponse:
    """Options for unit-code inputs (htmx): units the user records for, matching the query.

    The query is the value of whichever input asked (htmx sends only that input's value)."""
    values = (str(value).strip() for name, value in request.GET.items() if name != "tier")
    q = next((value for value in values if value), "")
    units: list[Unit] = []
    if q:
        scope = units_for(request.user, Capability.EDIT_RECORDS)
        found = org_unit_search(scope, q=q, tier=request.GET.get("tier", ""), as_of=today())
        units = sorted(found.order_by("name")[:UNIT_SEARCH_LIMIT], key=lambda unit: vn_sort_key(unit.name))
    return render(request, "meetings/partials/_unit_options.html", {"units": units})


# --- Planning ----------------------------------------------------------------------------------


def _reporters(by: Any, extra: list[Any] = ()) -> list[Any]:  # type: ignore[assignment]
    """Reporters the user may see (holding the role today, in any of the user's subtrees),
    and the persons already presenting."""
    persons: dict[int, Any] = {p.pk: p for p in extra}
    roots = Unit.objects.filter(pk__in=scope_root_ids(by, Capability.VIEW_PERSONS))
    for root in roots:
        roles = people_selectors.roster_for_user(by, people_selectors.RosterFilter(unit=root, role="reporter"))
        for assignment in roles[:CHOICE_LIMIT]:
            persons.setdefault(assignment.person_id, assignment.person)
    return list(persons.values())


def _document_choices(by: Any, conference: Conference | None) -> tuple[list[Any], list[Any]]:
    """(documents the user may choose, documents of the conference the user may not read —
    kept as they are)."""
    visible = documents_visible_to(by)
    recent = list(visible.order_by("-issued_on", "-pk")[:CHOICE_LIMIT])
    hidden: list[Any] = []
    if conference is not None:
        chosen = list(conference.documents.all())
        readable = set(visible.filter(pk__in=[d.pk for d in chosen]).values_list("pk", flat=True))
        known = {d.pk for d in recent}
        recent += [d for d in chosen if d.pk in readable and d.pk not in known]
        hidden = [d for d in chosen if d.pk not in readable]
    return recent, hidden


def conference_new(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Capability.EDIT_RECORDS):
        raise NotFound(_("You have no unit to plan conferences for."))
    unit = current_unit(request)
    if unit is not None and not may_plan(request.user, unit):
        unit = None
    kind = ConferenceKind.objects.filter(is_active=True).first()
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
    existing = [p.person for p in conference.presenters.select_related("person") if p.person_id] if conference else []
    reporters = _reporters(request.user, existing)
    documents, hidden_documents = _document_choices(request.user, conference)
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
        "presenters": presenter_views(conference.presenters.select_related("person")),
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
    attachment = get_object_or_404(ConferenceAttachment, pk=pk)
    access_conference(by=request.user, pk=attachment.conference_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


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


# --- A site ------------------------------------------------------------------------------------


def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    point = access_point(by=request.user, pk=pk)
    return _point_page(request, point)


def _point_page(request: HttpRequest, point: BridgePoint, **forms: Any) -> HttpResponse:
    conference = point.conference
    per_person = point.mode == BridgePoint.Mode.PER_PERSON
    log = list(point.connection_log.select_related("by").order_by("at", "pk"))
    participants = point.participants.count() if per_person else 0
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
        "may_see_roster": recorder or has_capability(request.user, Capability.VIEW_PERSONS, point.unit),
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
    if not (may_record_point(request.user, point) or has_capability(request.user, Capability.VIEW_PERSONS, point.unit)):
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
    if _htmx(request) and _htmx_target(request) == "register-candidates":
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


# --- Study reflections -------------------------------------------------------------------------


def reflections(request: HttpRequest) -> HttpResponse:
    _require_figures(request.user)
    may_record = has_capability(request.user, Capability.EDIT_RECORDS)
    form = None
    if may_record:
        unit = current_unit(request)
        conferences = list(conferences_visible_to(request.user).order_by("-starts_at", "-pk")[:CHOICE_LIMIT])
        documents = list(documents_visible_to(request.user).order_by("-issued_on", "-pk")[:CHOICE_LIMIT])
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
    rows = reflections_visible_to(request.user).select_related("unit", "conference", "document")
    page, query = _page(request, rows.order_by("-recorded_on", "-pk"))
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


# --- Recurring series --------------------------------------------------------------------------


def series_list(request: HttpRequest) -> HttpResponse:
    _require_figures(request.user)
    rows = series_visible_to(request.user).select_related("kind", "organiser").order_by("title", "pk")
    page, query = _page(request, rows)
    context = {"page": page, "query": query, "may_plan": has_capability(request.user, Capability.EDIT_RECORDS)}
    return render(request, "meetings/series_list.html", context)


def series_new(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Capability.EDIT_RECORDS):
        raise NotFound(_("You have no unit to plan conferences for."))
    unit = current_unit(request)
    if unit is not None and not may_plan(request.user, unit):
        unit = None
    kind = ConferenceKind.objects.filter(code="reporters_monthly").first()
    initial = {
        "organiser": unit.code if unit else "",
        "level": services.level_for_unit(unit) if unit else "",
        "kind": kind.pk if kind else None,
        "starts_at_time": dt.time(8, 0),
    }
    form = SeriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        series = _series_created(request, form)
        if series is not None:
            messages.success(request, _("The series was created. Plan its next conference with one click."))
            return redirect("meetings:series_detail", series.pk)
    return render(request, "meetings/series_form.html", {"form": form, "options_id": UNIT_OPTIONS_ID})


def _series_created(request: HttpRequest, form: SeriesForm) -> Any:
    data = form.cleaned_data
    organiser = _unit_in_form(form, "organiser", request.user, data["organiser"])
    units = [_unit_in_form(form, "units", request.user, code) for code in form.codes()]
    if data.get("children_tier"):
        parent = _unit_in_form(form, "children_parent", request.user, data["children_parent"])
        if parent is not None:
            day = today()
            units += list(selectors.units_of_tier_under(parent, data["children_tier"], day))
    if form.errors or organiser is None:
        return None
    sites = [services.SiteData(unit=organiser, is_host=True)]
    taken = {organiser.pk}
    for unit in units:
        if unit is not None and unit.pk not in taken:
            taken.add(unit.pk)
            sites.append(services.SiteData(unit=unit))
    try:
        return services.series_create(by=request.user, data=form.to_data(organiser=organiser), sites=sites)
    except ApplicationError as error:
        form.show_error(error)
        return None


def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = access_series(by=request.user, pk=pk)
    conferences = selectors.conference_list_for_user(request.user).filter(series=series)
    page, query = _page(request, conferences)
    context = {
        "series": series,
        "page": page,
        "query": query,
        "sites": list(series.sites.select_related("unit__kind__tier")),
        "next_date": services.series_next_date(series),
        "may_plan": series.is_active and may_plan(request.user, series.organiser),
    }
    return render(request, "meetings/series_detail.html", context)


@require_POST
def series_plan_next_view(request: HttpRequest, pk: int) -> HttpResponse:
    series = access_series(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    try:
        conference = services.series_plan_next(by=request.user, series=series).obj
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("meetings:series_detail", series.pk)
    messages.success(
        request,
        _("The next conference was planned for %(day)s.")
        % {"day": date_format(conference.held_on, "SHORT_DATE_FORMAT")},
    )
    return redirect("meetings:detail", conference.pk)
