"""Files in and out over the API: a conference's photos and minutes, a unit's calendar, and past
conferences imported from a spreadsheet."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.api_input import FormText
from lantoa.core.errors import ValidationFailed
from lantoa.core.forms import MAX_IMPORT_BYTES
from lantoa.core.schemas import ERRORS
from lantoa.meetings import importing, services
from lantoa.meetings.api._common import _conference_detail
from lantoa.meetings.feeds import feed_text
from lantoa.meetings.permissions import access_conference
from lantoa.meetings.schemas import ConferenceDetailOut, Id, ImportOut
from lantoa.org.permissions import access_unit

router = Router()


@router.post(
    "/conferences/{conference_id}/attachments",
    response={201: ConferenceDetailOut, **ERRORS},
    summary="Add a photo or the minutes",
    operation_id="lantoa_meetings_api_attachment_add",
)
def attachment_add(
    request: HttpRequest, conference_id: Id, file: File[UploadedFile], kind: Annotated[FormText, Form("photo")]
) -> Any:
    """multipart/form-data ``file`` and ``kind`` (photo, minutes, other). The file is checked by
    its content; minutes carrying a secrecy stamp are refused (422 ``classified_material``)."""
    conference = access_conference(by=request.user, pk=conference_id, capability=Capability.EDIT_RECORDS)
    services.attachment_add(by=request.user, conference=conference, upload=file, kind=kind)
    return Status(201, _conference_detail(request.user, conference.pk))


@router.get(
    "/calendar.ics",
    response={200: str, **ERRORS},
    summary="The unit's conferences as a calendar (text/calendar)",
    openapi_extra={"responses": {"200": {"content": {"text/calendar": {"schema": {"type": "string"}}}}}},
    operation_id="lantoa_meetings_api_calendar_ics",
)
def calendar_ics(request: HttpRequest, unit: str) -> Any:
    """RFC 5545 calendar of the unit's conferences (organised there or with a site there) from
    three months back, the same events as the calendar page's feed. Calendar applications that
    cannot send a token subscribe to the feed address shown on the calendar page instead."""
    found = access_unit(by=request.user, code=unit, capability=Capability.VIEW_AGGREGATES)
    return HttpResponse(feed_text(request, request.user, found), content_type="text/calendar; charset=utf-8")


@router.post(
    "/import",
    response={200: ImportOut, 201: ImportOut, **ERRORS},
    summary="Import past conferences",
    operation_id="lantoa_meetings_api_conferences_import",
)
def conferences_import(request: HttpRequest, file: File[UploadedFile]) -> Any:
    """multipart/form-data ``file``: an XLSX workbook with the sheets "Hội nghị" (Conferences)
    and "Điểm cầu" (Sites); the template is at ``/meetings/import/template.xlsx``. Every row is
    checked first: any problem answers 422 ``import_rejected`` with every problem (sheet, row,
    column) and nothing is written. Importing the same file again creates nothing new."""
    importing.require_importer(request.user)
    if file.size is not None and file.size > MAX_IMPORT_BYTES:
        raise ValidationFailed(_("The file is larger than 5 MB."), extra={"field": "file"})
    result = importing.conferences_import(by=request.user, file=file.read())
    out = {
        "conferences_created": len(result.created),
        "conferences_already_imported": result.already_imported,
        "sites": result.sites,
        "held": result.held,
        "conferences": result.created,
        "message": result.summary(),
    }
    return Status(201 if result.created else 200, out)
