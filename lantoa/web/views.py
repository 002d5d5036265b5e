from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.accounts.permissions import current_assignments, units_for
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound
from lantoa.core.registry import my_work_items
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import unit_search
from lantoa.web.current_unit import current_unit, set_current_unit


def home(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    context = {
        "work_items": my_work_items(request.user, unit),
        "assignments": current_assignments(request.user).order_by("unit__kind__tier__rank", "unit__name"),
    }
    return render(request, "web/home.html", context)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@require_POST
def switch_unit(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("unit") or "").strip()
    try:
        unit = access_unit(by=request.user, code=code)
    except NotFound:
        messages.error(request, _("No unit with code %(code)s in your scope.") % {"code": code})
        return redirect(_safe_next(request))
    set_current_unit(request, unit)
    messages.success(request, _("You are now working in %(unit)s.") % {"unit": unit.name})
    return redirect(_safe_next(request))


@require_GET
def unit_options(request: HttpRequest) -> HttpResponse:
    """Datalist options for the unit switcher (htmx), limited to the user's scope."""
    q = request.GET.get("unit", "")
    units = unit_search(units_for(request.user, Capability.VIEW_UNITS), q=q).order_by("name")[:20] if q else []
    return render(request, "web/partials/_unit_options.html", {"units": units})


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
    context = {"status": 500, "error_title": _("Something went wrong"), "error_text": _(
        "The error has been logged. Please try again in a moment."
    )}
    return render(request, "web/error.html", context, status=500)
