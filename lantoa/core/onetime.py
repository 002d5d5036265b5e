"""One-time codes sent to a phone or an e-mail address, for any module that must know a person
holds that phone or address (the audience vote of a staged contest, a contestant's contact).

A request makes a six-digit code and a random token naming the request. Only a keyed hash of
the token and the code together is kept (the SECRET_KEY is the key), with the expiry (five
minutes) and the tries made; the code itself goes out through the notification channels
(:mod:`lantoa.core.notify`) and is never stored, logged, audited nor answered. Checking a code
counts the try first, in its own statement, so parallel guesses cannot pass the limit.

Each module keeps its own rows (what a request is tied to differs: a poll and a phone's hash, a
contestant and which contact); they share the fields of :class:`Challenge` and these functions.
See docs/decisions/0036-one-time-codes-in-core.md.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from lantoa.core.errors import ApplicationError, ValidationFailed
from lantoa.core.notify import Channel, Recipient, notify

CODE_DIGITS = 6
CODE_SECONDS = 5 * 60
CODE_TRIES = 5
TOKEN_MAX = 43  # secrets.token_urlsafe(24) is 32 characters; the columns hold 43
_SEPARATORS = re.compile(r"[\s.\-()]")


class CodeNotSent(ApplicationError):
    """Every channel that could reach the person failed, or none could (as the caller decides)."""

    code = "code_not_sent"
    status = 503


class Challenge(Protocol):
    """What a module's row of a code request holds (its primary key is the token)."""

    pk: Any
    code_digest: str
    expires_at: dt.datetime
    tries: int


@dataclass(frozen=True)
class Issued:
    """A new request: the token (given to the requester), the code (sent, never kept) and the
    digest and expiry to store."""

    token: str
    code: str
    code_digest: str
    expires_at: dt.datetime


def replace(requests: QuerySet[Any], issued: Issued, *, now: dt.datetime, **owner: Any) -> Any:
    """Keep ``issued`` as the one request of ``owner`` among ``requests`` and return its row.

    ``owner`` names what the request belongs to (a contestant and a medium, a poll and a phone's
    hash): the owner's earlier request is deleted, so an old code stops working once a new one is
    asked for, and the new row is created with those fields. The requests among ``requests``
    that have expired are deleted on the way, since nothing else removes an unused one."""
    with transaction.atomic():
        requests.filter(expires_at__lte=now).delete()
        requests.filter(**owner).delete()
        return requests.create(
            token=issued.token, code_digest=issued.code_digest, expires_at=issued.expires_at, **owner
        )


def code_digest(namespace: str, token: str, code: str) -> str:
    """The keyed hash of a request's token and code (``namespace`` keeps modules apart)."""
    return salted_hmac(f"{namespace}.otp", f"{token}:{code}", algorithm="sha256").hexdigest()


def issue(namespace: str, now: dt.datetime) -> Issued:
    """A fresh token and code, the digest to store and when it expires."""
    token = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    return Issued(token, code, code_digest(namespace, token, code), now + dt.timedelta(seconds=CODE_SECONDS))


@dataclass(frozen=True)
class Delivery:
    sent: bool
    reachable: bool  # False: no channel could reach the person at all


def send(recipient: Recipient, subject: str, body: str, *, channels: Sequence[Channel] | None = None) -> Delivery:
    """Send the message holding a code through the first channel able to reach ``recipient``."""
    result = notify([recipient], subject, body, available=channels)
    return Delivery(sent=bool(result.sent), reachable=not result.unreachable)


def clean_code(value: Any) -> str:
    """The six digits typed (spaces and dashes dropped); a ValidationFailed otherwise."""
    code = _SEPARATORS.sub("", str(value or ""))
    if not re.fullmatch(rf"\d{{{CODE_DIGITS}}}", code):
        raise ValidationFailed(_("Enter the six digits of the code you received."), extra={"field": "code"})
    return code


def _unknown() -> ValidationFailed:
    return ValidationFailed(
        _("This code request is unknown or already used. Ask for a new code."),
        code="code_unknown",
        extra={"field": "code"},
    )


def check(
    requests: QuerySet[Any],
    *,
    namespace: str,
    token: Any,
    code: Any,
    now: dt.datetime,
    on_wrong: Callable[[], None] | None = None,
) -> Any:
    """The request named ``token`` among ``requests`` when ``code`` is its code; a
    ValidationFailed otherwise (``code_unknown``, ``code_expired``, ``code_locked`` after
    :data:`CODE_TRIES` tries, ``code_wrong`` with the tries left). ``on_wrong`` runs before a
    wrong code is refused (to count it against the sender). The caller deletes the request once
    it has used it."""
    code = clean_code(code)
    token = str(token or "")[:TOKEN_MAX]
    # The try is counted first, in its own statement, so that parallel guesses cannot pass the limit.
    counted = requests.filter(pk=token, tries__lt=CODE_TRIES, expires_at__gt=now).update(tries=F("tries") + 1)
    challenge = requests.filter(pk=token).first()
    if challenge is None:
        raise _unknown()
    if not counted and challenge.expires_at <= now:
        raise ValidationFailed(
            _("The code has expired. Ask for a new code."), code="code_expired", extra={"field": "code"}
        )
    if not counted:
        raise ValidationFailed(
            _("Too many wrong codes. Ask for a new code."), code="code_locked", extra={"field": "code"}
        )
    if not constant_time_compare(code_digest(namespace, token, code), challenge.code_digest):
        if on_wrong is not None:
            on_wrong()
        left = max(0, CODE_TRIES - challenge.tries)
        raise ValidationFailed(
            _("The code is wrong. Tries left: %(left)s.") % {"left": left},
            code="code_wrong",
            extra={"field": "code", "tries_left": left},
        )
    return challenge


def spend(requests: QuerySet[Any], token: str) -> None:
    """Delete the request once used; a second use of the same code (sent twice at once) finds
    nothing and is refused like an unknown request."""
    if not requests.filter(pk=token).delete()[0]:
        raise _unknown()
