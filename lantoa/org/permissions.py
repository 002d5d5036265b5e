"""Gates for the organisation tree. "Not allowed" looks exactly like "not found"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.org.models import Unit
from lantoa.org.selectors import today, unit_by_code


def _may(by: Any, capability: str, unit: Unit, as_of: dt.date | None) -> bool:
    """In scope where the unit stood, or — for a closed unit — where its successor stands today,
    so that a successor's officers see their predecessors' records."""
    if has_capability(by, capability, unit, as_of=as_of):
        return True
    if unit.closed_on is None:
        return False
    from lantoa.org.rollup import map_units_forward

    successor_id = map_units_forward({unit.pk}, until=today())[unit.pk]
    if successor_id == unit.pk:
        return False
    return has_capability(by, capability, Unit(pk=successor_id))


def access_unit(*, by: Any, code: str, capability: str = Capability.VIEW_UNITS, as_of: dt.date | None = None) -> Unit:
    """The unit with ``code`` if ``by`` may act on it with ``capability``; otherwise NotFound.

    A unit outside the user's scope is reported as not found even for write capabilities,
    so nobody learns that a unit exists by trying to change it.
    """
    unit = unit_by_code(code)
    if unit is not None and as_of is None and unit.closed_on is not None:
        # A closed unit is judged by the tree on its last open day.
        as_of = unit.closed_on - dt.timedelta(days=1)
    elif unit is not None and as_of is None and unit.opened_on > today():
        # A unit decided for a later date is judged by the tree on its first day.
        as_of = unit.opened_on
    if unit is None or not _may(by, Capability.VIEW_UNITS, unit, as_of):
        raise NotFound(_("No unit with code %(code)s.") % {"code": code}, extra={"code": code})
    if capability != Capability.VIEW_UNITS and not _may(by, capability, unit, as_of):
        raise PermissionDenied(_("Your role does not allow this action in %(unit)s.") % {"unit": unit.name})
    return unit


def access_restructuring(*, by: Any, payload: dict[str, Any], as_of: dt.date) -> list[Unit]:
    """Every unit an event names must be one ``by`` may restructure; otherwise NotFound or
    PermissionDenied, exactly as for a single unit."""
    from lantoa.org.restructuring import payload_unit_codes

    codes = payload_unit_codes(payload)
    if not codes:
        raise NotFound(_("The event names no unit."))
    return [
        access_unit(by=by, code=code, capability=Capability.MANAGE_UNITS, as_of=as_of - dt.timedelta(days=1))
        for code in sorted(codes)
    ]
