"""Official reports over the API (``/api/v1/reports/documents``, ``/api/v1/reports/templates``):
the same gates, services and selectors as the pages. A report's sections come with their
generated sentence (text and numbers, each number with the address of its records) and tables."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.api_input import MULTILINE, Id, IsoDate, Limit, LongText, Offset, QueryInput, StrictInput
from lantoa.core.schemas import ERRORS, binary_response, page
from lantoa.org.permissions import access_unit
from lantoa.reports import report_services as services
from lantoa.reports.documents.outline import KINDS, LEAD_MAX, MAX_INDICATORS, MAX_SECTIONS, TEXT_MAX, TITLE_MAX
from lantoa.reports.documents.pdf import PDF_TYPE
from lantoa.reports.documents.word import DOCX_TYPE
from lantoa.reports.models import (
    REPORT_ABBREVIATION_MAX,
    REPORT_LINE_MAX,
    REPORT_NAME_MAX,
    REPORT_RECIPIENTS_MAX,
    REPORT_SECTION_TEXT_MAX,
    REPORT_TITLE_MAX,
    Report,
    ReportTemplate,
)
from lantoa.reports.narrative import Num
from lantoa.reports.report_permissions import access_report, access_template, require_report_writer
from lantoa.reports.report_selectors import (
    report_bytes,
    report_content,
    report_filename,
    report_list_for_unit,
    template_list_for_unit,
)

documents_router = Router(tags=["reports"])
templates_router = Router(tags=["reports"])
FILE_TYPES = {"docx": DOCX_TYPE, "pdf": PDF_TYPE}

Line = Annotated[str, Field(max_length=REPORT_LINE_MAX)]


# --- Schemas -------------------------------------------------------------------------------------


class ReportQuery(QueryInput):
    unit: str = Field(..., max_length=64)
    limit: Limit = 50
    offset: Offset = 0


class ReportIn(StrictInput):
    unit: str = Field(..., max_length=64)
    template: Id
    start: IsoDate
    end: IsoDate
    structure: Literal["historical", "current"] = "historical"
    format: Literal["party", "state"] | None = None
    document_type: str = Field("BC", max_length=10, pattern=r"^[A-Z]{1,10}$")
    superior: Line = ""
    issuer: Line
    issuer_abbreviation: str = Field(..., max_length=REPORT_ABBREVIATION_MAX)
    place: Line
    signer_on_behalf: Line = ""
    signer_position: Line = ""
    signer_name: Line = ""


class ReportPatch(StrictInput):
    """Only the fields sent change; ``texts`` by section key (keys left out keep their text)."""

    version: int | None = Field(
        None, ge=1, le=2**31 - 1, description="The version you edited: 409 if another save came first."
    )
    texts: dict[str, Annotated[str, MULTILINE, Field(max_length=REPORT_SECTION_TEXT_MAX)]] = Field(
        default_factory=dict, max_length=MAX_SECTIONS
    )
    subtitle: str | None = Field(None, max_length=REPORT_TITLE_MAX)
    recipients: Annotated[str | None, MULTILINE] = Field(None, max_length=REPORT_RECIPIENTS_MAX)


class IssueIn(StrictInput):
    day: IsoDate


class PartOut(Schema):
    text: str
    indicator: str | None  # set on a generated number
    value: str | None  # the exact figure behind a rounded one
    url: str | None  # the records behind the number


class TableOut(Schema):
    header: list[str]
    rows: list[list[str]]
    total: list[str]
    unit_codes: list[str]


class SectionOut(Schema):
    key: str
    kind: str
    title: str
    indicators: list[str]
    text: str
    sentence: list[PartOut]
    table: TableOut | None
    chart: list[tuple[str, str]] | None  # (unit, printed value), largest first


class ReportOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    template_id: int | None
    start: dt.date
    end: dt.date
    structure: str
    format: str
    title: str
    subtitle: str
    version: int
    document_type: str
    number: int | None
    term: str
    issued_on: dt.date | None
    superior: str
    issuer: str
    issuer_abbreviation: str
    place: str
    signer_on_behalf: str
    signer_position: str
    signer_name: str
    recipients: str


class ReportDetailOut(ReportOut):
    sections: list[SectionOut]


class ReportListOut(Schema):
    items: list[ReportOut]
    count: int


class SectionIn(StrictInput):
    key: str = Field(..., max_length=40)
    kind: Literal[KINDS]  # type: ignore[valid-type]
    title: str = Field("", max_length=TITLE_MAX)
    text: LongText = Field("", max_length=TEXT_MAX)
    indicators: list[Annotated[str, Field(max_length=64)]] = Field(default_factory=list, max_length=MAX_INDICATORS)
    lead: str = Field("", max_length=LEAD_MAX)


class TemplateIn(StrictInput):
    name: str = Field(..., max_length=REPORT_NAME_MAX)
    format: Literal["party", "state"]
    title: str = Field(..., max_length=REPORT_TITLE_MAX)
    subtitle: str = Field("", max_length=REPORT_TITLE_MAX)
    recipients: LongText = Field("", max_length=REPORT_RECIPIENTS_MAX)
    outline: list[SectionIn] = Field(..., min_length=1, max_length=MAX_SECTIONS)


class TemplateCopyIn(StrictInput):
    unit: str = Field(..., max_length=64, description="The office that will own the copy.")
    name: str = Field("", max_length=REPORT_NAME_MAX)


class TemplateOut(Schema):
    id: int
    unit_code: str | None
    name: str
    format: str
    title: str
    subtitle: str
    recipients: str
    outline: list[dict[str, Any]]


class TemplateListOut(Schema):
    items: list[TemplateOut]
    count: int


class TemplateQuery(QueryInput):
    unit: str | None = Field(None, max_length=64)


# --- Presenters ----------------------------------------------------------------------------------


def _report_out(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "unit_code": report.unit.code,
        "unit_name": report.unit.name,
        "template_id": report.template_id,
        **{
            name: getattr(report, name)
            for name in (
                "start",
                "end",
                "structure",
                "format",
                "title",
                "subtitle",
                "version",
                "document_type",
                "number",
                "term",
                "issued_on",
                "superior",
                "issuer",
                "issuer_abbreviation",
                "place",
                "signer_on_behalf",
                "signer_position",
                "signer_name",
                "recipients",
            )
        },
    }


def _detail(report: Report) -> dict[str, Any]:
    content = report_content(report)
    sections = []
    for item in content.sections:
        sentence = [
            {"text": part.text, "indicator": part.code, "value": str(part.value), "url": part.url or None}
            if isinstance(part, Num)
            else {"text": part, "indicator": None, "value": None, "url": None}
            for part in item.parts
        ]
        table = None
        if item.table is not None:
            table = {
                "header": item.table.header,
                "rows": [[row.name, *row.cells] for row in item.table.rows],
                "total": [item.table.total.name, *item.table.total.cells],
                "unit_codes": [row.code for row in item.table.rows],
            }
        chart = [(bar.label, bar.shown) for bar in item.chart.bars] if item.chart is not None else None
        sections.append(
            {
                "key": item.key,
                "kind": item.kind,
                "title": item.section.title,
                "indicators": item.section.indicators,
                "text": item.text,
                "sentence": sentence,
                "table": table,
                "chart": chart,
            }
        )
    return {**_report_out(report), "sections": sections}


def _template_out(template: ReportTemplate) -> dict[str, Any]:
    return {
        "id": template.pk,
        "unit_code": template.unit.code if template.unit else None,
        "name": template.name,
        "format": template.format,
        "title": template.title,
        "subtitle": template.subtitle,
        "recipients": template.recipients,
        "outline": template.outline,
    }


# --- Reports -------------------------------------------------------------------------------------


@documents_router.get("", response={200: ReportListOut, **ERRORS}, summary="A unit's reports")
def report_list(request: HttpRequest, filters: Query[ReportQuery]) -> Any:
    unit = access_unit(by=request.user, code=filters.unit, capability=Capability.VIEW_AGGREGATES)
    rows = report_list_for_unit(by=request.user, unit=unit)
    result = page(rows, limit=filters.limit, offset=filters.offset)
    return {"items": [_report_out(report) for report in result["items"]], "count": result["count"]}


@documents_router.post("", response={201: ReportDetailOut, **ERRORS}, summary="Draft a report")
def report_create(request: HttpRequest, body: ReportIn) -> Any:
    """A draft of ``unit``'s report on ``[start, end]`` from a template (shared or the office's)."""
    unit = require_report_writer(by=request.user, code=body.unit)
    template = access_template(by=request.user, pk=body.template)
    report = services.report_create(
        by=request.user,
        unit=unit,
        template=template,
        start=body.start,
        end=body.end,
        structure=body.structure,
        format=body.format,
        document_type=body.document_type,
        letterhead=services.Letterhead(
            superior=body.superior,
            issuer=body.issuer,
            issuer_abbreviation=body.issuer_abbreviation,
            place=body.place,
            signer_on_behalf=body.signer_on_behalf,
            signer_position=body.signer_position,
            signer_name=body.signer_name,
        ),
    )
    return Status(201, _detail(report))


@documents_router.get("/{report_id}", response={200: ReportDetailOut, **ERRORS}, summary="A report with its figures")
def report_detail(request: HttpRequest, report_id: Id) -> Any:
    """The report and its sections: the officer's texts and the generated sentence, table and chart
    of each, computed from the records now."""
    return _detail(access_report(by=request.user, pk=report_id))


@documents_router.patch("/{report_id}", response={200: ReportDetailOut, **ERRORS}, summary="Save a draft's texts")
def report_save(request: HttpRequest, report_id: Id, body: ReportPatch) -> Any:
    report = access_report(by=request.user, pk=report_id, write=True)
    report, _changed = services.report_save(
        by=request.user,
        report=report,
        texts=body.texts,
        expected_version=body.version,
        subtitle=body.subtitle,
        recipients=body.recipients,
    )
    return _detail(report)


@documents_router.post("/{report_id}/issue", response={200: ReportOut, **ERRORS}, summary="Issue a report")
def report_issue(request: HttpRequest, report_id: Id, body: IssueIn) -> Any:
    """Give the report the next number of its unit for its document type in the term of ``day``
    (issuing again answers the number it has)."""
    report = access_report(by=request.user, pk=report_id, write=True)
    report, _issued = services.report_issue(by=request.user, report=report, day=body.day)
    return _report_out(report)


def _file(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    report = access_report(by=request.user, pk=report_id)
    data = report_bytes(report, fmt, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(data, content_type=FILE_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, fmt)}"'
    return response


@documents_router.get(
    "/{report_id}/docx",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The report as DOCX", DOCX_TYPE),
    summary="A report as DOCX",
)
def report_docx(request: HttpRequest, report_id: Id) -> Any:
    """The report drawn now as DOCX, its generated numbers linked to their records."""
    return _file(request, report_id, "docx")


@documents_router.get(
    "/{report_id}/pdf",
    response={200: None, **ERRORS},
    openapi_extra=binary_response("The report as PDF", PDF_TYPE),
    summary="A report as PDF",
)
def report_pdf(request: HttpRequest, report_id: Id) -> Any:
    """The report drawn now as PDF (Liberation Serif embedded)."""
    return _file(request, report_id, "pdf")


# --- Templates -----------------------------------------------------------------------------------


@templates_router.get("", response={200: TemplateListOut, **ERRORS}, summary="Report templates")
def template_list(request: HttpRequest, filters: Query[TemplateQuery]) -> Any:
    """The shared templates, and with ``unit`` that office's own."""
    unit = (
        access_unit(by=request.user, code=filters.unit, capability=Capability.VIEW_AGGREGATES) if filters.unit else None
    )
    if unit is None:
        services.template_default()
    items = [_template_out(t) for t in template_list_for_unit(by=request.user, unit=unit)]
    return {"items": items, "count": len(items)}


