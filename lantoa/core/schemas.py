"""Shapes shared by every module's API: errors and lists (in core, so that every app may use them)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Schema

from lantoa.core.api_input import MAX_LIMIT, MAX_OFFSET


class ErrorOut(Schema):
    code: str
    message: str
    extra: dict[str, Any] = {}


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
}


def page(queryset: QuerySet | list, *, limit: int, offset: int) -> dict[str, Any]:
    """``{"items": [...], "count": N}`` for one page of ``queryset``."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, MAX_OFFSET))
    if isinstance(queryset, list):
        return {"items": queryset[offset : offset + limit], "count": len(queryset)}
    return {"items": list(queryset[offset : offset + limit]), "count": queryset.count()}


def binary_response(description: str, content_type: str = "application/octet-stream") -> dict[str, Any]:
    """``openapi_extra`` for an endpoint whose 200 is a file of ``content_type``, not JSON."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }
