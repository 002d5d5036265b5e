"""The one question a view asks before it chooses between a fragment and a whole page."""

from __future__ import annotations

from django.http import HttpRequest


def wants_fragment(request: HttpRequest) -> bool:
    """Whether to answer with a fragment: an htmx request that is not a history restore (htmx
    restoring a page from its history after a cache miss wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
