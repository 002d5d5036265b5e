"""Scores of answers: single choice, true or false, multiple select all or nothing and with
partial credit."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import pytest

from lantoa.contests.grading import score
from lantoa.contests.models import Kind, Scoring


def version(kind: str, correct: str, scoring: str = Scoring.ALL_OR_NOTHING, options: str = "ABCD") -> SimpleNamespace:
    return SimpleNamespace(
        kind=kind, scoring=scoring, options=[{"key": k, "text": k} for k in options], correct=list(correct)
    )


@pytest.mark.parametrize(
    ("kind", "correct", "scoring", "chosen", "expected"),
    [
        (Kind.SINGLE, "B", Scoring.ALL_OR_NOTHING, "B", 1),
        (Kind.SINGLE, "B", Scoring.ALL_OR_NOTHING, "BC", 0),
        (Kind.SINGLE, "B", Scoring.ALL_OR_NOTHING, "", 0),
        (Kind.TRUE_FALSE, "A", Scoring.ALL_OR_NOTHING, "a", 1),
        (Kind.MULTIPLE, "AC", Scoring.ALL_OR_NOTHING, "CA", 1),
        (Kind.MULTIPLE, "AC", Scoring.ALL_OR_NOTHING, "A", 0),
        (Kind.MULTIPLE, "AC", Scoring.PARTIAL, "A", Fraction(1, 2)),
        (Kind.MULTIPLE, "AC", Scoring.PARTIAL, "AC", 1),
        (Kind.MULTIPLE, "AC", Scoring.PARTIAL, "AB", 0),
        (Kind.MULTIPLE, "ABC", Scoring.PARTIAL, "ABD", Fraction(2, 3) - 1),
        (Kind.MULTIPLE, "ABC", Scoring.PARTIAL, "AB", Fraction(2, 3)),
        (Kind.MULTIPLE, "A", Scoring.PARTIAL, "AB", Fraction(2, 3)),
        (Kind.MULTIPLE, "ABCD", Scoring.PARTIAL, "ABC", Fraction(3, 4)),
        (Kind.MULTIPLE, "ABCD", Scoring.PARTIAL, "ABCDX", 0),
    ],
)
def test_scores(kind, correct, scoring, chosen, expected):
    assert score(version(kind, correct, scoring), list(chosen)) == max(Fraction(0), Fraction(expected))
