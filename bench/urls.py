"""The product's addresses plus one bare endpoint: the floor of the HTTP benchmarks."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as product_urls


@login_not_required
def ping(request: HttpRequest) -> HttpResponse:
    """The least a request can cost through the same server and middleware."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/ping", ping, name="bench_ping"), *product_urls]
