"""Scope questions: which units may this user act on, with which capability.

A user acts only inside the subtrees of their *current* assignments whose role grants the
capability. Tree walking is delegated to :mod:`lantoa.org.selectors`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lantoa.accounts.models import ApiToken, Assignment, User
from lantoa.accounts.roles import CAPABILITIES, DELEGABLE_BY_MANAGER, Capability, Role, roles_with
from lantoa.core.errors import NotFound
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


_ASSIGNED = "lantoa.assigned"  # the scope cache's entry for the (unit, role) pairs; capabilities are words


def scope_root_ids(user: Any, capability: str) -> list[int]:
    """Units at the top of the subtrees where ``user`` currently has ``capability``. The user's
    current assignments are read once per user object (a request's): a page asks for several
    capabilities (the menu alone for three), each a query before."""
    cache = getattr(user, "_lantoa_scope_cache", None)
    if cache is None:
        cache = {}
        with contextlib.suppress(AttributeError):  # objects without a __dict__ simply go uncached
            user._lantoa_scope_cache = cache
    if capability not in cache:
        if _ASSIGNED not in cache:
            cache[_ASSIGNED] = list(current_assignments(user).values_list("unit_id", "role"))
        roles = set(roles_with(capability))
        cache[capability] = [unit_id for unit_id, role in cache[_ASSIGNED] if role in roles]
    return cache[capability]


def scope_reach(user: Any, capability: str) -> org_selectors.Reach | None:
    """What ``user``'s subtrees for ``capability`` reach over time (:class:`lantoa.org.selectors.Reach`),
    or None without any. Not kept between calls: a restructuring changes it."""
    roots = scope_root_ids(user, capability)
    return org_selectors.reach_of(roots) if roots else None


def units_for(user: Any, capability: str, *, as_of: dt.date | None = None) -> QuerySet[Unit]:
    """Every unit ``user`` may act on with ``capability``, in the tree as of ``as_of`` — for a
    past day, with what the user's units' predecessors held then."""
    roots = scope_root_ids(user, capability)
    if not roots:
        return Unit.objects.none()
    visible = org_selectors.visible_ids(roots, as_of=as_of)
    return Unit.objects.filter(pk__in=visible).select_related("kind__tier")


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


# --- Gates for account management: "not allowed" answers exactly like "not found". ------------


def access_managed_unit(*, by: Any, code: str) -> Unit:
    """The unit with ``code`` if ``by`` manages accounts there; otherwise NotFound."""
    unit = org_selectors.unit_by_code(code)
    if unit is None or not has_capability(by, Capability.MANAGE_ACCOUNTS, unit):
        raise NotFound(_("No unit with code %(code)s.") % {"code": code}, extra={"code": code})
    return unit


def managed_units(by: Any) -> QuerySet[Unit]:
    """Every unit where ``by`` manages accounts (the subtrees of their manager assignments)."""
    return units_for(by, Capability.MANAGE_ACCOUNTS)


def require_account_management(by: Any) -> None:
    """Pages about accounts exist only for people who manage accounts somewhere."""
    if not has_capability(by, Capability.MANAGE_ACCOUNTS):
        raise NotFound(_("Page not found."))


def access_managed_user(*, by: Any, username: str) -> User:
    """A user holding (or having held) an assignment inside ``by``'s account-management scope."""
    require_account_management(by)
    user = (
        User.objects.filter(username=username, assignments__unit__in=managed_units(by)).distinct().first()
        if username
        else None
    )
    if user is None:
        raise NotFound(_("No such user."))
    return user


def access_managed_assignment(*, by: Any, pk: int) -> Assignment:
    assignment = Assignment.objects.select_related("user", "unit").filter(pk=pk).first()
    if assignment is None or not has_capability(by, Capability.MANAGE_ACCOUNTS, assignment.unit):
        raise NotFound(_("No such assignment."))
    return assignment


def access_own_api_token(*, by: Any, pk: int) -> ApiToken:
    owner_id = getattr(by, "pk", None)
    token = ApiToken.objects.filter(pk=pk, user_id=owner_id).first() if owner_id is not None else None
    if token is None:
        raise NotFound(_("No such token."))
    return token


def grantable_roles(by: Any) -> list[str]:
    """Roles ``by`` may hand out somewhere: every role for administrators, the delegable ones
    for managers (see :func:`lantoa.accounts.services.may_grant` for the per-unit rule)."""
    if not has_capability(by, Capability.MANAGE_ACCOUNTS):
        return []
    if has_capability(by, Capability.VIEW_AUDIT):  # only administrators hold that
        return list(Role.values)
    return [role for role in Role.values if role in DELEGABLE_BY_MANAGER]
