"""Recurring conference series over the API."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.schemas import ERRORS, page
from lantoa.meetings import selectors, services
from lantoa.meetings.api._common import _conference_detail, _conference_out, _kind, _plannable_unit, _sites
from lantoa.meetings.models import ConferenceSeries
from lantoa.meetings.permissions import access_series
from lantoa.meetings.schemas import (
    ConferenceDetailOut,
    Id,
    PlanNextIn,
    SeriesDetailOut,
    SeriesIn,
    SeriesListOut,
    Window,
)

router = Router()


SERIES_CONFERENCES = 12  # the latest conferences shown with a series


def _series_out(series: ConferenceSeries) -> dict[str, Any]:
    return {
        "id": series.pk,
        "title": series.title,
        "kind": series.kind.code,
        "kind_name": series.kind.name,
        "organiser": series.organiser.code,
        "organiser_name": series.organiser.name,
        "level": series.level,
        "format": series.format,
        "recurrence": series.recurrence,
        "day_of_month": series.day_of_month,
        "starts_at_time": series.starts_at_time,
        "duration_minutes": series.duration_minutes,
        "is_mandatory": series.is_mandatory,
        "notes": series.notes,
        "is_active": series.is_active,
    }


def _series_detail(by: Any, series: ConferenceSeries) -> dict[str, Any]:
    conferences = selectors.conference_list_for_series(by, series)[:SERIES_CONFERENCES]
    return {
        **_series_out(series),
        "sites": [
            {"unit": s.unit.code, "unit_name": s.unit.name, "is_host": s.is_host, "location": s.location}
            for s in selectors.series_sites(series)
        ],
        "next_date": services.series_next_date(series),
        "conferences": [_conference_out(c) for c in conferences],
    }


@router.get(
    "/series",
    response={200: SeriesListOut, **ERRORS},
    summary="Recurring conference series",
    operation_id="lantoa_meetings_api_series_list",
)
def series_list(request: HttpRequest, filters: Query[Window]) -> Any:
    """Series organised in your scope, by title."""
    window = page(selectors.series_list_for_user(request.user), limit=filters.limit, offset=filters.offset)
    window["items"] = [_series_out(s) for s in window["items"]]
    return window


@router.post(
    "/series",
    response={201: SeriesDetailOut, **ERRORS},
    summary="Create a series",
    operation_id="lantoa_meetings_api_series_create",
)
def series_create(request: HttpRequest, body: SeriesIn) -> Any:
    """A recurring conference and the sites every one of its conferences is planned with."""
    by = request.user
    organiser = _plannable_unit(by, body.organiser)
    data = services.SeriesData(
        title=body.title,
        kind=_kind(body.kind),
        organiser=organiser,
        level=body.level,
        recurrence=body.recurrence,
        starts_at_time=body.starts_at_time,
        day_of_month=body.day_of_month,
        duration_minutes=body.duration_minutes,
        format=body.format,
        is_mandatory=body.is_mandatory,
        notes=body.notes,
    )
    series = services.series_create(by=by, data=data, sites=_sites(by, body.sites))
    return Status(201, _series_detail(by, access_series(by=by, pk=series.pk)))


@router.get(
    "/series/{series_id}",
    response={200: SeriesDetailOut, **ERRORS},
    summary="One series",
    operation_id="lantoa_meetings_api_series_detail",
)
def series_detail(request: HttpRequest, series_id: Id) -> Any:
    """The series, its sites, the date of its next conference and its latest conferences."""
    return _series_detail(request.user, access_series(by=request.user, pk=series_id))


@router.post(
    "/series/{series_id}/plan-next",
    response={200: ConferenceDetailOut, 201: ConferenceDetailOut, **ERRORS},
    summary="Plan the next conference of a series",
    operation_id="lantoa_meetings_api_series_plan_next",
)
def series_plan_next(request: HttpRequest, series_id: Id, body: PlanNextIn | None = None) -> Any:
    """The next conference with the series' sites, a step after the latest one (or on ``on``).
    Answers 200 with the existing conference when the series already has one that day."""
    by = request.user
    series = access_series(by=by, pk=series_id, capability=Capability.EDIT_RECORDS)
    conference, created = services.series_plan_next(by=by, series=series, on=body.on if body is not None else None)
    return Status(201 if created else 200, _conference_detail(by, conference.pk))
