"""The edge of the JSON API: the one parser of request bodies and the strict shapes that every
input schema is built on.

Bodies: a JSON endpoint takes ``application/json`` only (415 otherwise); the body is JSON
(400 ``invalid_json``) with finite numbers, whose top level is an object, or an array where the
endpoint declares a list (422 ``invalid_body``); past ``DATA_UPLOAD_MAX_MEMORY_SIZE`` it answers
413 ``body_too_large``; a broken multipart upload answers 400 ``invalid_multipart``. All of this
happens while ninja reads the parameters, before the endpoint asks any gate.

Schemas: bodies inherit :class:`StrictInput` (the declared type only: ``"5"`` and ``true`` are
not integers, ``1.5`` is not an integer, a number is not a string; unknown fields are refused),
query strings inherit :class:`QueryInput` (numbers come as text there, but dates only as ISO
dates). In both, every string passes through :func:`lantoa.core.text.clean_text` before its
length or emptiness is checked, so a value made of zero-width characters is empty and a NUL
byte never reaches the database.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from decimal import Decimal
from typing import Annotated, Any, get_args, get_origin

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, WithJsonSchema, field_validator

from lantoa.core.errors import ApplicationError, ValidationFailed
from lantoa.core.text import clean_text

# --- Errors at the edge ------------------------------------------------------------------------


class MalformedBody(ApplicationError):
    code = "invalid_json"
    status = 400


class BodyNotAccepted(ValidationFailed):
    """Valid JSON, but not a shape any endpoint takes (a bare string, number or null)."""

    code = "invalid_body"


class UnsupportedMediaType(ApplicationError):
    code = "unsupported_media_type"
    status = 415


class BodyTooLarge(ApplicationError):
    code = "body_too_large"
    status = 413


class MalformedMultipart(ApplicationError):
    code = "invalid_multipart"
    status = 400


# --- The parser --------------------------------------------------------------------------------

JSON_TYPES = ("application/json",)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e309 reads as infinity
        raise ValueError(f"{text} is out of range")
    return number


class StrictJSONParser(Parser):
    """The one reader of JSON bodies for the whole API (``NinjaAPI(parser=StrictJSONParser())``)."""

    def parse_body(self, request: HttpRequest) -> Any:
        # ninja re-reads the parts of a multipart body through a bare request with no content
        # type at all (None); a real request without the header has an empty one.
        if request.content_type is not None and request.content_type not in JSON_TYPES:
            raise UnsupportedMediaType(
                _("Send the body as application/json."), extra={"content_type": request.content_type or ""}
            )
        try:
            data = json.loads(request.body, parse_constant=_refuse_constant, parse_float=_finite_float)
        except (ValueError, RecursionError) as exc:
            raise MalformedBody(_("The request body is not valid JSON."), extra={"error": str(exc)[:200]}) from exc
        if not isinstance(data, dict | list):
            raise BodyNotAccepted(
                _("The request body must be a JSON object."),
                extra={"errors": [{"loc": ["body"], "msg": _("Expected a JSON object.")}]},
            )
        return data


# --- Strict field types ------------------------------------------------------------------------

# Primary keys are 64-bit: a larger number cannot name a row (and SQLite refuses to compare).
MAX_ID = 2**63 - 1
# Far past any real list, and small enough for every database's OFFSET.
MAX_OFFSET = 2**31 - 1
MAX_LIMIT = 500
# Counts of people or copies: whole numbers that fit the PostgreSQL integer columns.
MAX_COUNT = 2_000_000_000
FIRST_YEAR, LAST_YEAR = 1900, 2200

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
# A page size past MAX_LIMIT is read as MAX_LIMIT (see lantoa.core.schemas.page), as it always was.
Limit = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
# A money-like amount: a JSON number or a numeric string, whole and finite.
Amount = Annotated[Decimal, Field(strict=False, allow_inf_nan=False)]


class _Multiline:
    """Marks a text field that keeps its line breaks (notes, descriptions)."""


MULTILINE = _Multiline()
LongText = Annotated[str, MULTILINE]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?", re.IGNORECASE)
_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?")
CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"


def _in_years(value: dt.date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(_("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})


def parse_iso_date(value: Any) -> dt.date:
    """``YYYY-MM-DD`` and nothing else (not a number of seconds, not a date-time)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(_("%(value)s is not a date.") % {"value": value}) from exc
    else:
        raise ValueError(_("Give a date as YYYY-MM-DD."))
    _in_years(day)
    return day


