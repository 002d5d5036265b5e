"""Study reflection counts over the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from lantoa.core.schemas import ERRORS, page
from lantoa.library.permissions import access_document
from lantoa.meetings import selectors, services
from lantoa.meetings.models import StudyReflectionTally
from lantoa.meetings.permissions import access_conference, require_record_for_unit
from lantoa.meetings.schemas import ReflectionIn, ReflectionListOut, ReflectionOut, ReflectionQuery
from lantoa.org.permissions import access_unit

router = Router()


def _reflection_out(tally: StudyReflectionTally) -> dict[str, Any]:
    return {
        "id": tally.pk,
        "unit": tally.unit.code,
        "unit_name": tally.unit.name,
        "conference": tally.conference_id,
        "conference_title": tally.conference.title if tally.conference is not None else "",
        "document": tally.document_id,
        "document_title": tally.document.title if tally.document is not None else "",
        "recorded_on": tally.recorded_on,
        "required": tally.required,
        "exempt": tally.exempt,
        "submitted": tally.submitted,
        "graded": tally.graded,
        "makeup_sessions": tally.makeup_sessions,
        "updated_at": tally.updated_at,
    }


@router.get(
    "/reflections",
    response={200: ReflectionListOut, **ERRORS},
    summary="Study reflection counts",
    operation_id="lantoa_meetings_api_reflection_list",
)
def reflection_list(request: HttpRequest, filters: Query[ReflectionQuery]) -> Any:
    """Counts of study reflections of the party cells in your scope, newest first."""
    by = request.user
    unit = access_unit(by=by, code=filters.unit) if filters.unit else None
    tallies = selectors.reflection_list(
        by,
        unit=unit,
        conference_id=filters.conference_id,
        document_id=filters.document_id,
        start=filters.start,
        end=filters.end,
    )
    window = page(tallies, limit=filters.limit, offset=filters.offset)
    window["items"] = [_reflection_out(t) for t in window["items"]]
    return window


@router.put(
    "/reflections",
    response={200: ReflectionOut, **ERRORS},
    summary="Record study reflection counts",
    operation_id="lantoa_meetings_api_reflection_record",
)
def reflection_record(request: HttpRequest, body: ReflectionIn) -> Any:
    """A party cell's counts for a conference (or a document studied without one); sending
    them again corrects them. Only numbers: no text is stored."""
    by = request.user
    unit = access_unit(by=by, code=body.unit)
    require_record_for_unit(by, unit)
    conference = access_conference(by=by, pk=body.conference_id) if body.conference_id is not None else None
    document = access_document(by=by, pk=body.document_id) if body.document_id is not None else None
    tally = services.reflections_record(
        by=by,
        data=services.ReflectionCounts(
            unit=unit,
            recorded_on=body.recorded_on,
            conference=conference,
            document=document,
            required=body.required,
            exempt=body.exempt,
            submitted=body.submitted,
            graded=body.graded,
            makeup_sessions=body.makeup_sessions,
        ),
    )
    tally = selectors.reflection_detail(tally)
    return _reflection_out(tally)
