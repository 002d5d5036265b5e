"""A round's results: the organisers' page (ranking, prizes, units, people and attempts, the
score distribution), closing the round, publishing its results, and the public results page.

The organisers' page reads what closing stored (a closed round) or computes the provisional
ranking (an open one), through :mod:`lantoa.contests.results` — the same reads as the API and
the exports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from lantoa.accounts.roles import Capability
from lantoa.contests import analysis, overall, referrals, results, results_xlsx, selectors, services
from lantoa.contests.certificates import certificates_filename
from lantoa.contests.models import PREDICTION_MAX, PredictionKind, Round
from lantoa.contests.permissions import access_contest, access_ranked_unit, access_round, may_change_contest
from lantoa.core.certificates import pdf_response
from lantoa.core.charts import bar_chart
from lantoa.core.errors import ApplicationError, ValidationFailed
from lantoa.core.forms import Form

PER_PAGE = results.TOP


class CloseForm(Form):
    actual = forms.IntegerField(
        label=gettext_lazy("Actual figure"),
        min_value=0,
        max_value=PREDICTION_MAX,
        required=False,
        help_text=gettext_lazy("Leave empty to count it from the attempts."),
    )


def _page_number(request: HttpRequest, count: int) -> int:
    pages = max(1, -(-count // PER_PAGE))
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    return min(max(1, number), pages)


def distribution_chart(round_: Round) -> Any:
    points = results.score_distribution(round_)
    return bar_chart(
        _("Contestants by score (their counted attempt)"),
        [
            (
                ngettext("%(n)s point", "%(n)s points", score) % {"n": score},
                people,
                number_format(people, force_grouping=True),
            )
            for score, people in points
        ],
    )


def _results_context(request: HttpRequest, round_: Round, close_form: CloseForm | None = None) -> dict[str, Any]:
    count = results.result_count(round_)
    page = _page_number(request, count)
    root = results.ranking_root(round_.contest, results.ranking_day(round_))
    parent = root
    code = (request.GET.get("unit") or "").strip()[:64]
    if code:
        parent = access_ranked_unit(round_=round_, code=code)
    may_change = may_change_contest(request.user, round_.contest)
    now = timezone.now()
    return {
        "round": round_,
        "contest": round_.contest,
        "figures": selectors.round_figures(round_),
        "rows": results.result_rows(round_, limit=PER_PAGE, offset=(page - 1) * PER_PAGE),
        "count": count,
        "page": page,
        "pages": max(1, -(-count // PER_PAGE)),
        "final": round_.closed_at is not None,
        "prizes": results.prize_winners(round_) if round_.closed_at is not None else [],
        "parent": parent,
        "root": root,
        "units": results.round_unit_ranking(round_, parent),
        "collective": round_.contest.prizes_collective,
        "chart": distribution_chart(round_),
        "may_change": may_change,
        "closable": may_change and services.round_close_refusal(round_, now) is None,
        "close_refusal": services.round_close_refusal(round_, now),
        "close_form": close_form or CloseForm(),
        "counted_prediction": round_.prediction_kind != PredictionKind.NONE,
        "weeks": results.round_weeks(round_),
        "year": results.results_year(round_),
        "public_url": request.build_absolute_uri(f"/contests/play/results/{round_.pk}/"),
    }


@require_GET
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access_round(by=request.user, pk=pk)
    return render(request, "contests/round_results.html", _results_context(request, round_))


@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access_round(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            closed = services.round_close(by=request.user, round_=round_, actual=form.cleaned_data["actual"])
        except ApplicationError as error:
            form.add_error("actual" if error.extra.get("field") == "actual" else None, error.message)
        else:
            text = _("The round was closed again and ranked anew.") if closed.reclosed else _("The round was closed.")
            messages.success(request, text)
            return redirect("contests:round_results", round_.pk)
    response = render(request, "contests/round_results.html", _results_context(request, round_, form))
    response.status_code = 422
    return response


@require_POST
def round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access_round(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    publish = request.POST.get("publish") == "1"
    try:
        services.round_publish_results(by=request.user, round_=round_, publish=publish)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The results were published.") if publish else _("The results were withdrawn."))
    return redirect("contests:round_results", round_.pk)


@login_not_required
@require_GET
def public_results(request: HttpRequest, round_id: int) -> HttpResponse:
    """A published round's results for anyone: rank, name (initials for a possible minor),
    unit and score of the top of the ranking, and the units' ranking."""
    round_ = (
        Round.objects.filter(pk=round_id, closed_at__isnull=False, results_published_at__isnull=False)
        .select_related("contest__unit")
        .first()
    )
    if round_ is None:
        raise Http404
    year = results.results_year(round_)
    context = {
        "round": round_,
        "contest": round_.contest,
        "rows": [results.row_out(row, year=year, public=True) for row in results.result_rows(round_)],
        "prizes": [results.row_out(row, year=year, public=True) for row in results.prize_winners(round_)],
        "units": [results.unit_out(row) for row in results.stored_unit_ranking(round_)],
    }
    return render(request, "contests/play_results.html", context)


