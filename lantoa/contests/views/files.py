"""Questions in and out of files: the import page, the spreadsheet template and the exports; and a
contest's results from another platform: their page, upload and template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lantoa.accounts.roles import Capability
from lantoa.contests import bank_io, external_io, selectors
from lantoa.contests.forms import ExternalResultsForm, ImportForm
from lantoa.contests.permissions import access_bank, access_contest, may_create_banks
from lantoa.contests.services.external import external_results_import
from lantoa.contests.views.banks import _page
from lantoa.core.errors import ApplicationError, ImportRejected, NotFound
from lantoa.core.forms import Form


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


@dataclass
class Upload:
    """What an upload page shows after a POST: the form (with the refusal as its error), every
    problem of a rejected file, and the service's result when it went through."""

    form: Form
    problems: list[dict[str, Any]] = field(default_factory=list)
    more_problems: int = 0
    result: Any = None

    @property
    def status(self) -> int:
        return 422 if self.form.is_bound and self.form.errors else 200


def handle_upload(request: HttpRequest, form_class: type[Form], store: Callable[[Any], Any]) -> Upload:
    """Bind ``form_class`` to the request and, on a valid POST, give its ``file`` to ``store`` (a
    call of the service); an ImportRejected lists its problems, any other refusal is the form's."""
    upload = Upload(form_class(request.POST or None, request.FILES or None))
    if request.method != "POST" or not upload.form.is_valid():
        return upload
    try:
        upload.result = store(upload.form.cleaned_data["file"])
    except ImportRejected as rejection:
        upload.problems = rejection.extra.get("details", [])
        upload.more_problems = rejection.extra.get("more", 0)
        upload.form.add_error(None, rejection.message)
    except ApplicationError as error:
        upload.form.add_error(None, error.message)
    return upload


@require_http_methods(["GET", "POST"])
def bank_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a spreadsheet or a Moodle XML export; every problem is listed, or every question
    is written (and the questions not imported are named)."""
    bank = access_bank(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    upload = handle_upload(
        request,
        ImportForm,
        lambda file: bank_io.questions_import(by=request.user, bank=bank, file=file.read(bank_io.MAX_BYTES + 1)),
    )
    form, result = upload.form, upload.result
    if result is not None:
        messages.success(request, result.summary())
        form = ImportForm()
    context = {
        "bank": bank,
        "form": form,
        "problems": upload.problems,
        "more_problems": upload.more_problems,
        "result": result,
        # Options A and B are needed by every question but true or false, so the reader lets them be empty.
        "columns": [(c, c.required or c.key in ("option_a", "option_b")) for c in bank_io.TEMPLATE_COLUMNS],
    }
    return render(request, "contests/import.html", context, status=upload.status)


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    if not may_create_banks(request.user):
        raise NotFound(_("Page not found."))
    english = _english()
    response = HttpResponse(bank_io.template_xlsx(english=english), content_type=bank_io.XLSX_TYPE)
    name = "lantoa-questions.xlsx" if english else "lantoa-cau-hoi.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def bank_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    bank = access_bank(by=request.user, pk=pk)
    content = bank_io.export_xlsx(list(selectors.bank_questions(bank)), english=_english())
    response = HttpResponse(content, content_type=bank_io.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bank-{bank.pk}.xlsx"'
    return response


@require_GET
def bank_export_moodle(request: HttpRequest, pk: int) -> HttpResponse:
    bank = access_bank(by=request.user, pk=pk)
    content = bank_io.export_moodle(list(selectors.bank_questions(bank)))
    response = HttpResponse(content, content_type=f"{bank_io.XML_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bank-{bank.pk}.xml"'
    return response


@require_http_methods(["GET", "POST"])
def contest_external(request: HttpRequest, pk: int) -> HttpResponse:
    """The contest's results from another platform, and the upload of a file of them: every
    problem is listed with its row and column and nothing is written, or the file's periods
    replace what the contest had for them."""
    contest = access_contest(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    upload = handle_upload(
        request,
        ExternalResultsForm,
        lambda file: external_results_import(by=request.user, contest=contest, file=file),
    )
    if upload.result is not None:
        messages.success(request, upload.result.summary())
        return redirect("contests:contest_external", contest.pk)
    page, query = _page(request, selectors.contest_external_results(contest))
    context = {
        "contest": contest,
        "form": upload.form,
        "problems": upload.problems,
        "more_problems": upload.more_problems,
        "page": page,
        "query": query,
        "columns": external_io.COLUMNS,
    }
    return render(request, "contests/external_results.html", context, status=upload.status)


@require_GET
def contest_external_template(request: HttpRequest, pk: int) -> HttpResponse:
    access_contest(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    english = _english()
    response = HttpResponse(external_io.external_results_template(english=english), content_type=bank_io.XLSX_TYPE)
    name = "lantoa-external-results.xlsx" if english else "lantoa-ket-qua-nen-tang-khac.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
