from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.permissions import current_assignments, has_capability
from lantoa.core.registry import nav_items
from lantoa.org.selectors import unit_ancestors


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: site name, menu, the working unit and its breadcrumbs.

    The site name is ``lantoa_site_name`` because Django's own views (login, password reset)
    put a ``site_name`` of their own (the host name) in their context."""
    context: dict[str, Any] = {"lantoa_site_name": settings.LANTOA_SITE_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    menu = []
    for item in nav_items():
        if not has_capability(user, item.capability):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        menu.append({"key": item.key, "label": item.label, "url": url, "active": request.path.startswith(url)})
    unit = current_unit(request)
    context.update(
        {
            "nav_menu": menu,
            "working_unit": unit,
            "working_unit_trail": unit_ancestors(unit) if unit else [],
            "switchable_units": list({a.unit_id: a.unit for a in current_assignments(user)}.values()),
        }
    )
    return context
