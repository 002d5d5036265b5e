"""Middleware of the HTML interface."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lantoa.core.errors import ApplicationError, NotFound, PermissionDenied
from lantoa.web import views


class ApplicationErrorMiddleware:
    """HTML views let gates raise: NotFound renders the 404 page, PermissionDenied the 403 page,
    any other ApplicationError a 400 page with its message. The API maps errors itself."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            return views.error_404(request, exception)
        if isinstance(exception, PermissionDenied):
            return views.error_403(request, exception)
        if isinstance(exception, ApplicationError):
            context = {"status": exception.status, "error_title": exception.message, "error_text": ""}
            return render(request, "web/error.html", context, status=exception.status)
        return None