@require_GET
def round_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """The prize winners' certificates (PDF) of a closed round, for those who may change it."""
    round_ = access_round(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    data = services.round_certificates(by=request.user, round_=round_)
    return pdf_response(data, certificates_filename(round_))


@require_GET
def round_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The results, the prize list, the units' ranking or a week's snapshot (``?monday=``) as XLSX."""
    round_ = access_round(by=request.user, pk=pk)
    monday = None
    if kind == "results":
        content = results_xlsx.results_workbook(round_)
    elif kind == "prizes":
        content = results_xlsx.prizes_workbook(round_)
    elif kind == "units":
        content = results_xlsx.units_workbook(round_)
    elif kind == "week":
        monday = _monday(request.GET.get("monday", ""), round_)
        content = results_xlsx.week_workbook(round_, monday)
    else:
        raise Http404
    response = HttpResponse(content, content_type=results_xlsx.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{results_xlsx.filename(round_, kind, monday)}"'
    return response


def _monday(text: str, round_: Round) -> Any:
    import datetime as dt

    try:
        day = dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValidationFailed(_("Give the week's Monday as YYYY-MM-DD."), extra={"field": "monday"}) from None
    if day.weekday() != 0 or day not in results.round_weeks(round_):
        raise ValidationFailed(_("Choose the Monday of a week the round spans."), extra={"field": "monday"})
    return day


@require_GET
def round_items(request: HttpRequest, pk: int) -> HttpResponse:
    """Item analysis: facility and discrimination of every question version used, the flagged
    ones first."""
    round_ = access_round(by=request.user, pk=pk)
    items = analysis.cached_item_analysis(round_)
    context = {
        "round": round_,
        "contest": round_.contest,
        "items": items,
        "flagged": sum(1 for item in items if item.flagged),
        "labels": analysis.FLAG_LABELS,
        "min_attempts": analysis.MIN_ATTEMPTS,
    }
    return render(request, "contests/round_items.html", context)


@require_GET
def contest_overall(request: HttpRequest, pk: int) -> HttpResponse:
    """The contest's overall ranking over its closed rounds, a page of :data:`PER_PAGE` lines."""
    contest = access_contest(by=request.user, pk=pk)
    count = overall.overall_count(contest)
    page = _page_number(request, count)
    year = overall.overall_year(contest)
    rows = overall.overall_ranking(contest, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    context = {
        "contest": contest,
        "rows": [{**overall.overall_out(row, year=year), "duration": row.duration} for row in rows],
        "count": count,
        "page": page,
        "pages": max(1, -(-count // PER_PAGE)),
        "closed_rounds": contest.rounds.filter(closed_at__isnull=False).count(),
        "referral_winners": _referral_winners(contest, year),
    }
    return render(request, "contests/overall.html", context)


def _referral_winners(contest: Any, year: int) -> list[dict[str, Any]]:
    """The contest's referral prizes, shown with its overall ranking (ties at the last share it)."""
    if not contest.referral_prizes:
        return []
    rows = referrals.referral_ranking(contest, limit=min(contest.referral_prizes * 2, results.PAGE_MAX))
    return [referrals.referral_out(row, year=year) for row in rows if row.prize]


@require_GET
def contest_overall_export(request: HttpRequest, pk: int) -> HttpResponse:
    contest = access_contest(by=request.user, pk=pk)
    response = HttpResponse(results_xlsx.overall_workbook(contest), content_type=results_xlsx.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{results_xlsx.overall_filename(contest)}"'
    return response


@require_GET
def contest_referrals(request: HttpRequest, pk: int) -> HttpResponse:
    """Referrers ranked over the contest (with its referral prizes) or one round (``?round=N``)."""
    contest = access_contest(by=request.user, pk=pk)
    raw = (request.GET.get("round") or "").strip()
    number = int(raw) if raw.isdigit() and len(raw) < 5 else None
    round_ = referrals.round_numbered(contest, number) if raw else None
    if raw and number is None:
        raise Http404
    year = overall.overall_year(contest)
    context = {
        "contest": contest,
        "round": round_,
        "rounds": list(contest.rounds.order_by("number").values_list("number", flat=True)),
        "rows": [referrals.referral_out(row, year=year) for row in referrals.referral_ranking(contest, round_=round_)],
    }
    return render(request, "contests/referrals.html", context)
