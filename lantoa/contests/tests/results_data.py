"""Rounds with attempts written directly, with the scores, predictions, durations and times a
results test needs (the hot path that grades them has its own tests)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lantoa.contests.models import Attempt, PredictionKind
from lantoa.contests.tests.factories import make_contest, make_contestant, make_round, stock_bank

_numbers = itertools.count(1)


def past_round(unit: Any, *, contest: Any = None, bank: Any = None, **changes: Any) -> Any:
    """A round of ``unit``'s contest that closed three days ago (closing it is allowed)."""
    bank = bank or stock_bank(unit)
    contest = contest or make_contest(unit, prizes_individual=2, prizes_collective=1)
    opens = timezone.now() - dt.timedelta(days=10)
    values: dict[str, Any] = {
        "opens_at": opens,
        "closes_at": opens + dt.timedelta(days=7),
        "questions_per_attempt": 3,
        "prediction_kind": PredictionKind.ENTRIES,
    }
    values.update(changes)
    return make_round(contest, bank, **values)


def person(round_: Any, unit: Any, name: str = "", **changes: Any) -> Any:
    return make_contestant(round_.contest, unit, name=name or f"Người dự thi {next(_numbers)}", **changes)[0]


def entry(
    round_: Any,
    contestant: Any,
    *,
    score: str | int,
    prediction: int | None = None,
    seconds: float = 300,
    at: dt.datetime | None = None,
    correct: int | None = None,
    answers: list[str] | None = None,
    questions: list[list[Any]] | None = None,
    unit: Any = "same",
) -> Attempt:
    """A submitted attempt: ``score`` points, ``seconds`` taken, submitted at ``at`` (by default
    a day after the round opened)."""
    submitted = at or round_.opens_at + dt.timedelta(days=1)
    number = Attempt.objects.filter(round=round_, contestant=contestant).count() + 1
    return Attempt.objects.create(
        id=uuid.uuid4(),
        round=round_,
        contestant=contestant,
        unit_id=contestant.unit_id if unit == "same" else unit,
        number=number,
        started_at=submitted - dt.timedelta(seconds=seconds),
        deadline=submitted + dt.timedelta(minutes=10),
        questions=questions or [],
        prediction=prediction,
        submitted_at=submitted,
        submitted_on=timezone.localdate(submitted),
        answers=answers or [],
        score=Decimal(str(score)),
        correct_count=int(Decimal(str(score))) if correct is None else correct,
        duration_ms=int(seconds * 1000),
    )
