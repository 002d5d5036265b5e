"""Party committees' terms (*nhiệm kỳ*): recorded per unit, read for numbering and the dashboard.

A document of the Party format is numbered continuously within its committee's term (Hướng dẫn
36-HD/VPTW). Terms start on the day of each committee's congress, which differs from committee
to committee, so they are recorded; where a unit has none, the nearest ancestor's term counts,
and where no ancestor has one, the five-year term of the calendar (2020–2025, 2025–2030…).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.accounts.roles import Capability
from lantoa.core.audit import audit_record
from lantoa.core.errors import Conflict, NotFound, ValidationFailed
from lantoa.core.text import clean_text
from lantoa.org.models import Unit
from lantoa.org.selectors import ancestor_ids
from lantoa.reports.models import TERM_MAX, PartyTerm, Report

FIRST_YEAR, LAST_YEAR = 1930, 2100  # the Party's founding; a bound for typing mistakes


def unit_terms(unit: Unit) -> QuerySet[PartyTerm]:
    return PartyTerm.objects.filter(unit=unit).order_by("-starts_on")


def term_on(unit: Unit | None, day: dt.date) -> PartyTerm | None:
    """The term ``day`` falls in, of ``unit`` or else of its nearest ancestor (as the tree stood
    that day) that has one; one query."""
    if unit is None:
        return None
    lineage = list(ancestor_ids([unit.pk], as_of=day).values_list("ancestor_id", "depth"))
    depth = dict(lineage) | {unit.pk: 0}
    found = PartyTerm.objects.filter(unit_id__in=depth, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )
    return min(found, key=lambda term: depth.get(term.unit_id, 99), default=None)


def recent_terms(unit: Unit, day: dt.date) -> list[PartyTerm]:
    """The term of ``day`` and the one before it, for the dashboard's periods (unit or ancestor)."""
    current = term_on(unit, day)
    if current is None:
        return []
    before = term_on(current.unit, current.starts_on - dt.timedelta(days=1))
    return [current] + ([before] if before is not None and before.unit_id == current.unit_id else [])


def _date(value: Any, field: str) -> dt.date:
    if not isinstance(value, dt.date) or not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationFailed(
            _("Give a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            extra={"field": field},
        )
    return value


def term_add(
    *, by: Any, unit: Unit, name: str, starts_on: dt.date, ends_on: dt.date | None = None, congress: str = ""
) -> PartyTerm:
    """Record a term of ``unit``. Terms of one unit never overlap: the one still open is closed
    the day before the new one starts (the next congress ends the term before it)."""
    name = clean_text(name)
    if not name or len(name) > TERM_MAX:
        raise ValidationFailed(
            _("Name the term in at most %(n)s characters.") % {"n": TERM_MAX}, extra={"field": "name"}
        )
    congress = clean_text(congress)
    if len(congress) > 20:
        raise ValidationFailed(_("At most 20 characters."), extra={"field": "congress"})
    starts_on = _date(starts_on, "starts_on")
    if ends_on is not None and _date(ends_on, "ends_on") <= starts_on:
        raise ValidationFailed(_("A term ends after it starts."), extra={"field": "ends_on"})
    with transaction.atomic():
        terms = list(PartyTerm.objects.select_for_update().filter(unit=unit))
        for term in terms:
            if term.ends_on is None and term.starts_on < starts_on:
                term.ends_on = starts_on - dt.timedelta(days=1)
                term.save(update_fields=["ends_on"])
        for term in terms:
            if _overlap(term, starts_on, ends_on):
                raise Conflict(
                    _("This term overlaps the term %(name)s of the unit.") % {"name": term.name}, code="term_overlap"
                )
        created = PartyTerm.objects.create(
            unit=unit, name=name, congress=congress, starts_on=starts_on, ends_on=ends_on
        )
        audit_record(action="lantoa.reports.term.created", by=by, target=created, unit=unit)
    return created


def _overlap(term: PartyTerm, starts_on: dt.date, ends_on: dt.date | None) -> bool:
    term_end = term.ends_on or dt.date.max
    return term.starts_on <= (ends_on or dt.date.max) and starts_on <= term_end


def term_for(user: Any, pk: int) -> PartyTerm:
    """The term ``pk`` if ``user`` may change its unit's records; a term out of scope answers as
    a missing one."""
    from lantoa.org.permissions import access_unit

    term = PartyTerm.objects.filter(pk=pk).select_related("unit").first()
    try:
        if term is None:
            raise NotFound(_("No such term."))
        access_unit(by=user, code=term.unit.code, capability=Capability.EDIT_RECORDS)
    except NotFound:
        raise NotFound(_("No such term."), extra={"id": pk}) from None
    return term


def term_remove(*, by: Any, term: PartyTerm) -> None:
    """Remove a term recorded by mistake — not one a report was numbered in."""
    if Report.objects.filter(unit=term.unit, term=term.name, number__isnull=False).exists():
        raise Conflict(_("Reports were numbered in this term; it stays."), code="term_in_use")
    audit_record(action="lantoa.reports.term.removed", by=by, target=term, unit=term.unit)
    term.delete()
