from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from lantoa.core.context import new_request_id, reset_request_id, set_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a proxy's X-Request-ID) for logs and audit entries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class SignedInMiddleware:
    """The middleware that only signed-in work needs (sessions, CSRF, authentication, two-factor,
    messages, htmx, login lockout: ``LANTOA_SIGNED_IN_MIDDLEWARE``, in that order), skipped on
    the public paths (``LANTOA_PUBLIC_PATHS``: QR scans, the reader, check-in) when the request
    carries no session cookie.

    Such a request is anonymous whatever it claims, sets no cookie and changes nothing that a
    forged cross-site request could abuse (an anonymous check-in is what anyone may send), so
    it needs none of them; a visitor who is signed in goes through all of them as anywhere else
    (a signed-in user checks in as their person, a scan leads staff to the staff page).
    Django's handler collects ``process_view`` and ``process_exception`` from the middleware it
    loads; this one runs those of its inner middleware itself, in Django's order.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        from django.conf import settings
        from django.core.handlers.exception import convert_exception_to_response
        from django.utils.module_loading import import_string

        self.get_response = get_response
        self.prefixes = tuple(settings.LANTOA_PUBLIC_PATHS)
        self.cookie = settings.SESSION_COOKIE_NAME
        handler: Callable[[HttpRequest], Any] = convert_exception_to_response(get_response)
        self.view_hooks: list[Callable[..., Any]] = []
        self.exception_hooks: list[Callable[..., Any]] = []
        self.template_hooks: list[Callable[..., Any]] = []
        for path in reversed(settings.LANTOA_SIGNED_IN_MIDDLEWARE):
            instance = import_string(path)(handler)
            if hasattr(instance, "process_view"):
                self.view_hooks.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self.template_hooks.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self.exception_hooks.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self.signed_in = handler

    def _lean(self, request: HttpRequest) -> bool:
        return request.path_info.startswith(self.prefixes) and self.cookie not in request.COOKIES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._lean(request):
            from django.contrib.auth.models import AnonymousUser

            request.lantoa_lean = True  # type: ignore[attr-defined]
            request.user = AnonymousUser()
            return self.get_response(request)
        return self.signed_in(request)  # type: ignore[no-any-return]

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if getattr(request, "lantoa_lean", False):
            return None
        for hook in self.view_hooks:
            response = hook(request, view, args, kwargs)
            if response is not None:
                return response  # type: ignore[no-any-return]
        return None

    def process_template_response(self, request: HttpRequest, response: Any) -> Any:
        if getattr(request, "lantoa_lean", False):
            return response
        for hook in self.template_hooks:
            response = hook(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if getattr(request, "lantoa_lean", False):
            return None
        for hook in self.exception_hooks:
            response = hook(request, exception)
            if response is not None:
                return response  # type: ignore[no-any-return]
        return None


# What the silenced checks of Django, its admin and axes look for, now inside SignedInMiddleware.
REQUIRED_SIGNED_IN_MIDDLEWARE = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
)


def check_signed_in_middleware(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    from django.conf import settings
    from django.core.checks import Error

    inner = list(getattr(settings, "LANTOA_SIGNED_IN_MIDDLEWARE", []))
    errors = []
    if "lantoa.core.middleware.SignedInMiddleware" not in settings.MIDDLEWARE:
        inner = []
    for path in REQUIRED_SIGNED_IN_MIDDLEWARE:
        if path not in inner and path not in settings.MIDDLEWARE:
            errors.append(
                Error(
                    f"{path} is neither in MIDDLEWARE nor in LANTOA_SIGNED_IN_MIDDLEWARE.",
                    hint="Keep it in LANTOA_SIGNED_IN_MIDDLEWARE (run by SignedInMiddleware).",
                    id="lantoa.core.E001",
                )
            )
    return errors
