"""Banks and questions through the services: versions are never edited in place, every text is
bounded, retries with a client key answer the first result, and every write is audited."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from lantoa.contests.models import (
    EXPLANATION_MAX,
    OPTION_MAX,
    STEM_MAX,
    TAG_MAX,
    Kind,
    Question,
    QuestionVersion,
    Scoring,
)
from lantoa.contests.services import (
    BankData,
    bank_create,
    bank_update,
    question_create,
    question_retire,
    question_revise,
)
from lantoa.contests.tests.factories import make_bank, make_question, question_data
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_question_is_created_with_its_first_version(tree):
    bank = make_bank(tree.province)
    question = make_question(bank)
    version = question.current
    assert (version.number, question.version_count) == (1, 1)
    assert version.options == [
        {"key": "A", "text": "1925"},
        {"key": "B", "text": "1930"},
        {"key": "C", "text": "1945"},
        {"key": "D", "text": "1954"},
    ]
    assert version.correct == ["B"]
    assert [t.name for t in question.tags.all()] == ["Chương 1"]
    assert AuditEntry.objects.filter(action="lantoa.contests.question.created", target_id=str(question.pk)).exists()


def test_revising_adds_a_version_and_never_changes_the_old_one(tree, admin_user):
    bank = make_bank(tree.province)
    question = make_question(bank)
    first = QuestionVersion.objects.get(question=question, number=1)
    snapshot = (first.stem, first.options, first.correct, first.explanation)
    revised = question_revise(
        by=admin_user,
        question=question,
        data=question_data(stem="Đảng Cộng sản Việt Nam được thành lập năm nào?", options=["1929", "1930", "1931"]),
    )
    assert revised.version_count == 2
    assert revised.current.number == 2 and revised.current.stem.endswith("thành lập năm nào?")
    first.refresh_from_db()
    assert (first.stem, first.options, first.correct, first.explanation) == snapshot
    assert revised.current.created_by == admin_user
    entry = AuditEntry.objects.get(action="lantoa.contests.question.revised")
    assert {"stem", "options"} <= set(entry.changed_fields)
    assert "1930" not in str(entry.changed_fields)


def test_a_revision_that_changes_only_tags_adds_no_version(tree):
    bank = make_bank(tree.province)
    question = make_question(bank)
    question = question_revise(by=None, question=question, data=question_data(tags=["Chương 2"], difficulty=3))
    assert question.version_count == 1
    assert (sorted(t.name for t in question.tags.all()), question.difficulty) == (["Chương 2"], 3)
    unchanged = question_revise(by=None, question=question, data=question_data(tags=["Chương 2"], difficulty=3))
    assert unchanged.version_count == 1
    assert AuditEntry.objects.filter(action="lantoa.contests.question.revised").count() == 1


def test_the_database_keeps_one_version_per_number(tree):
    question = make_question(make_bank(tree.province))
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionVersion.objects.create(
            question=question, number=1, kind=Kind.SINGLE, stem="x", options=[], correct=[], scoring="all_or_nothing"
        )


def test_a_retired_question_keeps_its_versions_and_cannot_be_revised(tree):
    question = make_question(make_bank(tree.province))
    retired = question_retire(by=None, question=question)
    assert retired.retired_at is not None
    again = question_retire(by=None, question=retired)
    assert again.retired_at == retired.retired_at
    assert AuditEntry.objects.filter(action="lantoa.contests.question.retired").count() == 1
    with pytest.raises(Conflict):
        question_revise(by=None, question=retired, data=question_data(stem="Khác"))
    assert QuestionVersion.objects.filter(question=question).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stem": "\u200b "}, "stem"),
        ({"stem": "x" * (STEM_MAX + 1)}, "stem"),
        ({"options": ["Một"]}, "options"),
        ({"options": [str(n) for n in range(9)]}, "options"),
        ({"options": ["1930", "", "1945"]}, "options"),
        ({"options": ["1930", "1930 "]}, "options"),
        ({"options": ["x" * (OPTION_MAX + 1), "b"]}, "options"),
        ({"correct": []}, "correct"),
        ({"correct": ["E"]}, "correct"),
        ({"correct": ["A", "B"]}, "correct"),
        ({"kind": "essay"}, "kind"),
        ({"scoring": Scoring.PARTIAL}, "scoring"),
        ({"explanation": "x" * (EXPLANATION_MAX + 1)}, "explanation"),
        ({"tags": ["x" * (TAG_MAX + 1)]}, "tags"),
        ({"tags": [f"t{n}" for n in range(11)]}, "tags"),
        ({"difficulty": 4}, "difficulty"),
        ({"difficulty": True}, "difficulty"),
        ({"kind": Kind.TRUE_FALSE, "options": ["Đúng", "Sai", "Không rõ"], "correct": ["A"]}, "options"),
    ],
)
def test_every_bound_is_checked_before_anything_is_written(tree, changes, field):
    bank = make_bank(tree.province)
    with pytest.raises(ValidationFailed) as error:
        question_create(by=None, bank=bank, data=question_data(**changes))
    assert field in error.value.extra["errors"]
    assert not Question.objects.exists()


def test_multiple_select_with_partial_credit_and_true_false_defaults(tree):
    bank = make_bank(tree.province)
    multi = make_question(bank, kind=Kind.MULTIPLE, correct=["c", "A"], scoring=Scoring.PARTIAL)
    assert (multi.current.correct, multi.current.scoring) == (["A", "C"], Scoring.PARTIAL)
    truth = make_question(bank, 2, kind=Kind.TRUE_FALSE, options=[], correct=["A"])
    assert [o["text"] for o in truth.current.options] == ["Đúng", "Sai"]


def test_a_client_key_makes_a_retry_return_the_first_question(tree):
    bank = make_bank(tree.province)
    first = question_create(by=None, bank=bank, data=question_data(client_key="k-1"))
    again = question_create(by=None, bank=bank, data=question_data(client_key="k-1", stem="Khác"))
    assert (first.created, again.created, again.obj.pk) == (True, False, first.obj.pk)
    assert Question.objects.count() == 1


def test_a_code_is_used_once_per_bank(tree):
    bank = make_bank(tree.province)
    make_question(bank, ref="C1-01")
    with pytest.raises(Conflict) as error:
        make_question(bank, 2, ref="C1-01")
    assert error.value.extra["field"] == "ref"
    make_question(make_bank(tree.province, name="Khác"), ref="C1-01")


def test_banks_are_created_once_per_key_named_and_audited(tree, admin_user):
    data = BankData(unit=tree.province, name="  Lịch sử\u200b Đảng ", client_key="b-1")
    first = bank_create(by=admin_user, data=data)
    again = bank_create(by=admin_user, data=data)
    assert (first.created, again.created, first.obj.name) == (True, False, "Lịch sử Đảng")
    with pytest.raises(ValidationFailed):
        bank_create(by=admin_user, data=BankData(unit=tree.province, name="\u200b"))
    bank = bank_update(by=admin_user, bank=first.obj, description="Dùng cho cuộc thi tháng 5")
    assert bank.description == "Dùng cho cuộc thi tháng 5"
    assert AuditEntry.objects.filter(action__startswith="lantoa.contests.bank.").count() == 2
