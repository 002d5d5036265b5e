"""Units, restructuring events, indicators and reported figures over the API.

Every endpoint answers only inside the caller's scope.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router
from ninja.responses import Status

from lantoa.accounts.permissions import scope_root_ids, units_for
from lantoa.accounts.roles import Capability
from lantoa.core.api_input import IsoDate, Limit, Offset, QueryInput
from lantoa.core.errors import ValidationFailed
from lantoa.core.indicators import Indicator, all_indicators, get_indicator
from lantoa.core.models import DataValue
from lantoa.core.schemas import ERRORS, page
from lantoa.core.services import data_value_record, period_ensure
from lantoa.org import rollup, selectors
from lantoa.org.permissions import access_restructuring, access_unit
from lantoa.org.restructuring import event_apply
from lantoa.org.schemas import (
    EventIn,
    EventListOut,
    EventReportOut,
    FigureIn,
    FigureListOut,
    FigureOut,
    IndicatorListOut,
    IndicatorValueListOut,
    SuccessionListOut,
    UnitDetailOut,
    UnitListOut,
)

router = Router(tags=["units"])


class UnitFilters(QueryInput):
    as_of: IsoDate | None = None
    kind: str = ""
    tier: str = ""
    q: str = ""
    within: str = ""
    limit: Limit = 100
    offset: Offset = 0


@router.get("", response={200: UnitListOut, **ERRORS}, summary="List units in your scope")
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    """Units you may see. ``within=<code>`` limits to that unit's subtree; ``q`` ignores diacritics."""
    day = filters.as_of or selectors.today()
    units = units_for(request.user, Capability.VIEW_UNITS, as_of=day)
    root = access_unit(by=request.user, code=filters.within, as_of=day) if filters.within else None
    units = selectors.unit_list(units, within=root, q=filters.q, kind=filters.kind, tier=filters.tier, as_of=day)
    return page(units, limit=filters.limit, offset=filters.offset)


@router.get("/{code}", response={200: UnitDetailOut, **ERRORS}, summary="One unit with its history")
def unit_detail(request: HttpRequest, code: str, as_of: IsoDate | None = None) -> Any:
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
    request: HttpRequest, code: str, as_of: IsoDate | None = None, limit: Limit = 500, offset: Offset = 0
) -> Any:
    unit = access_unit(by=request.user, code=code, as_of=as_of)
    return page(selectors.unit_children(unit, as_of=as_of), limit=limit, offset=offset)


@router.get("/{code}/ancestors", response={200: UnitListOut, **ERRORS}, summary="Ancestors, root first")
def unit_ancestors(request: HttpRequest, code: str, as_of: IsoDate | None = None) -> Any:
    unit = access_unit(by=request.user, code=code, as_of=as_of)
    ancestors = selectors.unit_ancestors(unit, as_of=as_of)
    return {"items": ancestors, "count": len(ancestors)}


# --- Restructuring events and successions ----------------------------------------------------

events_router = Router(tags=["restructuring"])


@events_router.get("", response={200: EventListOut, **ERRORS}, summary="Restructuring events in your scope")
def list_events(request: HttpRequest, unit: str = "", limit: Limit = 100, offset: Offset = 0) -> Any:
    """Events that touched units you may see, on the event's eve or day (``unit=<code>`` for one
    unit's events); each payload names only such units."""
    roots = scope_root_ids(request.user, Capability.VIEW_UNITS)
    if unit:
        target = access_unit(by=request.user, code=unit)
        events = selectors.events_seen_from(roots, selectors.unit_events(target))
    else:
        events = selectors.events_seen_from(roots)
    return page(events, limit=limit, offset=offset)


@events_router.post(
    "", response={200: EventReportOut, 201: EventReportOut, **ERRORS}, summary="Apply (or preview) an event"
)
def create_event(request: HttpRequest, body: EventIn) -> Any:
    """Apply a restructuring event. With ``dry_run: true`` nothing changes and the answer lists
    every unit that would close, move or be created, every succession and every pointer moved."""
    access_restructuring(by=request.user, payload=body.payload, as_of=body.effective_on)
    report = event_apply(
        by=request.user,
        kind=body.kind,
        effective_on=body.effective_on,
        decided_on=body.decided_on,
        legal_basis=body.legal_basis,
        note=body.note,
        payload=body.payload,
        dry_run=body.dry_run,
    )
    return Status(200 if body.dry_run else 201, report.as_dict())


@events_router.get("/successions", response={200: SuccessionListOut, **ERRORS}, summary="Successions")
def list_successions(request: HttpRequest, unit: str = "", limit: Limit = 200, offset: Offset = 0) -> Any:
    """Predecessor → successor links with weights (``unit=<code>``: links in or out of that unit)."""
    if unit:
        links = selectors.succession_list(unit=access_unit(by=request.user, code=unit))
    else:
        links = selectors.succession_list(visible=units_for(request.user, Capability.VIEW_UNITS))
    window = page(links, limit=limit, offset=offset)
    window["items"] = [
        {
            "event_id": link.event_id,
            "effective_on": link.event.effective_on,
            "predecessor": link.predecessor.code,
            "successor": link.successor.code,
            "weight": str(link.weight),
            "is_default": link.is_default,
        }
        for link in window["items"]
    ]
    return window


