"""The calendar feed (RFC 5545): building the text, and the signed token in the feed's address.

Calendar applications subscribe to an address and cannot sign in, so the address carries a
token: a signature of (user id, unit code, a fingerprint of the user's password). The feed
answers as that user, only while they still may see the unit; changing the password, losing
the unit or being deactivated ends every feed they subscribed to.

The text is built by pure functions: lines end in CRLF, are folded at 75 octets (never inside
a UTF-8 character), and text values escape backslash, semicolon, comma and line breaks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.utils.crypto import constant_time_compare

CRLF = "\r\n"
LINE_OCTETS = 75
PRODID = "-//Lantoa//Conferences//VI"
FEED_SALT = "lantoa.meetings.ics"


# --- Text ----------------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): ``\\`` ``;`` ``,`` escaped, line breaks as ``\\n``."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets; each continuation starts with a
    space (which counts in its 75). A UTF-8 character is never split."""
    if len(line.encode("utf-8")) <= LINE_OCTETS:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def utc_stamp(moment: dt.datetime) -> str:
    """A DATE-TIME in UTC form: ``20210510T010000Z``."""
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def content_line(name: str, value: str) -> str:
    return fold_line(f"{name}:{value}")


# --- Events ----------------------------------------------------------------------------------


class Status:
    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class Event:
    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    stamp: dt.datetime  # when the event was last changed (DTSTAMP, LAST-MODIFIED)
    location: str = ""
    description: str = ""
    url: str = ""
    status: str = Status.CONFIRMED


def event_lines(event: Event) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        content_line("UID", event.uid),
        content_line("DTSTAMP", utc_stamp(event.stamp)),
        content_line("LAST-MODIFIED", utc_stamp(event.stamp)),
        content_line("DTSTART", utc_stamp(event.start)),
        content_line("DTEND", utc_stamp(max(event.end, event.start))),
        content_line("SUMMARY", escape_text(event.summary)),
    ]
    if event.location:
        lines.append(content_line("LOCATION", escape_text(event.location)))
    if event.description:
        lines.append(content_line("DESCRIPTION", escape_text(event.description)))
    if event.url:
        # A URI value is not TEXT: it is written as it is (it has no line breaks).
        lines.append(content_line("URL", event.url.replace("\r", "").replace("\n", "")))
    lines += [content_line("STATUS", event.status), "END:VEVENT"]
    return lines


def build_calendar(events: Iterable[Event], *, name: str = "") -> str:
    """The whole VCALENDAR, CRLF after every line."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        content_line("PRODID", PRODID),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(content_line("X-WR-CALNAME", escape_text(name)))
    for event in events:
        lines += event_lines(event)
    lines.append("END:VCALENDAR")
    return CRLF.join(lines) + CRLF


def unfold(text: str) -> list[str]:
    """The content lines of ``text`` with folding undone (for readers and tests)."""
    return text.replace(CRLF + " ", "").replace(CRLF + "\t", "").split(CRLF)[:-1]


# --- The feed's token ------------------------------------------------------------------------


def _fingerprint(user: Any) -> str:
    # Changes with the password, so a new password ends the feeds made with the old one.
    return str(user.get_session_auth_hash())[:16]


def feed_token(user: Any, unit_code: str) -> str:
    """The ``?token=`` of ``user``'s feed of ``unit_code``."""
    return signing.dumps({"u": user.pk, "c": unit_code, "k": _fingerprint(user)}, salt=FEED_SALT, compress=True)


def feed_user(token: str, unit_code: str) -> Any | None:
    """The active user a token was made for, if it is genuine and names ``unit_code``."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(token or "", salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != unit_code or not isinstance(data.get("u"), int):
        return None
    user = get_user_model().objects.filter(pk=data["u"], is_active=True).first()
    if user is None or not constant_time_compare(_fingerprint(user), str(data.get("k", ""))):
        return None
    return user


__all__ = [
    "Event",
    "Status",
    "build_calendar",
    "escape_text",
    "feed_token",
    "feed_user",
    "fold_line",
    "unfold",
    "utc_stamp",
]
