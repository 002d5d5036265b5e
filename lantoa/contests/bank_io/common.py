"""What the spreadsheet and the Moodle XML imports share: a question read from a file, the rules
for meeting a question the bank already has, and writing them all (or nothing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lantoa.contests.models import Question, QuestionBank
from lantoa.contests.services import (
    CleanQuestion,
    QuestionData,
    TagCache,
    question_create,
    question_revise,
)
from lantoa.core.audit import audit_record
from lantoa.core.errors import ApplicationError

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML_TYPE = "application/xml"


@dataclass
class Skipped:
    """A question of the file that is not imported, and why (a Moodle type Lantoa does not
    have, an embedded picture…)."""

    position: int
    name: str
    type: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"position": self.position, "name": self.name, "type": self.type, "reason": self.reason}


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)  # ids of the questions created
    revised: list[int] = field(default_factory=list)  # ids of the questions given a new version
    unchanged: int = 0  # questions the bank already had, word for word (same code)
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self) -> str:
        text = _(
            "%(created)s question(s) added, %(revised)s revised (a new version each), "
            "%(unchanged)s already in the bank unchanged."
        ) % {"created": len(self.created), "revised": len(self.revised), "unchanged": self.unchanged}
        if self.skipped:
            text += " " + _("%(count)s question(s) of the file were not imported (listed below).") % {
                "count": len(self.skipped)
            }
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "revised": len(self.revised),
            "unchanged": self.unchanged,
            "questions": self.created + self.revised,
            "skipped": [s.as_dict() for s in self.skipped],
            "message": self.summary(),
        }


@dataclass
class Planned:
    """One question of the file, checked, and what importing it will do."""

    data: QuestionData
    clean: CleanQuestion
    existing: Question | None = None
    action: str = "create"  # create, revise or unchanged
    where: Any = None  # the row or position, for a message if the write fails


def existing_by_ref(bank: QuestionBank, refs: Sequence[str]) -> dict[str, Question]:
    wanted = [ref for ref in refs if ref]
    if not wanted:
        return {}
    questions = Question.objects.filter(bank=bank, ref__in=wanted).select_related("current").prefetch_related("tags")
    return {q.ref: q for q in questions}


def plan_action(planned: Planned) -> None:
    """A question whose code the bank already has is revised if it says something else, and
    left alone if it says the same."""
    existing = planned.existing
    if existing is None:
        planned.action = "create"
        return
    same_content = existing.current is not None and existing.current.content == planned.clean.content
    same_tags = sorted(t.name for t in existing.tags.all()) == sorted(planned.clean.tags)
    same = same_content and same_tags and existing.difficulty == planned.clean.difficulty
    planned.action = "unchanged" if same else "revise"


def apply_planned(*, by: Any, bank: QuestionBank, planned: Sequence[Planned], result: ImportResult) -> ImportResult:
    """Write every planned question (inside the importer's transaction); one audit entry for
    the import besides each question's own."""
    tags = TagCache(bank)
    for item in planned:
        data = item.data
        if item.existing is not None and data.source_document is None:
            data.source_document = item.existing.source_document
        if item.action == "create":
            result.created.append(question_create(by=by, bank=bank, data=data, tag_cache=tags).obj.pk)
        elif item.action == "revise" and item.existing is not None:
            result.revised.append(question_revise(by=by, question=item.existing, data=data, tag_cache=tags).pk)
        else:
            result.unchanged += 1
    if result.created or result.revised:
        audit_record(action="lantoa.contests.bank.imported", by=by, target=bank, unit=bank.unit, changed=["questions"])
    return result


class WriteFailed(ApplicationError):
    """Something changed between the check and the write (another import of the same codes)."""
