"""The limits of public check-in, one set for the phone page and the API alike.

Unknown codes are limited per client address, so codes cannot be guessed at speed: past the
limit every lookup from that address is refused, known codes too (otherwise the answer would
still tell a good code from a bad one). Anonymous check-ins are limited per address and site,
generously, since a whole hall may share one address. The page and the API count in the same
windows: switching from one to the other gives no fresh allowance.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from lantoa.core import ratelimit
from lantoa.core.errors import TooManyRequests

# Unknown codes one address may try in a window, and check-ins one address may send to one site.
FAILED_LOOKUP_LIMIT = 30
CHECK_IN_LIMIT = 400
WINDOW_SECONDS = 10 * 60

_UNKNOWN = "meetings:unknown"


def _too_many() -> TooManyRequests:
    return TooManyRequests(
        _("Too many codes were tried from this connection. Wait ten minutes, then try again."),
        code="too_many_attempts",
        retry_after=WINDOW_SECONDS,
    )


def refuse_if_guessing(address: str) -> None:
    """Raise TooManyRequests when ``address`` has tried too many unknown codes lately."""
    if ratelimit.count(_UNKNOWN, address) >= FAILED_LOOKUP_LIMIT:
        raise _too_many()


def count_unknown_code(address: str) -> None:
    ratelimit.hit(_UNKNOWN, address, window=WINDOW_SECONDS)


def count_check_in(address: str, point_id: int) -> None:
    """Count one check-in sent from ``address`` to a site; raise TooManyRequests past the limit."""
    if ratelimit.hit(f"meetings:checkin:{point_id}", address, window=WINDOW_SECONDS) > CHECK_IN_LIMIT:
        raise _too_many()
