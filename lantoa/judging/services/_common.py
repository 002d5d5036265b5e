"""What the judging services share: the checks of a text, a number with two decimals, a date
range and a list of links (the assessments' services check with them too), and numbers joined
into one text for PostgreSQL's ``string_to_array``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationFailed
from lantoa.core.text import clean_text
from lantoa.judging.models import MATERIALS_MAX, TITLE_MAX, URL_MAX

TWO = Decimal("0.01")


def _text(
    value: str, *, field_name: str, limit: int = TITLE_MAX, required: bool = False, multiline: bool = False
) -> str:
    text = clean_text(value, multiline=multiline)
    if required and not text:
        raise ValidationFailed(_("This field is required."), extra={"field": field_name})
    if len(text) > limit:
        raise ValidationFailed(
            _("This text is longer than %(max)s characters.") % {"max": limit}, extra={"field": field_name}
        )
    return text


def _number(value: Any, *, field_name: str, low: Decimal, high: Decimal, low_open: bool = False) -> Decimal:
    """A finite decimal with two places within [low, high] (or (low, high])."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or number < low or number > high or (low_open and number == low):
        raise ValidationFailed(
            _("Enter a number between %(low)s and %(high)s.") % {"low": low, "high": high},
            extra={"field": field_name, "min": str(low), "max": str(high)},
        )
    if number != number.quantize(TWO):
        raise ValidationFailed(_("Use at most two decimal places."), extra={"field": field_name})
    return number.quantize(TWO)


def _dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise ValidationFailed(_("The end date is before the start date."), extra={"field": "ends_on"})


def _materials(links: list[str]) -> list[str]:
    if len(links) > MATERIALS_MAX:
        raise ValidationFailed(_("At most %(max)s links.") % {"max": MATERIALS_MAX}, extra={"field": "materials"})
    cleaned = []
    for index, link in enumerate(links):
        text = _text(link, field_name=f"materials.{index}", limit=URL_MAX, required=True)
        if not text.startswith(("https://", "http://")):
            raise ValidationFailed(_("A link starts with https:// or http://."), extra={"field": f"materials.{index}"})
        cleaned.append(text)
    return cleaned


def _text_array(values: Iterable[object], *, nullable: bool = False) -> str:
    # Numbers (or nothing) joined for ``string_to_array``: one text parameter instead of an
    # array adapted element by element, which costs seconds for 100,000 values.
    if nullable:
        return ",".join("" if value is None else str(value) for value in values)
    return ",".join(map(str, values))
