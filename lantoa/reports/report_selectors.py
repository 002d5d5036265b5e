"""Reads for official reports: the reports a user may see, and a report's content — its
sections with the figures they state, computed from records in one batched rollup for the
report's unit and its children — which the draft page, the API, the XLSX of each table, the DOCX
and the PDF all draw, so they cannot differ.

Every generated number links to the records behind it: the unit's dashboard for the report's
period and structure (the drill-down to the units beneath, with who has no data), the same
address the dashboard's own figures use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from lantoa.core.charts import BarChart, bar_chart
from lantoa.core.indicators import Aggregation, Indicator, get_indicator
from lantoa.org.models import Unit
from lantoa.org.rollup import rollup
from lantoa.org.rollup.values import IndicatorValue
from lantoa.org.selectors import name_then, unit_children
from lantoa.reports.documents import content as doc
from lantoa.reports.documents.outline import Section, parse_outline
from lantoa.reports.models import Report, ReportTemplate
from lantoa.reports.narrative import Num, Part, Value, format_number, format_percent, sentence
from lantoa.reports.selectors import Period, structure_day

CHART_LIMIT = 15  # bars in a report's chart: the largest units; the table lists them all
NO_DATA = "—"


def report_list_for_unit(*, by: Any, unit: Unit) -> QuerySet[Report]:
    """The reports of ``unit`` (which the caller let ``by`` see), newest first."""
    return Report.objects.filter(unit=unit).select_related("unit", "template").order_by("-created_at", "-pk")


def template_list_for_unit(*, by: Any, unit: Unit | None) -> QuerySet[ReportTemplate]:
    """The shared templates and those of ``unit``'s office."""
    owned = ReportTemplate.objects.filter(unit__isnull=True)
    if unit is not None:
        owned = owned | ReportTemplate.objects.filter(unit=unit)
    return owned.select_related("unit").order_by("unit_id", "name", "pk")


def records_url(report: Report) -> str:
    """Where the records behind a report's figure are listed: the unit's dashboard for the
    report's period and structure (relative; the documents prefix the site's address)."""
    query = urlencode(
        {
            "unit": report.unit.code,
            "start": report.start.isoformat(),
            "end": report.end.isoformat(),
            "structure": report.structure,
        }
    )
    return f"{reverse('reports:dashboard')}?{query}"


@dataclass(frozen=True)
class TableColumn:
    code: str
    name: str
    measure: str
    rate: bool


@dataclass(frozen=True)
class TableRow:
    code: str
    name: str
    cells: list[str]  # as printed
    values: list[Any]  # int, Decimal or None (no data): for the XLSX


@dataclass(frozen=True)
class TableData:
    title: str
    columns: list[TableColumn]
    rows: list[TableRow]
    total: TableRow

    @property
    def header(self) -> list[str]:
        return ["Đơn vị", *[f"{c.name} ({c.measure})" if c.measure else c.name for c in self.columns]]


@dataclass
class SectionContent:
    section: Section
    text: str  # the officer's text for the section
    parts: list[Part] = field(default_factory=list)  # a narrative's sentence
    table: TableData | None = None
    chart: BarChart | None = None

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def kind(self) -> str:
        return self.section.kind

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.text.split("\n") if line.strip()]


@dataclass
class ReportContent:
    report: Report
    sections: list[SectionContent]

    def section(self, key: str) -> SectionContent | None:
        return next((s for s in self.sections if s.key == key), None)


def _shown(value: Any, rate: bool) -> str:
    if value is None:
        return NO_DATA
    return format_percent(value) if rate else format_number(value)


def _value(indicator: Indicator, cell: IndicatorValue) -> Value:
    return Value(
        code=indicator.code,
        value=cell.value,
        counting=str(indicator.counting),
        measure=indicator.measure_vi,
        name=indicator.name_vi,
        rate=indicator.aggregation == Aggregation.RATIO,
        complete=cell.coverage.complete,
        missing_count=cell.coverage.missing_count,
    )


