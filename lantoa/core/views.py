from __future__ import annotations

import csv
import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.audit import action_label, field_label
from lantoa.core.errors import NotFound
from lantoa.core.forms import AuditFilterForm
from lantoa.core.selectors import audit_entries_for_user


def _entries(request: HttpRequest):  # type: ignore[no-untyped-def]
    if not has_capability(request.user, Capability.VIEW_AUDIT):
        raise NotFound("audit")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries_for_user(
        by=request.user,
        action=filters.get("action", ""),
        actor=filters.get("actor", ""),
        unit_code=filters.get("unit", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return form, entries


def audit_list(request: HttpRequest) -> HttpResponse:
    form, entries = _entries(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [
        {
            "entry": entry,
            "action": action_label(entry.action),
            "fields": [field_label(entry.target_type, name) for name in entry.changed_fields],
        }
        for entry in page
    ]
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    template = "core/partials/_audit_rows.html" if request.htmx else "core/audit_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV (UTF-8 with BOM so spreadsheet programs read Vietnamese)."""
    _form, entries = _entries(request)
    writer = csv.writer(_Echo())

    def rows():  # type: ignore[no-untyped-def]
        yield "\ufeff"
        yield writer.writerow(
            ["time", "action", "actor", "unit", "target_type", "target_id", "target", "changed_fields", "request_id"]
        )
        for e in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.created_at.isoformat(),
                    e.action,
                    e.actor_username,
                    e.unit.code if e.unit_id else "",
                    e.target_type,
                    e.target_id,
                    e.target_repr,
                    " ".join(e.changed_fields),
                    e.request_id,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lantoa-audit-{dt.date.today().isoformat()}.csv"'
    return response
