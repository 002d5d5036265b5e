"""A restricted contest's list of eligible people over the API: the list with registration codes,
adding people from a file, taking someone off. The same gate and services as the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from lantoa.accounts.roles import Capability
from lantoa.contests import selectors
from lantoa.contests.eligible_io import shown_code
from lantoa.contests.models import EligiblePerson
from lantoa.contests.permissions import access_contest, access_eligible
from lantoa.contests.schemas import EligibleImportOut, EligibleListOut, EligibleQuery, Id
from lantoa.contests.services.eligible import eligible_import, eligible_remove
from lantoa.core.errors import ValidationFailed
from lantoa.core.schemas import ERRORS, page
from lantoa.core.spreadsheets import MAX_IMPORT_BYTES, MB

router = Router()


def eligible_out(person: EligiblePerson) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "unit": person.unit.code,
        "unit_name": person.unit.name,
        "position": person.position,
        "invitation": shown_code(person.invitation),
        "registered": person.contestant_id is not None,
    }


@router.get(
    "/{contest_id}/eligible",
    response={200: EligibleListOut, **ERRORS},
    summary="A restricted contest's list of eligible people",
    operation_id="lantoa_contests_api_eligible_list",
)
def eligible_list(request: HttpRequest, contest_id: Id, filters: Query[EligibleQuery]) -> Any:
    """By unit and name, each with their registration code. Needs the right to change the contest."""
    contest = access_contest(by=request.user, pk=contest_id, capability=Capability.EDIT_RECORDS)
    people = selectors.contest_eligible(contest, q=filters.q)
    window = page(people, limit=filters.limit, offset=filters.offset)
    window["items"] = [eligible_out(person) for person in window["items"]]
    window["registered"] = selectors.eligible_counts(contest)["registered"]
    return window


@router.post(
    "/{contest_id}/eligible",
    response={200: EligibleImportOut, **ERRORS},
    summary="Add people to a restricted contest's list (XLSX or CSV)",
    operation_id="lantoa_contests_api_eligible_import",
)
def eligible_add(request: HttpRequest, contest_id: Id, file: File[UploadedFile]) -> Any:
    """multipart/form-data ``file``: one row per person ("Họ và tên", "Mã đơn vị", optional
    "Chức vụ"). Everything is checked first: any problem answers 422 ``import_rejected`` with
    every problem and nobody is added. Each person gets a registration code."""
    contest = access_contest(by=request.user, pk=contest_id, capability=Capability.EDIT_RECORDS)
    if file.size is not None and file.size > MAX_IMPORT_BYTES:
        raise ValidationFailed(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // MB}, extra={"field": "file"}
        )
    result = eligible_import(by=request.user, contest=contest, file=file)
    return {"rows": result.rows, "message": result.summary()}


@router.delete(
    "/{contest_id}/eligible/{eligible_id}",
    response={204: None, **ERRORS},
    summary="Take someone off a restricted contest's list",
    operation_id="lantoa_contests_api_eligible_remove",
)
def eligible_delete(request: HttpRequest, contest_id: Id, eligible_id: Id) -> Any:
    """Only while their code is unused: 409 ``eligible_registered`` once they have registered."""
    person = access_eligible(by=request.user, contest_id=contest_id, pk=eligible_id)
    eligible_remove(by=request.user, person=person)
    return Status(204, None)
