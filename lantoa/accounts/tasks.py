"""Background work of the accounts app."""

from __future__ import annotations

from django_tasks import task

from lantoa.accounts import emails
from lantoa.accounts.models import User


@task()
def send_password_set_email(user_id: int, site_url: str) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is not None:
        emails.send_password_set_email(user, site_url=site_url)
