"""Full-text search over the library. Interim interface (being completed)."""

from __future__ import annotations

from lantoa.core.text import fold
from lantoa.library.models import Document


def index_document(document: Document) -> None:
    Document.objects.filter(pk=document.pk).update(
        number_folded=fold(document.number),
        title_folded=fold(document.title),
        search_folded=fold(f"{document.number} {document.title} {document.summary}"),
    )
