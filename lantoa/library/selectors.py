"""Reads for the library pages and API: a document's versions, files, print runs and reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet, Sum

from lantoa.library.models import Allocation, Document, DocumentFile, DocumentKind, DocumentVersion, PrintRun, QrRead
from lantoa.library.permissions import documents_visible_to

RELATED_LIMIT = 5
RELATED_CANDIDATES = 300


def document_kinds() -> QuerySet[DocumentKind]:
    return DocumentKind.objects.all()


def document_kind(code: str) -> DocumentKind | None:
    return DocumentKind.objects.filter(code=code).first()


def document_version(document: Document, number: int) -> DocumentVersion | None:
    return DocumentVersion.objects.filter(document=document, number=number).first()


def current_version(document: Document) -> DocumentVersion | None:
    return DocumentVersion.objects.filter(document=document).order_by("-number").first()


@dataclass
class RunRecord:
    run: PrintRun
    allocations: list[Allocation]
    allocated: int
    reads: int


@dataclass
class DocumentRecord:
    document: Document
    versions: list[DocumentVersion]  # newest first, each with .files_list
    current: DocumentVersion | None
    runs: list[RunRecord]
    reads_by_day: list[tuple[dt.date, int]]
    reads_total: int
    copies_printed: int
    copies_allocated: int


def document_record(document: Document, *, reads_days: int = 60) -> DocumentRecord:
    files = DocumentFile.objects.order_by("pk")
    versions: list[DocumentVersion] = list(
        DocumentVersion.objects.filter(document=document)
        .prefetch_related(Prefetch("files", queryset=files, to_attr="files_list"))
        .order_by("-number")
    )
    runs = list(
        PrintRun.objects.filter(document=document)
        .select_related("unit", "version")
        .prefetch_related(Prefetch("allocations", queryset=Allocation.objects.select_related("unit").order_by("pk")))
        .order_by("-printed_on", "-pk")
    )
    reads = QrRead.objects.filter(print_run__document=document)
    per_run: dict[int, int] = defaultdict(int)
    for run_id, count in reads.values_list("print_run_id", "count"):
        per_run[run_id] += count
    by_day: dict[dt.date, int] = defaultdict(int)
    for day, count in reads.values_list("day", "count"):
        by_day[day] += count
    days = sorted(by_day.items())[-reads_days:]
    records = [
        RunRecord(
            run=run,
            allocations=list(run.allocations.all()),
            allocated=sum(a.copies for a in run.allocations.all()),
            reads=per_run.get(run.pk, 0),
        )
        for run in runs
    ]
    return DocumentRecord(
        document=document,
        versions=versions,
        current=versions[0] if versions else None,
        runs=records,
        reads_by_day=days,
        reads_total=sum(by_day.values()),
        copies_printed=sum(r.run.copies for r in records),
        copies_allocated=sum(r.allocated for r in records),
    )


def reads_for_run(run: PrintRun) -> list[dict[str, Any]]:
    """Reads per day and code (the run's own, or an allocation's) — counts only."""
    rows = QrRead.objects.filter(print_run=run).select_related("allocation__unit").order_by("day", "slot")
    return [
        {
            "day": row.day,
            "allocation": row.allocation_id,
            "unit": row.unit_id,
            "count": row.count,
        }
        for row in rows
    ]


def copies_allocated(run: PrintRun) -> int:
    return Allocation.objects.filter(print_run=run).aggregate(n=Sum("copies"))["n"] or 0


def documents_by_id_for_user(by: Any, ids: list[int]) -> dict[int, Document]:
    """The documents among ``ids`` that ``by`` may read, by id (any other is left out)."""
    return {d.pk: d for d in documents_visible_to(by).filter(pk__in=ids)}


# --- The public reader -------------------------------------------------------------------------


def document_public(slug: str) -> Document | None:
    """The public document with ``slug``, with its kind and successor (the reader shows both)."""
    return (
        Document.objects.filter(slug=slug, visibility=Document.Visibility.PUBLIC)
        .select_related("kind", "superseded_by")
        .first()
    )


def document_with_successor(pk: int) -> Document:
    """The document a printed code leads to, with its successor."""
    return Document.objects.select_related("superseded_by").get(pk=pk)


def document_versions_with_files(document: Document) -> list[DocumentVersion]:
    """Every version of ``document``, newest first, with its files."""
    return list(DocumentVersion.objects.filter(document=document).order_by("-number").prefetch_related("files"))


def document_related_public(document: Document) -> list[Document]:
    """Public documents in force of the same kind or sharing a tag: shared tags first."""
    tags = set(document.tags or [])
    candidates = (
        Document.objects.filter(visibility=Document.Visibility.PUBLIC, status=Document.Status.IN_FORCE)
        .exclude(pk=document.pk)
        .select_related("kind")
        .only("pk", "slug", "title", "number", "tags", "kind", "issued_on", "kind__name_vi", "kind__name_en")
    )
    if not tags:
        return list(candidates.filter(kind_id=document.kind_id)[:RELATED_LIMIT])
    scored = []
    for position, candidate in enumerate(candidates.order_by("-issued_on", "-pk")[:RELATED_CANDIDATES]):
        shared = len(tags & set(candidate.tags or []))
        same_kind = candidate.kind_id == document.kind_id
        if shared or same_kind:
            scored.append((-shared, not same_kind, position, candidate))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored[:RELATED_LIMIT]]


def document_file_public(slug: str, pk: int) -> DocumentFile | None:
    """A file (of any version) of the public document with ``slug``."""
    return (
        DocumentFile.objects.filter(
            pk=pk,
            version__document__slug=slug,
            version__document__visibility=Document.Visibility.PUBLIC,
        )
        .select_related("version")
        .first()
    )
