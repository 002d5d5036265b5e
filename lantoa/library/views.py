"""Staff pages of the library: a document with its versions, files, print runs and reads; the
forms to record a document, upload a version and record a print run; file downloads.

Each view parses input, asks a gate, calls a service or selector and renders. The JSON API
(lantoa/library/api.py) calls the same services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.roles import Capability
from lantoa.core.charts import bar_chart
from lantoa.core.errors import ApplicationError
from lantoa.core.uploads import kept_file_response
from lantoa.library import selectors, services
from lantoa.library.forms import DocumentForm, PrintRunForm, SupersedeForm, VersionForm
from lantoa.library.models import Document
from lantoa.library.permissions import access_document, access_file, documents_visible_to, may_keep
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import today


def _unit(by: Any, code: str, capability: str = Capability.EDIT_RECORDS) -> Unit:
    return access_unit(by=by, code=(code or "").strip(), capability=capability)


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(by=request.user, pk=pk)
    record = selectors.document_record(document)
    chart = bar_chart(
        _("QR reads per day"),
        [(day.strftime("%d/%m"), count, str(count)) for day, count in record.reads_by_day[-14:]],
    )
    context = {
        "document": document,
        "record": record,
        "chart": chart,
        "may_keep": may_keep(request.user, document),
        "supersede_form": SupersedeForm(candidates=_successor_candidates(request.user, document)),
    }
    return render(request, "library/document_detail.html", context)


def _successor_candidates(by: Any, document: Document) -> list[Document]:
    return list(
        documents_visible_to(by).filter(kind=document.kind).exclude(pk=document.pk).order_by("-issued_on", "-pk")[:200]
    )


def document_new(request: HttpRequest) -> HttpResponse:
    unit = current_unit(request)
    form = DocumentForm(
        request.POST or None,
        initial={"owner_unit": unit.code if unit else "", "visibility": Document.Visibility.INTERNAL},
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(by=request.user, data=_document_data(request, form))
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The document was recorded. Now upload its file."))
            return redirect("library:version_new", document.pk)
    return render(request, "library/document_form.html", {"form": form, "document": None})


def _document_data(request: HttpRequest, form: DocumentForm) -> services.DocumentData:
    owner = _unit(request.user, form.cleaned_data["owner_unit"])
    code = (form.cleaned_data.get("visibility_unit") or "").strip()
    visibility_unit = _unit(request.user, code, Capability.VIEW_DOCUMENTS) if code else None
    return form.to_data(owner_unit=owner, visibility_unit=visibility_unit)


def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = DocumentForm(request.POST or None, initial=DocumentForm.initial_for(document))
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(by=request.user, document=document, data=_document_data(request, form))
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("The document was saved."))
            return redirect("library:document_detail", document.pk)
    return render(request, "library/document_form.html", {"form": form, "document": document})


def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = [
            services.FileUpload(
                form.cleaned_data["file"], form.cleaned_data.get("role") or "", form.cleaned_data["language"]
            )
        ]
        if form.cleaned_data.get("extra_file"):
            uploads.append(
                services.FileUpload(
                    form.cleaned_data["extra_file"], "", form.cleaned_data.get("extra_language") or "vi"
                )
            )
        try:
            version = services.version_create(
                by=request.user, document=document, uploads=uploads, note=form.cleaned_data.get("note") or ""
            )
        except ApplicationError as error:
            form.show_error(error)
        else:
            messages.success(request, _("Version %(n)s was uploaded.") % {"n": version.number})
            return redirect("library:document_detail", document.pk)
    return render(request, "library/version_form.html", {"form": form, "document": document})


@require_POST
def document_supersede_view(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = SupersedeForm(request.POST, candidates=_successor_candidates(request.user, document))
    if form.is_valid():
        successor = form.cleaned_data.get("superseded_by")
        try:
            services.document_supersede(
                by=request.user,
                document=document,
                by_document=access_document(by=request.user, pk=successor) if successor else None,
                expired=form.cleaned_data.get("expired", False) or not successor,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The document's status was changed."))
    return redirect("library:document_detail", document.pk)


def print_run_new(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_document(by=request.user, pk=pk, capability=Capability.EDIT_RECORDS)
    form = PrintRunForm(request.POST or None, initial={"unit": document.owner_unit.code, "printed_on": today()})
    if request.method == "POST" and form.is_valid():
        lines = form.allocation_lines()
        units: dict[str, Unit] = {}
        for code, _copies, _qr in lines:
            try:
                units[code] = _unit(request.user, code, Capability.VIEW_UNITS)
            except ApplicationError:
                form.add_error("allocations", _("No unit with code %(code)s.") % {"code": code})
        if form.is_valid():
            try:
                run = services.print_run_create(
                    by=request.user,
                    document=document,
                    unit=_unit(request.user, form.cleaned_data["unit"]),
                    printed_on=form.cleaned_data["printed_on"],
                    copies=form.cleaned_data["copies"],
                    printer=form.cleaned_data.get("printer") or "",
                    cost=form.cleaned_data.get("cost"),
                    allocations=PrintRunForm.allocation_data(units, lines, form.cleaned_data["printed_on"]),
                )
            except ApplicationError as error:
                form.show_error(error)
            else:
                messages.success(request, _("The print run was recorded: %(n)s copies.") % {"n": run.copies})
                return redirect("library:document_detail", document.pk)
    return render(request, "library/print_run_form.html", {"form": form, "document": document})


def file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document_file = access_file(by=request.user, pk=pk)
    if not document_file.file:
        messages.error(request, _("This file's content was removed."))
        return redirect("library:document_detail", document_file.version.document_id)
    return kept_file_response(document_file)


def file_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The extraction's progress bar (htmx polls this fragment until it is done)."""
    document_file = access_file(by=request.user, pk=pk)
    return render(request, "library/partials/_extraction.html", {"f": document_file})
