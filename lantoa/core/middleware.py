from __future__ import annotations

import re
from collections.abc import Callable

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


class ApplicationErrorMiddleware:
    """HTML views let gates raise: NotFound renders the 404 page, PermissionDenied the 403 page,
    any other ApplicationError a 400 page with its message. The API maps errors itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from lantoa.core.errors import ApplicationError, NotFound, PermissionDenied
        from lantoa.web import views

        if isinstance(exception, NotFound):
            return views.error_404(request, exception)
        if isinstance(exception, PermissionDenied):
            return views.error_403(request, exception)
        if isinstance(exception, ApplicationError):
            context = {"status": exception.status, "error_title": exception.message, "error_text": ""}
            return render(request, "web/error.html", context, status=exception.status)
        return None
