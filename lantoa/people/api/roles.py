"""Network roles over the API: recording a role held and ending it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.core.schemas import ERRORS
from lantoa.org.permissions import access_unit
from lantoa.people import services
from lantoa.people.api._common import _role_kind, _role_out
from lantoa.people.permissions import access_person, access_role_to_end
from lantoa.people.schemas import EndIn, Id, RoleIn, RoleOut

router = Router()


@router.post(
    "/roles",
    response={201: RoleOut, **ERRORS},
    summary="Record a network role held",
    operation_id="lantoa_people_api_role_create",
)
def role_create(request: HttpRequest, body: RoleIn) -> Any:
    """``person`` holds ``role`` in ``unit`` from ``valid_from`` (until ``valid_to``, exclusive)."""
    unit = access_unit(by=request.user, code=body.unit, capability=Capability.EDIT_RECORDS)
    person = access_person(by=request.user, pk=body.person)
    assignment = services.role_assign(
        by=request.user,
        person=person,
        role=_role_kind(body.role),
        unit=unit,
        valid_from=body.valid_from,
        valid_to=body.valid_to,
        decision_ref=body.decision_ref,
    )
    return Status(201, _role_out(assignment))


@router.post(
    "/roles/{role_id}/end",
    response={200: RoleOut, **ERRORS},
    summary="End a network role",
    operation_id="lantoa_people_api_role_end",
)
def role_end(request: HttpRequest, role_id: Id, body: EndIn) -> Any:
    """The role ends on ``on`` (the first day no longer held). Roles are ended, never deleted."""
    assignment = access_role_to_end(by=request.user, pk=role_id)
    return _role_out(services.role_end(by=request.user, assignment=assignment, on=body.on))
