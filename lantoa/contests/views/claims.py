"""Prize claims for organisers: a round's prizes with the state of their claims (masked), one
claim (in full for the prize officer, each view audited), marking a prize paid, and the payment
list as XLSX (prize officer only, audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.contests import claims, results_xlsx
from lantoa.contests.models import ClaimStatus, PayoutMethod
from lantoa.contests.permissions import access_claim, access_claims, may_pay_prizes
from lantoa.contests.services import claims as claim_services
from lantoa.contests.services.claims import retention_ends
from lantoa.core.errors import ApplicationError


@require_GET
def round_claims(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access_claims(by=request.user, round_id=pk)
    lines = claims.round_claim_lines(round_)
    context = {
        "round": round_,
        "contest": round_.contest,
        "rows": [_row(line) for line in lines],
        "counts": [(label, claims.claim_counts(lines)[code]) for code, label in ClaimStatus.choices],
        "may_pay": may_pay_prizes(request.user, round_.contest),
    }
    return render(request, "contests/round_claims.html", context)


def _row(line: claims.ClaimLine) -> dict[str, Any]:
    out = claims.claim_out(line.claim, full=False) if line.claim is not None else None
    return {
        "result": line.result,
        "status": ClaimStatus(line.status).label,
        "out": out,
        "method": PayoutMethod(out["method"]).label if out else "",
    }


@require_GET
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_claim(by=request.user, pk=pk)
    full = may_pay_prizes(request.user, found.round.contest) and found.erased_at is None
    if full:
        claim_services.claim_viewed(by=request.user, claim=found)
    context = {
        "claim": found,
        "out": claims.claim_out(found, full=full),
        "status": ClaimStatus(found.status).label,
        "method": PayoutMethod(found.method).label,
        "round": found.round,
        "contest": found.round.contest,
        "may_pay": full and found.paid_at is None,
        "erase_on": retention_ends(found, found.round.contest),
    }
    return render(request, "contests/claim_detail.html", context)


@require_POST
def claim_paid(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_claim(by=request.user, pk=pk, pay=True)
    try:
        claim_services.claim_mark_paid(by=request.user, claim=found)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The prize is marked paid."))
    return redirect("contests:claim_detail", found.pk)


@require_GET
def round_claims_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access_claims(by=request.user, round_id=pk, full=True)
    content = results_xlsx.claims_workbook(round_)
    claim_services.claims_exported(by=request.user, round_=round_)
    response = HttpResponse(content, content_type=results_xlsx.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{results_xlsx.filename(round_, "payment")}"'
    return response
