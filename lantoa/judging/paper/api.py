"""Paper score sheets over the API, mounted under the judging router."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lantoa.core.api_input import Id, StrictInput
from lantoa.core.schemas import ERRORS, binary_response
from lantoa.judging.certificates import PDF_TYPE
from lantoa.judging.models import CRITERIA_MAX
from lantoa.judging.paper import services
from lantoa.judging.paper.views import access_sheet_to_type, paper_response
from lantoa.judging.permissions import access_stage
from lantoa.judging.schemas import ScoreIn

router = Router(tags=["judging"])


class JurorQuery(Schema):
    juror: Id | None = Field(None, description="One jury member's sheets; without it, every juror's")


class PaperScoreIn(ScoreIn):
    criterion: Id


class PaperRecordOut(Schema):
    id: int
    status: str
    total: Decimal | None


class PaperSheetIn(StrictInput):
    scores: list[PaperScoreIn] = Field(..., min_length=1, max_length=CRITERIA_MAX)


@router.get(
    "/stages/{stage_id}/paper-sheets.pdf",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The paper score sheets, A4", PDF_TYPE),
    summary="A stage's paper score sheets (PDF), per juror or for the whole jury",
    operation_id="lantoa_judging_api_paper_sheets",
)
def paper_sheets(request: HttpRequest, stage_id: Id, query: Query[JurorQuery]) -> Any:
    stage = access_stage(by=request.user, pk=stage_id, run=True)
    return paper_response(stage, query.juror)


@router.put(
    "/sheets/{sheet_id}/paper",
    response={200: PaperRecordOut, **ERRORS},
    summary="The stage's secretary types in a paper sheet for its juror (submitted and locked)",
    operation_id="lantoa_judging_api_paper_record",
)
def paper_record(request: HttpRequest, sheet_id: Id, body: PaperSheetIn) -> Any:
    """Every criterion scored (422 ``sheet_incomplete``), each within its maximum; 409
    ``sheet_locked`` for a submitted sheet; a sheet of a stage the caller is not the secretary
    of answers as missing."""
    sheet = access_sheet_to_type(by=request.user, pk=sheet_id)
    recorded = services.paper_record(by=request.user, sheet=sheet, values={s.criterion: s.value for s in body.scores})
    return {"id": recorded.pk, "status": recorded.status, "total": recorded.total}
