"""The contestant's side over the API: no sign-in. Registering answers a secret once; starting
and submitting an attempt and reading one's own attempt send it in ``X-Contestant-Key``.

The answer key is never in these answers: questions come with their options in the attempt's
order, lettered as shown, and the result is the score, the number of questions answered
exactly and the duration measured by the server."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import NinjaJSONEncoder, Status

from lantoa.contests import limits, public_cache, services
from lantoa.contests.models import OPTION_KEYS, Attempt, Contest, ContestStatus, Round
from lantoa.contests.schemas import (
    AttemptOut,
    ContactCodeConfirmIn,
    ContactCodeRequestIn,
    ContactCodeSentOut,
    ContactVerifiedOut,
    Id,
    RegisteredOut,
    RegisterIn,
    ResultOut,
    StartIn,
    SubmitIn,
)
from lantoa.contests.services import verification
from lantoa.core.clients import client_address
from lantoa.core.errors import NotFound, ValidationFailed
from lantoa.core.schemas import ERRORS, ErrorOut
from lantoa.org.models import Unit

router = Router()

KEY_HEADER = "X-Contestant-Key"
PUBLIC_ERRORS = {429: ErrorOut, **ERRORS}
EMPTY_TEXT = json.dumps("")


def result_out(attempt: Attempt) -> dict[str, Any]:
    return {
        "id": str(attempt.pk),
        "round": attempt.round_id,
        "number": attempt.number,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "correct_count": attempt.correct_count,
        "duration_ms": attempt.duration_ms,
        "prediction": attempt.prediction,
    }


def attempt_json(attempt: Attempt, round_: Round) -> str:
    """The attempt as ``AttemptOut`` gives it, encoded as ninja encodes: its questions in the
    attempt's order with their options lettered as shown, never the answer key. The questions'
    texts come encoded once per version (:func:`lantoa.contests.public_cache.as_encoded`), so a
    start does not encode 19 questions' texts again; the tests read the answer back through
    ``AttemptOut``."""
    head = {
        **result_out(attempt),
        "grace_seconds": round_.grace_seconds,
        "prediction_kind": round_.prediction_kind,
        "prediction_prompt": round_.prediction_prompt,
    }
    encoded = json.dumps(head, cls=NinjaJSONEncoder)
    return encoded[:-1] + ',"questions":' + _questions_json(attempt, round_.bank_id) + "}"


def _questions_json(attempt: Attempt, bank_id: int) -> str:
    items = public_cache.versions(bank_id, [vid for vid, _order in attempt.questions])
    shown = []
    for index, (vid, order) in enumerate(attempt.questions):
        encoded = public_cache.as_encoded(items[vid])
        options = ",".join(
            f'{{"key":"{OPTION_KEYS[position]}","text":{encoded.texts.get(key, EMPTY_TEXT)}}}'
            for position, key in enumerate(order)
        )
        shown.append(f'{{"index":{index},"kind":{encoded.kind},"stem":{encoded.stem},"options":[{options}]}}')
    return "[" + ",".join(shown) + "]"


def _attempt_response(attempt: Attempt, round_: Round, *, status: int = 200) -> HttpResponse:
    return HttpResponse(attempt_json(attempt, round_), status=status, content_type="application/json")


def _result_response(attempt: Attempt) -> HttpResponse:
    """``ResultOut``'s JSON, encoded as ninja encodes it without validating it again: the hot
    path's answer (the tests read it back through ``ResultOut``)."""
    return HttpResponse(json.dumps(result_out(attempt), cls=NinjaJSONEncoder), content_type="application/json")


def _published(contest_id: int) -> Contest:
    contest = Contest.objects.filter(pk=contest_id, status=ContestStatus.PUBLISHED).first()
    if contest is None:
        raise NotFound(_("No such contest."), extra={"id": contest_id})
    return contest


def _contestant(request: HttpRequest) -> Any:
    limits.refuse_if_guessing(client_address(request))
    return _counted(request, services.contestant_for_key(request.headers.get(KEY_HEADER, "")))


def _counted(request: HttpRequest, found: Any) -> Any:
    """The contestant a request's key found, counted against the limits (an unknown key against
    its address)."""
    address = client_address(request)
    if found is None:
        limits.count_unknown_key(address)
    contestant = services.contestant_or_refuse(found)
    limits.count_play(address, contestant.pk)
    return contestant


@router.post(
    "/{contest_id}/contestants",
    auth=None,
    response={201: RegisteredOut, **PUBLIC_ERRORS},
    summary="Register for a contest (no sign-in needed)",
    operation_id="lantoa_contests_api_contestant_register",
)
def contestant_register(request: HttpRequest, contest_id: Id, body: RegisterIn) -> Any:
    """Answers the contestant's id, referral code and secret ``key`` — given this once: keep it
    and send it as ``X-Contestant-Key``. ``consent`` must be true; with a minimum age,
    ``birth_year`` is needed and a minor needs ``guardian_consent``."""
    limits.count_registration(client_address(request))
    contest = _published(contest_id)
    unit = None
    if body.unit:
        unit = Unit.objects.filter(code=body.unit).first()
        if unit is None:
            raise ValidationFailed(_("No unit has this code."), extra={"field": "unit"})
    values = body.model_dump()
    values["unit"] = unit
    registered = services.contestant_register(contest=contest, data=services.Registration(**values))
    contestant = registered.contestant
    out = {
        "id": contestant.pk,
        "contest": contest.pk,
        "name": contestant.name,
        "referral_code": contestant.referral_code,
        "key": registered.key,
        "unverified": verification.unverified(contest, contestant),
    }
    return Status(201, out)


