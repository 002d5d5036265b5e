"""Emails about accounts: the link to choose a password (first time or after a reset)."""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lantoa.accounts.models import User


def password_set_link(user: User, site_url: str) -> str:
    """A one-time link to choose a password, valid for ``PASSWORD_RESET_TIMEOUT``."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return urljoin(site_url, path)


def send_password_set_email(user: User, *, site_url: str) -> None:
    """Tell a newly created user that their account exists and how to choose a password."""
    if not user.email:
        return
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"user": user, "link": password_set_link(user, site_url), "site_name": settings.LANTOA_SITE_NAME}
        subject = "".join(render_to_string("accounts/email/password_set_subject.txt", context).splitlines())
        body = render_to_string("accounts/email/password_set.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
