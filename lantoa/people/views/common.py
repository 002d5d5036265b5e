"""What the network's pages share: the page size, the unit a form names, the unit's tabs and a
form's errors in a line."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit

ROSTER_PAGE_SIZE = 100


def edit_unit(by: Any, code: str) -> Unit:
    """A unit named in a form, where ``by`` records the unit's work."""
    return access_unit(by=by, code=(code or "").strip(), capability=Capability.EDIT_RECORDS)


def unit_tabs(request: HttpRequest, unit: Unit, active: str) -> list[dict[str, Any]]:
    tabs: list[dict[str, Any]] = []
    if has_capability(request.user, Capability.VIEW_PERSONS, unit):
        tabs.append({"key": "roster", "label": _("Roster"), "url": reverse("people:roster", args=[unit.code])})
    tabs += [
        {"key": "groups", "label": _("Boards and teams"), "url": reverse("people:groups", args=[unit.code])},
        {"key": "activities", "label": _("Activities"), "url": reverse("people:activities", args=[unit.code])},
        {"key": "coverage", "label": _("Coverage"), "url": reverse("people:coverage", args=[unit.code])},
    ]
    for tab in tabs:
        tab["active"] = tab["key"] == active
    return tabs


def form_errors(form: Any) -> str:
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else ''} {' '.join(errors)}".strip()
        for name, errors in form.errors.items()
    )
