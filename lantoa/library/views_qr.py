"""QR codes of print runs and allocations (SVG, PNG) and the A4 sheet of labels to print."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from lantoa.library import qr
from lantoa.library.models import PrintRun
from lantoa.library.permissions import access_allocation, access_print_run

_FORMATS = {"svg": ("image/svg+xml", qr.qr_svg), "png": ("image/png", qr.qr_png)}


def _short_link(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("public:qr_open", args=[code]))


def _qr_response(request: HttpRequest, run: PrintRun, code: str, fmt: str) -> HttpResponse:
    if fmt not in _FORMATS:
        raise Http404
    content_type, draw = _FORMATS[fmt]
    response = HttpResponse(draw(_short_link(request, code)), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{qr.download_name(run, "." + fmt, code)}"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def run_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    run = access_print_run(by=request.user, pk=pk)
    return _qr_response(request, run, run.code, fmt)


@require_GET
def allocation_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    allocation = access_allocation(by=request.user, pk=pk)
    if not allocation.code:
        raise Http404
    return _qr_response(request, allocation.print_run, allocation.code, fmt)


def _per_group(request: HttpRequest) -> int | None:
    """``?per=N``: how many labels for each short link (1…240); the default depends on the run."""
    value = request.GET.get("per", "").strip()
    if not value.isdigit():
        return None
    return min(max(int(value), 1), 240)


@require_GET
def run_labels(request: HttpRequest, pk: int) -> HttpResponse:
    run = access_print_run(by=request.user, pk=pk)
    allocations = list(run.allocations.select_related("unit").order_by("pk"))
    groups = qr.label_groups(run, allocations, lambda code: _short_link(request, code), _per_group(request))
    pdf = qr.label_sheet_pdf(run=run, groups=groups)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{qr.labels_file_name(run)}"'
    return response
