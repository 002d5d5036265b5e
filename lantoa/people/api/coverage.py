"""Coverage of the outreach network over the API: counts only, no person named."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from lantoa.accounts.roles import Capability
from lantoa.core.schemas import ERRORS
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import name_then
from lantoa.people import selectors
from lantoa.people.schemas import CoverageQuery, NetworkCoverageOut

router = Router()


def _coverage_row_out(row: selectors.CoverageRow) -> dict[str, Any]:
    return {
        "unit": row.unit.code,
        "unit_name": name_then(row.unit),
        "communes": row.communes,
        "communes_with_board": row.communes_with_board,
        "villages": row.villages,
        "villages_with_team": row.villages_with_team,
        "propagandists": row.propagandists,
        "reporters": row.reporters,
        "board_share": round(row.board_share, 4),
        "team_share": round(row.team_share, 4),
        "propagandists_per_village": round(row.propagandists_per_village, 2),
    }


@router.get(
    "/coverage",
    response={200: NetworkCoverageOut, **ERRORS},
    summary="Coverage of the outreach network",
    operation_id="lantoa_people_api_coverage",
)
def coverage(request: HttpRequest, filters: Query[CoverageQuery]) -> Any:
    """Boards, teams, propagandists and reporters under ``unit`` on ``on`` (default today): the
    totals, one row per child unit, and the communes and villages still without a board or team.
    Counts only — no person is named."""
    unit = access_unit(by=request.user, code=filters.unit, capability=Capability.VIEW_AGGREGATES)
    found = selectors.coverage(unit, on=filters.on, gap_limit=filters.gap_limit)
    total = found.total
    return {
        "unit": unit.code,
        "unit_name": name_then(unit),
        "on": found.day,
        "totals": _coverage_row_out(total),
        "rows": [_coverage_row_out(row) for row in found.rows],
        "reporters_by_level": [{"level": label, "reporters": count} for label, count in found.reporters_by_level],
        "propagandist_distribution": [
            {"propagandists": bucket, "villages": count} for bucket, count in found.propagandist_distribution
        ],
        "gaps": {
            "communes_without_board": total.communes - total.communes_with_board,
            "villages_without_team": total.villages - total.villages_with_team,
            "first_communes_without_board": [
                {"code": u.code, "name": name_then(u)} for u in found.communes_without_board
            ],
            "first_villages_without_team": [
                {"code": u.code, "name": name_then(u)} for u in found.villages_without_team
            ],
            "limit": found.gap_limit,
        },
    }
