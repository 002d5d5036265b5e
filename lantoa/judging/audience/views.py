"""The audience vote's pages: the organiser's page (open and close the vote, generate and print
ballots, see the counts) and the public vote page.

The public page (``/judging/vote/<stage>/``) is small, works without JavaScript and sets no
cookie for an anonymous visitor (it is on ``LANTOA_PUBLIC_PATHS``): the phone's step from "send me
a code" to "here is the code" travels in a hidden field of the form, not in a session. It calls
the same services as the API and counts in the same limits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.core.clients import client_address
from lantoa.core.errors import ApplicationError, TooManyRequests, ValidationFailed
from lantoa.core.forms import Form
from lantoa.judging.audience import selectors, services
from lantoa.judging.audience.sheet import ballots_response
from lantoa.judging.models import BALLOT_BATCH_MAX, Stage
from lantoa.judging.permissions import access_stage, may_run_stage

_LOCAL = "%Y-%m-%dT%H:%M"


class PollForm(Form):
    opens_at = forms.DateTimeField(
        label=gettext_lazy("Voting opens"),
        input_formats=[_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL),
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Voting closes"),
        input_formats=[_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL),
    )


class BallotsForm(Form):
    count = forms.IntegerField(label=gettext_lazy("Number of ballots"), min_value=1, max_value=BALLOT_BATCH_MAX)


# --- The organiser's page ------------------------------------------------------------------------


def _organiser_page(
    request: HttpRequest, stage: Stage, *, poll_form: PollForm | None = None, status: int = 200
) -> HttpResponse:
    summary = selectors.poll_summary(stage)
    poll = summary.poll
    if poll_form is None:
        if poll is not None:
            initial = {"opens_at": timezone.localtime(poll.opens_at), "closes_at": timezone.localtime(poll.closes_at)}
        else:
            start = timezone.localtime().replace(second=0, microsecond=0)
            initial = {"opens_at": start, "closes_at": start + dt.timedelta(hours=3)}
        poll_form = PollForm(initial=initial)
    context = {
        "stage": stage,
        "competition": stage.competition,
        "summary": summary,
        "state": selectors.poll_state(poll, timezone.now()) if poll else "none",
        "may_run": may_run_stage(request.user, stage),
        "poll_form": poll_form,
        "ballots_form": BallotsForm(initial={"count": 500}),
    }
    return render(request, "judging/audience_detail.html", context, status=status)


@require_GET
def audience_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(by=request.user, pk=pk)
    return _organiser_page(request, stage)


@require_POST
def audience_open(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(by=request.user, pk=pk, run=True)
    form = PollForm(request.POST)
    if not form.is_valid():
        return _organiser_page(request, stage, poll_form=form, status=422)
    try:
        services.poll_open(
            by=request.user,
            stage=stage,
            opens_at=form.cleaned_data["opens_at"],
            closes_at=form.cleaned_data["closes_at"],
        )
    except ValidationFailed as error:
        field = error.extra.get("field")
        form.add_error(field if field in form.fields else None, error.message)
        return _organiser_page(request, stage, poll_form=form, status=error.status)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The audience vote's times are saved."))
    return redirect("judging:audience_detail", pk=stage.pk)


@require_POST
def audience_close(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(by=request.user, pk=pk, run=True)
    try:
        services.poll_close(by=request.user, stage=stage)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The audience vote is closed."))
    return redirect("judging:audience_detail", pk=stage.pk)


@require_POST
def audience_ballots(request: HttpRequest, pk: int) -> HttpResponse:
    stage = access_stage(by=request.user, pk=pk, run=True)
    form = BallotsForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for e in form.errors.get("count", [])) or _("Enter a number of ballots.")
        )
        return redirect("judging:audience_detail", pk=stage.pk)
    try:
        batch = services.ballots_issue(by=request.user, stage=stage, count=form.cleaned_data["count"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Batch %(batch)s: %(count)s ballots generated. Print them from the list below.")
            % {"batch": batch, "count": form.cleaned_data["count"]},
        )
    return redirect("judging:audience_detail", pk=stage.pk)


@require_GET
def audience_ballots_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch's ballots (``?batch=2``), or every batch's, as PDF."""
    stage = access_stage(by=request.user, pk=pk, run=True)
    raw = request.GET.get("batch", "")
    if raw and not (raw.isdigit() and len(raw) < 8):
        raise Http404
    return ballots_response(request, stage, int(raw) if raw else None)


# --- The public vote page ------------------------------------------------------------------------


def _public_stage(pk: int) -> Stage:
    try:
        return selectors.public_stage(pk)
    except ApplicationError as error:
        raise Http404 from error


def _page(request: HttpRequest, stage: Stage, template: str, status: int = 200, **extra: Any) -> HttpResponse:
    poll = stage.audience_poll
    context = {
        "stage": stage,
        "competition": stage.competition,
        "poll": poll,
        "closes_at": timezone.localtime(poll.closes_at),
        "opens_at": timezone.localtime(poll.opens_at),
        "entries": selectors.public_entries(stage),
        **extra,
    }
    return render(request, template, context, status=status)


def _message(request: HttpRequest, stage: Stage, error: ApplicationError) -> HttpResponse:
    response = _page(request, stage, "judging/vote_message.html", status=error.status, title=error.message)
    if isinstance(error, TooManyRequests):
        response["Retry-After"] = str(error.retry_after)
    return response


def _entry(request: HttpRequest) -> int:
    value = request.POST.get("entry", "")
    return int(value) if value.isdigit() and len(value) < 19 else 0


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The vote page (what a ballot's QR code opens, with the code filled in), the ballot vote,
    the request for a phone code and the phone vote."""
    stage = _public_stage(pk)
    state = selectors.poll_state(stage.audience_poll, timezone.now())
    if state != "open":
        return _page(
            request, stage, "judging/vote_message.html", status=409 if request.method == "POST" else 200, state=state
        )
    if request.method != "POST":
        ballot = services.normal_ballot(request.GET.get("ballot", ""))
        return _page(request, stage, "judging/vote.html", ballot=services.shown_ballot(ballot) if ballot else "")
    action = request.POST.get("action", "")
    address = client_address(request)
    posted = {key: request.POST.get(key, "")[:64] for key in ("ballot", "phone", "token", "code")}
    chosen = _entry(request)
    try:
        if action == "ballot":
            services.vote_by_ballot(stage=stage, entry_id=chosen, ballot=posted["ballot"], address=address)
        elif action == "phone":
            token = services.code_request(stage=stage, phone=posted["phone"], address=address)
            return _page(request, stage, "judging/vote_code.html", token=token)
        elif action == "code":
            services.vote_by_phone(
                stage=stage, entry_id=chosen, token=posted["token"], code=posted["code"], address=address
            )
        else:
            return _page(request, stage, "judging/vote.html", status=400)
    except ValidationFailed as error:
        template = "judging/vote_code.html" if action == "code" else "judging/vote.html"
        expired = error.code in {"code_expired", "code_locked", "code_unknown"}
        return _page(
            request,
            stage,
            "judging/vote.html" if expired else template,
            status=error.status,
            error=error.message,
            error_field=error.extra.get("field"),
            chosen=chosen,
            ballot=posted["ballot"],
            phone=posted["phone"] if action == "phone" else "",
            token=posted["token"],
        )
    except ApplicationError as error:
        return _message(request, stage, error)
    return _page(request, stage, "judging/vote_done.html")
