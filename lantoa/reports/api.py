"""The unit's dashboard over the API: ``GET /api/v1/reports/dashboard``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from lantoa.accounts.roles import Capability
from lantoa.core.errors import ValidationFailed
from lantoa.core.schemas import ERRORS
from lantoa.org.permissions import access_unit
from lantoa.reports.schemas import DashboardOut, DashboardQuery
from lantoa.reports.selectors import Dashboard, Figure, Period, Row, unit_dashboard

router = Router(tags=["reports"])


def _number(value: Any) -> tuple[int | float | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, int):
        return value, str(value)
    return float(value), str(value)


def _figure_out(figure: Figure) -> dict[str, Any]:
    value, exact = _number(figure.value)
    previous, previous_exact = _number(figure.previous)
    return {
        "code": figure.code,
        "value": value,
        "value_exact": exact,
        "previous": previous,
        "previous_exact": previous_exact,
        "coverage": figure.coverage.as_dict(),
    }


def _row_out(board: Dashboard, row: Row) -> dict[str, Any]:
    return {
        "unit_code": row.unit.code,
        "unit_name": row.name,
        "figures": [_figure_out(figure) for figure in row.cells(board.columns)],
    }


@router.get("/dashboard", response={200: DashboardOut, **ERRORS}, summary="A unit's dashboard")
def dashboard(request: HttpRequest, filters: Query[DashboardQuery]) -> Any:
    """The main indicators for ``unit``'s subtree over ``[start, end]`` and the period of the same
    length before it, for the unit, its siblings you may see and its children, in the historical
    structure or today's; each figure with its coverage (units that have no data). ``null`` is no
    data, never 0. The same figures as the dashboard page and its XLSX export."""
    if filters.end < filters.start:
        raise ValidationFailed(_("The period must end on or after its start."), extra={"field": "end"})
    unit = access_unit(by=request.user, code=filters.unit, capability=Capability.VIEW_AGGREGATES)
    board = unit_dashboard(
        by=request.user, unit=unit, period=Period(filters.start, filters.end), structure=filters.structure
    )
    return {
        "unit_code": unit.code,
        "unit_name": board.name,
        "parent_code": board.parent.code if board.parent else None,
        "start": board.period.start,
        "end": board.period.end,
        "previous_start": board.previous.start,
        "previous_end": board.previous.end,
        "structure": board.structure,
        "indicators": [
            {"code": c.code, "name": c.name, "unit": c.measure, "counting": c.counting, "rate": c.rate}
            for c in board.columns
        ],
        "total": _row_out(board, board.total),
        "siblings": [_row_out(board, row) for row in board.siblings],
        "children": [_row_out(board, row) for row in board.children],
    }


def _mount_data_requests() -> None:
    """Data requests share the ``/reports`` prefix (:mod:`lantoa.reports.request_api`)."""
    from lantoa.reports.request_api import router as requests_router

    router.add_router("", requests_router)


_mount_data_requests()