@router.post(
    "/contestants/me/verification",
    auth=None,
    response={201: ContactCodeSentOut, 503: ErrorOut, **PUBLIC_ERRORS},
    summary="Send a one-time code to your phone or e-mail (no sign-in; X-Contestant-Key)",
    operation_id="lantoa_contests_api_contact_code_request",
)
def contact_code_request(request: HttpRequest, body: ContactCodeRequestIn) -> Any:
    """When the contest verifies contacts: sends a six-digit code (valid five minutes) through
    the notification channels and answers the request's token, never the code. A new request
    replaces the earlier one. 409 ``contact_already_verified``, ``no_contact`` or
    ``contact_unreachable`` (no channel can reach it: nothing is kept); 503 ``code_not_sent``
    when the channels failed; 429 past the limits per address and per phone or e-mail."""
    contestant = _contestant(request)
    sent = verification.code_request(contestant=contestant, medium=body.medium, address=client_address(request))
    return Status(201, {"request": sent.token, "medium": sent.medium, "expires_at": sent.expires_at})


@router.post(
    "/contestants/me/verification/confirm",
    auth=None,
    response={200: ContactVerifiedOut, **PUBLIC_ERRORS},
    summary="Confirm your phone or e-mail with the code received (no sign-in; X-Contestant-Key)",
    operation_id="lantoa_contests_api_contact_code_confirm",
)
def contact_code_confirm(request: HttpRequest, body: ContactCodeConfirmIn) -> Any:
    """The contact is verified when ``code`` is the one sent for ``request``: 422 ``code_wrong``
    (with ``tries_left``), ``code_expired``, ``code_locked`` after five wrong codes,
    ``code_unknown`` for a request replaced or used."""
    contestant = _contestant(request)
    done = verification.code_confirm(
        contestant=contestant, token=body.request, code=body.code, address=client_address(request)
    )
    contest = Contest.objects.get(pk=contestant.contest_id)
    return {
        "medium": done.medium,
        "verified_at": done.verified_at,
        "unverified": verification.unverified(contest, contestant),
    }


@router.post(
    "/rounds/{round_id}/attempts",
    auth=None,
    response={200: AttemptOut, 201: AttemptOut, **PUBLIC_ERRORS},
    summary="Start an attempt at a round (no sign-in; X-Contestant-Key)",
    operation_id="lantoa_contests_api_attempt_start",
)
def attempt_start(request: HttpRequest, round_id: Id, body: StartIn) -> Any:
    """Draws the questions and starts the clock: the attempt counts against the round's limit
        from now on, submitted or not. 409 with ``round_not_open``, ``round_closed``,
        ``outside_window``, ``contact_not_verified`` (the contest verifies contacts: see
    ``/contestants/me/verification``) or ``attempts_exhausted`` when it cannot start. The same ``client_key``
        again answers the same attempt (200)."""
    limits.refuse_if_guessing(client_address(request))
    found, earlier = services.contestant_with_attempts(request.headers.get(KEY_HEADER, ""), round_id)
    contestant = _counted(request, found)
    round_ = public_cache.cached_round(round_id)
    if round_ is None:
        raise NotFound(_("No such round."), extra={"id": round_id})
    started = services.attempt_start(contestant=contestant, round_=round_, client_key=body.client_key, earlier=earlier)
    return _attempt_response(started.attempt, round_, status=201 if started.created else 200)


def _own_attempt(request: HttpRequest, attempt_id: Any) -> Attempt:
    address = client_address(request)
    limits.refuse_if_guessing(address)
    try:
        return services.attempt_for_key(attempt_id, request.headers.get(KEY_HEADER, ""))
    except NotFound:
        limits.count_unknown_key(address)
        raise


@router.post(
    "/attempts/{attempt_id}/submit",
    auth=None,
    response={200: ResultOut, **PUBLIC_ERRORS},
    summary="Submit an attempt (no sign-in; X-Contestant-Key)",
    operation_id="lantoa_contests_api_attempt_submit",
)
def attempt_submit(request: HttpRequest, attempt_id: str, body: SubmitIn) -> Any:
    """``answers``: per question in the order shown, the letters chosen as shown. Graded by the
    server; the answer is the result (score, questions answered exactly, duration), not the
    questions again; a retry answers the stored result (the attempt counts once). Later than the deadline
    plus the round's grace: 409 ``attempt_expired``."""
    attempt = _own_attempt(request, _uuid(attempt_id))
    limits.count_play(client_address(request), attempt.contestant_id)
    round_ = public_cache.cached_round(attempt.round_id)
    assert round_ is not None
    done = services.attempt_submit(attempt=attempt, answers=body.answers, prediction=body.prediction, round_=round_)
    return _result_response(done.attempt)


@router.get(
    "/attempts/{attempt_id}",
    auth=None,
    response={200: AttemptOut, **PUBLIC_ERRORS},
    summary="One of your attempts (no sign-in; X-Contestant-Key)",
    operation_id="lantoa_contests_api_attempt_detail",
)
def attempt_detail(request: HttpRequest, attempt_id: str) -> Any:
    """Your own attempt: its questions as shown and, once submitted, its result. Anyone else's
    attempt answers 404 like a missing one."""
    attempt = _own_attempt(request, _uuid(attempt_id))
    round_ = public_cache.cached_round(attempt.round_id)
    assert round_ is not None
    return _attempt_response(attempt, round_)


def _uuid(text: str) -> Any:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(_("No such attempt."), extra={"id": text[:40]}) from None
