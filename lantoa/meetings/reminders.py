"""The message about a conference — to copy into the chat groups offices use, and to send as a
reminder — and who the reminder goes to.

The presenters are reached through the notification channels (``lantoa.core.notify``) when
their person record has an address; the sites' contacts have only a phone number, which no
channel reaches yet, so they are counted as "to be sent by chat" with the copied message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantoa.core.notify import Recipient, channel_for, unique
from lantoa.meetings.models import BridgePoint, Conference, ConferencePresenter


def when_text(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """``08:00–11:00, Thứ 2 10/5/2021`` (local time; the day in the reader's date format)."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day = f"{formats.date_format(start, 'l')} {formats.date_format(start, 'SHORT_DATE_FORMAT')}"
    hours = f"{start:%H:%M}–{end:%H:%M}"
    if end.date() != start.date():
        hours = f"{start:%H:%M} – {end:%H:%M} {formats.date_format(end, 'SHORT_DATE_FORMAT')}"
    return f"{hours}, {day}"


def _presenter_line(presenter: ConferencePresenter) -> str:
    name = presenter.display_name
    return f"- {name}: {presenter.topic}" if presenter.topic else f"- {name}"


def _site_line(point: BridgePoint, *, with_code: bool = True) -> str:
    parts = [point.unit.name]
    if point.is_host:
        parts.append(_("(host site)"))
    line = " ".join(parts)
    if point.mode == BridgePoint.Mode.PER_PERSON and with_code:
        line += " — " + _("check-in code %(code)s") % {"code": point.code}
    if point.location:
        line += f" — {point.location}"
    return f"- {line}"


def _document_line(document: Any) -> str:
    number = (getattr(document, "number", "") or "").strip()
    return f"- {number} {document.title}" if number else f"- {document.title}"


def conference_message(
    *,
    conference: Conference,
    points: Sequence[BridgePoint],
    presenters: Iterable[ConferencePresenter],
    documents: Iterable[Any],
    check_in_url: str = "",
    page_url: str = "",
    codes_for: Collection[int] | None = None,
) -> str:
    """The plain-text message: title, time, organiser, host location, the sites (with their
    check-in codes where people check in — only for the sites in ``codes_for`` when given: a
    code lets anyone count as present there), the presenters and the documents."""
    host = next((p for p in points if p.is_host), None)
    lines = [conference.title.upper()]
    if conference.status == Conference.Status.CANCELLED:
        lines.append(_("CANCELLED: %(reason)s") % {"reason": conference.cancel_reason})
    lines += [
        _("Time: %(when)s") % {"when": when_text(conference.starts_at, conference.ends_at)},
        _("Organised by: %(unit)s") % {"unit": conference.organiser.name},
    ]
    if host is not None:
        lines.append(_("Host site: %(place)s") % {"place": host.location or host.unit.name})
    sites = ngettext("%(count)s site", "%(count)s sites", len(points)) % {"count": len(points)}
    lines.append(_("Format: %(format)s; %(sites)s") % {"format": conference.get_format_display(), "sites": sites})
    if conference.is_mandatory:
        lines.append(_("Attendance is mandatory for cadres."))
    if points:
        lines += ["", _("Sites:")]
        lines += [_site_line(point, with_code=codes_for is None or point.pk in codes_for) for point in points]
    presenter_lines = [_presenter_line(p) for p in presenters]
    if presenter_lines:
        lines += ["", _("Presenters:"), *presenter_lines]
    document_lines = [_document_line(d) for d in documents]
    if document_lines:
        lines += ["", _("Documents:"), *document_lines]
    if check_in_url and any(point.mode == BridgePoint.Mode.PER_PERSON for point in points):
        lines += ["", _("Check in on a phone: scan the QR code at your site, or open %(url)s and type the code.")
                  % {"url": check_in_url}]  # fmt: skip
    if page_url:
        lines.append(_("Details: %(url)s") % {"url": page_url})
    return "\n".join(lines).strip() + "\n"


def conference_subject(conference: Conference) -> str:
    start = timezone.localtime(conference.starts_at)
    return _("Reminder: %(title)s, %(time)s %(day)s") % {
        "title": conference.title,
        "time": f"{start:%H:%M}",
        "day": f"{start.day}/{start.month}/{start.year}",
    }


@dataclass
class ReminderList:
    """Who a conference's reminder goes to."""

    presenters: list[Recipient]  # a presenter given only by name has no address
    contacts: list[Recipient]  # the sites' contacts

    @property
    def everyone(self) -> list[Recipient]:
        return unique([*self.presenters, *self.contacts])

    def reachable(self) -> list[Recipient]:
        return [r for r in self.everyone if channel_for(r) is not None]

    def by_chat(self) -> list[Recipient]:
        """Those no channel reaches: the message goes to them by chat (copied)."""
        return [r for r in self.everyone if channel_for(r) is None]


def reminder_list(conference: Conference) -> ReminderList:
    presenters = []
    for presenter in conference.presenters.select_related("person"):
        person = presenter.person
        if person is None:
            presenters.append(Recipient(name=presenter.name))  # a name only: reached by chat
        elif person.anonymised_at is None:
            presenters.append(Recipient(name=person.full_name, email=person.email or "", phone=person.phone or ""))
    contacts = [
        Recipient(name=point.contact_name or point.unit.name, phone=point.contact_phone)
        for point in conference.points.select_related("unit").order_by("-is_host", "pk")
        if point.contact_name or point.contact_phone
    ]
    return ReminderList(presenters=presenters, contacts=contacts)


__all__ = ["ReminderList", "conference_message", "conference_subject", "reminder_list", "when_text"]
