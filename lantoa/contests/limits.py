"""The limits of the public contest path, one set for the phone pages and the API alike
(:mod:`lantoa.core.ratelimit`: in the process's memory, or in Redis when it is configured).

Per address: registrations, and starts and submissions (generous: a school or an office may
share one address). Per contestant: starts and submissions, so a stolen or scripted key cannot
flood a round. Unknown contestant keys and wrong one-time codes count against the address, so
neither can be guessed at speed. Requests for a one-time code are limited per address and per
phone number or e-mail address, so nobody floods a phone or a mailbox with messages.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from lantoa.core import ratelimit
from lantoa.core.errors import TooManyRequests

WINDOW_SECONDS = 10 * 60
REGISTER_LIMIT = 200  # per address
ADDRESS_LIMIT = 3000  # starts and submissions per address
CONTESTANT_LIMIT = 120  # starts and submissions per contestant
UNKNOWN_KEY_LIMIT = 30  # per address (wrong one-time codes count too)
CODE_REQUESTS_PER_ADDRESS = 20  # one-time codes to verify a contact
CODE_REQUESTS_PER_CONTACT = 3  # per phone number or e-mail address


def _too_many() -> TooManyRequests:
    return TooManyRequests(
        _("Too many requests from this connection. Wait ten minutes, then try again."),
        code="too_many_attempts",
        retry_after=WINDOW_SECONDS,
    )


def refuse_if_guessing(address: str) -> None:
    if ratelimit.count("contests:unknown", address) >= UNKNOWN_KEY_LIMIT:
        raise _too_many()


def count_unknown_key(address: str) -> None:
    ratelimit.hit("contests:unknown", address, window=WINDOW_SECONDS)


def count_registration(address: str) -> None:
    if ratelimit.hit("contests:register", address, window=WINDOW_SECONDS) > REGISTER_LIMIT:
        raise _too_many()


def count_play(address: str, contestant_id: int) -> None:
    """One start or submission from ``address`` by a contestant; raise past either limit."""
    if ratelimit.hit("contests:play", address, window=WINDOW_SECONDS) > ADDRESS_LIMIT:
        raise _too_many()
    if ratelimit.hit("contests:contestant", str(contestant_id), window=WINDOW_SECONDS) > CONTESTANT_LIMIT:
        raise _too_many()


def count_code_request(address: str, contact: str) -> None:
    """Count one request for a one-time code; raise past either limit (the contact is keyed by
    :mod:`lantoa.core.ratelimit` with the secret key: neither memory nor cache holds it)."""
    by_address = ratelimit.hit("contests:otp-address", address, window=WINDOW_SECONDS)
    by_contact = ratelimit.hit("contests:otp-contact", contact, window=WINDOW_SECONDS)
    if by_address > CODE_REQUESTS_PER_ADDRESS or by_contact > CODE_REQUESTS_PER_CONTACT:
        raise TooManyRequests(
            _("Too many codes were requested. Wait ten minutes, then try again."),
            code="too_many_attempts",
            retry_after=WINDOW_SECONDS,
        )
