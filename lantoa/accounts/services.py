"""Writing accounts: users, passwords, two-factor devices, assignments, API tokens.

Every write is audited. The bulk import of officer accounts lives in
:mod:`lantoa.accounts.importing` and calls the services below for each row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantoa.accounts.models import ApiToken, Assignment, User
from lantoa.accounts.permissions import forget_scope_cache, has_capability
from lantoa.accounts.roles import DELEGABLE_BY_MANAGER, Capability, Role
from lantoa.core.audit import audit_record
from lantoa.core.errors import NotFound, PermissionDenied, ValidationFailed
from lantoa.org.models import Unit


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def may_grant(by: Any, unit: Unit, role: str) -> bool:
    """May ``by`` hand out ``role`` in ``unit``? Managers only the delegable roles, in their scope."""
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
    if not may_grant(by, unit, role):
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
    if not may_grant(by, assignment.unit, assignment.role):
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
def user_set_password(*, by: Any, user: User, password: str) -> User:
    """Give ``user`` a new password (after a change or a reset), checked by the password rules."""
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), extra={"field": "new_password1"}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(action="lantoa.accounts.user.password_changed", by=by, target=user, changed=["password"])
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


# --- Two-factor login -------------------------------------------------------------------------
#
# Code checks run outside the write transaction on purpose: a wrong code increments the
# device's throttle counter, and that increment must be kept even though the call fails.

BACKUP_CODE_COUNT = 10


def _wrong_code() -> ValidationFailed:
    return ValidationFailed(
        _("This code is not right. Check the time on your phone and try again."), extra={"field": "code"}
    )


@transaction.atomic
def two_factor_setup_device(*, by: Any, user: User) -> TOTPDevice:
    """The user's authenticator device waiting for confirmation, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
        audit_record(action="lantoa.accounts.two_factor.setup_started", by=by, target=user, changed=["totp_device"])
    return device


def two_factor_enable(*, by: Any, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm ``device`` with a code from the app; returns fresh backup codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise NotFound(_("No such device."))
    if not device.verify_token(code.strip()):
        raise _wrong_code()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_backup_codes(user)
        audit_record(
            action="lantoa.accounts.two_factor.enabled", by=by, target=user, changed=["totp_device", "backup_codes"]
        )
    return codes


def _replace_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Backup codes"), confirmed=True)
    codes = [StaticToken.random_token() for _n in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def two_factor_verify(*, user: User, code: str) -> Device:
    """The confirmed device that accepts ``code`` (an app code or a backup code)."""
    device = match_token(user, code.strip().replace(" ", "").lower())
    if device is None:
        raise _wrong_code()
    if isinstance(device, StaticDevice):
        # Backup codes are single-use; the owner should see in the log when one was spent.
        audit_record(
            action="lantoa.accounts.two_factor.backup_code_used", by=user, target=user, changed=["backup_codes"]
        )
    return device


def two_factor_disable(*, by: User, user: User, password: str, code: str) -> User:
    """Remove the user's authenticator and backup codes, after their password and a code."""
    if by.pk != user.pk:
        raise NotFound(_("No such user."))
    if not user.check_password(password):
        raise ValidationFailed(_("Your password is not right."), extra={"field": "password"})
    if not user_has_device(user, confirmed=True):
        raise ValidationFailed(_("Two-factor login is not on."))
    two_factor_verify(user=user, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(
            action="lantoa.accounts.two_factor.disabled", by=by, target=user, changed=["totp_device", "backup_codes"]
        )
    return user
