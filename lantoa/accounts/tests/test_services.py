"""Every accounts service leaves an audit entry naming the changed fields, never their values."""

from __future__ import annotations

import datetime as dt

import pytest
from django_otp.oath import totp

from lantoa.accounts import services
from lantoa.accounts.models import Assignment
from lantoa.accounts.tests.factories import PASSWORD, make_user
from lantoa.core.errors import NotFound, PermissionDenied, ValidationFailed
from lantoa.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def actions_for(target) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        AuditEntry.objects.filter(target_id=str(target.pk), target_type=target._meta.label_lower)
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_user_services_are_audited(admin_user):
    user = services.user_create(by=admin_user, username="an", full_name="Phạm An", email="an@example.org")
    services.user_set_language(by=user, user=user, language="en")
    services.user_set_password(by=user, user=user, password="a long enough passphrase")
    assert actions_for(user) == [
        "lantoa.accounts.user.created",
        "lantoa.accounts.user.language_changed",
        "lantoa.accounts.user.password_changed",
    ]
    entry = AuditEntry.objects.get(action="lantoa.accounts.user.password_changed")
    assert entry.changed_fields == ["password"]
    assert "passphrase" not in str(entry.changed_fields) and "an@example.org" not in entry.target_repr


def test_weak_password_is_refused_by_the_service(officer_a):
    with pytest.raises(ValidationFailed):
        services.user_set_password(by=officer_a, user=officer_a, password="123")


def test_assignment_services_are_audited(admin_user, tree):
    user = make_user()
    assignment = services.assignment_create(
        by=admin_user, user=user, unit=tree.commune_b1, role="officer", valid_from=dt.date(2024, 1, 1)
    )
    services.assignment_end(by=admin_user, assignment=assignment, on=dt.date(2025, 1, 1))
    assert actions_for(assignment) == ["lantoa.accounts.assignment.created", "lantoa.accounts.assignment.ended"]
    assert AuditEntry.objects.get(action="lantoa.accounts.assignment.ended").unit == tree.commune_b1


def test_api_token_services_are_audited(officer_a):
    token, secret = services.api_token_create(by=officer_a, user=officer_a, name="script")
    services.api_token_revoke(by=officer_a, token=token)
    assert actions_for(token) == ["lantoa.accounts.api_token.created", "lantoa.accounts.api_token.revoked"]
    assert not AuditEntry.objects.filter(target_repr__contains=secret).exists()


def test_two_factor_services_are_audited(officer_a):
    device = services.two_factor_setup_device(by=officer_a, user=officer_a)
    assert services.two_factor_setup_device(by=officer_a, user=officer_a) == device  # reused, not duplicated
    codes = services.two_factor_enable(by=officer_a, user=officer_a, device=device, code=f"{totp(device.bin_key):06d}")
    services.two_factor_verify(user=officer_a, code=codes[0])
    services.two_factor_disable(by=officer_a, user=officer_a, password=PASSWORD, code=codes[1])
    assert actions_for(officer_a) == [
        "lantoa.accounts.user.created",
        "lantoa.accounts.two_factor.setup_started",
        "lantoa.accounts.two_factor.enabled",
        "lantoa.accounts.two_factor.backup_code_used",
        "lantoa.accounts.two_factor.backup_code_used",  # disabling with a backup code spends it too
        "lantoa.accounts.two_factor.disabled",
    ]


def test_wrong_code_counts_towards_throttling(officer_a):
    device = services.two_factor_setup_device(by=officer_a, user=officer_a)
    with pytest.raises(ValidationFailed):
        services.two_factor_enable(by=officer_a, user=officer_a, device=device, code="000000")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # kept although the call failed


def test_manager_cannot_hand_out_manager_role(tree):
    manager = make_user(role="manager", unit=tree.district_a)
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            by=manager, user=make_user(), unit=tree.commune_a1, role="manager", valid_from=dt.date(2024, 1, 1)
        )


def test_manager_cannot_end_assignments_outside_scope(tree):
    manager = make_user(role="manager", unit=tree.district_a)
    other = make_user(role="officer", unit=tree.commune_b1)
    with pytest.raises(NotFound):
        services.assignment_end(by=manager, assignment=Assignment.objects.get(user=other), on=dt.date(2025, 1, 1))
