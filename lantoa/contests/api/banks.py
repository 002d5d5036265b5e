"""Question banks over the API: the list, creating one, one bank, changing it, its questions,
and importing into it or exporting it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from lantoa.accounts.roles import Capability
from lantoa.contests import bank_io, selectors, services
from lantoa.contests.api._common import bank_out, question_data, question_out
from lantoa.contests.permissions import access_bank, access_organising_unit, may_change
from lantoa.contests.schemas import (
    BankDetailOut,
    BankImportOut,
    BankIn,
    BankListOut,
    BankPatch,
    BankQuery,
    ExportQuery,
    Id,
    QuestionCreateIn,
    QuestionListOut,
    QuestionOut,
    QuestionQuery,
)
from lantoa.core.errors import ValidationFailed
from lantoa.core.schemas import ERRORS, page

router = Router()

EXPORT_TYPES = {
    bank_io.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
    bank_io.XML_TYPE: {"schema": {"type": "string"}},
}


def _bank_detail(by: Any, bank_id: int) -> dict[str, Any]:
    bank = access_bank(by=by, pk=bank_id)
    tags = selectors.bank_tags(bank)
    count = selectors.bank_questions(bank).count()
    return {
        **bank_out(bank, may_change=may_change(by, bank), question_count=count),
        "tags": [{"name": t.name, "question_count": getattr(t, "question_count", 0)} for t in tags],
    }


@router.get(
    "/banks",
    response={200: BankListOut, **ERRORS},
    summary="Question banks in your scope",
    operation_id="lantoa_contests_api_bank_list",
)
def bank_list(request: HttpRequest, filters: Query[BankQuery]) -> Any:
    """Banks kept by the units in your scope, by name, with their number of questions in use."""
    banks = selectors.bank_list_for_user(request.user, q=filters.q)
    window = page(banks, limit=filters.limit, offset=filters.offset)
    window["items"] = [bank_out(b, may_change=may_change(request.user, b)) for b in window["items"]]
    return window


@router.post(
    "/banks",
    response={200: BankDetailOut, 201: BankDetailOut, **ERRORS},
    summary="Create a question bank",
    operation_id="lantoa_contests_api_bank_create",
)
def bank_create(request: HttpRequest, body: BankIn) -> Any:
    """A bank kept by ``unit``. Answers 201, or 200 with the first bank when the same
    ``client_key`` was already received for the unit. Needs the right to record the unit's work."""
    by = request.user
    unit = access_organising_unit(
        by=by, code=body.unit, refusal=_("Your role does not allow keeping question banks of %(unit)s.")
    )
    data = services.BankData(unit=unit, name=body.name, description=body.description, client_key=body.client_key)
    bank, created = services.bank_create(by=by, data=data)
    return Status(201 if created else 200, _bank_detail(by, bank.pk))


@router.get(
    "/banks/{bank_id}",
    response={200: BankDetailOut, **ERRORS},
    summary="One question bank",
    operation_id="lantoa_contests_api_bank_detail",
)
def bank_detail(request: HttpRequest, bank_id: Id) -> Any:
    """The bank with its tags and their numbers of questions."""
    return _bank_detail(request.user, bank_id)


@router.patch(
    "/banks/{bank_id}",
    response={200: BankDetailOut, **ERRORS},
    summary="Change a question bank",
    operation_id="lantoa_contests_api_bank_update",
)
def bank_update(request: HttpRequest, bank_id: Id, body: BankPatch) -> Any:
    bank = access_bank(by=request.user, pk=bank_id, capability=Capability.EDIT_RECORDS)
    services.bank_update(by=request.user, bank=bank, name=body.name, description=body.description)
    return _bank_detail(request.user, bank.pk)


@router.get(
    "/banks/{bank_id}/questions",
    response={200: QuestionListOut, **ERRORS},
    summary="The questions of a bank",
    operation_id="lantoa_contests_api_question_list",
)
def question_list(request: HttpRequest, bank_id: Id, filters: Query[QuestionQuery]) -> Any:
    """Questions in the order they were added, each with its current version; ``tag`` and ``q``
    narrow the list, ``retired`` lists the retired ones."""
    bank = access_bank(by=request.user, pk=bank_id)
    questions = selectors.bank_questions(bank, tag=filters.tag, q=filters.q, retired=filters.retired)
    window = page(questions, limit=filters.limit, offset=filters.offset)
    window["items"] = [question_out(q) for q in window["items"]]
    return window


@router.post(
    "/banks/{bank_id}/questions",
    response={200: QuestionOut, 201: QuestionOut, **ERRORS},
    summary="Add a question",
    operation_id="lantoa_contests_api_question_create",
)
def question_create(request: HttpRequest, bank_id: Id, body: QuestionCreateIn) -> Any:
    """A question with its first version. Answers 201, or 200 with the first question when the
    same ``client_key`` was already received for the bank."""
    bank = access_bank(by=request.user, pk=bank_id, capability=Capability.EDIT_RECORDS)
    data = question_data(request.user, body, client_key=body.client_key)
    question, created = services.question_create(by=request.user, bank=bank, data=data)
    return Status(201 if created else 200, question_out(selectors.bank_questions(bank).get(pk=question.pk)))


@router.post(
    "/banks/{bank_id}/import",
    response={200: BankImportOut, 201: BankImportOut, **ERRORS},
    summary="Import questions (XLSX, CSV or Moodle XML)",
    operation_id="lantoa_contests_api_bank_import",
)
def bank_import(request: HttpRequest, bank_id: Id, file: File[UploadedFile]) -> Any:
    """multipart/form-data ``file``: a spreadsheet with one row per question (the template is at
    ``/contests/import/template.xlsx``) or a Moodle XML export. Everything is checked first: any
    problem answers 422 ``import_rejected`` with every problem and nothing is written. Questions
    of Moodle types Lantoa does not have are listed in ``skipped``, never silently dropped."""
    bank = access_bank(by=request.user, pk=bank_id, capability=Capability.EDIT_RECORDS)
    if file.size is not None and file.size > bank_io.MAX_BYTES:
        raise ValidationFailed(_("The file is larger than 5 MB."), extra={"field": "file"})
    result = bank_io.questions_import(by=request.user, bank=bank, file=file.read(bank_io.MAX_BYTES + 1))
    return Status(201 if result.created or result.revised else 200, result.as_dict())


@router.get(
    "/banks/{bank_id}/export",
    response={200: str, **ERRORS},
    summary="Export a bank (XLSX or Moodle XML)",
    openapi_extra={"responses": {"200": {"content": EXPORT_TYPES}}},
    operation_id="lantoa_contests_api_bank_export",
)
def bank_export(request: HttpRequest, bank_id: Id, filters: Query[ExportQuery]) -> Any:
    """The questions in use, in the formats the import reads: importing the file again into the
    same bank changes nothing."""
    bank = access_bank(by=request.user, pk=bank_id)
    questions = list(selectors.bank_questions(bank))
    if filters.format == "moodle":
        response = HttpResponse(bank_io.export_moodle(questions), content_type=f"{bank_io.XML_TYPE}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="bank-{bank.pk}.xml"'
        return response
    response = HttpResponse(bank_io.export_xlsx(questions, english=False), content_type=bank_io.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bank-{bank.pk}.xlsx"'
    return response
