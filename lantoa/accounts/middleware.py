from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

# Paths that authenticate on their own (the API: session or Bearer token) or are files.
_SELF_AUTHENTICATED_PREFIXES = ("/api/", "/static/", "/media/")


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Deny by default: every page needs login unless its view opts out (``login_not_required``)."""

    def process_view(self, request, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        if request.path.startswith(_SELF_AUTHENTICATED_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class UserLanguageMiddleware:
    """Signed-in users see the language saved on their account."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "language", ""):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


def two_factor_state(user) -> str:  # type: ignore[no-untyped-def]
    """'ok', 'verify' (has a device, not yet confirmed this session) or 'enrol' (must set one up)."""
    from django_otp import user_has_device

    from lantoa.accounts.permissions import user_roles

    if not user.is_authenticated:
        return "ok"
    if user_has_device(user, confirmed=True):
        return "ok" if user.is_verified() else "verify"
    required = set(settings.LANTOA_2FA_REQUIRED_ROLES)
    if required and (user_roles(user) & required):
        return "enrol"
    return "ok"


class TwoFactorRequiredMiddleware:
    """A user with a TOTP device confirms a code after the password; roles that require
    two-factor login (administrators and managers in production) must set one up first."""

    ALLOWED_URL_NAMES = (
        "accounts:verify",
        "accounts:two_factor_setup",
        "accounts:logout",
        "set_language",
        "web:set_language",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_SELF_AUTHENTICATED_PREFIXES):
            allowed = {reverse(name) for name in self.ALLOWED_URL_NAMES}
            if request.path not in allowed:
                state = two_factor_state(user)
                if state == "verify":
                    return redirect(f"{reverse('accounts:verify')}?next={request.path}")
                if state == "enrol":
                    return redirect(reverse("accounts:two_factor_setup"))
        return self.get_response(request)