def parse_iso_datetime(value: Any) -> dt.datetime:
    """An ISO 8601 date and time (with or without a zone), never a number of seconds."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and _ISO_DATETIME.fullmatch(value):
        try:
            moment = dt.datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError as exc:
            raise ValueError(_("%(value)s is not a date and time.") % {"value": value}) from exc
    else:
        raise ValueError(_("Give a date and time as YYYY-MM-DDTHH:MM[:SS][±HH:MM]."))
    _in_years(moment)
    return moment


def parse_clock_time(value: Any) -> dt.time:
    """``HH:MM`` or ``HH:MM:SS`` on a 24-hour clock."""
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str) and _CLOCK.fullmatch(value):
        return dt.time.fromisoformat(value)
    raise ValueError(_("Give a time as HH:MM or HH:MM:SS."))


IsoDate = Annotated[
    dt.date, BeforeValidator(parse_iso_date), WithJsonSchema({"type": "string", "format": "date"}, mode="validation")
]
IsoDateTime = Annotated[
    dt.datetime,
    BeforeValidator(parse_iso_datetime),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="validation"),
]
_CLOCK_SCHEMA = {"type": "string", "pattern": CLOCK_PATTERN, "example": "08:00"}
ClockTime = Annotated[dt.time, BeforeValidator(parse_clock_time), WithJsonSchema(_CLOCK_SCHEMA, mode="validation")]
# How a clock time is answered ("08:00:00"): the same pattern, so the answer matches its schema.
ClockTimeOut = Annotated[dt.time, WithJsonSchema(_CLOCK_SCHEMA, mode="serialization")]


def _clean_form_text(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _clean_form_long_text(value: Any) -> Any:
    return clean_text(value, multiline=True) if isinstance(value, str) else value


# Form fields of a multipart upload, read by ninja outside any schema, cleaned the same way.
# Declare them as ``Annotated[FormText, Form("")]``: ``Form[FormText] = ""`` loses its default.
FormText = Annotated[str, BeforeValidator(_clean_form_text)]
FormLongText = Annotated[str, BeforeValidator(_clean_form_long_text)]


# --- The strict base schemas -------------------------------------------------------------------


def _clean_strings(value: Any, *, multiline: bool) -> Any:
    if isinstance(value, str):
        return clean_text(value, multiline=multiline)
    if isinstance(value, list):
        return [_clean_strings(item, multiline=multiline) for item in value]
    if isinstance(value, dict):
        return {
            _clean_strings(key, multiline=False): _clean_strings(item, multiline=multiline)
            for key, item in value.items()
        }
    return value


def _marked_multiline(annotation: Any) -> bool:
    """Whether a type carries :data:`MULTILINE`, also inside ``X | None`` and other unions (where
    pydantic keeps the marker in the annotation, not in the field's metadata)."""
    if get_origin(annotation) is Annotated:
        base, *extras = get_args(annotation)
        return any(isinstance(extra, _Multiline) for extra in extras) or _marked_multiline(base)
    return any(_marked_multiline(argument) for argument in get_args(annotation))


_multiline_fields: dict[tuple[type, str], bool] = {}


class _CleanText(BaseModel):
    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any, info: ValidationInfo) -> Any:
        multiline = False
        if info.field_name:
            key = (cls, info.field_name)
            if key not in _multiline_fields:
                field = cls.model_fields[info.field_name]
                _multiline_fields[key] = any(isinstance(m, _Multiline) for m in field.metadata) or _marked_multiline(
                    field.annotation
                )
            multiline = _multiline_fields[key]
        # Emptiness is checked after this, by the field's own rules or by the service.
        return _clean_strings(value, multiline=multiline)


class StrictInput(_CleanText):
    """The base of every JSON body schema."""

    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)


class QueryInput(_CleanText):
    """The base of every query-string schema: numbers arrive as text, so they are read from it;
    dates still come only as ISO dates (use :data:`IsoDate`)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
