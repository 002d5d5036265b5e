"""The audience vote over the API, mounted under the judging router (``/api/v1/judging/…``).

The organiser's endpoints (``/stages/{id}/audience-vote…``) need the right to run the stage;
the counts are seen by whoever sees the stage; a stage out of scope answers 404 like a missing
one. The public endpoints (``/vote/{id}…``) need no sign-in and share the page's limits.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from lantoa.core.api_input import Id
from lantoa.core.clients import client_address
from lantoa.core.schemas import ERRORS, ErrorOut, binary_response
from lantoa.judging.audience import selectors, services
from lantoa.judging.audience.schemas import (
    BallotsIn,
    BallotsOut,
    BatchQuery,
    CodeRequestIn,
    CodeRequestOut,
    PollIn,
    PollOut,
    PublicPollOut,
    VoteIn,
    VoteOut,
)
from lantoa.judging.audience.sheet import ballots_response
from lantoa.judging.certificates import PDF_TYPE
from lantoa.judging.models import Stage
from lantoa.judging.permissions import access_stage

router = Router(tags=["judging"])
PUBLIC_ERRORS = {429: ErrorOut, 503: ErrorOut, **ERRORS}


def poll_out(stage: Stage) -> dict[str, Any]:
    summary = selectors.poll_summary(stage)
    poll = summary.poll
    items = [
        {"entry": row.entry_id, "title": row.entry.title, "unit_name": row.unit.name, "votes": votes}
        for row, votes in summary.rows
    ]
    return {
        "stage": stage.pk,
        "state": selectors.poll_state(poll, timezone.now()) if poll else "none",
        "opens_at": poll.opens_at if poll else None,
        "closes_at": poll.closes_at if poll else None,
        "ballots_issued": summary.ballots_issued,
        "ballots_used": summary.ballots_used,
        "phone_votes": summary.phone_votes,
        "total": summary.total,
        "items": items,
        "count": len(items),
    }


@router.get(
    "/stages/{stage_id}/audience-vote",
    response={200: PollOut, **ERRORS},
    summary="A stage's audience vote: votes per entry, ballots issued and used",
    operation_id="lantoa_judging_api_audience_vote",
)
def audience_vote(request: HttpRequest, stage_id: Id) -> Any:
    """Counts only: nothing says who voted or when during the day."""
    stage = access_stage(by=request.user, pk=stage_id)
    return poll_out(stage)


@router.put(
    "/stages/{stage_id}/audience-vote",
    response={200: PollOut, 201: PollOut, **ERRORS},
    summary="Open (or re-time) a stage's audience vote",
    operation_id="lantoa_judging_api_audience_vote_open",
)
def audience_vote_open(request: HttpRequest, stage_id: Id, body: PollIn) -> Any:
    """201 when the vote is opened, 200 when its times change (409 ``stage_blind`` for a blind stage)."""
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    result = services.poll_open(by=request.user, stage=stage, opens_at=body.opens_at, closes_at=body.closes_at)
    return Status(201 if result.created else 200, poll_out(stage))


@router.post(
    "/stages/{stage_id}/audience-vote/close",
    response={200: PollOut, **ERRORS},
    summary="Close a stage's audience vote now",
    operation_id="lantoa_judging_api_audience_vote_close",
)
def audience_vote_close(request: HttpRequest, stage_id: Id) -> Any:
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    services.poll_close(by=request.user, stage=stage)
    return poll_out(stage)


@router.post(
    "/stages/{stage_id}/audience-vote/ballots",
    response={201: BallotsOut, **ERRORS},
    summary="Generate a batch of printed ballot codes",
    operation_id="lantoa_judging_api_audience_ballots",
)
def audience_ballots(request: HttpRequest, stage_id: Id, body: BallotsIn) -> Any:
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    batch = services.ballots_issue(by=request.user, stage=stage, count=body.count)
    issued = selectors.poll_summary(stage).ballots_issued
    return Status(201, {"stage": stage.pk, "batch": batch, "count": body.count, "issued": issued})


@router.get(
    "/stages/{stage_id}/audience-vote/ballots.pdf",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The ballots as PDF, 24 to an A4 page", PDF_TYPE),
    summary="The printed ballots of a stage (PDF)",
    operation_id="lantoa_judging_api_audience_ballots_pdf",
)
def audience_ballots_pdf(request: HttpRequest, stage_id: Id, query: Query[BatchQuery]) -> Any:
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    return ballots_response(request, stage, query.batch)


# --- Public --------------------------------------------------------------------------------------


@router.get(
    "/vote/{stage_id}",
    auth=None,
    response={200: PublicPollOut, **ERRORS},
    summary="A stage's audience vote and its entries (public)",
    operation_id="lantoa_judging_api_public_vote",
)
def public_vote(request: HttpRequest, stage_id: Id) -> Any:
    stage = selectors.public_stage(stage_id)
    poll = stage.audience_poll
    return {
        "stage": stage.pk,
        "stage_name": stage.name,
        "competition": stage.competition.title,
        "state": selectors.poll_state(poll, timezone.now()),
        "opens_at": poll.opens_at,
        "closes_at": poll.closes_at,
        "entries": [
            {"id": entry_id, "title": title, "unit_name": unit}
            for entry_id, title, unit in selectors.public_entries(stage)
        ],
    }


@router.post(
    "/vote/{stage_id}/code",
    auth=None,
    response={201: CodeRequestOut, **PUBLIC_ERRORS},
    summary="Send a one-time code to a phone, to vote with it (public)",
    operation_id="lantoa_judging_api_public_vote_code",
)
def public_vote_code(request: HttpRequest, stage_id: Id, body: CodeRequestIn) -> Any:
    """201 with the token to send back with the code; 409 ``already_voted`` when the phone has
    voted; 429 past the limits; 503 ``code_not_sent`` when no channel reaches the number."""
    stage = selectors.public_stage(stage_id)
    token = services.code_request(stage=stage, phone=body.phone, address=client_address(request))
    return Status(201, {"token": token, "expires_in": services.CODE_SECONDS})


@router.post(
    "/vote/{stage_id}",
    auth=None,
    response={201: VoteOut, **PUBLIC_ERRORS},
    summary="Vote for an entry with a ballot code or a phone's one-time code (public)",
    operation_id="lantoa_judging_api_public_vote_cast",
)
def public_vote_cast(request: HttpRequest, stage_id: Id, body: VoteIn) -> Any:
    """201 when counted; 409 ``ballot_used`` or ``already_voted`` when the right was spent,
    ``vote_closed`` / ``vote_not_open`` outside the voting time; 422 ``unknown_ballot``,
    ``code_wrong``, ``code_expired``, ``code_locked``."""
    stage = selectors.public_stage(stage_id)
    address = client_address(request)
    if body.ballot is not None:
        vote = services.vote_by_ballot(stage=stage, entry_id=body.entry, ballot=body.ballot, address=address)
    else:
        vote = services.vote_by_phone(
            stage=stage, entry_id=body.entry, token=body.token or "", code=body.code or "", address=address
        )
    return Status(201, {"stage": stage.pk, "method": vote.method, "day": vote.day})
