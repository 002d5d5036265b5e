"""Prize claims over the API: the winner's own claim (no sign-in; ``X-Contestant-Key``), and for
organisers a round's prizes with their claims (masked), one claim (in full for the prize
officer, each view audited), marking it paid, and the payment list as XLSX (audited). The same
services, gates and presenter as the pages (:mod:`lantoa.contests.claims`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from lantoa.contests import claims, results_xlsx
from lantoa.contests.api.attempts import PUBLIC_ERRORS, _contestant
from lantoa.contests.permissions import access_claim, access_claims, may_pay_prizes
from lantoa.contests.schemas import ClaimIn, ClaimOut, ClaimsOut, Id
from lantoa.contests.services import claims as claim_services
from lantoa.core.schemas import ERRORS

router = Router()


@router.get(
    "/rounds/{round_id}/claim",
    auth=None,
    response={200: ClaimOut | None, **PUBLIC_ERRORS},
    summary="Your prize claim in a round (no sign-in; X-Contestant-Key)",
    operation_id="lantoa_contests_api_own_claim",
)
def own_claim(request: HttpRequest, round_id: Id) -> Any:
    """Your claim, masked as the organisers' list shows it, or ``null`` before you claim."""
    contestant = _contestant(request)
    _round, found = claim_services.claim_for_contestant(round_id, contestant)
    return claims.claim_out(found, full=False) if found is not None else None


@router.post(
    "/rounds/{round_id}/claim",
    auth=None,
    response={200: ClaimOut, **PUBLIC_ERRORS},
    summary="Claim your prize of a closed round (no sign-in; X-Contestant-Key)",
    operation_id="lantoa_contests_api_claim_submit",
)
def claim_submit(request: HttpRequest, round_id: Id, body: ClaimIn) -> Any:
    """Only what payment needs. 409 ``round_open`` before the round closes, ``no_prize`` without
    an individual prize, ``claim_paid`` once paid; sending again before then corrects the claim."""
    contestant = _contestant(request)
    round_, _found = claim_services.claim_for_contestant(round_id, contestant)
    claim = claim_services.claim_submit(
        contestant=contestant, round_=round_, data=claim_services.ClaimData(**body.model_dump())
    )
    return claims.claim_out(claim, full=False)


@router.get(
    "/rounds/{round_id}/claims",
    response={200: ClaimsOut, **ERRORS},
    summary="A round's prizes and their claims (masked)",
    operation_id="lantoa_contests_api_round_claims",
)
def round_claims(request: HttpRequest, round_id: Id) -> Any:
    """Every individual prize with its claim's state: ``unclaimed``, ``claimed``, ``paid``,
    ``erased``; account numbers and phones masked. For those who may change the contest."""
    round_ = access_claims(by=request.user, round_id=round_id)
    items = claims.lines_out(round_)
    return {"round": round_.pk, "items": items, "count": len(items)}


@router.get(
    "/claims/{claim_id}",
    response={200: ClaimOut, **ERRORS},
    summary="One prize claim (in full for the prize officer, audited)",
    operation_id="lantoa_contests_api_claim_detail",
)
def claim_detail(request: HttpRequest, claim_id: Id) -> Any:
    found = access_claim(by=request.user, pk=claim_id)
    full = may_pay_prizes(request.user, found.round.contest) and found.erased_at is None
    if full:
        claim_services.claim_viewed(by=request.user, claim=found)
    return claims.claim_out(found, full=full)


@router.post(
    "/claims/{claim_id}/paid",
    response={200: ClaimOut, **ERRORS},
    summary="Mark a prize paid (prize officer)",
    operation_id="lantoa_contests_api_claim_paid",
)
def claim_paid(request: HttpRequest, claim_id: Id) -> Any:
    """Starts the retention period. 409 ``claim_paid`` when already paid."""
    found = access_claim(by=request.user, pk=claim_id, pay=True)
    return claims.claim_out(claim_services.claim_mark_paid(by=request.user, claim=found), full=False)


@router.get(
    "/rounds/{round_id}/claims/payment",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The payment list in full (XLSX)",
                "content": {results_xlsx.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="A round's payment list (XLSX, prize officer, audited)",
    operation_id="lantoa_contests_api_round_claims_payment",
)
def round_claims_payment(request: HttpRequest, round_id: Id) -> Any:
    round_ = access_claims(by=request.user, round_id=round_id, full=True)
    content = results_xlsx.claims_workbook(round_)
    claim_services.claims_exported(by=request.user, round_=round_)
    response = HttpResponse(content, content_type=results_xlsx.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{results_xlsx.filename(round_, "payment")}"'
    return response
