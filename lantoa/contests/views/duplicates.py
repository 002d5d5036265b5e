"""Likely duplicate contestants of a contest, for those who may change it: the pairs with their
attempts (contacts masked), marking a pair "not a duplicate", excluding a contestant from the
rankings or including them again."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.accounts.roles import Capability
from lantoa.contests import duplicates
from lantoa.contests.permissions import access_contest
from lantoa.contests.services.duplicates import contestant_exclude, duplicate_dismiss
from lantoa.core.errors import ApplicationError


def _number(request: HttpRequest, name: str) -> int:
    raw = (request.POST.get(name) or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else 0


@require_GET
def contest_duplicates(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    pairs = [duplicates.pair_out(pair) for pair in duplicates.duplicate_pairs(contest)]
    return render(request, "contests/duplicates.html", {"contest": contest, "pairs": pairs})


@require_POST
def duplicate_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    try:
        duplicate_dismiss(
            by=request.user, contest=contest, first=_number(request, "first"), second=_number(request, "second")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The two contestants are marked as two people."))
    return redirect("contests:contest_duplicates", contest.pk)


@require_POST
def contestant_exclusion(request: HttpRequest, pk: int, contestant_id: int) -> HttpResponse:
    contest = access_contest(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    excluded = request.POST.get("excluded") == "1"
    try:
        contestant_exclude(by=request.user, contest=contest, contestant_id=contestant_id, excluded=excluded)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        text = (
            _("Excluded from the rankings from the next close of each round.")
            if excluded
            else _("Included in the rankings again from the next close of each round.")
        )
        messages.success(request, text)
    return redirect("contests:contest_duplicates", contest.pk)
