"""Who may read and keep library documents. "Not allowed" looks exactly like "not found".

Reading: public documents — anyone (also signed out, through the public reader); internal —
every signed-in user with the ``view_documents`` capability somewhere; a subtree — users with
that capability in the subtree of the document's ``visibility_unit``. The officers of the unit
that keeps a document (``owner_unit``) always see it. Keeping (edit, new version, print run):
``edit_records`` on the owner unit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability, scope_root_ids, units_for
from lantoa.accounts.roles import Capability
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.library.models import Allocation, Document, DocumentFile, PrintRun
from lantoa.org.selectors import ancestor_ids


def documents_visible_to(by: Any) -> QuerySet[Document]:
    public = Q(visibility=Document.Visibility.PUBLIC)
    if not scope_root_ids(by, Capability.VIEW_DOCUMENTS):
        return Document.objects.filter(public)
    units = units_for(by, Capability.VIEW_DOCUMENTS).values("pk")
    # A subtree document is for the users of that subtree: those whose scope lies inside it
    # (its unit is an ancestor of one of their units) and those above it (it is in their scope).
    above_me = ancestor_ids(scope_root_ids(by, Capability.VIEW_DOCUMENTS))
    return Document.objects.filter(
        public
        | Q(visibility=Document.Visibility.INTERNAL)
        | Q(visibility=Document.Visibility.SUBTREE, visibility_unit__in=units)
        | Q(visibility=Document.Visibility.SUBTREE, visibility_unit__in=above_me)
        | Q(owner_unit__in=units)
    )


def may_keep(by: Any, document: Document) -> bool:
    return has_capability(by, Capability.EDIT_RECORDS, document.owner_unit)


def may_open_in_library(by: Any, document: Document) -> bool:
    """Does a signed-in ``by`` read ``document`` in the library's own pages?"""
    return bool(getattr(by, "is_authenticated", False)) and documents_visible_to(by).filter(pk=document.pk).exists()


def access_document(*, by: Any, pk: int, capability: str = Capability.VIEW_DOCUMENTS) -> Document:
    document = documents_visible_to(by).filter(pk=pk).select_related("kind", "owner_unit").first()
    if document is None:
        raise NotFound(_("No such document."), extra={"id": pk})
    if capability == Capability.EDIT_RECORDS and not may_keep(by, document):
        raise PermissionDenied(_("Your role does not allow changing this document."))
    return document


def access_file(*, by: Any, pk: int) -> DocumentFile:
    document_file = DocumentFile.objects.filter(pk=pk).select_related("version__document").first()
    if document_file is None or not documents_visible_to(by).filter(pk=document_file.version.document_id).exists():
        raise NotFound(_("No such file."), extra={"id": pk})
    return document_file


def access_print_run(*, by: Any, pk: int) -> PrintRun:
    run = PrintRun.objects.filter(pk=pk).select_related("document", "unit", "version").first()
    if run is None or not documents_visible_to(by).filter(pk=run.document_id).exists():
        raise NotFound(_("No such print run."), extra={"id": pk})
    return run


def access_allocation(*, by: Any, pk: int) -> Allocation:
    allocation = Allocation.objects.filter(pk=pk).select_related("print_run__document", "unit").first()
    if allocation is None or not documents_visible_to(by).filter(pk=allocation.print_run.document_id).exists():
        raise NotFound(_("No such allocation."), extra={"id": pk})
    return allocation
