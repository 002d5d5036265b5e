"""What the plans' services share: the Party number and the text checks."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationFailed
from lantoa.core.text import clean_text
from lantoa.plans.models import (
    NUMBER_MAX,
)

# The Party's numbering: "45-CTr/TU", "01-NQ/TW", "12-KH/BTGTU", "05-KH/ĐU" — the number, the
# kind of document (letters, e.g. CTr, KH, NQ, QĐ) and the issuing body's letters (several
# parts allowed: "03-KH/ĐU-UBND"). "Số 45-CTr/TU" is accepted and stored without "Số".
_LETTERS = "A-Za-zĐđ"
PARTY_NUMBER = re.compile(
    rf"^(\d{{1,5}})-([{_LETTERS}]{{1,8}})/([{_LETTERS}0-9]{{1,16}}(?:-[{_LETTERS}0-9]{{1,16}})*)$"
)
_NUMBER_PREFIX = re.compile(r"^(số|so)\s*[:.]?\s*", re.IGNORECASE)


def party_number(value: str, *, field: str = "decision_number") -> str:
    """``value`` as a Party number (``<n>-<TYPE>/<ISSUER>``) or ValidationFailed."""
    text = _NUMBER_PREFIX.sub("", clean_text(value)).replace(" ", "")
    match = PARTY_NUMBER.match(text)
    if not match or len(text) > NUMBER_MAX or int(match.group(1)) == 0:
        raise ValidationFailed(
            _("“%(value)s” is not a Party document number such as 45-CTr/TU.") % {"value": value[:NUMBER_MAX]},
            code="invalid_number",
            extra={"field": field},
        )
    kind, issuer = match.group(2), match.group(3)
    if not kind[0].isupper() or not issuer[0].isupper():
        raise ValidationFailed(
            _("“%(value)s” is not a Party document number such as 45-CTr/TU.") % {"value": value[:NUMBER_MAX]},
            code="invalid_number",
            extra={"field": field},
        )
    return text


def _text(value: str, *, field: str, limit: int, required: bool = True, multiline: bool = False) -> str:
    text = clean_text(value, multiline=multiline)
    if required and not text:
        raise ValidationFailed(_("This field is required."), code="required", extra={"field": field})
    if len(text) > limit:
        raise ValidationFailed(
            _("At most %(limit)d characters.") % {"limit": limit}, code="too_long", extra={"field": field}
        )
    return text
