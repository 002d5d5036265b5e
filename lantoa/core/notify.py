"""Notifications through pluggable channels: e-mail by default, SMS or chat adapters when a
deployment adds them.

A channel says whether it can reach a recipient (an address, a phone number…) and sends one
message. :func:`notify` gives each recipient to the first registered channel that can reach
them, tries the next one when a send fails, and reports who could not be reached — so that the
page offers "copy as message" for them (the chat groups offices actually use).

Nothing here logs names, addresses or numbers: a failed send is logged with the channel's name
only.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Someone to notify, with whatever ways of reaching them are known."""

    name: str
    email: str = ""
    phone: str = ""


@runtime_checkable
class Channel(Protocol):
    """A way of sending a message: e-mail, SMS, a chat application…"""

    name: str

    def can_reach(self, recipient: Recipient) -> bool:
        """Whether this channel has what it needs to reach ``recipient``."""
        ...

    def send(self, recipient: Recipient, subject: str, body: str) -> bool:
        """Send one message; False when it could not be sent (the next channel is tried)."""
        ...


class EmailChannel:
    """E-mail through Django's mail backend, from ``DEFAULT_FROM_EMAIL``."""

    name = "email"

    def can_reach(self, recipient: Recipient) -> bool:
        return bool(recipient.email.strip()) and "@" in recipient.email

    def send(self, recipient: Recipient, subject: str, body: str) -> bool:
        subject = " ".join(subject.split())  # a header cannot hold line breaks
        try:
            sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email.strip()])
        except (smtplib.SMTPException, OSError, ValueError):  # ValueError: a bad header
            logger.warning("A message could not be sent through the %s channel", self.name, exc_info=True)
            return False
        return sent > 0


_CHANNELS: list[Channel] = [EmailChannel()]


def register_channel(channel: Channel, *, first: bool = False) -> None:
    """Add a channel (an SMS or chat adapter); ``first`` puts it before the others. A channel
    with the same name replaces the registered one."""
    unregister_channel(channel.name)
    if first:
        _CHANNELS.insert(0, channel)
    else:
        _CHANNELS.append(channel)


def unregister_channel(name: str) -> None:
    _CHANNELS[:] = [channel for channel in _CHANNELS if channel.name != name]


def channels() -> list[Channel]:
    """The registered channels, in the order they are tried."""
    return list(_CHANNELS)


def channel_for(recipient: Recipient, available: Sequence[Channel] | None = None) -> Channel | None:
    """The first channel that can reach ``recipient``, or None."""
    for channel in channels() if available is None else available:
        if channel.can_reach(recipient):
            return channel
    return None


@dataclass
class NotifyResult:
    sent: list[tuple[Recipient, str]] = field(default_factory=list)  # (recipient, channel name)
    unreachable: list[Recipient] = field(default_factory=list)  # no channel can reach them
    failed: list[Recipient] = field(default_factory=list)  # every channel that could reach them failed

    @property
    def not_reached(self) -> list[Recipient]:
        """Everyone to whom the message must go another way (copied into a chat, read out)."""
        return [*self.unreachable, *self.failed]

    def counts(self) -> dict[str, int]:
        return {"sent": len(self.sent), "unreachable": len(self.unreachable), "failed": len(self.failed)}


def unique(recipients: Iterable[Recipient]) -> list[Recipient]:
    """The recipients in order, each address or number once (a presenter who is also a site's
    contact gets one message)."""
    seen: set[str] = set()
    kept: list[Recipient] = []
    for recipient in recipients:
        keys = {f"email:{recipient.email.strip().lower()}"} if recipient.email.strip() else set()
        if recipient.phone.strip():
            keys.add("phone:" + "".join(ch for ch in recipient.phone if ch.isdigit()))
        if not keys:
            keys = {f"name:{' '.join(recipient.name.split()).lower()}"}
        if keys & seen:
            continue
        seen |= keys
        kept.append(recipient)
    return kept


def notify(
    recipients: Iterable[Recipient], subject: str, body: str, *, available: Sequence[Channel] | None = None
) -> NotifyResult:
    """Send ``subject`` and ``body`` to each recipient through the first channel able to reach
    them (the registered channels, or ``available``); a failed send falls through to the next
    channel that can reach them."""
    chosen = channels() if available is None else list(available)
    result = NotifyResult()
    for recipient in unique(recipients):
        able = [channel for channel in chosen if channel.can_reach(recipient)]
        if not able:
            result.unreachable.append(recipient)
            continue
        for channel in able:
            if channel.send(recipient, subject, body):
                result.sent.append((recipient, channel.name))
                break
        else:
            result.failed.append(recipient)
    return result


__all__ = [
    "Channel",
    "EmailChannel",
    "NotifyResult",
    "Recipient",
    "channel_for",
    "channels",
    "notify",
    "register_channel",
    "unique",
    "unregister_channel",
]
