"""Gates for the organisation tree. "Not allowed" looks exactly like "not found"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from lantoa.accounts.permissions import scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.org.models import Unit
from lantoa.org.selectors import judging_day, unit_by_code, unit_is_visible


def _may(by: Any, capability: str, unit: Unit, as_of: dt.date | None) -> bool:
    """In scope where the unit stood on ``as_of``, or where what it stood in has since flowed
    (see :func:`lantoa.org.selectors.unit_is_visible`), so that a successor's officers see
    their predecessors' units."""
    roots = scope_root_ids(by, capability)
    return bool(roots) and unit_is_visible(unit.pk, roots, as_of=as_of)


def access_unit(*, by: Any, code: str, capability: str = Capability.VIEW_UNITS, as_of: dt.date | None = None) -> Unit:
    """The unit with ``code`` if ``by`` may act on it with ``capability``; otherwise NotFound.

    A unit outside the user's scope is reported as not found even for write capabilities,
    so nobody learns that a unit exists by trying to change it.
    """
    unit = unit_by_code(code)
    if unit is not None:
        as_of = judging_day(unit, as_of)
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
