"""Scope questions: which units may this user act on, with which capability.

A user acts only inside the subtrees of their *current* assignments whose role grants the
capability. Tree walking is delegated to :mod:`lantoa.org.selectors`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from lantoa.accounts.models import Assignment
from lantoa.accounts.roles import CAPABILITIES, roles_with
from lantoa.org import selectors as org_selectors
from lantoa.org.models import Unit


def current_assignments(user: Any, *, as_of: dt.date | None = None) -> QuerySet[Assignment]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Assignment.objects.none()
    day = as_of or org_selectors.today()
    return (
        Assignment.objects.filter(org_selectors.valid_on(day), user=user)
        .filter(unit__in=Unit.objects.filter(org_selectors.open_on(day)))
        .select_related("unit__kind__tier")
    )


def scope_root_ids(user: Any, capability: str) -> list[int]:
    """Units at the top of the subtrees where ``user`` currently has ``capability``."""
    cache = getattr(user, "_lantoa_scope_cache", None)
    if cache is None:
        cache = {}
        try:
            user._lantoa_scope_cache = cache
        except AttributeError:
            pass
    if capability not in cache:
        cache[capability] = list(
            current_assignments(user).filter(role__in=roles_with(capability)).values_list("unit_id", flat=True)
        )
    return cache[capability]


def units_for(user: Any, capability: str, *, as_of: dt.date | None = None) -> QuerySet[Unit]:
    """Every unit ``user`` may act on with ``capability``, in the tree as of ``as_of``."""
    roots = scope_root_ids(user, capability)
    if not roots:
        return Unit.objects.none()
    return org_selectors.units_within(roots, as_of=as_of)


def has_capability(user: Any, capability: str, unit: Unit | None = None, *, as_of: dt.date | None = None) -> bool:
    """Does ``user`` have ``capability`` somewhere (or on ``unit``, when given)?"""
    roots = scope_root_ids(user, capability)
    if not roots:
        return False
    if unit is None:
        return True
    if unit.pk in roots:
        return True
    return org_selectors.unit_is_within(unit.pk, roots, as_of=as_of)


def user_roles(user: Any) -> set[str]:
    return set(current_assignments(user).values_list("role", flat=True))


def user_capabilities(user: Any) -> set[str]:
    caps: set[str] = set()
    for role in user_roles(user):
        caps |= CAPABILITIES.get(role, frozenset())
    return caps


def forget_scope_cache(user: Any) -> None:
    if hasattr(user, "_lantoa_scope_cache"):
        del user._lantoa_scope_cache
