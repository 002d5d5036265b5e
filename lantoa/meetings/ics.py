"""The calendar feed (RFC 5545): building the text, and the signed token in the feed's address.

Calendar applications subscribe to an address and cannot sign in, so the address carries a
token: a signature of (user id, unit code, a fingerprint of the user's password). The feed
answers as that user, only while they still may see the unit; changing the password, losing
the unit or being deactivated ends every feed they subscribed to.

The text is written by the ``icalendar`` library (decision 0038): CRLF line ends, lines folded
at 75 octets without splitting a character or an escape, TEXT values escaped, times in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import icalendar
from django.core import signing
from django.utils.crypto import constant_time_compare

CRLF = "\r\n"
PRODID = "-//Lantoa//Conferences//VI"
FEED_SALT = "lantoa.meetings.ics"


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


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is needed")
    return moment.astimezone(dt.UTC)


def _one_line(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _event(event: Event) -> icalendar.Event:
    start = _utc(event.start)
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("dtstamp", _utc(event.stamp))
    component.add("last-modified", _utc(event.stamp))
    component.add("dtstart", start)
    component.add("dtend", max(_utc(event.end), start))
    component.add("summary", _one_line(event.summary))
    if event.location:
        component.add("location", _one_line(event.location))
    if event.description:
        component.add("description", _one_line(event.description))
    if event.url:
        # A URI value is not TEXT: written as it is, without line breaks.
        component.add("url", icalendar.vUri(event.url.replace("\r", "").replace("\n", "")))
    component.add("status", event.status)
    return component


def build_calendar(events: Iterable[Event], *, name: str = "") -> str:
    """The whole VCALENDAR, CRLF after every line."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", icalendar.vText(_one_line(name)))  # an X- name is typed as TEXT only when told
    for event in events:
        calendar.add_component(_event(event))
    # In the order written (the library would otherwise sort the properties by name).
    return calendar.to_ical(sorted=False).decode("utf-8")


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
    "feed_token",
    "feed_user",
    "unfold",
]
