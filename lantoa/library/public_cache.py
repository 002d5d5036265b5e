"""What the public pages keep in the shared cache, and the one place that forgets it.

Three things are cached: what a short link names (:func:`lantoa.library.qr.short_link`, one
entry per code), the reader's page of a public document (its rows, one entry per slug) and that
page as drawn (per slug, language and printed version), the last two tagged with a
generation. Any saved or deleted document, version, file, kind, print run or allocation makes
the entries it could change stale, after its transaction commits: the codes it names are
deleted, and the reader's generation changes (one document's change can change the list of
related documents on others' pages, so every page is rebuilt on its next visit).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from lantoa.core.memo import ProcessMemo
from lantoa.library.models import Allocation, Document, DocumentFile, DocumentKind, DocumentVersion, PrintRun

READER_SECONDS = 60 * 60
_PAGE_KEY = "lantoa:library:reader:"
_GENERATION_KEY = "lantoa:library:reader-generation"


def reader_page(slug: str) -> tuple[str, Any]:
    """(the current generation, the cached page of ``slug`` or None), in one cache read."""
    key = _PAGE_KEY + slug
    found = cache.get_many([_GENERATION_KEY, key])
    generation = found.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, uuid.uuid4().hex, None)
        return str(cache.get(_GENERATION_KEY)), None
    cached = found.get(key)
    if cached is not None and cached[0] == generation:
        return generation, cached[1]
    return generation, None


def keep_reader_page(slug: str, generation: str, page: Any) -> None:
    cache.set(_PAGE_KEY + slug, (generation, page), READER_SECONDS)


def _html_key(slug: str, language: str, printed: int | None) -> str:
    return f"{_PAGE_KEY}{slug}:html:{language}:{printed or 0}"


# Drawn pages are also kept a few seconds in the process (no cache read at all); a change made
# in another process reaches it within that time.
HTML_LOCAL_SECONDS = 5.0
_local_html = ProcessMemo(seconds=HTML_LOCAL_SECONDS)


def reader_html(slug: str, language: str, printed: int | None) -> tuple[str, str | None]:
    """(the current generation, the reader's page of ``slug`` as drawn for ``language`` and the
    printed version ``printed``, or None), in one cache read at most. The drawn page is the same
    for every reader: the public pages carry no cookie, token or user."""
    key = _html_key(slug, language, printed)
    held = _local_html.get(key)
    if held is not None:
        return held  # type: ignore[no-any-return]
    found = cache.get_many([_GENERATION_KEY, key])
    generation = found.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, uuid.uuid4().hex, None)
        return str(cache.get(_GENERATION_KEY)), None
    cached = found.get(key)
    if cached is not None and cached[0] == generation:
        _local_html.put(key, (generation, cached[1]))
        return generation, cached[1]
    return generation, None


def keep_reader_html(slug: str, language: str, printed: int | None, generation: str, html: str) -> None:
    cache.set(_html_key(slug, language, printed), (generation, html), READER_SECONDS)


def reader_pages_changed() -> None:
    _local_html.clear()
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, None)


def _codes_of_document(document_id: int) -> list[str | None]:
    runs = list(PrintRun.objects.filter(document_id=document_id).values_list("code", flat=True))
    allocations = Allocation.objects.filter(print_run__document_id=document_id).exclude(code=None)
    return [*runs, *allocations.values_list("code", flat=True)]


def _after_commit(forget: Any) -> None:
    # At once (so this process never serves the old entry again) and after the commit (a reader
    # may have cached the old rows in between).
    forget()
    transaction.on_commit(forget)


def _document_changed(sender: Any, instance: Document, **kwargs: Any) -> None:
    from lantoa.library.qr import forget_links

    codes = _codes_of_document(instance.pk) if instance.pk else []

    def forget() -> None:
        forget_links(codes)
        reader_pages_changed()

    _after_commit(forget)


def _run_changed(sender: Any, instance: PrintRun, **kwargs: Any) -> None:
    from lantoa.library.qr import forget_links

    codes = [instance.code, *instance.allocations.exclude(code=None).values_list("code", flat=True)]

    def forget() -> None:
        forget_links(codes)
        reader_pages_changed()

    _after_commit(forget)


def _allocation_changed(sender: Any, instance: Allocation, **kwargs: Any) -> None:
    from lantoa.library.qr import forget_links

    codes = [instance.code]
    _after_commit(lambda: forget_links(codes))


def _page_changed(sender: Any, **kwargs: Any) -> None:
    _after_commit(reader_pages_changed)


def connect() -> None:
    """Called once by the app's ready()."""
    for signal in (post_save, post_delete):
        signal.connect(_document_changed, sender=Document, dispatch_uid=f"lantoa-doc-{signal}")
        signal.connect(_allocation_changed, sender=Allocation, dispatch_uid=f"lantoa-alloc-{signal}")
        for model in (DocumentVersion, DocumentFile, DocumentKind):
            signal.connect(_page_changed, sender=model, dispatch_uid=f"lantoa-page-{model.__name__}-{signal}")
    post_save.connect(_run_changed, sender=PrintRun, dispatch_uid="lantoa-run-save")
    post_delete.connect(_run_changed, sender=PrintRun, dispatch_uid="lantoa-run-delete")
