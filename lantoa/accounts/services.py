"""Writing accounts: users, assignments, API tokens. Every write is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.accounts.models import ApiToken, Assignment, User
from lantoa.accounts.permissions import forget_scope_cache, has_capability
from lantoa.accounts.roles import DELEGABLE_BY_MANAGER, Capability, Role
from lantoa.core.audit import audit_record
from lantoa.core.errors import NotFound, PermissionDenied, ValidationFailed
from lantoa.org.models import Unit


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _may_grant(by: Any, unit: Unit, role: str) -> bool:
    if by is None:  # command-line and data-loading calls run as the system
        return True
    if not has_capability(by, Capability.MANAGE_ACCOUNTS, unit):
        return False
    if role in DELEGABLE_BY_MANAGER:
        return True
    return has_capability(by, Capability.VIEW_AUDIT, unit)  # only administrators hold that


@transaction.atomic
def assignment_create(
    *, by: Any, user: User, unit: Unit, role: str, valid_from: dt.date, valid_to: dt.date | None = None
) -> Assignment:
    """Give ``user`` the ``role`` over ``unit``'s subtree from ``valid_from``."""
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role %(role)s.") % {"role": role}, extra={"field": "role"})
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationFailed(_("An assignment must end after it starts."), extra={"field": "valid_to"})
    if not _may_grant(by, unit, role):
        raise PermissionDenied(_("You may not give this role in this unit."))
    duplicate = Assignment.objects.filter(user=user, unit=unit, role=role, valid_to__isnull=True)
    if valid_to is None and duplicate.exists():
        raise ValidationFailed(_("This user already holds this role in this unit."), extra={"field": "role"})
    assignment = Assignment.objects.create(
        user=user,
        unit=unit,
        role=role,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    forget_scope_cache(user)
    audit_record(
        action="lantoa.accounts.assignment.created",
        by=by,
        target=assignment,
        unit=unit,
        changed=["user", "unit", "role", "valid_from", "valid_to"],
    )
    return assignment


@transaction.atomic
def assignment_end(*, by: Any, assignment: Assignment, on: dt.date) -> Assignment:
    """End an assignment on ``on`` (exclusive). Assignments are ended, never deleted."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not _may_grant(by, assignment.unit, assignment.role):
        raise NotFound(_("No such assignment."))
    if on <= assignment.valid_from:
        raise ValidationFailed(_("An assignment must end after it starts."), extra={"field": "valid_to"})
    if assignment.valid_to is not None and assignment.valid_to <= on:
        raise ValidationFailed(_("This assignment has already ended."))
    assignment.valid_to = on
    assignment.save(update_fields=["valid_to", "updated_at"])
    forget_scope_cache(assignment.user)
    audit_record(
        action="lantoa.accounts.assignment.ended",
        by=by,
        target=assignment,
        unit=assignment.unit,
        changed=["valid_to"],
    )
    return assignment


@transaction.atomic
def user_create(
    *,
    by: Any,
    username: str,
    full_name: str,
    email: str = "",
    password: str | None = None,
    language: str = "vi",
) -> User:
    username = username.strip()
    if not username:
        raise ValidationFailed(_("A user needs a username."), extra={"field": "username"})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(
            _("The username %(username)s is taken.") % {"username": username}, extra={"field": "username"}
        )
    user = User(username=username, full_name=full_name.strip(), email=email.strip(), language=language)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        action="lantoa.accounts.user.created",
        by=by,
        target=user,
        changed=["username", "full_name", "email", "language", "password"],
    )
    return user


@transaction.atomic
def user_set_language(*, by: Any, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(_("Unknown language."), extra={"field": "language"})
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
        audit_record(action="lantoa.accounts.user.language_changed", by=by, target=user, changed=["language"])
    return user


@transaction.atomic
def api_token_create(*, by: Any, user: User, name: str, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Create a personal token for ``user``. Returns the row and the token (shown only once)."""
    name = name.strip() or _("API token")
    secret = settings.LANTOA_API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=secret[:10], digest=token_digest(secret), expires_at=expires_at
    )
    audit_record(action="lantoa.accounts.api_token.created", by=by, target=token, changed=["name"])
    return token, secret


@transaction.atomic
def api_token_revoke(*, by: Any, token: ApiToken) -> ApiToken:
    if token.user_id != getattr(by, "pk", None) and not getattr(by, "is_superuser", False):
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action="lantoa.accounts.api_token.revoked", by=by, target=token, changed=["revoked_at"])
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The active user owning ``secret``, or None. Updates ``last_used_at`` at most once a minute."""
    if not secret.startswith(settings.LANTOA_API_TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
    now = timezone.now()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
