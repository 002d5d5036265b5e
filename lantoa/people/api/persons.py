"""Persons over the API: the roster, recording and correcting a person, everything held about
one (the right of access) and anonymisation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.errors import ValidationFailed
from lantoa.core.schemas import ERRORS, page
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import tier_exists, today
from lantoa.people import selectors, services
from lantoa.people.api._common import _membership_out, _person_out, _role_kind, _role_out
from lantoa.people.permissions import (
    access_person,
    access_roster_unit,
    check_sensitive_input,
    may_see_sensitive,
    may_write_sensitive,
    persons_in_scope,
)
from lantoa.people.presenters import person_view, person_views
from lantoa.people.schemas import (
    Id,
    PersonDetailOut,
    PersonExportOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    RosterOut,
    RosterQuery,
)

router = Router()


def _check_tier(code: str) -> None:
    if code and not tier_exists(code):
        raise ValidationFailed(_("Unknown tier %(code)s.") % {"code": code}, extra={"field": "tier"})


def _person_data(values: Mapping[str, Any], home_unit: Unit, *, sets_sensitive: bool) -> services.PersonData:
    """PersonData from sent values (``None`` for a text field means empty)."""
    return services.PersonData(
        family_name=values["family_name"] or "",
        middle_name=values["middle_name"] or "",
        given_name=values["given_name"] or "",
        sex=values["sex"] or "",
        birth_year=values["birth_year"],
        home_unit=home_unit,
        phone=values["phone"] or "",
        email=values["email"] or "",
        ethnicity=values["ethnicity"] or "",
        is_party_member=values["is_party_member"],
        sets_sensitive=sets_sensitive,
    )


@router.get(
    "/persons",
    response={200: RosterOut, **ERRORS},
    summary="The roster: persons and their roles",
    operation_id="lantoa_people_api_person_list",
)
def person_list(request: HttpRequest, filters: Query[RosterQuery]) -> Any:
    """Persons holding a network role in ``unit``'s subtree on ``active_on`` (default today), in
    Vietnamese name order, each with the roles that put them on the roster. Contacts are masked
    for roles that may not see them."""
    unit = access_roster_unit(by=request.user, code=filters.unit)
    if filters.role:
        _role_kind(filters.role)
    _check_tier(filters.tier)
    flt = selectors.RosterFilter(
        unit=unit, role=filters.role, tier=filters.tier, active_on=filters.active_on, q=filters.q
    )
    roles = selectors.roster_for_user(request.user, flt)
    window = page(selectors.roster_persons(roles), limit=filters.limit, offset=filters.offset)
    held = selectors.roster_roles_by_person(roles, window["items"])
    window["items"] = [
        {**_person_out(view), "roles": [_role_out(r) for r in held[view.pk]]}
        for view in person_views(request.user, window["items"])
    ]
    return {**window, "unit": unit.code, "active_on": flt.active_on or today()}


@router.post(
    "/persons",
    response={201: PersonOut, **ERRORS},
    summary="Record a person",
    operation_id="lantoa_people_api_person_create",
)
def person_create(request: HttpRequest, body: PersonIn) -> Any:
    """A person of the network in ``home_unit``. A probable duplicate (same name, year of birth
    and home unit, or same phone) answers 409 ``duplicate_person``; send ``allow_duplicate: true``
    once you have checked that it is someone else."""
    home_unit = access_unit(by=request.user, code=body.home_unit, capability=Capability.EDIT_RECORDS)
    values = body.model_dump(exclude={"home_unit", "allow_duplicate"})
    sent = [name for name, value in values.items() if value not in ("", None)]
    check_sensitive_input(request.user, home_unit, sent)
    data = _person_data(values, home_unit, sets_sensitive=may_write_sensitive(request.user, home_unit))
    person = services.person_create(
        by=request.user, data=data, allow_duplicate=body.allow_duplicate, visible=persons_in_scope(request.user)
    )
    return Status(201, _person_out(person_view(request.user, person)))


@router.get(
    "/persons/{person_id}",
    response={200: PersonDetailOut, **ERRORS},
    summary="One person",
    operation_id="lantoa_people_api_person_detail",
)
def person_detail(request: HttpRequest, person_id: Id) -> Any:
    """The person with all roles held and group memberships. Sensitive fields this deployment
    keeps appear for roles that may see them, and each such reading is logged."""
    person = access_person(by=request.user, pk=person_id)
    record = selectors.person_record(person, activity_limit=0)
    view = person_view(request.user, person, with_sensitive=True)
    return {
        **_person_out(view),
        "sensitive": view.sensitive,
        "roles": [_role_out(r) for r in record.roles],
        "memberships": [_membership_out(m) for m in record.memberships],
        "activity_count": record.activity_count,
    }


@router.patch(
    "/persons/{person_id}",
    response={200: PersonOut, **ERRORS},
    summary="Correct a person's record",
    operation_id="lantoa_people_api_person_update",
)
def person_update(request: HttpRequest, person_id: Id, body: PersonPatch) -> Any:
    """Only the fields sent change (the data subject's right to correction goes through here)."""
    person = access_person(by=request.user, pk=person_id, capability=Capability.EDIT_RECORDS)
    sent = body.model_dump(include=body.model_fields_set - {"allow_duplicate"})
    home_unit = person.home_unit
    if sent.get("home_unit"):
        home_unit = access_unit(by=request.user, code=sent["home_unit"], capability=Capability.EDIT_RECORDS)
    check_sensitive_input(request.user, home_unit, sent)
    current = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    changes = {name: value for name, value in sent.items() if name != "home_unit"}
    data = _person_data(
        {**current, **changes}, home_unit, sets_sensitive=bool(set(sent) & set(services.SENSITIVE_FIELDS))
    )
    person = services.person_update(
        by=request.user,
        person=person,
        data=data,
        allow_duplicate=body.allow_duplicate,
        visible=persons_in_scope(request.user),
    )
    return _person_out(person_view(request.user, person))


@router.get(
    "/persons/{person_id}/export",
    response={200: PersonExportOut, **ERRORS},
    summary="Everything held about a person",
    operation_id="lantoa_people_api_person_export",
)
def person_export(request: HttpRequest, person_id: Id) -> Any:
    """For the data subject's right of access: every field, role, membership and activity, with
    contacts in full. Only for roles that record the person's unit; every export is logged.
    Sensitive fields are left out (and named in ``withheld``) for roles that may not see them."""
    person = access_person(by=request.user, pk=person_id, capability=Capability.EDIT_RECORDS)
    return services.person_export_record(
        by=request.user, person=person, include_sensitive=may_see_sensitive(request.user, person)
    )


@router.post(
    "/persons/{person_id}/anonymise",
    response={200: PersonOut, **ERRORS},
    summary="Anonymise a person",
    operation_id="lantoa_people_api_person_anonymise",
)
def person_anonymise(request: HttpRequest, person_id: Id) -> Any:
    """Erase names, contacts, year of birth, sex and sensitive fields. Roles, memberships and
    activities stay on the anonymous record, so every count is unchanged."""
    person = access_person(by=request.user, pk=person_id, capability=Capability.EDIT_RECORDS)
    person = services.person_anonymise(by=request.user, person=person)
    return _person_out(person_view(request.user, person))
