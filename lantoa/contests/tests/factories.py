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