def report_content(report: Report, *, with_links: bool = True) -> ReportContent:
    """The report's sections with their generated blocks, from one rollup over the report's unit
    and its children (as the structure places them) for every indicator the outline names."""
    sections = parse_outline(report.outline)
    codes = list(dict.fromkeys(code for s in sections for code in s.indicators))
    period = Period(report.start, report.end)
    needs_children = any(s.kind in ("table", "chart") for s in sections)
    children = list(unit_children(report.unit, as_of=structure_day(period, report.structure))) if needs_children else []
    table = (
        rollup(units=[report.unit, *children], periods=[period.pair], codes=codes, structure=report.structure)
        if codes
        else None
    )

    def link(code: str) -> str:
        return records_url(report) if with_links else ""

    out = []
    for section in sections:
        item = SectionContent(section=section, text=report.texts.get(section.key, ""))
        indicators = [i for code in section.indicators if (i := get_indicator(code)) is not None]
        if table is not None and section.kind == "narrative":
            values = [_value(i, table.get(report.unit, period.pair, i.code)) for i in indicators]
            lead = section.lead
            item.parts = sentence(
                values, subject=report.unit.name, start=report.start, end=report.end, link=link, lead=lead
            )
        elif table is not None and section.kind == "table":
            columns = [
                TableColumn(i.code, i.name_vi, i.measure_vi if i.measure_vi != "%" else "%", i.aggregation == "ratio")
                for i in indicators
            ]

            def row(unit: Unit, name: str, columns: list[TableColumn] = columns) -> TableRow:
                values = [table.value(unit, period.pair, c.code) for c in columns]  # type: ignore[union-attr]
                cells = [_shown(v, c.rate) for v, c in zip(values, columns, strict=True)]
                return TableRow(unit.code, name, cells, values)

            item.table = TableData(
                title=section.title,
                columns=columns,
                rows=[row(child, name_then(child)) for child in children],
                total=row(report.unit, "Tổng cộng"),
            )
        elif table is not None and section.kind == "chart" and indicators:
            indicator = indicators[0]
            rate = indicator.aggregation == Aggregation.RATIO
            items = []
            for child in children:
                value = table.value(child, period.pair, indicator.code)
                if value is not None:
                    items.append((name_then(child), float(value), _shown(value, rate)))
            items.sort(key=lambda entry: -entry[1])
            if any(value for _label, value, _text in items):
                item.chart = bar_chart(
                    section.title or indicator.name_vi, items[:CHART_LIMIT], maximum=100 if rate else None
                )
        out.append(item)
    return ReportContent(report=report, sections=out)


def _absolute(parts: list[Part], base_url: str) -> list[Part]:
    result: list[Part] = []
    for part in parts:
        if isinstance(part, Num):
            url = base_url.rstrip("/") + part.url if base_url and part.url else ""
            result.append(Num(part.text, part.code, part.value, url))
        else:
            result.append(part)
    return result


def report_document(content: ReportContent, *, base_url: str = "") -> doc.Document:
    """The content as a :class:`~lantoa.reports.documents.content.Document` for the DOCX and PDF
    renderers; generated numbers link to ``base_url`` + their records' address (plain numbers
    when no ``base_url`` is given)."""
    report = content.report
    blocks: list[doc.Block] = []
    for item in content.sections:
        if item.section.title and item.kind in ("text", "narrative"):
            blocks.append(doc.Heading(item.section.title))
        if item.parts:
            blocks.append(doc.Paragraph(_absolute(item.parts, base_url)))
        if item.table is not None:
            blocks.append(
                doc.Table(
                    title=item.section.title,
                    header=item.table.header,
                    rows=[[r.name, *r.cells] for r in item.table.rows],
                    total=[item.table.total.name, *item.table.total.cells],
                    note="“—”: chưa có số liệu (không phải 0).",
                )
            )
        if item.chart is not None:
            blocks.append(doc.Chart(item.chart))
        blocks += [doc.Paragraph([text]) for text in item.paragraphs]
    return doc.Document(
        letterhead=doc.Letterhead(
            format=report.format,  # type: ignore[arg-type]
            superior=report.superior,
            issuer=report.issuer,
            issuer_abbreviation=report.issuer_abbreviation,
            place=report.place,
        ),
        number=report.number,
        type_code=report.document_type,
        day=report.issued_on or timezone.localdate(),
        title=report.title,
        subtitle=report.subtitle,
        blocks=blocks,
        signature=doc.Signature(report.signer_on_behalf, report.signer_position, report.signer_name),
        recipients=[line.strip() for line in report.recipients.split("\n") if line.strip()],
    )


FILE_FORMATS = ("docx", "pdf")


def report_bytes(report: Report, file_format: str, *, base_url: str = "") -> bytes:
    """The report drawn as ``docx`` or ``pdf``, its numbers linked to ``base_url``."""
    from lantoa.reports.documents.pdf import render_pdf
    from lantoa.reports.documents.word import render_docx

    document = report_document(report_content(report), base_url=base_url)
    return render_docx(document) if file_format == "docx" else render_pdf(document)


def report_filename(report: Report, file_format: str) -> str:
    number = f"{report.number}-{report.document_type}" if report.number else f"du-thao-v{report.version}"
    return f"bao-cao-{report.unit.code}-{number}.{file_format}".replace("/", "-")


def latest_report_file(report: Report, file_format: str) -> Any:
    """The file last drawn of the report as it stands (its version; none once the text has moved
    on, or since it was issued, which removes the drafts' files)."""
    from lantoa.reports.models import ReportFile

    return ReportFile.objects.filter(report=report, format=file_format, version=report.version).defer("data").first()
