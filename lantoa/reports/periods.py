"""The periods the dashboard offers: this month, quarter and year, last year, the XIII Congress's
term, or any start and end."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from lantoa.reports.selectors import Period

# The term of the XIII Party Congress (January 2021) until the XIV Congress.
CONGRESS_XIII_TERM = Period(dt.date(2021, 1, 1), dt.date(2025, 12, 31))


def presets(today: dt.date, unit: Any = None) -> list[tuple[str, str, Period]]:
    """(key, label, period) of each preset, for ``today``: the calendar's, then the unit's current
    and previous Party terms as recorded (or the XIII Congress's term when none is)."""
    month_end = dt.date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    first_month = 3 * ((today.month - 1) // 3) + 1
    last_month = first_month + 2
    quarter = Period(
        dt.date(today.year, first_month, 1),
        dt.date(today.year, last_month, calendar.monthrange(today.year, last_month)[1]),
    )
    return [
        ("month", str(_("This month")), Period(today.replace(day=1), month_end)),
        ("quarter", str(_("This quarter")), quarter),
        ("year", str(_("This year")), Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))),
        ("last_year", str(_("Last year")), Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))),
        *_term_presets(today, unit),
    ]


def _term_presets(today: dt.date, unit: Any) -> list[tuple[str, str, Period]]:
    from lantoa.reports.terms import recent_terms

    terms = recent_terms(unit, today) if unit is not None else []
    if not terms:
        return [("congress", str(_("XIII Congress term (2021–2025)")), CONGRESS_XIII_TERM)]
    return [
        (
            f"term-{term.pk}",
            str(_("Term %(name)s")) % {"name": term.name},
            Period(term.starts_on, term.ends_on or today),
        )
        for term in terms
    ]


def default_period(today: dt.date) -> Period:
    """This year."""
    return Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
