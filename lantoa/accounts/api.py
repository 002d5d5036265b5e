from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lantoa.accounts.permissions import current_assignments, user_capabilities
from lantoa.accounts.selectors import audit_entries_for_user
from lantoa.core.api_input import IsoDate, Limit, Offset, QueryInput
from lantoa.core.schemas import ERRORS, page

router = Router(tags=["accounts"])
audit_router = Router(tags=["audit"])


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


# --- The audit log -------------------------------------------------------------------------------


class AuditEntryOut(Schema):
    id: int
    action: str
    actor: str
    unit_code: str | None
    target_type: str
    target_id: str
    target: str
    changed_fields: list[str]
    request_id: str
    created_at: dt.datetime

    @staticmethod
    def resolve_actor(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.actor_username

    @staticmethod
    def resolve_unit_code(obj) -> str | None:  # type: ignore[no-untyped-def]
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_target(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.target_repr


class AuditListOut(Schema):
    items: list[AuditEntryOut]
    count: int


class AuditFilters(QueryInput):
    action: str = ""
    actor: str = ""
    unit: str = ""
    target_type: str = ""
    since: IsoDate | None = None
    until: IsoDate | None = None
    limit: Limit = 100
    offset: Offset = 0


@audit_router.get(
    "",
    response={200: AuditListOut, **ERRORS},
    summary="The audit log (administrators)",
    # The published operation id, which clients generated from the schema name their method after.
    operation_id="lantoa_core_api_audit_list",
)
def audit_list(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    entries = audit_entries_for_user(
        by=request.user,
        action=filters.action,
        actor=filters.actor,
        unit_code=filters.unit,
        target_type=filters.target_type,
        since=filters.since,
        until=filters.until,
    )
    return page(entries, limit=filters.limit, offset=filters.offset)
