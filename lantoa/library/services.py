"""Writes for the library: documents, versions with their files, print runs and allocations.

Uploaded files are checked by content (:mod:`lantoa.core.uploads`), refused when they carry a
secrecy stamp, stored through Django's storage API and read in a background task. The search
columns are refreshed by :func:`lantoa.library.search.index_document` after every change.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lantoa.core.audit import actor_or_none, audit_record
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.text import fold
from lantoa.core.uploads import inspect_upload, records_classified_refusals, refuse_if_classified
from lantoa.library import files, search
from lantoa.library.models import (
    Allocation,
    Document,
    DocumentFile,
    DocumentKind,
    DocumentVersion,
    Language,
    PrintRun,
)
from lantoa.org.models import Unit

CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: codes are typed from paper too


@dataclass(frozen=True)
class DocumentData:
    kind: DocumentKind
    title: str
    owner_unit: Unit
    number: str = ""
    issuer: str = ""
    issuing_unit: Unit | None = None
    issued_on: dt.date | None = None
    effective_on: dt.date | None = None
    summary: str = ""
    tags: Sequence[str] = ()
    language: str = Language.VIETNAMESE
    visibility: str = Document.Visibility.INTERNAL
    visibility_unit: Unit | None = None
    external_links: Sequence[dict[str, str]] = field(default_factory=tuple)


def _document_values(data: DocumentData, *, by: Any) -> dict[str, Any]:
    title = " ".join(data.title.split())
    if not title:
        raise ValidationFailed(_("A document needs a title."), extra={"field": "title"})
    if data.visibility not in Document.Visibility.values:
        raise ValidationFailed(_("Unknown visibility."), extra={"field": "visibility"})
    if data.visibility == Document.Visibility.SUBTREE and data.visibility_unit is None:
        raise ValidationFailed(_("Say which unit's subtree may see the document."), extra={"field": "visibility_unit"})
    if data.language not in Language.values:
        raise ValidationFailed(_("Unknown language."), extra={"field": "language"})
    if data.issued_on and data.effective_on and data.effective_on < data.issued_on:
        raise ValidationFailed(_("A document cannot take effect before it is issued."), extra={"field": "effective_on"})
    links = []
    for link in data.external_links:
        url = str(link.get("url", "")).strip()
        if not url.startswith(("https://", "http://")):
            raise ValidationFailed(_("%(url)s is not a web address.") % {"url": url}, extra={"field": "external_links"})
        links.append({"label": " ".join(str(link.get("label", "")).split()) or url, "url": url})
    summary = data.summary.strip()
    # Nothing classified on a networked system: the title and summary are checked as well as files.
    refuse_if_classified(by=by, text=f"{data.number}\n{title}\n{summary}", where=title)
    return {
        "kind": data.kind,
        "title": title,
        "owner_unit": data.owner_unit,
        "number": " ".join(data.number.split()),
        "issuer": " ".join(data.issuer.split()),
        "issuing_unit": data.issuing_unit,
        "issued_on": data.issued_on,
        "effective_on": data.effective_on,
        "summary": summary,
        "tags": sorted({" ".join(t.split()) for t in data.tags if t.strip()}, key=fold),
        "language": data.language,
        "visibility": data.visibility,
        "visibility_unit": data.visibility_unit if data.visibility == Document.Visibility.SUBTREE else None,
        "external_links": links,
    }


def _slug(title: str) -> str:
    base = slugify(fold(title))[:28].strip("-") or "tai-lieu"
    return f"{base}-{get_random_string(6, CODE_ALPHABET)}"


@records_classified_refusals
@transaction.atomic
def document_create(*, by: Any, data: DocumentData) -> Document:
    values = _document_values(data, by=by)
    document = Document.objects.create(**values, slug=_slug(values["title"]), created_by=actor_or_none(by))
    search.index_document(document)
    audit_record(
        action="lantoa.library.document.created",
        by=by,
        target=document,
        unit=document.owner_unit,
        changed=[name for name, value in values.items() if value not in ("", None, [], ())],
    )
    return document


@records_classified_refusals
@transaction.atomic
def document_update(*, by: Any, document: Document, data: DocumentData) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    values = _document_values(data, by=by)
    changed = [name for name, value in values.items() if getattr(document, name) != value]
    if not changed:
        return document
    for name, value in values.items():
        setattr(document, name, value)
    document.save()
    search.index_document(document)
    audit_record(
        action="lantoa.library.document.updated", by=by, target=document, unit=document.owner_unit, changed=changed
    )
    return document


@transaction.atomic
def document_supersede(*, by: Any, document: Document, by_document: Document | None, expired: bool = False) -> Document:
    """Mark the document superseded by another (or expired). Old print runs' QR links then say so."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if by_document is not None and by_document.pk == document.pk:
        raise ValidationFailed(_("A document cannot supersede itself."), extra={"field": "superseded_by"})
    document.status = Document.Status.EXPIRED if expired else Document.Status.SUPERSEDED
    document.superseded_by = None if expired else by_document
    document.save(update_fields=["status", "superseded_by", "updated_at"])
    search.index_document(document)
    audit_record(
        action="lantoa.library.document.superseded",
        by=by,
        target=document,
        unit=document.owner_unit,
        changed=["status", "superseded_by"],
    )
    return document


@dataclass(frozen=True)
class FileUpload:
    upload: UploadedFile
    role: str = ""  # empty: decided from the content (text, audio, video, image)
    language: str = Language.VIETNAMESE


