"""Pages of official reports: the unit's reports, a new report, the draft editor (texts,
generated figures as links, regenerate), issuing, DOCX / PDF (drawn in the background for
large reports, with a progress bar), an XLSX of each table, and the templates an office copies
and edits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lantoa.accounts.current_unit import current_unit
from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, NotFound
from lantoa.core.htmx import wants_fragment
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.reports import report_services as services
from lantoa.reports.documents.outline import parse_outline
from lantoa.reports.documents.pdf import PDF_TYPE
from lantoa.reports.documents.word import DOCX_TYPE
from lantoa.reports.exports import XLSX_TYPE
from lantoa.reports.models import ReportFile
from lantoa.reports.periods import default_period
from lantoa.reports.report_exports import table_workbook
from lantoa.reports.report_forms import (
    IssueForm,
    ReportCreateForm,
    ReportEditForm,
    SectionFormSet,
    TemplateForm,
    outline_from_formset,
    show_problems,
)
from lantoa.reports.report_permissions import access_report, access_template
from lantoa.reports.report_selectors import (
    latest_report_file,
    report_bytes,
    report_content,
    report_filename,
    report_list_for_unit,
    template_list_for_unit,
)
from lantoa.reports.selectors import Period

# Reports with more sections than this are drawn in the background, with a progress bar.
SYNC_SECTIONS = 8
CONTENT_TYPES = {"docx": DOCX_TYPE, "pdf": PDF_TYPE}


def _unit(request: HttpRequest) -> Unit:
    code = (request.GET.get("unit") or "").strip()[:64]
    if code:
        return access_unit(by=request.user, code=code, capability=Capability.VIEW_AGGREGATES)
    unit = current_unit(request)
    if unit is None or not has_capability(request.user, Capability.VIEW_AGGREGATES, unit):
        raise NotFound(_("You have no unit to show."))
    return unit


def _may_write(request: HttpRequest, unit: Unit | None) -> bool:
    return unit is not None and has_capability(request.user, Capability.EDIT_RECORDS, unit)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    context = {
        "unit": unit,
        "reports": report_list_for_unit(by=request.user, unit=unit),
        "templates": template_list_for_unit(by=request.user, unit=unit),
        "may_write": _may_write(request, unit),
    }
    return render(request, "reports/documents/report_list.html", context)


def _letterhead(data: dict[str, Any]) -> services.Letterhead:
    return services.Letterhead(
        superior=data.get("superior") or "",
        issuer=data.get("issuer") or "",
        issuer_abbreviation=data.get("issuer_abbreviation") or "",
        place=data.get("place") or "",
        signer_on_behalf=data.get("signer_on_behalf") or "",
        signer_position=data.get("signer_position") or "",
        signer_name=data.get("signer_name") or "",
    )


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    unit = _unit(request)
    if not _may_write(request, unit):
        raise NotFound(_("Page not found."))
    services.template_default()
    templates = list(template_list_for_unit(by=request.user, unit=unit))
    period = default_period(timezone.localdate())
    initial = {
        "template": templates[-1].pk if templates else None,
        "start": period.start,
        "end": period.end,
        "issuer": unit.name,
        "issuer_abbreviation": services.suggested_abbreviation(unit.name),
        "format": templates[-1].format if templates else "party",
        "signer_on_behalf": "T/M BAN THƯỜNG VỤ",
    }
    form = ReportCreateForm(request.POST or None, initial=initial, templates=[(t.pk, t.name) for t in templates])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        template = next(t for t in templates if t.pk == data["template"])
        try:
            report = services.report_create(
                by=request.user,
                unit=unit,
                template=template,
                start=data["start"],
                end=data["end"],
                structure=data["structure"],
                format=data["format"],
                letterhead=_letterhead(data),
            )
        except ApplicationError as error:
            show_problems(form, error)
        else:
            messages.success(request, _("The draft was created. Write each section, then download it."))
            return redirect("reports:report_detail", report.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "reports/documents/report_new.html", {"form": form, "unit": unit}, status=status)


def _files(report: Any) -> dict[str, Any]:
    return {fmt: latest_report_file(report, fmt) for fmt in ("docx", "pdf")}


def _detail_context(request: HttpRequest, report: Any, form: ReportEditForm | None = None) -> dict[str, Any]:
    content = report_content(report)
    sections = [item.section for item in content.sections]
    if form is None:
        initial = {"version": report.version, "subtitle": report.subtitle, "recipients": report.recipients}
        initial |= {f"text_{item.key}": item.text for item in content.sections}
        form = ReportEditForm(initial=initial, sections=sections)
    may_write = _may_write(request, report.unit)
    return {
        "report": report,
        "content": content,
        "form": form,
        "rows": [(item, form[f"text_{item.key}"]) for item in content.sections],
        "may_write": may_write and report.number is None,
        "may_issue": may_write and report.number is None,
        "issue_form": IssueForm(initial={"day": timezone.localdate()}),
        "background": len(sections) > SYNC_SECTIONS,
        "files": _files(report),
        "period": Period(report.start, report.end),
    }


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft: each section's generated figures (as links to their records) and its text."""
    report = access_report(by=request.user, pk=pk, write=request.method == "POST")
    if request.method == "POST":
        sections = parse_outline(report.outline)
        form = ReportEditForm(request.POST, sections=sections)
        if form.is_valid():
            try:
                report, changed = services.report_save(
                    by=request.user,
                    report=report,
                    texts=form.texts(),
                    expected_version=form.cleaned_data["version"],
                    subtitle=form.cleaned_data["subtitle"],
                    recipients=form.cleaned_data["recipients"],
                )
            except ApplicationError as error:
                show_problems(form, error)
            else:
                if changed:
                    messages.success(request, _("Saved as version %(version)s.") % {"version": report.version})
                else:
                    messages.info(request, _("Nothing had changed."))
                return redirect("reports:report_detail", report.pk)
        context = _detail_context(request, report, form)
        return render(request, "reports/documents/report_detail.html", context, status=422)
    return render(request, "reports/documents/report_detail.html", _detail_context(request, report))


