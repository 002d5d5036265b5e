"""Questions over the API: one question with its history, revising it (a new version) and
retiring it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from lantoa.accounts.roles import Capability
from lantoa.contests import selectors, services
from lantoa.contests.api._common import question_data, question_out, version_out
from lantoa.contests.models import Question
from lantoa.contests.permissions import access_question, may_change
from lantoa.contests.schemas import Id, QuestionDetailOut, QuestionIn
from lantoa.core.schemas import ERRORS

router = Router()


def _detail(by: Any, question: Question) -> dict[str, Any]:
    question = access_question(by=by, pk=question.pk)
    return {
        **question_out(question),
        "versions": [version_out(v) for v in selectors.question_versions(question)],
        "may_change": may_change(by, question.bank),
    }


@router.get(
    "/questions/{question_id}",
    response={200: QuestionDetailOut, **ERRORS},
    summary="One question with its versions",
    operation_id="lantoa_contests_api_question_detail",
)
def question_detail(request: HttpRequest, question_id: Id) -> Any:
    """The question, its current version and every version before it, newest first."""
    return _detail(request.user, access_question(by=request.user, pk=question_id))


@router.post(
    "/questions/{question_id}/versions",
    response={200: QuestionDetailOut, **ERRORS},
    summary="Revise a question (a new version)",
    operation_id="lantoa_contests_api_question_revise",
)
def question_revise(request: HttpRequest, question_id: Id, body: QuestionIn) -> Any:
    """The whole question as it should read. A change to what it says (stem, options, correct
    options, kind, scoring, explanation) adds a version; earlier versions stay as they were.
    Tags, difficulty, code and source document change on the question itself."""
    question = access_question(by=request.user, pk=question_id, capability=Capability.EDIT_RECORDS)
    question = services.question_revise(by=request.user, question=question, data=question_data(request.user, body))
    return _detail(request.user, question)


@router.post(
    "/questions/{question_id}/retire",
    response={200: QuestionDetailOut, **ERRORS},
    summary="Retire a question",
    operation_id="lantoa_contests_api_question_retire",
)
def question_retire(request: HttpRequest, question_id: Id) -> Any:
    """The question is no longer drawn for new attempts; its versions stay."""
    question = access_question(by=request.user, pk=question_id, capability=Capability.EDIT_RECORDS)
    return _detail(request.user, services.question_retire(by=request.user, question=question))
