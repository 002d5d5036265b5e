"""Past conferences from a spreadsheet: the upload page and the empty template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from lantoa.core.errors import ApplicationError, ImportRejected
from lantoa.core.forms import SpreadsheetUploadForm
from lantoa.meetings import importing


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a workbook of past conferences; every problem is listed, or every row is recorded."""
    importing.require_importer(request.user)
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    problems: list[dict[str, Any]] = []
    more_problems = 0
    if request.method == "POST" and form.is_valid():
        try:
            result = importing.conferences_import(by=request.user, file=form.cleaned_data["file"].read())
        except ImportRejected as rejection:
            problems = rejection.extra.get("details", [])
            more_problems = rejection.extra.get("more", 0)
            form.add_error(None, rejection.message)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, result.summary())
            return redirect("meetings:import")
    context = {
        "form": form,
        "problems": problems,
        "more_problems": more_problems,
        "sheets": [
            (importing.SHEET_NAMES[importing.CONFERENCES], importing.CONFERENCE_COLUMNS),
            (importing.SHEET_NAMES[importing.SITES], importing.SITE_COLUMNS),
        ],
    }
    return render(request, "meetings/import.html", context, status=422 if request.method == "POST" else 200)


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The two sheets with their headers (in the user's language) and an example row each."""
    importing.require_importer(request.user)
    english = _english()
    response = HttpResponse(importing.conferences_import_template(english=english), content_type=importing.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{importing.template_filename(english=english)}"'
    return response
