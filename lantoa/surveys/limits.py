"""Limits of the public answer page and endpoint: unknown card codes per client address (so
codes cannot be guessed at speed), counted in keyed-hash windows (:mod:`lantoa.core.ratelimit`),
never stored with anything."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lantoa.core import ratelimit
from lantoa.core.errors import TooManyRequests

FAILED_LOOKUP_LIMIT = 30
WINDOW_SECONDS = 10 * 60
_UNKNOWN = "surveys:unknown"


def refuse_if_guessing(address: str) -> None:
    if ratelimit.count(_UNKNOWN, address) >= FAILED_LOOKUP_LIMIT:
        raise TooManyRequests(
            _("Too many codes were tried from this connection. Wait ten minutes, then try again."),
            code="too_many_attempts",
            retry_after=WINDOW_SECONDS,
        )


def count_unknown_code(address: str) -> None:
    ratelimit.hit(_UNKNOWN, address, window=WINDOW_SECONDS)
