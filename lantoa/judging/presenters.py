"""How an entrant is named, the same on the pages and in the API; and, in a blind stage, how an
entry is shown to a juror: by its code only (decision 0027)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lantoa.judging.models import Entry, ScoreSheet


def entrant_name(entry: Entry) -> str:
    """The person's full name, or the team's unit (with its members when given)."""
    if entry.person_id is not None and entry.person is not None:
        return entry.person.full_name
    return _("Team of %(unit)s") % {"unit": entry.unit.name}


def entry_code(entry: Entry) -> str:
    """The code a blind stage's jurors know an entry by: nothing of its entrant, unit or title."""
    return _("Entry %(code)s") % {"code": f"{entry.pk:06d}"}


def sheet_entry(sheet: ScoreSheet, *, blind: bool) -> tuple[str, str, list[str]]:
    """The entry's title, entrant and materials as its sheet shows them; ``blind``: the code, no
    entrant and no materials (their links may carry names), for a juror of a blind stage."""
    if blind:
        return entry_code(sheet.entry), "", []
    return sheet.entry.title, entrant_name(sheet.entry), list(sheet.entry.materials or [])
