"""The calendar of deadlines over the API, as an iCalendar file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from pydantic import Field

from lantoa.core.api_input import QueryInput
from lantoa.core.schemas import ERRORS
from lantoa.org.permissions import access_unit
from lantoa.plans.deadlines import deadlines_for, deadlines_ics
from lantoa.plans.permissions import READ, require_reader

router = Router()


class DeadlinesQuery(QueryInput):
    unit: str = Field(..., min_length=1, max_length=64, description="A unit's code: the deadlines of its subtree.")
    year: int = Field(..., ge=2000, le=2100)
    month: int = Field(..., ge=1, le=12)


@router.get(
    "/deadlines.ics",
    response={200: str, **ERRORS},
    summary="A month of deadlines in a unit's subtree as a calendar (text/calendar)",
    openapi_extra={"responses": {"200": {"content": {"text/calendar": {"schema": {"type": "string"}}}}}},
    operation_id="lantoa_plans_api_deadlines_ics",
)
def deadlines_calendar(request: HttpRequest, filters: Query[DeadlinesQuery]) -> Any:
    """RFC 5545 all-day events: programmes due, task deadlines, follow-ups to carry out and
    recommendations to answer, in the unit's subtree, that the caller sees."""
    require_reader(request.user)
    unit = access_unit(by=request.user, code=filters.unit, capability=READ)
    first = dt.date(filters.year, filters.month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    found = deadlines_for(request.user, unit, start=first, end=last)
    name = _("Deadlines of %(unit)s, %(month)s") % {"unit": unit.name, "month": f"{first:%m/%Y}"}
    text = deadlines_ics(found, name=name, base_url=request.build_absolute_uri("/").rstrip("/"))
    return HttpResponse(text, content_type="text/calendar; charset=utf-8")
