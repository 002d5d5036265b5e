"""Personal API tokens: created once, stored as a digest, revocable; and the command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from lantoa.accounts.models import ApiToken
from lantoa.accounts.services import api_token_create, api_token_revoke, token_digest
from lantoa.core.models import AuditEntry

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_authenticates_until_revoked(officer_a):
    row, secret = api_token_create(by=officer_a, user=officer_a, name="script")
    assert row.digest == token_digest(secret)
    assert secret not in {row.digest, row.prefix} and not ApiToken.objects.filter(digest=secret).exists()

    response = Client().get(ME, **bearer(secret))
    assert response.status_code == 200
    assert response.json()["username"] == "officer_a"
    row.refresh_from_db()
    assert row.last_used_at is not None

    api_token_revoke(by=officer_a, token=row)
    assert Client().get(ME, **bearer(secret)).status_code == 401


def test_unknown_token_is_refused(tree):
    assert Client().get(ME, **bearer("lnt_not-a-real-token")).status_code == 401


def test_someone_else_cannot_revoke_a_token(officer_a, inspector):
    from lantoa.core.errors import NotFound

    row, _secret = api_token_create(by=officer_a, user=officer_a, name="script")
    with pytest.raises(NotFound):
        api_token_revoke(by=inspector, token=row)


def test_my_account_creates_token_shown_once_and_revokes_it(officer_a, client_for):
    client = client_for(officer_a)
    response = client.post(reverse("accounts:api_token_create"), {"name": "Báo cáo tháng"})
    assert response.status_code == 200
    html = response.content.decode()
    token = ApiToken.objects.get(user=officer_a)
    start = html.index('data-testid="new-token">') + len('data-testid="new-token">')
    secret = html[start : html.index("<", start)]
    assert token_digest(secret) == token.digest
    assert Client().get(ME, **bearer(secret)).status_code == 200

    page = client.get(reverse("accounts:my_account")).content.decode()
    assert "Báo cáo tháng" in page and secret not in page

    revoke = client.post(reverse("accounts:api_token_revoke", args=[token.pk]), HTTP_HX_REQUEST="true")
    assert revoke.status_code == 200 and b'id="api-tokens"' in revoke.content
    assert Client().get(ME, **bearer(secret)).status_code == 401


def test_htmx_token_creation_returns_the_fragment(officer_a, client_for):
    response = client_for(officer_a).post(reverse("accounts:api_token_create"), {"name": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="api-tokens"')
    assert b'data-testid="new-token"' in response.content


def test_cannot_revoke_someone_elses_token_by_url(officer_a, inspector, client_for):
    row, _secret = api_token_create(by=officer_a, user=officer_a, name="script")
    response = client_for(inspector).post(reverse("accounts:api_token_revoke", args=[row.pk]))
    assert response.status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None


def test_create_api_token_command_prints_only_the_token(officer_a):
    out = io.StringIO()
    call_command("create_api_token", "officer_a", "--name", "cron", stdout=out)
    secret = out.getvalue().strip()
    assert "\n" not in secret
    token = ApiToken.objects.get(user=officer_a)
    assert token.name == "cron" and token.digest == token_digest(secret)
    assert AuditEntry.objects.filter(action="lantoa.accounts.api_token.created").exists()
    assert Client().get(ME, **bearer(secret)).status_code == 200


def test_create_api_token_command_refuses_an_unknown_user(tree):
    with pytest.raises(CommandError, match="No user with username 'ghost'"):
        call_command("create_api_token", "ghost", stdout=io.StringIO())
