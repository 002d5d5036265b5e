"""The unit a signed-in user is working in (kept in the session, always inside their scope)."""

from __future__ import annotations

from django.http import HttpRequest

from lantoa.accounts.permissions import current_assignments, has_capability
from lantoa.accounts.roles import Capability
from lantoa.org.models import Unit
from lantoa.org.selectors import unit_by_code

SESSION_KEY = "lantoa_unit"


def current_unit(request: HttpRequest) -> Unit | None:
    user = request.user
    if not user.is_authenticated:
        return None
    cached = getattr(request, "_lantoa_current_unit", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    unit = None
    code = request.session.get(SESSION_KEY)
    if code:
        candidate = unit_by_code(code)
        if candidate is not None and has_capability(user, Capability.VIEW_UNITS, candidate):
            unit = candidate
    if unit is None:
        first = current_assignments(user).order_by("unit__kind__tier__rank", "valid_from").first()
        unit = first.unit if first else None
    request._lantoa_current_unit = unit  # type: ignore[attr-defined]
    return unit


def set_current_unit(request: HttpRequest, unit: Unit) -> None:
    request.session[SESSION_KEY] = unit.code
    request._lantoa_current_unit = unit  # type: ignore[attr-defined]
