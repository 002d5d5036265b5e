"""Reading the audit log, scoped: administrators see entries of units in their subtrees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from lantoa.accounts.permissions import scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.core.models import AuditEntry
from lantoa.org.selectors import subtree_ids


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
    from lantoa.org.selectors import root_units

    sees_unitless = root_units().filter(pk__in=roots).exists()
    scope = Q(unit_id__in=subtree_ids(roots))
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
