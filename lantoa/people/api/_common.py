"""What the endpoints of several subjects share: a person, a role and a group membership as they
are answered, and the parsing of a network role."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationFailed
from lantoa.people import selectors
from lantoa.people.models import GroupMembership, NetworkRoleKind, RoleAssignment
from lantoa.people.presenters import PersonView

# --- Rendering ---------------------------------------------------------------------------------


def _person_out(view: PersonView) -> dict[str, Any]:
    return {
        "id": view.pk,
        "full_name": view.full_name,
        "family_name": view.family_name,
        "middle_name": view.middle_name,
        "given_name": view.given_name,
        "sex": view.sex,
        "sex_label": view.sex_label,
        "birth_year": view.birth_year,
        "home_unit": view.home_unit_code,
        "home_unit_name": view.home_unit_name,
        "phone": view.phone,
        "email": view.email,
        "contacts_masked": view.contacts_masked,
        "anonymised": view.anonymised,
        "has_account": view.has_account,
    }


def _role_out(role: RoleAssignment) -> dict[str, Any]:
    return {
        "id": role.pk,
        "role": role.role.code,
        "role_name": role.role.name,
        "unit": role.unit.code,
        "unit_name": role.unit.name,
        "tier": role.unit.kind.tier.code,
        "valid_from": role.valid_from,
        "valid_to": role.valid_to,
        "decision_ref": role.decision_ref,
        "continues": role.continues_id,
    }


def _membership_out(membership: GroupMembership) -> dict[str, Any]:
    group = membership.group
    return {
        "id": membership.pk,
        "group": group.pk,
        "group_name": group.name,
        "group_kind": group.kind.code,
        "unit": group.unit.code,
        "unit_name": group.unit.name,
        "person": membership.person_id,
        "is_leader": membership.is_leader,
        "valid_from": membership.valid_from,
        "valid_to": membership.valid_to,
    }


# --- Parsing -----------------------------------------------------------------------------------


def _role_kind(code: str) -> NetworkRoleKind:
    kind = selectors.role_kind(code)
    if kind is None:
        raise ValidationFailed(_("Unknown network role %(code)s.") % {"code": code}, extra={"field": "role"})
    return kind
