"""Persons, roles and groups for tests, made through the real services."""

from __future__ import annotations

import datetime as dt
import itertools

from lantoa.org.models import Unit
from lantoa.people.defaults import load_defaults
from lantoa.people.models import ActivityKind, GroupKind, NetworkGroup, NetworkRoleKind, Person, RoleAssignment
from lantoa.people.services import PersonData, group_create, person_create, role_assign

_counter = itertools.count(1)
START = dt.date(2021, 1, 1)


def ensure_kinds() -> None:
    """The default kinds (a flushed test database has lost the migration's rows)."""
    load_defaults(NetworkRoleKind, GroupKind, ActivityKind)


def role_kind(code: str) -> NetworkRoleKind:
    ensure_kinds()
    return NetworkRoleKind.objects.get(code=code)


def group_kind(code: str) -> GroupKind:
    ensure_kinds()
    return GroupKind.objects.get(code=code)


def activity_kind(code: str = "village_meeting") -> ActivityKind:
    ensure_kinds()
    return ActivityKind.objects.get(code=code)


def make_person(
    *,
    home_unit: Unit,
    family_name: str = "Nguyễn",
    middle_name: str = "Văn",
    given_name: str | None = None,
    birth_year: int | None = 1980,
    phone: str = "",
    email: str = "",
    sex: str = "",
    **sensitive: object,
) -> Person:
    number = next(_counter)
    data = PersonData(
        family_name=family_name,
        middle_name=middle_name,
        given_name=given_name or f"Người{number}",
        home_unit=home_unit,
        birth_year=birth_year,
        phone=phone,
        email=email,
        sex=sex,
        sets_sensitive=bool(sensitive),
        **sensitive,  # type: ignore[arg-type]
    )
    return person_create(by=None, data=data, allow_duplicate=True)


def make_role(
    person: Person, code: str, unit: Unit, *, valid_from: dt.date = START, valid_to: dt.date | None = None
) -> RoleAssignment:
    return role_assign(
        by=None, person=person, role=role_kind(code), unit=unit, valid_from=valid_from, valid_to=valid_to
    )


def make_group(kind: str, unit: Unit, *, name: str = "", valid_from: dt.date = START) -> NetworkGroup:
    return group_create(
        by=None, kind=group_kind(kind), unit=unit, name=name or f"{kind} {unit.code}", valid_from=valid_from
    )