# --- Indicators and their values ------------------------------------------------------------

indicators_router = Router(tags=["indicators"])


def _indicator_out(indicator: Indicator) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "name_vi": indicator.name_vi,
        "name_en": indicator.name_en,
        "unit": indicator.measure_name,
        "aggregation": str(indicator.aggregation),
        "counting": str(indicator.counting),
        "reallocation": str(indicator.reallocation),
        "module": indicator.module,
    }


@indicators_router.get("", response={200: IndicatorListOut, **ERRORS}, summary="The indicator registry")
def list_indicators(request: HttpRequest) -> Any:
    items = [_indicator_out(i) for i in all_indicators()]
    return {"items": items, "count": len(items)}


class ValuesQuery(QueryInput):
    unit: str
    start: IsoDate
    end: IsoDate
    structure: Literal["historical", "current", "as_of"] = "historical"
    as_of: IsoDate | None = None
    indicator: list[str] = Field(default_factory=list)


def _number(value: Any) -> tuple[int | float | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, int):
        return value, str(value)
    return float(value), str(value)


@indicators_router.get("/values", response={200: IndicatorValueListOut, **ERRORS}, summary="Indicator values")
def indicator_values_endpoint(request: HttpRequest, filters: Query[ValuesQuery]) -> Any:
    """Values for ``unit``'s whole subtree over ``[start, end]``, in the historical structure, the
    current one, or the one ``as_of`` a date; each with its coverage (units that have no data)."""
    if filters.end < filters.start:
        raise ValidationFailed(_("The period must end on or after its start."), extra={"field": "end"})
    if filters.structure == "as_of" and filters.as_of is None:
        raise ValidationFailed(_("Give as_of=YYYY-MM-DD with structure=as_of."), extra={"field": "as_of"})
    unit = access_unit(by=request.user, code=filters.unit, capability=Capability.VIEW_AGGREGATES)
    codes = filters.indicator or [i.code for i in all_indicators()]
    unknown = [code for code in codes if get_indicator(code) is None]
    if unknown:
        raise ValidationFailed(
            _("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown)}, extra={"indicator": unknown}
        )
    results = rollup.indicator_values(
        unit=unit,
        start=filters.start,
        end=filters.end,
        codes=codes,
        structure=filters.structure,
        as_of=filters.as_of,
    )
    items = []
    for result in results:
        number, exact = _number(result.value)
        items.append(
            {
                "code": result.indicator.code,
                "name": result.indicator.name,
                "value": number,
                "value_exact": exact,
                "unit": result.indicator.measure_name,
                "coverage": result.coverage.as_dict(),
            }
        )
    return {
        "items": items,
        "count": len(items),
        "unit_code": unit.code,
        "start": filters.start,
        "end": filters.end,
        "structure": filters.structure,
        "as_of": filters.as_of,
    }


# --- Reported figures (DataValue) -------------------------------------------------------------

figures_router = Router(tags=["reported figures"])


def _figure_out(row: DataValue) -> dict[str, Any]:
    return {
        "id": row.pk,
        "indicator": row.indicator,
        "unit": row.unit.code,
        "period_kind": row.period.kind,
        "start": row.period.start,
        "end": row.period.end,
        "value": str(_tidy_decimal(row.value)),
        "source": row.source,
        "created_at": row.created_at,
        "superseded_at": row.superseded_at,
    }


def _tidy_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@figures_router.get("", response={200: FigureListOut, **ERRORS}, summary="Reported figures")
def list_figures(
    request: HttpRequest, unit: str, indicator: str = "", history: bool = False, limit: Limit = 200, offset: Offset = 0
) -> Any:
    """Figures filed for ``unit`` (its own, not its subtree's); ``history=true`` includes superseded ones."""
    target = access_unit(by=request.user, code=unit, capability=Capability.VIEW_AGGREGATES)
    rows = selectors.figure_list(target, indicator=indicator, history=history)
    window = page(rows, limit=limit, offset=offset)
    window["items"] = [_figure_out(row) for row in window["items"]]
    return window


@figures_router.post("", response={201: FigureOut, **ERRORS}, summary="File a figure")
def create_figure(request: HttpRequest, body: FigureIn) -> Any:
    """File (or correct) a figure for a unit and period. Filing the same value again is a no-op.

    ``value`` (best sent as a string, e.g. ``"1234.5"``) must be finite, zero or more, at most the
    indicator's bound and have at most 4 decimal places; otherwise 422 naming the limit."""
    target = access_unit(by=request.user, code=body.unit, capability=Capability.EDIT_RECORDS)
    period = period_ensure(kind=body.period_kind, start=body.start, end=body.end)
    row = data_value_record(
        by=request.user, indicator=body.indicator, unit=target, period=period, value=body.value, source=body.source
    )
    return Status(201, _figure_out(row))
