from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from lantoa.accounts.current_unit import set_current_unit
from lantoa.accounts.permissions import current_assignments, units_for
from lantoa.accounts.roles import Capability
from lantoa.accounts.services import user_set_language
from lantoa.core.errors import NotFound
from lantoa.core.text import vn_sort_key
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import unit_search

logger = logging.getLogger(__name__)

UNIT_OPTIONS_LIMIT = 20


def home(request: HttpRequest) -> HttpResponse:
    """The start page's name (``web:home``), which links, redirects and ``LOGIN_REDIRECT_URL`` use.
    config/urls.py serves "/" with the unit's dashboard, mounted before these URLs, so this view
    answers only if no dashboard is mounted."""
    raise Http404


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _unit_from_switcher(request: HttpRequest, value: str) -> Unit | None:
    """The unit the switcher names: an exact code, or else a name that matches one unit only."""
    if not value:
        return None
    try:
        return access_unit(by=request.user, code=value)
    except NotFound:
        pass
    matches = list(unit_search(units_for(request.user, Capability.VIEW_UNITS), q=value)[:2])
    return matches[0] if len(matches) == 1 else None


@require_POST
def switch_unit(request: HttpRequest) -> HttpResponse:
    value = (request.POST.get("unit") or "").strip()
    unit = _unit_from_switcher(request, value)
    if unit is None:
        messages.error(request, _("No unit “%(unit)s” in your scope.") % {"unit": value})
        return redirect(_safe_next(request))
    set_current_unit(request, unit)
    messages.success(request, _("You are now working in %(unit)s.") % {"unit": unit.name})
    return redirect(_safe_next(request))


@require_GET
def unit_options(request: HttpRequest) -> HttpResponse:
    """Datalist options for the unit switcher (htmx), limited to the user's scope.

    Without a query the options are the units of the user's own assignments."""
    q = request.GET.get("unit", "").strip()
    if q:
        units = list(
            unit_search(units_for(request.user, Capability.VIEW_UNITS), q=q).order_by("name")[:UNIT_OPTIONS_LIMIT]
        )
    else:
        units = list({a.unit_id: a.unit for a in current_assignments(request.user)}.values())
    units.sort(key=lambda unit: vn_sort_key(unit.name))
    return render(request, "web/partials/_unit_options.html", {"units": units})


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language``, which also saves the choice on a signed-in user's account
    (their saved language wins over the cookie on every later request)."""
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_language(by=user, user=user, language=language)
    return django_set_language(request)


# --- Error pages ------------------------------------------------------------------------


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    context = {"status": status, "error_title": title, "error_text": text}
    return render(request, "web/error.html", context, status=status)


@login_not_required
def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("Not allowed"), _("You do not have permission to do this."))


@login_not_required
def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Page not found"), _("There is nothing here, or you may not see it."))


@login_not_required
def error_500(request: HttpRequest) -> HttpResponse:
    """The full layout if it can be drawn; a page that needs no database otherwise."""
    title = _("Something went wrong")
    text = _("The error has been logged. Please try again in a moment.")
    try:
        return _error(request, 500, title, text)
    except Exception:
        logger.exception("The 500 page could not use the full layout")
    context = {
        "status": 500,
        "error_title": title,
        "error_text": text,
        "LANGUAGE_CODE": translation.get_language(),
        "lantoa_site_name": settings.LANTOA_SITE_NAME,
    }
    return HttpResponseServerError(render_to_string("web/error_plain.html", context))
