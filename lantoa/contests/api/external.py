"""A contest's results from another platform over the API: the stored rows, uploading a file of
them and its template (decision 0028). The same gate and service as the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router
from ninja.files import UploadedFile

from lantoa.accounts.roles import Capability
from lantoa.contests import bank_io, external_io, selectors
from lantoa.contests.models import ExternalResult
from lantoa.contests.permissions import access_contest
from lantoa.contests.schemas import ExternalImportOut, ExternalResultListOut, Id, Window
from lantoa.contests.services.external import external_results_import
from lantoa.core.errors import ValidationFailed
from lantoa.core.schemas import ERRORS, page
from lantoa.core.spreadsheets import MAX_IMPORT_BYTES, MB

router = Router()

TEMPLATE_TYPES = {bank_io.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}}


def external_result_out(row: ExternalResult) -> dict[str, Any]:
    return {
        "unit": row.unit.code,
        "unit_name": row.unit.name,
        "period": row.period,
        "day": row.day,
        "participants": row.participants,
        "entries": row.entries,
        "imported_at": row.imported_at,
    }


@router.get(
    "/{contest_id}/external",
    response={200: ExternalResultListOut, **ERRORS},
    summary="A contest's results from another platform",
    operation_id="lantoa_contests_api_external_list",
)
def external_list(request: HttpRequest, contest_id: Id, filters: Query[Window]) -> Any:
    """The rows stored for the contest, by day, period and unit. Needs the right to change the
    contest."""
    contest = access_contest(by=request.user, pk=contest_id, capability=Capability.EDIT_RECORDS)
    window = page(selectors.contest_external_results(contest), limit=filters.limit, offset=filters.offset)
    window["items"] = [external_result_out(row) for row in window["items"]]
    return window


@router.post(
    "/{contest_id}/external",
    response={200: ExternalImportOut, **ERRORS},
    summary="Upload a contest's results from another platform (XLSX or CSV)",
    operation_id="lantoa_contests_api_external_import",
)
def external_import(request: HttpRequest, contest_id: Id, file: File[UploadedFile]) -> Any:
    """multipart/form-data ``file``: one row per unit and period (the template is at
    ``/{contest_id}/external/template``). Everything is checked first: any problem answers 422
    ``import_rejected`` with every problem (row and column) and nothing is written. The periods
    the file names replace what the contest had for them."""
    contest = access_contest(by=request.user, pk=contest_id, capability=Capability.EDIT_RECORDS)
    if file.size is not None and file.size > MAX_IMPORT_BYTES:
        raise ValidationFailed(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // MB}, extra={"field": "file"}
        )
    result = external_results_import(by=request.user, contest=contest, file=file)
    return {
        "rows": result.rows,
        "replaced": result.replaced,
        "periods": result.periods,
        "message": result.summary(),
    }


@router.get(
    "/{contest_id}/external/template",
    response={200: str, **ERRORS},
    summary="The template for a contest's results from another platform (XLSX)",
    openapi_extra={"responses": {"200": {"content": TEMPLATE_TYPES}}},
    operation_id="lantoa_contests_api_external_template",
)
def external_template(request: HttpRequest, contest_id: Id) -> Any:
    """The header row in Vietnamese and one example row."""
    access_contest(by=request.user, pk=contest_id, capability=Capability.EDIT_RECORDS)
    response = HttpResponse(external_io.external_results_template(english=False), content_type=bank_io.XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="lantoa-ket-qua-nen-tang-khac.xlsx"'
    return response
