"""A unit's conferences as a calendar (the .ics feed and the API's calendar): the same events
for both, in the user's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantoa.meetings import ics, selectors
from lantoa.meetings.models import BridgePoint, Conference
from lantoa.org.models import Unit

_FEED_STATUS = {
    Conference.Status.HELD: ics.Status.CONFIRMED,
    Conference.Status.PLANNED: ics.Status.TENTATIVE,
    Conference.Status.CANCELLED: ics.Status.CANCELLED,
}


def conference_event(request: HttpRequest, conference: Any) -> ics.Event:
    """One conference as a calendar event (``conference.host_points`` prefetched)."""
    host = next(iter(conference.host_points), None)
    location = (host.location if host is not None else "") or conference.organiser.name
    sites = ngettext("%(count)s site", "%(count)s sites", conference.site_count) % {"count": conference.site_count}
    description = [
        _("Format: %(format)s; %(sites)s") % {"format": conference.get_format_display(), "sites": sites},
        _("Organised by: %(unit)s") % {"unit": conference.organiser.name},
    ]
    if conference.status == Conference.Status.CANCELLED and conference.cancel_reason:
        description.append(_("CANCELLED: %(reason)s") % {"reason": conference.cancel_reason})
    return ics.Event(
        uid=f"conference-{conference.pk}@lantoa",
        start=conference.starts_at,
        end=conference.ends_at,
        summary=conference.title,
        stamp=conference.updated_at,
        location=location,
        description="\n".join(description),
        url=request.build_absolute_uri(reverse("meetings:detail", args=[conference.pk])),
        status=_FEED_STATUS.get(conference.status, ics.Status.TENTATIVE),
    )


def feed_text(request: HttpRequest, user: Any, unit: Unit) -> str:
    """The calendar of ``unit``'s conferences from three months back, as ``user`` may see them
    (the caller has checked that ``user`` may see figures of ``unit``)."""
    conferences = selectors.upcoming_for_feed(user, unit=unit, include_cancelled=True).prefetch_related(
        Prefetch("points", queryset=BridgePoint.objects.filter(is_host=True), to_attr="host_points")
    )
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        events = [conference_event(request, conference) for conference in conferences]
        name = f"{settings.LANTOA_SITE_NAME} · {unit.name}"
    return ics.build_calendar(events, name=name)
