"""Reading accounts and the audit log for display, always from the acting user's point of view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from lantoa.accounts.models import ApiToken, Assignment, User
from lantoa.accounts.permissions import current_assignments, managed_units, scope_root_ids
from lantoa.accounts.roles import Capability, roles_with
from lantoa.core.models import AuditEntry
from lantoa.core.notify import Recipient
from lantoa.core.text import person_sort_key, split_full_name
from lantoa.org import selectors as org_selectors
from lantoa.org.models import Unit


def _user_sort_key(user: User) -> tuple:
    family, middle, given = split_full_name(user.full_name or user.username)
    return (*person_sort_key(family, middle, given), user.username)


def managed_users(*, by: Any, within: Unit | None = None, q: str = "") -> list[User]:
    """Users holding an assignment (current or past) inside ``by``'s account-management scope,
    optionally only inside ``within``'s subtree, in Vietnamese name order.

    Only the columns needed for sorting are loaded; call :func:`with_scoped_assignments` on
    the page actually shown."""
    units = managed_units(by)
    if within is not None:
        units = units.filter(pk__in=org_selectors.subtree_ids(within.pk))
    users = User.objects.filter(assignments__unit__in=units).distinct().only("id", "username", "full_name", "is_active")
    if q.strip():
        users = users.filter(Q(username__icontains=q.strip()) | Q(full_name__icontains=q.strip()))
    return sorted(users, key=_user_sort_key)


def with_scoped_assignments(users: Sequence[User], *, by: Any) -> None:
    """Attach ``scoped_assignments`` (those ``by`` may see) to each user in one query."""
    visible = Assignment.objects.filter(unit__in=managed_units(by)).select_related("unit").order_by("-valid_from")
    prefetch_related_objects(list(users), Prefetch("assignments", queryset=visible, to_attr="scoped_assignments"))


def assignments_for_manager(*, by: Any, user: User) -> QuerySet[Assignment]:
    """``user``'s assignments that ``by`` may see and end."""
    return (
        Assignment.objects.filter(user=user, unit__in=managed_units(by))
        .select_related("unit", "created_by")
        .order_by("-valid_from", "unit__name")
    )


def api_tokens_for_user(*, by: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=by.pk).order_by("revoked_at", "-created_at")


def two_factor_status(*, by: Any) -> dict[str, Any]:
    enabled = user_has_device(by, confirmed=True)
    backup_codes_left = (
        StaticToken.objects.filter(device__user_id=by.pk, device__confirmed=True).count() if enabled else 0
    )
    return {"enabled": enabled, "backup_codes_left": backup_codes_left}


def current_assignments_for(*, by: Any) -> QuerySet[Assignment]:
    return current_assignments(by).order_by("unit__kind__tier__rank", "unit__name")


def audit_entries_for_user(
    *,
    by: Any,
    action: str = "",
    actor: str = "",
    unit_code: str = "",
    target_type: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries ``by`` may read: those of units in their audit scope, plus, for holders of an
    audit role on a root unit, entries that name no unit (account-level events)."""
    roots = scope_root_ids(by, Capability.VIEW_AUDIT)
    if not roots:
        return AuditEntry.objects.none()
    sees_unitless = org_selectors.root_units().filter(pk__in=roots).exists()
    scope = Q(unit_id__in=org_selectors.subtree_ids(roots))
    if sees_unitless:
        scope |= Q(unit__isnull=True)
    entries = AuditEntry.objects.filter(scope).select_related("unit")
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_username__iexact=actor)
    if unit_code:
        entries = entries.filter(unit__code=unit_code)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries.order_by("-created_at", "-id")


def unit_recipients(unit_ids: list[int], day: dt.date | None = None) -> dict[int, list[Recipient]]:
    """The officers who record each unit's work today (one query): whom a reminder to a unit
    reaches through the notification channels (:mod:`lantoa.core.notify`)."""
    rows = (
        Assignment.objects.filter(
            org_selectors.valid_on(day or org_selectors.today()),
            unit_id__in=unit_ids,
            role__in=roles_with(Capability.EDIT_RECORDS),
        )
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("unit_id", "user__username")
    )
    found: dict[int, list[Recipient]] = {uid: [] for uid in unit_ids}
    for row in rows:
        user = row.user
        found[row.unit_id].append(Recipient(name=str(user), email=user.email or ""))
    return found
