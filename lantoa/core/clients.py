"""Who is on the other end of a request, for limits on public pages (never stored as such)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's own, or — behind ``LANTOA_TRUSTED_PROXIES``
    reverse proxies that append to X-Forwarded-For — the address the outermost trusted proxy
    saw. Entries further left were written by the client and are not trusted."""
    proxies = settings.LANTOA_TRUSTED_PROXIES
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))
