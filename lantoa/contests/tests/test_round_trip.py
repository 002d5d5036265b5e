"""A bank exported to XLSX or Moodle XML and imported into another bank gives the same
questions; imported back into itself it changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from lantoa.contests.bank_io import export_moodle, export_xlsx, questions_import
from lantoa.contests.models import Kind, Question, QuestionBank, Scoring
from lantoa.contests.tests.factories import make_bank, make_question

pytestmark = pytest.mark.django_db


def _bank(tree: Any) -> QuestionBank:
    bank = make_bank(tree.province)
    make_question(bank, 1, ref="C1-01", explanation="Dòng một.\nDòng hai & <ba>.")
    make_question(
        bank,
        2,
        kind=Kind.MULTIPLE,
        options=["Thể chế", "Nhân lực", "Hạ tầng", "Du lịch, dịch vụ"],
        correct=["A", "B", "C"],
        scoring=Scoring.PARTIAL,
        tags=["Chương 2", "Đại hội XIII"],
        difficulty=3,
    )
    make_question(bank, 3, kind=Kind.MULTIPLE, correct=["A", "D"], tags=["Lịch sử Đảng/Chương 1"], ref="C1-03")
    make_question(bank, 4, kind=Kind.TRUE_FALSE, options=[], correct=["B"], tags=[], explanation="")
    make_question(bank, 5, kind=Kind.MULTIPLE, correct=["C"], scoring=Scoring.PARTIAL, tags=["Một, hai"])
    return bank


def _questions(bank: QuestionBank, *, moodle: bool) -> list[tuple[Any, ...]]:
    rows = []
    for q in Question.objects.filter(bank=bank).select_related("current").prefetch_related("tags"):
        assert q.current is not None
        content = q.current.content
        rows.append(
            (
                content["stem"],
                tuple(content["options"]),
                tuple(content["correct"]),
                content["kind"],
                content["scoring"],
                content["explanation"],
                tuple(sorted(t.name for t in q.tags.all())),
                None if moodle else q.difficulty,  # Moodle has no difficulty
            )
        )
    return sorted(rows)


def _all(bank: QuestionBank) -> list[Question]:
    return list(Question.objects.filter(bank=bank).select_related("current").prefetch_related("tags"))


@pytest.mark.parametrize("english", [False, True])
def test_xlsx_round_trip(tree, admin_user, english):
    bank = _bank(tree)
    content = export_xlsx(_all(bank), english=english)
    other = make_bank(tree.province, name="Bản sao")
    result = questions_import(by=admin_user, bank=other, file=content)
    assert len(result.created) == 5
    assert _questions(other, moodle=False) == _questions(bank, moodle=False)
    again = questions_import(by=admin_user, bank=bank, file=content)
    # The two with a code are found unchanged; those without one are added again.
    assert (len(again.created), len(again.revised), again.unchanged) == (3, 0, 2)


def test_moodle_round_trip(tree, admin_user):
    bank = _bank(tree)
    content = export_moodle(_all(bank))
    other = make_bank(tree.province, name="Bản sao")
    result = questions_import(by=admin_user, bank=other, file=content)
    assert (len(result.created), result.skipped) == (5, [])
    assert _questions(other, moodle=True) == _questions(bank, moodle=True)
    again = questions_import(by=admin_user, bank=other, file=content)
    assert (len(again.created), len(again.revised), again.unchanged) == (3, 0, 2)
