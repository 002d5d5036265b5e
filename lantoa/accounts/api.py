from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from lantoa.accounts.permissions import current_assignments, user_capabilities
from lantoa.core.schemas import ERRORS

router = Router(tags=["accounts"])


class AssignmentOut(Schema):
    unit_code: str
    unit_name: str
    role: str
    valid_from: dt.date
    valid_to: dt.date | None


class MeOut(Schema):
    username: str
    full_name: str
    language: str
    assignments: list[AssignmentOut]
    capabilities: list[str]


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who am I")
def me(request: HttpRequest) -> Any:
    user = request.user
    assignments = [
        {
            "unit_code": a.unit.code,
            "unit_name": a.unit.name,
            "role": a.role,
            "valid_from": a.valid_from,
            "valid_to": a.valid_to,
        }
        for a in current_assignments(user)
    ]
    return {
        "username": user.username,
        "full_name": getattr(user, "full_name", ""),
        "language": getattr(user, "language", "vi"),
        "assignments": assignments,
        "capabilities": sorted(user_capabilities(user)),
    }
