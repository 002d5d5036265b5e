"""Roles and what they may do — defined here and nowhere else.

A user holds roles through :class:`~lantoa.accounts.models.Assignment` rows (user, unit,
role, validity). A role grants its capabilities inside the subtree of the assignment's unit.
To add a role: add it to :class:`Role` and to :data:`CAPABILITIES` (and a migration for the
choices). To add a capability: add it to :class:`Capability` and to the roles that have it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    MANAGER = "manager", _("Manager")
    OFFICER = "officer", _("Officer")
    INSPECTOR = "inspector", _("Inspector")
    VIEWER = "viewer", _("Viewer")


class Capability(models.TextChoices):
    VIEW_UNITS = "view_units", _("See units and the tree")
    VIEW_AGGREGATES = "view_aggregates", _("See figures and dashboards")
    VIEW_DOCUMENTS = "view_documents", _("Read documents")
    VIEW_PERSONS = "view_persons", _("See person-level records")
    VIEW_CONTACTS = "view_contacts", _("See people's phone numbers and e-mail addresses")
    VIEW_SENSITIVE = "view_sensitive", _("See sensitive personal fields (ethnicity, party membership)")
    EDIT_RECORDS = "edit_records", _("Record and edit the unit's work")
    MANAGE_UNITS = "manage_units", _("Restructure the tree")
    MANAGE_ACCOUNTS = "manage_accounts", _("Manage accounts and assignments")
    VIEW_AUDIT = "view_audit", _("Read the audit log")


_READ = {Capability.VIEW_UNITS, Capability.VIEW_AGGREGATES, Capability.VIEW_DOCUMENTS}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(Capability.values),
    Role.MANAGER: frozenset(
        _READ
        | {
            Capability.VIEW_PERSONS,
            Capability.VIEW_CONTACTS,
            Capability.VIEW_SENSITIVE,
            Capability.EDIT_RECORDS,
            Capability.MANAGE_UNITS,
            Capability.MANAGE_ACCOUNTS,
        }
    ),
    # Officers keep the network's rosters, so they call people: contacts yes, sensitive fields no.
    Role.OFFICER: frozenset(_READ | {Capability.VIEW_PERSONS, Capability.VIEW_CONTACTS, Capability.EDIT_RECORDS}),
    # Inspectors read aggregates and documents, never person-level data.
    Role.INSPECTOR: frozenset(_READ),
    # Viewers see who holds which role, with contacts masked.
    Role.VIEWER: frozenset(_READ | {Capability.VIEW_PERSONS}),
}

# Roles a manager may hand out inside their subtree (administrators may hand out any).
DELEGABLE_BY_MANAGER = frozenset({Role.OFFICER, Role.INSPECTOR, Role.VIEWER})


def roles_with(capability: str) -> list[str]:
    return [role for role, caps in CAPABILITIES.items() if capability in caps]
