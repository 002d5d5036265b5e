"""The product's addresses plus one bare endpoint: the floor of the HTTP benchmarks."""

import datetime as dt
import functools

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as product_urls


@login_not_required
def ping(request: HttpRequest) -> HttpResponse:
    """The least a request can cost through the same server and middleware."""
    return HttpResponse(b"ok", content_type="text/plain")


@csrf_exempt
@login_not_required
@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    """The least a write can cost: one row inserted through the ORM, in its own transaction."""
    from bench.benchapp.models import BenchRecord

    with transaction.atomic():
        BenchRecord.objects.create(unit_id=_floor_unit(), day=dt.date(2026, 1, 1))
    return HttpResponse(b"ok", content_type="text/plain", status=201)


@functools.cache
def _floor_unit() -> int:
    from lantoa.org.models import Unit

    return int(Unit.objects.order_by("pk").values_list("pk", flat=True)[0])


urlpatterns = [
    path("bench/ping", ping, name="bench_ping"),
    path("bench/insert", insert, name="bench_insert"),
    *product_urls,
]
