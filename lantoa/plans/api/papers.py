"""An inspection's papers over the API (upload and download, within the inspection's scope) and
its dossier as PDF."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from lantoa.core.api_input import FormText, Id, IsoDate
from lantoa.core.schemas import ERRORS, binary_response
from lantoa.core.uploads import kept_file_response
from lantoa.org.permissions import access_unit
from lantoa.plans import services
from lantoa.plans.api.inspections import inspection_detail_out
from lantoa.plans.dossier import PDF_TYPE, dossier_pdf_filename, inspection_pdf
from lantoa.plans.models import TITLE_MAX
from lantoa.plans.permissions import access_inspection, access_inspection_file
from lantoa.plans.schemas import InspectionDetailOut

router = Router()

UnitCode = Annotated[FormText, Form("", max_length=64)]
Title = Annotated[FormText, Form("", max_length=TITLE_MAX)]


@router.post(
    "/inspections/{inspection_id}/files",
    response={201: InspectionDetailOut, **ERRORS},
    summary="Upload a paper of the inspection: the inspected unit's report, the minutes, another paper",
    operation_id="lantoa_plans_api_inspection_file_add",
)
def inspection_file_add(
    request: HttpRequest,
    inspection_id: Id,
    file: File[UploadedFile],
    kind: Annotated[FormText, Form(..., max_length=12)],
    dated_on: Annotated[IsoDate, Form(...)],
    unit: UnitCode,
    title: Title,
    replaces: Annotated[Id | None, Form(None)],
) -> Any:
    """multipart/form-data: ``file``, ``kind`` (report, minutes, other), ``dated_on``, ``unit``
    (the inspected unit's code, for a report only), optional ``title`` and ``replaces`` (the id of
    a paper of the same kind that this one replaces; the old one is kept, marked replaced). The
    file is checked by its content; a paper carrying a secrecy stamp is refused (422
    ``classified_material``)."""
    inspection = access_inspection(by=request.user, pk=inspection_id, write=True)
    found_unit = access_unit(by=request.user, code=unit) if unit else None
    replaced = access_inspection_file(by=request.user, pk=replaces) if replaces else None
    services.inspection_file_add(
        by=request.user, inspection=inspection, upload=file, kind=kind, dated_on=dated_on, unit=found_unit,
        title=title, replaces=replaced,
    )  # fmt: skip
    return Status(201, inspection_detail_out(inspection))


@router.get(
    "/inspection-files/{file_id}",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The paper as uploaded"),
    summary="Download a paper of an inspection",
    operation_id="lantoa_plans_api_inspection_file",
)
def inspection_file(request: HttpRequest, file_id: Id) -> Any:
    kept = access_inspection_file(by=request.user, pk=file_id)
    return kept_file_response(kept)


@router.get(
    "/inspections/{inspection_id}/dossier.pdf",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The inspection's dossier as PDF", PDF_TYPE),
    summary="An inspection's dossier: decision, team, units, topics, findings, conclusions, follow-ups, papers (PDF)",
    operation_id="lantoa_plans_api_inspection_dossier_pdf",
)
def inspection_dossier_pdf(request: HttpRequest, inspection_id: Id) -> Any:
    inspection = access_inspection(by=request.user, pk=inspection_id)
    response = HttpResponse(inspection_pdf(inspection), content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{dossier_pdf_filename(inspection)}"'
    return response
