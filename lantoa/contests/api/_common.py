"""What the endpoints share: a bank and a question as they are answered, and the parsing of a
question's body."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lantoa.contests import services
from lantoa.contests.models import Question, QuestionBank, QuestionVersion
from lantoa.contests.schemas import QuestionIn
from lantoa.core.errors import NotFound
from lantoa.library.permissions import documents_visible_to


def bank_out(bank: QuestionBank, *, may_change: bool, question_count: int | None = None) -> dict[str, Any]:
    return {
        "id": bank.pk,
        "unit": bank.unit.code,
        "unit_name": bank.unit.name,
        "name": bank.name,
        "description": bank.description,
        "question_count": question_count if question_count is not None else getattr(bank, "question_count", 0),
        "may_change": may_change,
        "created_at": bank.created_at,
        "updated_at": bank.updated_at,
    }


def version_out(version: QuestionVersion) -> dict[str, Any]:
    author = version.created_by
    return {
        "id": version.pk,
        "number": version.number,
        "kind": version.kind,
        "stem": version.stem,
        "options": version.options,
        "correct": version.correct,
        "scoring": version.scoring,
        "explanation": version.explanation,
        "created_at": version.created_at,
        "created_by": (author.get_full_name() or author.username) if author is not None else "",
    }


def question_out(question: Question) -> dict[str, Any]:
    assert question.current is not None  # every question is created with its first version
    return {
        "id": question.pk,
        "uid": str(question.uid),
        "bank": question.bank_id,
        "ref": question.ref,
        "tags": sorted(t.name for t in question.tags.all()),
        "difficulty": question.difficulty,
        "source_document": question.source_document_id,
        "retired_at": question.retired_at,
        "version_count": question.version_count,
        "current": version_out(question.current),
    }


def question_data(by: Any, body: QuestionIn, *, client_key: str = "") -> services.QuestionData:
    document = None
    if body.source_document is not None:
        document = documents_visible_to(by).filter(pk=body.source_document).first()
        if document is None:
            raise NotFound(_("No such document."), extra={"field": "source_document"})
    return services.QuestionData(
        stem=body.stem,
        options=list(body.options),
        correct=[key.upper() for key in body.correct],
        kind=body.kind,
        scoring=body.scoring,
        explanation=body.explanation,
        tags=list(body.tags),
        difficulty=body.difficulty,
        source_document=document,
        ref=body.ref,
        client_key=client_key,
    )
