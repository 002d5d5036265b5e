"""The limits of the public audience vote, the same for the page and the API.

Unknown ballot codes and wrong one-time codes count against the sender's address: past the limit
every code from it is refused, good ones too, so codes cannot be guessed at speed. Code requests
are limited per address and per phone (its keyed hash), so nobody floods a phone with messages.
A whole hall may share one address: the vote limit per address is generous.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from lantoa.core import ratelimit
from lantoa.core.errors import TooManyRequests

WINDOW_SECONDS = 10 * 60
GUESS_LIMIT = 30  # unknown ballots and wrong one-time codes per address
CODE_REQUESTS_PER_ADDRESS = 20
CODE_REQUESTS_PER_PHONE = 3
VOTES_PER_ADDRESS = 2_000

_GUESSES = "judging:vote:guess"


def _too_many(message: str) -> TooManyRequests:
    return TooManyRequests(message, code="too_many_attempts", retry_after=WINDOW_SECONDS)


def refuse_if_guessing(address: str) -> None:
    if ratelimit.count(_GUESSES, address) >= GUESS_LIMIT:
        raise _too_many(_("Too many wrong codes were sent from this connection. Wait ten minutes, then try again."))


def count_guess(address: str) -> None:
    ratelimit.hit(_GUESSES, address, window=WINDOW_SECONDS)


def count_code_request(address: str, phone_digest: str) -> None:
    """Count one request for a one-time code; raise TooManyRequests past either limit."""
    by_address = ratelimit.hit("judging:vote:otp-address", address, window=WINDOW_SECONDS)
    by_phone = ratelimit.hit("judging:vote:otp-phone", phone_digest, window=WINDOW_SECONDS)
    if by_address > CODE_REQUESTS_PER_ADDRESS or by_phone > CODE_REQUESTS_PER_PHONE:
        raise _too_many(_("Too many codes were requested. Wait ten minutes, then try again."))


def count_vote(address: str, stage_id: int) -> None:
    if ratelimit.hit(f"judging:vote:{stage_id}", address, window=WINDOW_SECONDS) > VOTES_PER_ADDRESS:
        raise _too_many(_("Too many votes were sent from this connection. Wait ten minutes, then try again."))
