"""How an entrant is named, the same on the pages and in the API."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lantoa.judging.models import Entry


def entrant_name(entry: Entry) -> str:
    """The person's full name, or the team's unit (with its members when given)."""
    if entry.person_id is not None and entry.person is not None:
        return entry.person.full_name
    return _("Team of %(unit)s") % {"unit": entry.unit.name}
