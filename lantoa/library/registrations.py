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

_INDICATORS = [
    ("copies_printed", "Số bản in", "Copies printed", "bản", "copies", "library.print_runs", "copies",
     Aggregation.SUM, Counting.ITEMS, Reallocation.WHOLE_TO_DEFAULT),
    ("copies_allocated", "Số bản được cấp phát", "Copies allocated", "bản", "copies", "library.allocations", "copies",
     Aggregation.SUM, Counting.ITEMS, Reallocation.WHOLE_TO_DEFAULT),
    ("documents_published", "Tài liệu được xuất bản", "Documents published", "tài liệu", "documents",
     "library.print_runs", "documents", Aggregation.DISTINCT, Counting.ITEMS, Reallocation.RECOMPUTE),
    ("qr_reads", "Lượt đọc qua mã QR", "QR code reads", "lượt", "reads", "library.qr_reads", "reads",
     Aggregation.SUM, Counting.ATTENDANCES, Reallocation.WHOLE_TO_DEFAULT),
]  # fmt: skip
for code, name_vi, name_en, measure_vi, measure_en, source, measure, aggregation, counting, reallocation in _INDICATORS:
    register_indicator(
        Indicator(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            measure_vi=measure_vi,
            measure_en=measure_en,
            aggregation=aggregation,
            counting=counting,
            reallocation=reallocation,
            module="library",
            source=source,
            measure=measure,
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