@templates_router.get("/{template_id}", response={200: TemplateOut, **ERRORS}, summary="A report template")
def template_detail(request: HttpRequest, template_id: Id) -> Any:
    return _template_out(access_template(by=request.user, pk=template_id))


@templates_router.post("/{template_id}/copy", response={201: TemplateOut, **ERRORS}, summary="Copy a template")
def template_copy(request: HttpRequest, template_id: Id, body: TemplateCopyIn) -> Any:
    template = access_template(by=request.user, pk=template_id)
    unit = require_report_writer(by=request.user, code=body.unit)
    return Status(
        201, _template_out(services.template_copy(by=request.user, template=template, unit=unit, name=body.name))
    )


@templates_router.put("/{template_id}", response={200: TemplateOut, **ERRORS}, summary="Change an office's template")
def template_update(request: HttpRequest, template_id: Id, body: TemplateIn) -> Any:
    """The whole template: its sections in order (add, remove and reorder by sending the list)."""
    template = access_template(by=request.user, pk=template_id, write=True)
    template, _changed = services.template_update(
        by=request.user,
        template=template,
        name=body.name,
        format=body.format,
        title=body.title,
        subtitle=body.subtitle,
        recipients=body.recipients,
        outline=[
            section.model_dump(exclude_defaults=True) | {"key": section.key, "kind": section.kind}
            for section in body.outline
        ],
    )
    return _template_out(template)
