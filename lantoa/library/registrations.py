"""What the library contributes: navigation and its indicators."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels
from lantoa.core.indicators import (
    Aggregation,
    Counting,
    Indicator,
    Measure,
    Reallocation,
    RecordSource,
    register_indicator,
    register_source,
)
from lantoa.core.registry import NavItem, register_nav

register_nav(NavItem(key="library", label=_("Library"), url_name="library:list", order=15, capability="view_documents"))

register_source(
    RecordSource(
        key="library.print_runs",
        model="library.PrintRun",
        unit_field="unit",
        date_field="printed_on",
        measures={
            "copies": Measure.sum("copies"),
            "runs": Measure.count(),
            "documents": Measure.distinct("document_id"),
        },
    )
)
register_source(
    RecordSource(
        key="library.allocations",
        model="library.Allocation",
        unit_field="unit",
        date_field="allocated_on",
        measures={"copies": Measure.sum("copies")},
    )
)
register_source(
    RecordSource(
        key="library.qr_reads",
        model="library.QrRead",
        unit_field="unit",
        date_field="day",
        measures={"reads": Measure.sum("count")},
    )
)


register_indicator(
    Indicator(
        module="library",
        code="copies_printed",
        name_vi="Số bản in",
        name_en="Copies printed",
        measure_vi="bản",
        measure_en="copies",
        aggregation=Aggregation.SUM,
        counting=Counting.ITEMS,
        reallocation=Reallocation.WHOLE_TO_DEFAULT,
        source="library.print_runs",
        measure="copies",
    )
)
register_indicator(
    Indicator(
        module="library",
        code="copies_allocated",
        name_vi="Số bản được cấp phát",
        name_en="Copies allocated",
        measure_vi="bản",
        measure_en="copies",
        aggregation=Aggregation.SUM,
        counting=Counting.ITEMS,
        reallocation=Reallocation.WHOLE_TO_DEFAULT,
        source="library.allocations",
        measure="copies",
    )
)
register_indicator(
    Indicator(
        module="library",
        code="documents_published",
        name_vi="Tài liệu được xuất bản",
        name_en="Documents published",
        measure_vi="tài liệu",
        measure_en="documents",
        aggregation=Aggregation.DISTINCT,
        counting=Counting.ITEMS,
        reallocation=Reallocation.RECOMPUTE,
        source="library.print_runs",
        measure="documents",
    )
)
register_indicator(
    Indicator(
        module="library",
        code="qr_reads",
        name_vi="Lượt đọc qua mã QR",
        name_en="QR code reads",
        measure_vi="lượt",
        measure_en="reads",
        aggregation=Aggregation.SUM,
        counting=Counting.ATTENDANCES,
        reallocation=Reallocation.WHOLE_TO_DEFAULT,
        source="library.qr_reads",
        measure="reads",
    )
)

register_audit_labels(
    actions={
        "lantoa.library.allocation.created": _("Copies allocated"),
        "lantoa.library.document.created": _("Document recorded"),
        "lantoa.library.document.superseded": _("Document superseded"),
        "lantoa.library.document.updated": _("Document changed"),
        "lantoa.library.print_run.created": _("Print run recorded"),
        "lantoa.library.version.created": _("New version added"),
    },
    fields={"files": _("files"), "allocations": _("allocations"), "extracted_text": _("extracted text")},
)
