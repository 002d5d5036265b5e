"""Party terms over the API (``/api/v1/reports/terms``): the same services as the terms page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.api_input import IsoDate, QueryInput, StrictInput
from lantoa.core.schemas import ERRORS
from lantoa.org.permissions import access_unit
from lantoa.reports.models import TERM_MAX, PartyTerm
from lantoa.reports.terms import term_add, term_for, term_remove, unit_terms

router = Router(tags=["reports"])


class TermOut(Schema):
    id: int
    unit: str
    name: str
    congress: str
    starts_on: dt.date
    ends_on: dt.date | None


class TermListOut(Schema):
    items: list[TermOut]
    count: int


class TermIn(StrictInput):
    unit: str = Field(..., min_length=1, max_length=64)
    name: str = Field(..., min_length=1, max_length=TERM_MAX, description="As numbers show it, e.g. 2025-2030.")
    congress: str = Field("", max_length=20, description="The congress that opened the term, e.g. XVI.")
    starts_on: IsoDate
    ends_on: IsoDate | None = None


class TermQuery(QueryInput):
    unit: str = Field(..., min_length=1, max_length=64)


def _out(term: PartyTerm) -> dict[str, Any]:
    return {
        "id": term.pk,
        "unit": term.unit.code,
        "name": term.name,
        "congress": term.congress,
        "starts_on": term.starts_on,
        "ends_on": term.ends_on,
    }


@router.get("", response={200: TermListOut, **ERRORS}, summary="A unit's Party terms, newest first")
def term_list(request: HttpRequest, filters: Query[TermQuery]) -> Any:
    unit = access_unit(by=request.user, code=filters.unit)
    items = [_out(term) for term in unit_terms(unit).select_related("unit")]
    return {"items": items, "count": len(items)}


@router.post("", response={201: TermOut, **ERRORS}, summary="Record a term (the open one before it is closed)")
def term_create(request: HttpRequest, body: TermIn) -> Any:
    """409 ``term_overlap`` when it overlaps another term of the unit; 422 on bad dates."""
    unit = access_unit(by=request.user, code=body.unit, capability=Capability.EDIT_RECORDS)
    term = term_add(
        by=request.user,
        unit=unit,
        name=body.name,
        congress=body.congress,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
    )
    return Status(201, _out(term))


@router.delete("/{term_id}", response={204: None, **ERRORS}, summary="Remove a term no report was numbered in")
def term_delete(request: HttpRequest, term_id: int) -> Any:
    """409 ``term_in_use`` once a report of the unit was numbered in it."""
    term = term_for(request.user, term_id)
    term_remove(by=request.user, term=term)
    return Status(204, None)
