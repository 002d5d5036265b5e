"""Public pages, open without signing in: the short links printed as QR codes and the reader.

These pages set no cookie and keep nothing about the reader. A scan of a printed code counts one
anonymous read (:func:`lantoa.library.qr.record_read`) and always leads to the document's
current version; the reader says when the printed copy is an older version, and when the
document has been superseded or has expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lantoa.core.errors import NotFound
from lantoa.library import files, public_cache, qr, selectors
from lantoa.library.models import Document, DocumentFile, DocumentVersion
from lantoa.library.permissions import may_open_in_library

# Shown in the page (players, images, the browser's PDF viewer); anything else is downloaded.
_INLINE_TYPES = ("audio/", "video/", "image/png", "image/jpeg", "image/webp", "image/gif", "application/pdf")


def _not_found(request: HttpRequest) -> HttpResponse:
    # Not the staff 404 page: its language form would set a CSRF cookie.
    return render(request, "library/public_not_found.html", status=404)


@login_not_required
@require_GET
@never_cache
def qr_open(request: HttpRequest, code: str) -> HttpResponse:
    """A scanned QR code: count the read, then show the document's current version."""
    try:
        link = qr.record_read(code)
    except NotFound:
        return _not_found(request)
    if link.document_public:
        url = reverse("public:reader", args=[link.document_slug])
        return redirect(f"{url}?{urlencode({'from': link.code})}")
    document = selectors.document_with_successor(link.document_id)
    if may_open_in_library(request.user, document):
        return redirect("library:document_detail", pk=document.pk)
    successor = document.superseded_by
    staff_url = reverse("library:document_detail", args=[document.pk])
    context = {
        "document": document,
        "successor": successor
        if successor is not None and successor.visibility == Document.Visibility.PUBLIC
        else None,
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': staff_url})}",
    }
    return render(request, "library/qr_open.html", context)


def _paragraphs(text: str) -> list[str]:
    split = getattr(files, "text_to_paragraphs", None)
    if split is not None:
        return list(split(text))
    return [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def _printed_version_of(request: HttpRequest, slug: str) -> int | None:
    """The version printed on the copy the reader came from (``?from=<code>``), if it is a copy
    of this document."""
    link = qr.short_link(request.GET.get("from", ""))
    if link is None or link.document_slug != slug or not link.document_public:
        return None
    return link.version_number


@dataclass
class ReaderPage:
    """What the reader shows of a document, the same for every reader: built once, cached
    until a document, version, file or kind changes (:mod:`lantoa.library.public_cache`)."""

    document: Document
    versions: list[DocumentVersion]
    paragraphs: list[str]
    related: list[Document]


def _build_page(document: Document) -> ReaderPage:
    versions = selectors.document_versions_with_files(document)
    paragraphs: list[str] = []
    for document_file in versions[0].files.all() if versions else []:
        if document_file.role == DocumentFile.Role.TEXT and document_file.extracted_text.strip():
            paragraphs.extend(_paragraphs(document_file.extracted_text))
    return ReaderPage(
        document=document, versions=versions, paragraphs=paragraphs, related=selectors.document_related_public(document)
    )


def _reader_page(slug: str) -> ReaderPage | None:
    generation, cached = public_cache.reader_page(slug)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    document = selectors.document_public(slug)
    if document is None:
        return None
    page = _build_page(document)
    public_cache.keep_reader_page(slug, generation, page)
    return page


@login_not_required
@require_GET
def reader(request: HttpRequest, slug: str) -> HttpResponse:
    printed_number = _printed_version_of(request, slug)
    language = translation.get_language() or settings.LANGUAGE_CODE
    generation, html = public_cache.reader_html(slug, language, printed_number)
    if html is not None:
        return HttpResponse(html)
    page = _reader_page(slug)
    if page is None:
        return _not_found(request)
    document, versions = page.document, page.versions
    current = versions[0] if versions else None
    current_files: list[DocumentFile] = list(current.files.all()) if current else []
    successor = document.superseded_by
    context: dict[str, Any] = {
        "document": document,
        "current": current,
        "paragraphs": page.paragraphs,
        "audio_files": [f for f in current_files if f.role == DocumentFile.Role.AUDIO],
        "video_files": [f for f in current_files if f.role == DocumentFile.Role.VIDEO],
        "downloads": current_files,
        "old_versions": versions[1:],
        "printed_version": {"number": printed_number} if printed_number else None,
        "printed_is_old": bool(printed_number and current and printed_number < current.number),
        "successor": successor
        if successor is not None and successor.visibility == Document.Visibility.PUBLIC
        else None,
        "related": page.related,
        "external_links": [link for link in document.external_links if isinstance(link, dict) and link.get("url")],
    }
    response = render(request, "library/reader.html", context)
    public_cache.keep_reader_html(slug, language, printed_number, generation, response.content.decode())
    return response


@login_not_required
@require_GET
def public_file(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """A file of a public document (any version), streamed from the library's storage."""
    document_file = selectors.document_file_public(slug, pk)
    if document_file is None:
        return _not_found(request)
    try:
        handle = document_file.file.open("rb")
    except (FileNotFoundError, OSError):
        return _not_found(request)
    content_type = document_file.content_type or "application/octet-stream"
    inline = content_type.startswith(_INLINE_TYPES) and request.GET.get("download") is None
    return FileResponse(
        handle,
        content_type=content_type,
        as_attachment=not inline,
        filename=document_file.original_name or f"file-{document_file.pk}",
    )


__all__ = ["public_file", "qr_open", "reader"]
