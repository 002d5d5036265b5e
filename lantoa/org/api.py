"""Units over the API. Every endpoint answers only inside the caller's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from lantoa.accounts.permissions import units_for
from lantoa.accounts.roles import Capability
from lantoa.api.schemas import ERRORS, page
from lantoa.org import selectors
from lantoa.org.permissions import access_unit
from lantoa.org.schemas import UnitDetailOut, UnitListOut

router = Router(tags=["units"])


class UnitFilters(Schema):
    as_of: dt.date | None = None
    kind: str = ""
    tier: str = ""
    q: str = ""
    within: str = ""
    limit: int = 100
    offset: int = 0


@router.get("", response={200: UnitListOut, **ERRORS}, summary="List units in your scope")
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    """Units you may see. ``within=<code>`` limits to that unit's subtree; ``q`` ignores diacritics."""
    day = filters.as_of or selectors.today()
    units = units_for(request.user, Capability.VIEW_UNITS, as_of=day)
    if filters.within:
        root = access_unit(by=request.user, code=filters.within, as_of=day)
        units = units.filter(pk__in=selectors.subtree_ids(root.pk, as_of=day))
    units = selectors.unit_search(units, q=filters.q, kind=filters.kind, tier=filters.tier, as_of=day)
    return page(units.order_by("kind__tier__rank", "code"), limit=filters.limit, offset=filters.offset)


@router.get("/{code}", response={200: UnitDetailOut, **ERRORS}, summary="One unit with its history")
def unit_detail(request: HttpRequest, code: str, as_of: dt.date | None = None) -> Any:
    unit = access_unit(by=request.user, code=code, as_of=as_of)
    parent = selectors.unit_parent(unit, as_of=as_of)
    unit.parent_code = parent.code if parent else None  # type: ignore[attr-defined]
    unit.area = selectors.unit_area(unit, as_of=as_of)  # type: ignore[attr-defined]
    unit.names_history = list(selectors.unit_names(unit))  # type: ignore[attr-defined]
    unit.parents_history = list(selectors.unit_parent_links(unit))  # type: ignore[attr-defined]
    unit.areas_history = list(selectors.unit_areas(unit))  # type: ignore[attr-defined]
    return unit


@router.get("/{code}/children", response={200: UnitListOut, **ERRORS}, summary="Children of a unit")
def unit_children(
    request: HttpRequest, code: str, as_of: dt.date | None = None, limit: int = 500, offset: int = 0
) -> Any:
    unit = access_unit(by=request.user, code=code, as_of=as_of)
    return page(selectors.unit_children(unit, as_of=as_of), limit=limit, offset=offset)


@router.get("/{code}/ancestors", response={200: UnitListOut, **ERRORS}, summary="Ancestors, root first")
def unit_ancestors(request: HttpRequest, code: str, as_of: dt.date | None = None) -> Any:
    unit = access_unit(by=request.user, code=code, as_of=as_of)
    ancestors = selectors.unit_ancestors(unit, as_of=as_of)
    return {"items": ancestors, "count": len(ancestors)}
