"""Organisers' pages of contests: the list, creating and changing a contest, a contest with its
rounds, adding and changing a round, and a round's live figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lantoa.accounts.roles import Capability
from lantoa.contests import selectors, services
from lantoa.contests.forms import ContestForm, RoundForm, rules_text
from lantoa.contests.permissions import (
    access_contest,
    access_organising_unit,
    access_round,
    may_change_contest,
    may_create_banks,
    require_bank_reader,
)
from lantoa.contests.views.banks import _page, organiser_initial, show_organiser_error
from lantoa.core.errors import ApplicationError, NotFound


def contest_list(request: HttpRequest) -> HttpResponse:
    require_bank_reader(request.user)
    q = (request.GET.get("q") or "").strip()[:200]
    page, query = _page(request, selectors.contest_list_for_user(request.user, q=q))
    context = {"page": page, "query": query, "q": q, "may_create": may_create_banks(request.user)}
    return render(request, "contests/contest_list.html", context)


def _contest_values(form: ContestForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.CONTEST_FIELDS}


@require_http_methods(["GET", "POST"])
def contest_new(request: HttpRequest) -> HttpResponse:
    if not may_create_banks(request.user):
        raise NotFound(_("Page not found."))
    initial = organiser_initial(request)
    form = ContestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            owner = access_organising_unit(
                by=request.user,
                code=form.cleaned_data["unit"],
                refusal=_("Your role does not allow organising contests for this unit."),
            )
            data = services.ContestData(unit=owner, **_contest_values(form))
            contest = services.contest_create(by=request.user, data=data).obj
        except ApplicationError as error:
            show_organiser_error(form, error)
        else:
            messages.success(request, _("The contest was created. Add its rounds."))
            return redirect("contests:contest_detail", contest.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "contests/contest_form.html", {"form": form, "contest": None}, status=status)


@require_http_methods(["GET", "POST"])
def contest_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    initial = {name: getattr(contest, name) for name in services.CONTEST_FIELDS} | {"unit": contest.unit.code}
    form = ContestForm(request.POST or None, initial=initial)
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_update(by=request.user, contest=contest, changes=_contest_values(form))
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The contest was saved."))
            return redirect("contests:contest_detail", contest.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "contests/contest_form.html", {"form": form, "contest": contest}, status=status)


def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest(by=request.user, pk=pk)
    context = {
        "contest": contest,
        "rounds": selectors.contest_rounds(contest),
        "may_change": may_change_contest(request.user, contest),
        "public_url": request.build_absolute_uri(f"/contests/play/{contest.pk}/"),
    }
    return render(request, "contests/contest_detail.html", context)


def _banks(request: HttpRequest) -> list[Any]:
    return list(selectors.bank_list_for_user(request.user))


def _round_form(request: HttpRequest, contest: Any, round_: Any, form: RoundForm) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "contest": contest, "round": round_}
    return render(request, "contests/round_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = RoundForm(request.POST or None, banks=_banks(request))
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(
                by=request.user, contest=contest, data=services.RoundData(**form.data_values())
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The round was added."))
            return redirect("contests:round_detail", round_.pk)
    return _round_form(request, contest, None, form)


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access_round(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    initial = {name: getattr(round_, name) for name in services.ROUND_FIELDS}
    initial["bank"] = round_.bank_id
    initial["draw_rules"] = rules_text(round_.draw_rules)
    for name in ("opens_at", "closes_at"):
        initial[name] = timezone.localtime(initial[name])
    form = RoundForm(request.POST or None, initial=initial, banks=_banks(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(by=request.user, round_=round_, changes=form.data_values())
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The round was saved."))
            return redirect("contests:round_detail", round_.pk)
    return _round_form(request, round_.contest, round_, form)


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's settings and its live figures: attempts started, entries, distinct
    contestants, and by unit (two queries, whatever the number of units)."""
    round_ = access_round(by=request.user, pk=pk)
    context = {
        "round": round_,
        "contest": round_.contest,
        "figures": selectors.round_figures(round_),
        "may_change": may_change_contest(request.user, round_.contest),
    }
    return render(request, "contests/round_detail.html", context)
