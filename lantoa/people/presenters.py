"""How a person is shown to a given viewer — the one place masking and read logging happen.

The HTML pages, the API and the exports all build what they show through :func:`person_views`,
so a viewer whose role may not see contacts gets them masked everywhere, and sensitive fields
(when the deployment keeps them) appear only for roles that need them, each read logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lantoa.accounts.permissions import has_capability, scope_root_ids
from lantoa.accounts.roles import Capability
from lantoa.core.audit import audit_record_many
from lantoa.core.masking import mask_email, mask_phone
from lantoa.org.selectors import subtree_ids
from lantoa.people.models import Person
from lantoa.people.services import sensitive_fields_enabled


@dataclass(frozen=True)
class PersonView:
    pk: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    sex: str
    sex_label: str
    birth_year: int | None
    home_unit_code: str
    home_unit_name: str
    phone: str
    email: str
    contacts_masked: bool
    # Only the sensitive fields this viewer was shown (empty when none): name → value.
    sensitive: dict[str, Any]
    anonymised: bool
    has_account: bool


class _Scope:
    """Answers "may ``by`` do ``capability`` at this unit?" for the home units of many persons,
    with one query for all of them."""

    def __init__(self, by: Any, capability: str, unit_ids: set[int]):
        roots = scope_root_ids(by, capability)
        self.inside: set[int] = set()
        if roots and unit_ids:
            self.inside = set(
                subtree_ids(roots).filter(descendant_id__in=unit_ids).values_list("descendant_id", flat=True)
            )

    def allows(self, unit_id: int) -> bool:
        return unit_id in self.inside


def person_views(by: Any, persons: Iterable[Person], *, with_sensitive: bool = False) -> list[PersonView]:
    """What ``by`` may see of each person. With ``with_sensitive``, the enabled sensitive
    fields are added for viewers whose role allows, and the read is written to the audit log."""
    persons = list(persons)
    home_units = {person.home_unit_id for person in persons}
    contacts = _Scope(by, Capability.VIEW_CONTACTS, home_units)
    enabled = sensitive_fields_enabled() if with_sensitive else ()
    sensitive_scope = _Scope(by, Capability.VIEW_SENSITIVE, home_units) if enabled else None
    views: list[PersonView] = []
    read: list[Person] = []
    for person in persons:
        may_contact = contacts.allows(person.home_unit_id)
        sensitive: dict[str, Any] = {}
        if sensitive_scope is not None and person.anonymised_at is None and sensitive_scope.allows(person.home_unit_id):
            sensitive = {name: getattr(person, name) for name in enabled}
            read.append(person)
        views.append(
            PersonView(
                pk=person.pk,
                full_name=person.full_name,
                family_name=person.family_name,
                middle_name=person.middle_name,
                given_name=person.given_name,
                sex=person.sex,
                sex_label=person.get_sex_display() if person.sex else "",
                birth_year=person.birth_year,
                home_unit_code=person.home_unit.code,
                home_unit_name=person.home_unit.name,
                phone=person.phone if may_contact else mask_phone(person.phone),
                email=person.email if may_contact else mask_email(person.email),
                contacts_masked=not may_contact and bool(person.phone or person.email),
                sensitive=sensitive,
                anonymised=person.anonymised_at is not None,
                has_account=person.user_id is not None,
            )
        )
    if read:
        audit_record_many(
            action="lantoa.people.person.sensitive_read",
            by=by,
            targets=[(person, person.home_unit) for person in read],
            changed=enabled,
        )
    return views


def person_view(by: Any, person: Person, *, with_sensitive: bool = False) -> PersonView:
    return person_views(by, [person], with_sensitive=with_sensitive)[0]


def may_see_contacts(by: Any, person: Person) -> bool:
    return has_capability(by, Capability.VIEW_CONTACTS, person.home_unit)
