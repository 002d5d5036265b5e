"""Log-in: throttling, the second factor, password reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantoa.accounts.services import BACKUP_CODE_COUNT
from lantoa.accounts.tests.factories import PASSWORD, make_user
from lantoa.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:verify")


def log_in(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password})


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the authenticator app shows now (or ``steps_ahead`` 30-second steps later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead):06d}"


def enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(SETUP, {"code": code_for(device)})
    assert response.status_code == 200
    codes = [token.token for token in StaticToken.objects.filter(device__user=device.user)]
    return device, codes


# --- Throttling -----------------------------------------------------------------------------------


def test_five_failures_lock_the_account_even_against_the_right_password(officer_a):
    client = Client()
    for _attempt in range(4):
        response = log_in(client, "officer_a", "wrong password")
        assert response.status_code == 200  # the form again, with its error
    locked = log_in(client, "officer_a", "wrong password")
    assert locked.status_code in (403, 429)
    assert b'data-testid="locked-out"' in locked.content

    refused = log_in(client, "officer_a", PASSWORD)
    assert refused.status_code in (403, 429)
    assert b'data-testid="locked-out"' in refused.content
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(officer_a):
    client = Client()
    for _attempt in range(4):
        log_in(client, "officer_a", "wrong password")
    assert log_in(client, "officer_a").status_code == 302
    assert "_auth_user_id" in client.session


# --- Second factor ------------------------------------------------------------------------------


def test_administrator_without_a_device_is_sent_to_set_one_up(admin_user):
    client = Client()
    assert log_in(client, "admin").status_code == 302
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == SETUP


def test_officer_without_a_device_is_not_asked_for_a_code(officer_a):
    client = Client()
    log_in(client, "officer_a")
    assert client.get(reverse("web:home")).status_code == 200


def test_setup_page_shows_qr_code_as_image_and_the_key(admin_user):
    client = Client()
    log_in(client, "admin")
    response = client.get(SETUP)
    html = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    from base64 import b32encode

    assert b32encode(device.bin_key).decode() in html
    assert "<script>" not in html and 'style="' not in html
    # Reloading the page keeps the same secret: the app already scanned may still be used.
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1


def test_enrolment_then_every_login_requires_a_code(admin_user):
    client = Client()
    log_in(client, "admin")
    device, codes = enrol(client)

    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == BACKUP_CODE_COUNT
    assert AuditEntry.objects.filter(action="lantoa.accounts.two_factor.enabled", target_id=str(admin_user.pk)).exists()
    assert client.get(reverse("web:home")).status_code == 200  # this session is verified

    fresh = Client()
    log_in(fresh, "admin")
    home = fresh.get(reverse("web:home"))
    assert home.status_code == 302 and home["Location"].startswith(VERIFY)
    # The code used for enrolment cannot be replayed; the app's next code works.
    response = fresh.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "/org/"})
    assert response.status_code == 302 and response["Location"] == "/org/"
    assert fresh.get(reverse("web:home")).status_code == 200


def test_wrong_code_is_refused(admin_user):
    client = Client()
    log_in(client, "admin")
    enrol(client)

    fresh = Client()
    log_in(fresh, "admin")
    response = fresh.post(VERIFY, {"code": "000000"})
    assert response.status_code == 200
    assert b'data-testid="field-error"' in response.content
    assert fresh.get(reverse("web:home")).status_code == 302


def test_wrong_code_at_enrolment_is_refused(admin_user):
    client = Client()
    log_in(client, "admin")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "123"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()


def test_backup_code_works_once(admin_user):
    client = Client()
    log_in(client, "admin")
    _device, codes = enrol(client)

    first = Client()
    log_in(first, "admin")
    assert first.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert first.get(reverse("web:home")).status_code == 200
    assert AuditEntry.objects.filter(action="lantoa.accounts.two_factor.backup_code_used").count() == 1

    second = Client()
    log_in(second, "admin")
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 200


def test_verify_ignores_an_outside_next(admin_user):
    client = Client()
    log_in(client, "admin")
    device, _codes = enrol(client)
    fresh = Client()
    log_in(fresh, "admin")
    response = fresh.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "https://evil.example/"})
    assert response["Location"] == reverse("web:home")


def test_disable_needs_password_and_code(officer_a):
    client = Client()
    log_in(client, "officer_a")
    device, _codes = enrol(client)
    url = reverse("accounts:two_factor_disable")

    wrong_password = client.post(url, {"password": "nope", "code": code_for(device, steps_ahead=1)})
    assert wrong_password.status_code == 422
    wrong_code = client.post(url, {"password": PASSWORD, "code": "000000"})
    assert wrong_code.status_code == 422
    assert TOTPDevice.objects.filter(user=officer_a, confirmed=True).exists()

    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong tries above slowed the device down
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(url, {"password": PASSWORD, "code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer_a).exists()
    assert not StaticToken.objects.filter(device__user=officer_a).exists()
    assert AuditEntry.objects.filter(action="lantoa.accounts.two_factor.disabled").exists()


# --- Password reset ------------------------------------------------------------------------------


def test_password_reset_email_and_link(officer_a):
    client = Client()
    page = client.get(reverse("accounts:password_reset"))
    assert page.status_code == 200
    response = client.post(reverse("accounts:password_reset"), {"email": "user@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    assert b'data-testid="set-password-form"' in form_page.content
    new_password = "a much newer passphrase 42"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    assert AuditEntry.objects.filter(action="lantoa.accounts.user.password_changed").exists()

    fresh = Client()
    assert log_in(fresh, "officer_a", new_password).status_code == 302
    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert b'data-testid="invalid-link"' in again.content


def test_password_reset_reaches_users_who_never_chose_a_password(tree):
    from lantoa.accounts.services import user_create

    user_create(by=None, username="newcomer", full_name="Người Mới", email="new@example.org")
    Client().post(reverse("accounts:password_reset"), {"email": "new@example.org"})
    assert len(mail.outbox) == 1


def test_password_reset_for_unknown_email_looks_the_same(tree):
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_unknown_user_with_wrong_password_is_not_logged_in(tree):
    make_user(username="someone")
    client = Client()
    assert log_in(client, "someone", "bad").status_code == 200
