"""The library's list page: search and filters over the documents the user may read.

The view parses the form, asks :func:`lantoa.library.search.search_documents` (which scopes to
``permissions.documents_visible_to``) and renders; htmx requests get the results fragment.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.htmx import wants_fragment
from lantoa.library.forms_search import LibrarySearchForm
from lantoa.library.search import search_documents

PAGE_SIZE = 20


def _page_number(raw: str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 10_000))
    except ValueError:
        return 1


def library_list(request: HttpRequest) -> HttpResponse:
    form = LibrarySearchForm(request.GET or None)
    values = form.values()
    number = _page_number(request.GET.get("page"))
    page = search_documents(request.user, **values, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    pages = max(1, -(-page.count // PAGE_SIZE))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "searching": bool(values["q"]),
        "number": number,
        "pages": pages,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < pages else None,
        "query": query.urlencode(),
        "may_create": has_capability(request.user, Capability.EDIT_RECORDS),
    }
    template = "library/partials/_results.html" if wants_fragment(request) else "library/list.html"
    return render(request, template, context)
