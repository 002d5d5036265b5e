"""API authentication: the browser session (with CSRF) or a personal Bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from lantoa.accounts.middleware import two_factor_state
from lantoa.accounts.services import api_token_authenticate


class VerifiedSessionAuth(SessionAuth):
    """The signed-in browser session, once any required second factor is confirmed."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or two_factor_state(user) != "ok":
            return None
        return user


class PersonalTokenAuth(HttpBearer):
    """``Authorization: Bearer lnt_…`` — a personal token, scoped exactly like its user."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


AUTH = [PersonalTokenAuth(), VerifiedSessionAuth()]
