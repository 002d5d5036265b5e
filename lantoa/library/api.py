"""The library over the API: documents (search, detail, versions, upload), print runs,
allocations and read counts. The same services and gates as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from lantoa.accounts.roles import Capability
from lantoa.core.api_input import (
    MAX_COUNT,
    Amount,
    FormLongText,
    FormText,
    Id,
    IsoDate,
    LongText,
    Offset,
    QueryInput,
    StrictInput,
)
from lantoa.core.errors import NotFound, ValidationFailed
from lantoa.core.schemas import ERRORS
from lantoa.library import search, selectors, services
from lantoa.library.models import Document, DocumentKind, DocumentVersion, PrintRun
from lantoa.library.permissions import access_document, access_print_run
from lantoa.org.permissions import access_unit

router = Router(tags=["library"])


class FileOut(Schema):
    id: int
    name: str
    role: str
    content_type: str
    size: int
    language: str
    extraction: str
    extraction_progress: int


class VersionOut(Schema):
    number: int
    current: bool
    note: str
    created_at: dt.datetime
    files: list[FileOut]


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    title: str
    issuer: str
    issued_on: dt.date | None
    effective_on: dt.date | None
    summary: str
    tags: list[str]
    language: str
    visibility: str
    status: str
    superseded_by: int | None
    owner_unit: str
    public_url: str | None
    external_links: list[dict[str, str]]


class DocumentDetailOut(DocumentOut):
    versions: list[VersionOut]


class SearchHitOut(Schema):
    document: DocumentOut
    snippet: str


class SearchOut(Schema):
    items: list[SearchHitOut]
    count: int


class SearchQuery(QueryInput):
    q: str = Field("", max_length=200)
    kind: str = Field("", max_length=40)
    issuer: str = Field("", max_length=200)
    year: int | None = Field(None, ge=1900, le=2200)
    status: str = Field("", max_length=12)
    language: str = Field("", max_length=8)
    words: Literal["all", "any"] = Field("all", description="Documents matching all the words, or any of them.")
    limit: int = Field(20, ge=1, le=100)
    offset: Offset = 0


class DocumentIn(StrictInput):
    kind: str = Field(max_length=40)
    title: str = Field(max_length=500)
    owner_unit: str = Field(max_length=64)
    number: str = Field("", max_length=80)
    issuer: str = Field("", max_length=200)
    issued_on: IsoDate | None = None
    effective_on: IsoDate | None = None
    summary: LongText = Field("", max_length=20_000)
    tags: list[str] = []
    language: str = "vi"
    visibility: str = Document.Visibility.INTERNAL
    visibility_unit: str = Field("", max_length=64)
    external_links: list[dict[str, str]] = []


class AllocationIn(StrictInput):
    unit: str = Field(max_length=64)
    copies: int = Field(ge=1, le=100_000_000)
    allocated_on: IsoDate | None = None
    with_code: bool = False


class PrintRunIn(StrictInput):
    unit: str = Field(max_length=64)
    printed_on: IsoDate
    copies: int = Field(ge=1, le=100_000_000)
    printer: str = Field("", max_length=200)
    cost: Amount | None = Field(None, ge=0, max_digits=14, decimal_places=0)
    version: int | None = Field(None, ge=1, le=MAX_COUNT)
    allocations: list[AllocationIn] = []


class AllocationOut(Schema):
    id: int
    unit: str
    copies: int
    allocated_on: dt.date
    code: str | None


class PrintRunOut(Schema):
    id: int
    document: int
    version: int
    unit: str
    printed_on: dt.date
    copies: int
    printer: str
    cost: Decimal | None
    code: str
    short_link: str
    allocations: list[AllocationOut]
    reads: int


class ReadOut(Schema):
    day: dt.date
    allocation: int | None
    unit: int
    count: int


def _document_out(request: HttpRequest, document: Document) -> dict[str, Any]:
    public = document.visibility == Document.Visibility.PUBLIC
    return {
        "id": document.pk,
        "kind": document.kind.code,
        "number": document.number,
        "title": document.title,
        "issuer": document.issuer,
        "issued_on": document.issued_on,
        "effective_on": document.effective_on,
        "summary": document.summary,
        "tags": list(document.tags),
        "language": document.language,
        "visibility": document.visibility,
        "status": document.status,
        "superseded_by": document.superseded_by_id,
        "owner_unit": document.owner_unit.code,
        "public_url": request.build_absolute_uri(f"/d/{document.slug}/") if public else None,
        "external_links": list(document.external_links),
    }


def _versions_out(versions: list[DocumentVersion]) -> list[dict[str, Any]]:
    return [
        {
            "number": v.number,
            "current": index == 0,
            "note": v.note,
            "created_at": v.created_at,
            "files": [
                {
                    "id": f.pk,
                    "name": f.original_name,
                    "role": f.role,
                    "content_type": f.content_type,
                    "size": f.size,
                    "language": f.language,
                    "extraction": f.extraction,
                    "extraction_progress": f.extraction_progress,
                }
                for f in v.files_list  # type: ignore[attr-defined]
            ],
        }
        for index, v in enumerate(versions)
    ]


def _run_out(request: HttpRequest, record: selectors.RunRecord) -> dict[str, Any]:
    run = record.run
    return {
        "id": run.pk,
        "document": run.document_id,
        "version": run.version.number,
        "unit": run.unit.code,
        "printed_on": run.printed_on,
        "copies": run.copies,
        "printer": run.printer,
        "cost": run.cost,
        "code": run.code,
        "short_link": request.build_absolute_uri(f"/q/{run.code}"),
        "allocations": [
            {"id": a.pk, "unit": a.unit.code, "copies": a.copies, "allocated_on": a.allocated_on, "code": a.code}
            for a in record.allocations
        ],
        "reads": record.reads,
    }


def _kind(code: str) -> DocumentKind:
    kind = selectors.document_kind(code)
    if kind is None:
        raise ValidationFailed(_("Unknown document kind %(code)s.") % {"code": code}, extra={"field": "kind"})
    return kind


@router.get("/documents", response={200: SearchOut, **ERRORS}, summary="Search the library")
def document_search(request: HttpRequest, filters: Query[SearchQuery]) -> Any:
    """Full text over title, number, summary and the files' text, ignoring diacritics and case
    (`nghi quyet` finds `Nghị quyết`); number forms are forgiving (`01 KL TW` finds `01-KL/TW`).
    Only documents the caller may read."""
    result = search.search_documents(
        request.user,
        q=filters.q,
        kind=filters.kind,
        issuer=filters.issuer,
        year=filters.year,
        status=filters.status,
        language=filters.language,
        any_word=filters.words == "any",
        limit=filters.limit,
        offset=filters.offset,
    )
    return {
        "items": [{"document": _document_out(request, hit.document), "snippet": hit.snippet} for hit in result.items],
        "count": result.count,
    }


@router.post("/documents", response={201: DocumentOut, **ERRORS}, summary="Record a document")
def document_create(request: HttpRequest, body: DocumentIn) -> Any:
    owner = access_unit(by=request.user, code=body.owner_unit, capability=Capability.EDIT_RECORDS)
    visibility_unit = (
        access_unit(by=request.user, code=body.visibility_unit, capability=Capability.VIEW_DOCUMENTS)
        if body.visibility_unit
        else None
    )
    document = services.document_create(
        by=request.user,
        data=services.DocumentData(
            kind=_kind(body.kind),
            title=body.title,
            owner_unit=owner,
            number=body.number,
            issuer=body.issuer,
            issued_on=body.issued_on,
            effective_on=body.effective_on,
            summary=body.summary,
            tags=body.tags,
            language=body.language,
            visibility=body.visibility,
            visibility_unit=visibility_unit,
            external_links=body.external_links,
        ),
    )
    return Status(201, _document_out(request, document))


@router.get("/documents/{document_id}", response={200: DocumentDetailOut, **ERRORS}, summary="One document")
def document_detail(request: HttpRequest, document_id: Id) -> Any:
    document = access_document(by=request.user, pk=document_id)
    record = selectors.document_record(document)
    return {**_document_out(request, document), "versions": _versions_out(record.versions)}


@router.post("/documents/{document_id}/versions", response={201: VersionOut, **ERRORS}, summary="Upload a new version")
def version_upload(
    request: HttpRequest,
    document_id: Id,
    file: File[UploadedFile],
    role: Annotated[FormText, Form("")],
    language: Annotated[FormText, Form("vi")],
    note: Annotated[FormLongText, Form("")],
) -> Any:
    """multipart/form-data: `file`, optional `role` (text, audio, video, image, attachment),
    `language`, `note`. The type is checked by content; a stamped (classified) file is refused
    (422 `classified_material`); the text is extracted in the background."""
    document = access_document(by=request.user, pk=document_id, capability=Capability.EDIT_RECORDS)
    version = services.version_create(
        by=request.user, document=document, uploads=[services.FileUpload(file, role, language)], note=note
    )
    versions = selectors.document_record(document).versions
    out = _versions_out(versions)
    return Status(201, next(v for v in out if v["number"] == version.number))


@router.get("/documents/{document_id}/print-runs", response={200: list[PrintRunOut], **ERRORS}, summary="Print runs")
def print_runs(request: HttpRequest, document_id: Id) -> Any:
    document = access_document(by=request.user, pk=document_id)
    return [_run_out(request, record) for record in selectors.document_record(document).runs]


@router.post("/documents/{document_id}/print-runs", response={201: PrintRunOut, **ERRORS}, summary="Record a print run")
def print_run_create(request: HttpRequest, document_id: Id, body: PrintRunIn) -> Any:
    """A print run of the current version (or `version`), with allocations of copies to units;
    `with_code` gives an allocation its own short link and QR code."""
    document = access_document(by=request.user, pk=document_id, capability=Capability.EDIT_RECORDS)
    unit = access_unit(by=request.user, code=body.unit, capability=Capability.EDIT_RECORDS)
    version = None
    if body.version is not None:
        version = selectors.document_version(document, body.version)
        if version is None:
            raise NotFound(_("No version %(n)s.") % {"n": body.version}, extra={"field": "version"})
    run = services.print_run_create(
        by=request.user,
        document=document,
        unit=unit,
        printed_on=body.printed_on,
        copies=body.copies,
        printer=body.printer,
        cost=body.cost,
        version=version,
        allocations=[
            services.AllocationData(
                unit=access_unit(by=request.user, code=a.unit),
                copies=a.copies,
                allocated_on=a.allocated_on,
                with_code=a.with_code,
            )
            for a in body.allocations
        ],
    )
    record = next(r for r in selectors.document_record(document).runs if r.run.pk == run.pk)
    return Status(201, _run_out(request, record))


@router.post(
    "/print-runs/{run_id}/allocations", response={201: PrintRunOut, **ERRORS}, summary="Allocate copies of a run"
)
def allocations_add(request: HttpRequest, run_id: Id, body: list[AllocationIn]) -> Any:
    run = access_print_run(by=request.user, pk=run_id)
    access_document(by=request.user, pk=run.document_id, capability=Capability.EDIT_RECORDS)
    services.allocations_add(
        by=request.user,
        print_run=run,
        allocations=[
            services.AllocationData(
                unit=access_unit(by=request.user, code=a.unit),
                copies=a.copies,
                allocated_on=a.allocated_on,
                with_code=a.with_code,
            )
            for a in body
        ],
    )
    record = next(r for r in selectors.document_record(run.document).runs if r.run.pk == run.pk)
    return Status(201, _run_out(request, record))


@router.get("/print-runs/{run_id}/reads", response={200: list[ReadOut], **ERRORS}, summary="QR reads of a run")
def run_reads(request: HttpRequest, run_id: Id) -> Any:
    """Reads per day and printed code — counts only, nothing about the readers."""
    run: PrintRun = access_print_run(by=request.user, pk=run_id)
    return selectors.reads_for_run(run)