@require_GET
def report_generated(request: HttpRequest, pk: int) -> HttpResponse:
    """The generated blocks recomputed from today's records (htmx swaps each in place)."""
    report = access_report(by=request.user, pk=pk)
    content = report_content(report)
    return render(request, "reports/documents/partials/_generated_all.html", {"content": content, "report": report})


@require_POST
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(by=request.user, pk=pk, write=True)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("reports:report_detail", report.pk)
    try:
        report, issued = services.report_issue(by=request.user, report=report, day=form.cleaned_data["day"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if issued:
            messages.success(request, _("Issued with the number %(number)s.") % {"number": report.number})
    return redirect("reports:report_detail", report.pk)


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The DOCX or PDF drawn now (small reports), or the one drawn in the background."""
    report = access_report(by=request.user, pk=pk)
    if len(report.outline) > SYNC_SECTIONS:
        file = ReportFile.objects.filter(
            report=report, format=fmt, version=report.version, status=ReportFile.Status.DONE
        ).first()
        if file is None or file.data is None:
            messages.info(request, _("Large reports are prepared first: press “Prepare” and wait for the bar."))
            return redirect("reports:report_detail", report.pk)
        return _attachment(bytes(file.data), CONTENT_TYPES[fmt], report_filename(report, fmt))
    data = report_bytes(report, fmt, base_url=_base_url(request))
    return _attachment(data, CONTENT_TYPES[fmt], report_filename(report, fmt))


@require_POST
def report_prepare(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Queue the drawing of a large report's DOCX or PDF; answer the progress bar."""
    report = access_report(by=request.user, pk=pk)
    file = services.report_file_request(by=request.user, report=report, file_format=fmt, base_url=_base_url(request))
    if wants_fragment(request):
        file.refresh_from_db(fields=["status", "progress"])
        return render(request, "reports/documents/partials/_file.html", {"report": report, "fmt": fmt, "file": file})
    return redirect("reports:report_detail", report.pk)


@require_GET
def report_file_status(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The progress bar of the latest file (polled by htmx until it is ready)."""
    report = access_report(by=request.user, pk=pk)
    file = latest_report_file(report, fmt)
    return render(request, "reports/documents/partials/_file.html", {"report": report, "fmt": fmt, "file": file})


@require_GET
def report_table_export(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """A table of the report as XLSX: the same figures as the page and the documents."""
    report = access_report(by=request.user, pk=pk)
    item = report_content(report, with_links=False).section(key)
    if item is None or item.table is None:
        raise NotFound(_("The report has no table %(key)s.") % {"key": key}, extra={"key": key})
    filename = report_filename(report, "xlsx").replace(".xlsx", f"-{key}.xlsx")
    return _attachment(table_workbook(report, item.table), XLSX_TYPE, filename)


# --- Templates -----------------------------------------------------------------------------------


def _section_initial(outline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "order": (index + 1) * 10,
            "key": section.get("key", ""),
            "kind": section.get("kind", "text"),
            "title": section.get("title", ""),
            "indicators": ", ".join(section.get("indicators", [])),
            "lead": section.get("lead", ""),
            "text": section.get("text", ""),
        }
        for index, section in enumerate(outline)
    ]


@require_http_methods(["GET", "POST"])
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A template's outline; an office's own template is edited here (sections added, removed
    and reordered by their order numbers); the shared one is read and copied."""
    template = access_template(by=request.user, pk=pk, write=request.method == "POST")
    may_write = template.unit is not None and _may_write(request, template.unit)
    initial = {
        "name": template.name,
        "format": template.format,
        "title": template.title,
        "subtitle": template.subtitle,
        "recipients": template.recipients,
    }
    form = TemplateForm(request.POST or None, initial=initial)
    sections = SectionFormSet(request.POST or None, initial=_section_initial(template.outline), prefix="sections")
    if request.method == "POST" and form.is_valid() and sections.is_valid():
        try:
            _template, changed = services.template_update(
                by=request.user,
                template=template,
                outline=outline_from_formset(sections),
                **form.cleaned_data,
            )
        except ApplicationError as error:
            show_problems(form, error)
        else:
            messages.success(request, _("The template was saved.") if changed else _("Nothing had changed."))
            return redirect("reports:template_detail", template.pk)
    status = 422 if request.method == "POST" else 200
    context = {"template": template, "form": form, "sections": sections, "may_write": may_write}
    return render(request, "reports/documents/template_detail.html", context, status=status)


@require_POST
def template_copy(request: HttpRequest, pk: int) -> HttpResponse:
    template = access_template(by=request.user, pk=pk)
    unit = current_unit(request)
    if not _may_write(request, unit):
        raise NotFound(_("Page not found."))
    assert unit is not None
    copy = services.template_copy(by=request.user, template=template, unit=unit)
    messages.success(request, _("The template was copied for your office: edit its sections below."))
    return redirect(reverse("reports:template_detail", args=[copy.pk]))