@records_classified_refusals
@transaction.atomic
def version_create(*, by: Any, document: Document, uploads: Sequence[FileUpload], note: str = "") -> DocumentVersion:
    """A new version with its files. Every file is checked by content first; a refused file
    refuses the whole version (nothing is stored). Text is extracted in the background."""
    if not uploads:
        raise ValidationFailed(_("A version needs at least one file."), extra={"field": "file"})
    inspected = [inspect_upload(item.upload, declared_role=item.role or None) for item in uploads]
    for item, seen in zip(uploads, inspected, strict=True):
        refuse_if_classified(by=by, text=seen.sample_text, where=item.upload.name or "")
        if item.language not in Language.values:
            raise ValidationFailed(_("Unknown language."), extra={"field": "language"})
    document = Document.objects.select_for_update().get(pk=document.pk)
    number = (DocumentVersion.objects.filter(document=document).aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion.objects.create(
        document=document, number=number, note=" ".join(note.split())[:255], created_by=actor_or_none(by)
    )
    stored = []
    for item, seen in zip(uploads, inspected, strict=True):
        item.upload.seek(0)
        stored.append(
            DocumentFile.objects.create(
                version=version,
                role=seen.role,
                file=item.upload,
                original_name=(item.upload.name or "")[:255],
                content_type=seen.content_type,
                size=seen.size,
                sha256=seen.sha256,
                language=item.language,
                extraction=DocumentFile.Extraction.PENDING
                if seen.extractable
                else DocumentFile.Extraction.NOT_APPLICABLE,
            )
        )
    audit_record(
        action="lantoa.library.version.created",
        by=by,
        target=document,
        unit=document.owner_unit,
        changed=["version", "files"],
    )
    for document_file in stored:
        if document_file.extraction == DocumentFile.Extraction.PENDING:
            transaction.on_commit(functools.partial(files.enqueue_extraction, document_file.pk))
    return version


def _code() -> str:
    return get_random_string(8, CODE_ALPHABET)


def _unique_code(model: type[PrintRun] | type[Allocation]) -> str:
    for _attempt in range(10):
        code = _code()
        if not model.objects.filter(code=code).exists():
            return code
    raise Conflict(_("Could not find a free short link; try again."))  # pragma: no cover - 32^8 codes


@dataclass(frozen=True)
class AllocationData:
    unit: Unit
    copies: int
    allocated_on: dt.date | None = None
    with_code: bool = False


@transaction.atomic
def print_run_create(
    *,
    by: Any,
    document: Document,
    unit: Unit,
    printed_on: dt.date,
    copies: int,
    printer: str = "",
    cost: Decimal | None = None,
    version: DocumentVersion | None = None,
    allocations: Sequence[AllocationData] = (),
) -> PrintRun:
    """A print run of the document's current (or given) version, with its allocations."""
    if copies < 1:
        raise ValidationFailed(_("A print run has at least one copy."), extra={"field": "copies"})
    if cost is not None and cost < 0:
        raise ValidationFailed(_("The cost cannot be negative."), extra={"field": "cost"})
    if not unit.is_open_on(printed_on):
        raise ValidationFailed(_("%(unit)s is not open on that date.") % {"unit": unit.name}, extra={"field": "unit"})
    version = version or DocumentVersion.objects.filter(document=document).order_by("-number").first()
    if version is None:
        raise ValidationFailed(_("Upload the document's file before printing it."), extra={"field": "version"})
    if version.document_id != document.pk:
        raise ValidationFailed(_("That version belongs to another document."), extra={"field": "version"})
    run = PrintRun.objects.create(
        document=document,
        version=version,
        unit=unit,
        printed_on=printed_on,
        copies=copies,
        printer=" ".join(printer.split()),
        cost=cost,
        code=_unique_code(PrintRun),
        created_by=actor_or_none(by),
    )
    if allocations:
        allocations_add(by=by, print_run=run, allocations=allocations)
    audit_record(
        action="lantoa.library.print_run.created",
        by=by,
        target=run,
        unit=unit,
        changed=["document", "version", "copies", "printed_on", "printer", "cost"],
    )
    return run


@transaction.atomic
def allocations_add(*, by: Any, print_run: PrintRun, allocations: Sequence[AllocationData]) -> list[Allocation]:
    """Send copies of a run to units. The copies allocated never exceed the copies printed."""
    run = PrintRun.objects.select_for_update().get(pk=print_run.pk)
    already = Allocation.objects.filter(print_run=run).aggregate(n=Sum("copies"))["n"] or 0
    wanted = sum(a.copies for a in allocations)
    if any(a.copies < 1 for a in allocations):
        raise ValidationFailed(_("Each allocation has at least one copy."), extra={"field": "allocations"})
    if already + wanted > run.copies:
        raise ValidationFailed(
            _("%(wanted)s copies cannot be allocated: %(left)s of the %(copies)s printed are left.")
            % {"wanted": wanted, "left": run.copies - already, "copies": run.copies},
            extra={"field": "allocations"},
        )
    rows = []
    for item in allocations:
        day = item.allocated_on or run.printed_on
        if day < run.printed_on:
            raise ValidationFailed(
                _("Copies cannot be allocated before they are printed."), extra={"field": "allocations"}
            )
        if not item.unit.is_open_on(day):
            raise ValidationFailed(
                _("%(unit)s is not open on that date.") % {"unit": item.unit.name}, extra={"field": "allocations"}
            )
        rows.append(
            Allocation.objects.create(
                print_run=run,
                unit=item.unit,
                copies=item.copies,
                allocated_on=day,
                code=_unique_code(Allocation) if item.with_code else None,
            )
        )
    audit_record(action="lantoa.library.allocation.created", by=by, target=run, unit=run.unit, changed=["allocations"])
    return rows
