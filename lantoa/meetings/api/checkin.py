"""Check-in over the API: public, like the QR page at the site."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from lantoa.accounts.api_auth import PersonalTokenAuth
from lantoa.accounts.middleware import two_factor_state
from lantoa.core.clients import client_address
from lantoa.core.errors import ValidationFailed
from lantoa.core.schemas import ERRORS, ErrorOut
from lantoa.meetings import limits, services
from lantoa.meetings.schemas import CheckInIn, CheckInOut

router = Router()


def _caller(request: HttpRequest) -> Any:
    """Who calls a public endpoint: the user of a valid token or of a confirmed session, or nobody."""
    if request.headers.get("Authorization"):
        return PersonalTokenAuth()(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and two_factor_state(user) == "ok":
        return user
    return None


@router.post(
    "/checkin",
    auth=None,
    response={200: CheckInOut, 201: CheckInOut, 429: ErrorOut, **ERRORS},
    summary="Check in at a site (no sign-in needed)",
    operation_id="lantoa_meetings_api_check_in",
)
def check_in(request: HttpRequest, body: CheckInIn) -> Any:
    """The phone sends the site's code and a key made once by its form. Answers 201 when
    counted, 200 when this key (or this signed-in user) had already checked in. A signed-in
    user linked to a person registered at the site checks in as that person. The limits are the
    phone page's: too many unknown codes from one address, or too many check-ins from one
    address at one site, answer 429 with Retry-After."""
    address = client_address(request)
    limits.refuse_if_guessing(address)
    point = services.point_for_code(body.code)
    if point is None:
        limits.count_unknown_code(address)
        raise ValidationFailed(_("No site has this check-in code."), extra={"field": "code"})
    limits.count_check_in(address, point.pk)
    result = services.check_in(
        by=_caller(request),
        data=services.CheckIn(code=body.code, client_key=body.client_key, name=body.name, category=body.category),
        site=point,
    )
    participant, point = result.participant, result.point
    out = {
        "created": result.created,
        "conference": point.conference.title,
        "site": point.unit.name,
        "name": participant.display_name,
        "category": participant.category,
        "is_late": participant.is_late,
        "checked_in_at": participant.checked_in_at,
    }
    return Status(201 if result.created else 200, out)
