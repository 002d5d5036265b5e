"""Background work of the library: reading the text out of uploaded documents."""

from __future__ import annotations

import io
import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from lantoa.core import uploads
from lantoa.core.audit import audit_record
from lantoa.library import public_cache, search
from lantoa.library.models import DocumentFile

logger = logging.getLogger(__name__)

Extraction = DocumentFile.Extraction


def _mark(file_id: int, **values: object) -> None:
    DocumentFile.objects.filter(pk=file_id).update(**values)
    # An update() sends no signal: the public reader's cached pages are told here.
    transaction.on_commit(public_cache.reader_pages_changed)


def _remove_classified(document_file: DocumentFile, level: str) -> None:
    """The file's text carries a secrecy stamp: its stored content and extracted text are
    deleted so nothing of it stays readable; the row stays, flagged FAILED, so the keepers see
    what happened (name, size and checksum remain)."""
    name = document_file.file.name
    if name:
        document_file.file.storage.delete(name)
    _mark(
        document_file.pk,
        file="",
        extracted_text="",
        extraction=Extraction.FAILED,
        extraction_progress=100,
        extraction_error=_(
            "Carries the secrecy stamp “%(level)s”: the file was removed from the library, since "
            "classified documents may only be kept on systems not connected to the Internet."
        )
        % {"level": level},
    )
    document = document_file.version.document
    audit_record(
        action="lantoa.library.classified_found",
        by=None,
        target=document_file,
        unit=document.owner_unit,
        changed=["file", "extracted_text"],
    )
    search.index_document(document)


@task()
def extract_file_text(file_id: int) -> None:
    """Read the text of one library file (PDF page by page, DOCX, ODT) into ``extracted_text``.

    RUNNING while it reads (``extraction_progress`` 0–100), then DONE and the document is
    re-indexed. A file that cannot be read (corrupt, encrypted, no text layer) is kept and marked
    FAILED with a short ``extraction_error``; this task never raises. A file whose text carries a
    secrecy stamp (:func:`lantoa.core.uploads.find_secrecy_stamp`) is marked FAILED, its stored
    content is deleted from storage and its text is not kept; the row stays as the record, and
    the finding is audited as ``lantoa.library.classified_found``.
    """
    document_file = DocumentFile.objects.filter(pk=file_id).select_related("version__document__owner_unit").first()
    if document_file is None or document_file.content_type not in uploads.TEXT_TYPES or not document_file.file:
        return
    _mark(file_id, extraction=Extraction.RUNNING, extraction_progress=0, extraction_error="")
    try:
        with document_file.file.open("rb") as stored:
            data = stored.read()
        result = uploads.read_text(
            io.BytesIO(data),
            document_file.content_type,
            progress=lambda percent: _mark(file_id, extraction_progress=min(percent, 99)),
        )
    except Exception as error:  # any unreadable file is kept and flagged
        logger.info("Text extraction failed for library file %s", file_id, exc_info=True)
        _mark(
            file_id,
            extraction=Extraction.FAILED,
            extraction_error=(_("The file could not be read (%(reason)s); it is kept.") % {"reason": _reason(error)})[
                :500
            ],
        )
        return
    try:
        level = uploads.find_secrecy_stamp(result.checked)
        if level is not None:
            _remove_classified(document_file, level)
            return
        text = result.text.replace("\x00", "")
        if not text.strip():
            _mark(
                file_id,
                extraction=Extraction.FAILED,
                extraction_progress=100,
                extraction_error=_("No text was found in the file: it may be a scan without a text layer."),
            )
            return
        _mark(file_id, extracted_text=text, extraction=Extraction.DONE, extraction_progress=100, extraction_error="")
        search.index_document(document_file.version.document)
    except Exception as error:  # the task reports, it does not raise
        logger.exception("Text extraction failed for library file %s", file_id)
        _mark(file_id, extraction=Extraction.FAILED, extraction_error=_reason(error)[:500])


def _reason(error: Exception) -> str:
    message = " ".join(str(error).split())[:200]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
