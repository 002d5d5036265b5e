"""The rubrics' list and revision page, and the declared conflicts' pages. The same gates and
services as the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.accounts.permissions import has_capability, scope_root_ids
from lantoa.core.errors import ApplicationError, NotFound
from lantoa.core.forms import Form, ServiceErrorMixin
from lantoa.judging import services
from lantoa.judging.forms import RubricForm
from lantoa.judging.models import REASON_MAX, DeclaredConflict, Entry, JuryMember, Rubric
from lantoa.judging.permissions import (
    READ,
    RUN,
    access_competition,
    access_competition_to_run,
    access_rubric,
    access_sheet,
    may_run,
    require_signed_in_reader,
    rubrics_visible_to,
    staff_sees,
)
from lantoa.judging.presenters import entrant_name
from lantoa.org.selectors import subtree_ids

LIST_MAX = 500


# --- Rubrics ------------------------------------------------------------------------------------


@require_GET
def rubric_list(request: HttpRequest) -> HttpResponse:
    require_signed_in_reader(request.user)
    visible = rubrics_visible_to(request.user)
    rubrics = list(visible.select_related("unit", "current").order_by("name", "pk")[:LIST_MAX])
    revisable = _revisable_ids(request, visible)
    rows = [(rubric, rubric.pk in revisable) for rubric in rubrics]
    context = {"rows": rows, "may_organise": has_capability(request.user, RUN)}
    return render(request, "judging/rubric_list.html", context)


def _revisable_ids(request: HttpRequest, rubrics: Any) -> set[int]:
    """The rubrics ``request.user`` may revise, in one query whatever their number: those of a
    unit open today within a scope where the user records work (a closed unit's rubric is only
    read)."""
    roots = scope_root_ids(request.user, RUN)
    if not roots:
        return set()
    return set(rubrics.filter(unit_id__in=subtree_ids(roots)).values_list("pk", flat=True))


def _criteria_text(rubric: Rubric) -> str:
    if rubric.current is None:
        return ""
    lines = []
    for c in rubric.current.criteria.order_by("position"):
        lines.append(f"{c.section} | {c.name} | {c.weight.normalize():f} | {c.max_score.normalize():f}")
        lines += [f"- {Decimal(level['score']).normalize():f}: {level['text']}" for level in c.descriptors or []]
    return "\n".join(lines)


class RevisionForm(RubricForm):
    """The rubric form without the unit and the name, which a revision keeps."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["unit"]
        del self.fields["name"]


@require_http_methods(["GET", "POST"])
def rubric_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Revising writes a new version; stages and campaigns set up on an earlier one keep it.
    Each criterion's level descriptors are the lines starting with a dash beneath it, shown as
    the current version holds them, so a revision keeps them unless they are edited."""
    rubric = access_rubric(by=request.user, pk=pk, run=True)
    form = RevisionForm(request.POST or None, initial={"criteria": _criteria_text(rubric)})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.rubric_revise(by=request.user, rubric=rubric, criteria=form.cleaned_data["criteria"])
            messages.success(request, _("Version %(n)s of the rubric saved.") % {"n": version.number})
            return redirect("judging:rubric_list")
        except ApplicationError as error:
            form.show_error(error)
    context = {"form": form, "heading": _("Revise the rubric “%(name)s”") % {"name": rubric.name}, "rubric": rubric}
    return render(request, "judging/rubric_revise.html", context, status=422 if form.errors else 200)


# --- Declared conflicts -------------------------------------------------------------------------


class ReasonForm(Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=REASON_MAX, required=False)


@require_POST
def sheet_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """A juror declares, on their own open sheet, that they should not score its entry: the
    sheet is withdrawn and the secretary assigns the entry again."""
    sheet = access_sheet(by=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("reason", [])))
        return redirect("judging:sheet_detail", pk=sheet.pk)
    try:
        services.conflict_declare(
            by=request.user,
            person=sheet.juror.person,
            entry=sheet.entry,
            declared_by=DeclaredConflict.DeclaredBy.JUROR,
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("judging:sheet_detail", pk=sheet.pk)
    messages.success(request, _("Conflict of interest declared. The sheet goes to another juror."))
    return redirect("judging:sheet_list")


class ConflictForm(ServiceErrorMixin, Form):
    entry = forms.TypedChoiceField(label=gettext_lazy("Entry"), coerce=int)
    person = forms.TypedChoiceField(label=gettext_lazy("Juror"), coerce=int)
    declared_by = forms.ChoiceField(label=gettext_lazy("Declared by"), choices=DeclaredConflict.DeclaredBy.choices)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=REASON_MAX, required=False)

    def __init__(self, *args: Any, entries: list[tuple[int, str]], jurors: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = entries  # type: ignore[attr-defined]
        self.fields["person"].choices = jurors  # type: ignore[attr-defined]


def _conflict_choices(competition_id: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    entries = Entry.objects.filter(competition_id=competition_id).select_related("person", "unit").order_by("pk")
    jurors = (
        JuryMember.objects.filter(stage__competition_id=competition_id)
        .select_related("person")
        .order_by("person__family_name", "person_id")
    )
    people = {member.person_id: member.person.full_name for member in jurors}
    return (
        [(entry.pk, f"{entry.pk:06d} · {entry.title} · {entrant_name(entry)}") for entry in entries[: LIST_MAX * 4]],
        list(people.items()),
    )


@require_http_methods(["GET", "POST"])
def competition_conflicts(request: HttpRequest, pk: int) -> HttpResponse:
    """The contest's declared conflicts; its organisers record one for a juror or an entrant."""
    competition = access_competition(by=request.user, pk=pk)
    runs = may_run(request.user, competition)
    if not runs and not (has_capability(request.user, READ) and staff_sees(request.user, competition)):
        raise NotFound(_("No such contest."), extra={"id": pk})
    form = None
    if runs:
        entries, jurors = _conflict_choices(competition.pk)
        form = ConflictForm(request.POST or None, entries=entries, jurors=jurors)
    if request.method == "POST":
        competition = access_competition_to_run(by=request.user, pk=pk)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            entry = Entry.objects.get(pk=data["entry"], competition=competition)
            member = JuryMember.objects.filter(stage__competition=competition, person_id=data["person"]).first()
            try:
                if member is None:
                    raise NotFound(_("No such juror."), extra={"field": "person"})
                result = services.conflict_declare(
                    by=request.user, person=member.person, entry=entry, declared_by=data["declared_by"],
                    reason=data["reason"],
                )  # fmt: skip
                messages.success(request, _("Conflict recorded.") if result.created else _("Already recorded."))
                return redirect("judging:competition_conflicts", pk=competition.pk)
            except ApplicationError as error:
                form.show_error(error)
    conflicts = (
        DeclaredConflict.objects.filter(entry__competition=competition)
        .select_related("person", "entry__person", "entry__unit")
        .order_by("-created_at", "pk")
    )
    rows = [(conflict, entrant_name(conflict.entry)) for conflict in conflicts]
    context = {"competition": competition, "rows": rows, "form": form}
    status = 422 if form is not None and form.errors else 200
    return render(request, "judging/conflicts.html", context, status=status)
