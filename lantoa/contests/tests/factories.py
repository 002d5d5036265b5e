"""Banks and questions for tests, made through the services."""

from __future__ import annotations

from typing import Any

from lantoa.contests.models import Kind, Question, QuestionBank, Scoring
from lantoa.contests.services import BankData, QuestionData, bank_create, question_create


def make_bank(unit: Any, *, name: str = "Ngân hàng câu hỏi Lịch sử Đảng", by: Any = None) -> QuestionBank:
    return bank_create(by=by, data=BankData(unit=unit, name=name)).obj


def question_data(n: int = 1, **changes: Any) -> QuestionData:
    values: dict[str, Any] = {
        "stem": f"Câu hỏi số {n}: Đảng Cộng sản Việt Nam ra đời năm nào?",
        "options": ["1925", "1930", "1945", "1954"],
        "correct": ["B"],
        "kind": Kind.SINGLE,
        "scoring": Scoring.ALL_OR_NOTHING,
        "explanation": "Hội nghị thành lập Đảng họp đầu năm 1930.",
        "tags": ["Chương 1"],
        "difficulty": 1,
    }
    values.update(changes)
    return QuestionData(**values)


def make_question(bank: QuestionBank, n: int = 1, *, by: Any = None, **changes: Any) -> Question:
    return question_create(by=by, bank=bank, data=question_data(n, **changes)).obj


def make_contest(unit: Any, *, by: Any = None, **changes: Any) -> Any:
    from lantoa.contests.models import ContestStatus
    from lantoa.contests.services import ContestData, contest_create

    values: dict[str, Any] = {"title": "Cuộc thi tìm hiểu Nghị quyết Đại hội XIII", "status": ContestStatus.PUBLISHED}
    values.update(changes)
    return contest_create(by=by, data=ContestData(unit=unit, **values)).obj


def make_round(contest: Any, bank: QuestionBank, *, by: Any = None, **changes: Any) -> Any:
    import datetime as dt

    from django.utils import timezone

    from lantoa.contests.services import RoundData, round_create

    start = timezone.now() - dt.timedelta(days=1)
    values: dict[str, Any] = {
        "bank": bank,
        "opens_at": start,
        "closes_at": start + dt.timedelta(days=7),
        "questions_per_attempt": 3,
    }
    values.update(changes)
    return round_create(by=by, contest=contest, data=RoundData(**values))


def make_contestant(contest: Any, unit: Any, *, name: str = "Nguyễn Văn An", **changes: Any) -> Any:
    """(contestant, secret)."""
    from lantoa.contests.models import ContestantGroup
    from lantoa.contests.services import Registration, contestant_register

    values: dict[str, Any] = {"name": name, "consent": True, "unit": unit, "group": ContestantGroup.PARTY_MEMBER}
    values.update(changes)
    registered = contestant_register(contest=contest, data=Registration(**values))
    return registered.contestant, registered.key


def stock_bank(unit: Any, *, count: int = 4) -> QuestionBank:
    """A bank with ``count`` single-choice questions (answer B) tagged by parity and one
    multiple-select question (A and C) tagged "Nhiều đáp án"."""
    bank = make_bank(unit)
    for n in range(count):
        make_question(bank, n + 1, tags=["Chẵn" if n % 2 == 0 else "Lẻ"])
    make_question(
        bank,
        99,
        kind=Kind.MULTIPLE,
        options=["Một", "Hai", "Ba", "Bốn"],
        correct=["A", "C"],
        scoring=Scoring.PARTIAL,
        tags=["Nhiều đáp án"],
    )
    return bank
