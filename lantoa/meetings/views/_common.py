"""What the pages of several subjects share: the gate of the lists, a unit named in a form, and
paging."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, NotFound
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit

PAGE_SIZE = 50
CHOICE_LIMIT = 300


def _require_figures(by: Any) -> None:
    """The lists are for users who see figures somewhere; for anyone else there is nothing here."""
    if not has_capability(by, Capability.VIEW_AGGREGATES):
        raise NotFound(_("Page not found."))


def _unit_in_form(form: Any, field: str, by: Any, code: str, capability: str = Capability.EDIT_RECORDS) -> Unit | None:
    """The unit a form names, through the gate; a refusal is shown next to the field."""
    try:
        return access_unit(by=by, code=(code or "").strip(), capability=capability)
    except ApplicationError as error:
        form.add_error(field, error.message)
        return None


def _page(request: HttpRequest, rows: Any) -> tuple[Any, str]:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
