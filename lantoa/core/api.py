from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lantoa.core.api_input import IsoDate, Limit, Offset, QueryInput
from lantoa.core.schemas import ERRORS, page
from lantoa.core.selectors import audit_entries_for_user

router = Router(tags=["audit"])


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


@router.get("", response={200: AuditListOut, **ERRORS}, summary="The audit log (administrators)")
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
