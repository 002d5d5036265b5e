"""How an answer to a question version scores, between 0 and 1, exactly (a Fraction).

* single choice and true or false: 1 when the one option chosen is the correct one, else 0;
* multiple select, all or nothing: 1 when the options chosen are exactly the correct ones;
* multiple select, partial credit: each correct option chosen earns ``1/len(correct)``, each
  wrong option chosen takes away ``1/len(wrong)``, and the score never goes below 0 — the
  fractions the Moodle export writes (``100/k`` for a correct answer, ``-100/(n-k)`` for a
  wrong one).

Keys that are not options of the version count as wrong choices; a key chosen twice counts
once. Attempts (a later slice) grade with this one function."""

from __future__ import annotations

from collections.abc import Iterable, Set
from fractions import Fraction
from typing import Any

from lantoa.contests.models import Kind, Scoring


def score(version: Any, chosen: Iterable[str]) -> Fraction:
    """The score of ``chosen`` (option keys) on ``version`` (a QuestionVersion or anything with
    ``kind``, ``scoring``, ``options`` and ``correct``)."""
    keys = {option["key"] for option in version.options}
    return score_sets(version.kind, version.scoring, keys, set(version.correct), chosen)


def score_sets(kind: str, scoring: str, keys: Set[str], correct: Set[str], chosen: Iterable[str]) -> Fraction:
    """:func:`score` on a version given by its kind, scoring, option keys and correct keys (the
    submit path keeps the two sets of each version it grades)."""
    picked = {str(key).strip().upper() for key in chosen}
    if kind != Kind.MULTIPLE:
        return Fraction(1) if len(picked) == 1 and picked == correct else Fraction(0)
    if scoring != Scoring.PARTIAL:
        return Fraction(1) if picked == correct else Fraction(0)
    wrong = keys - correct
    earned = Fraction(len(picked & correct), len(correct))
    if wrong:
        earned -= Fraction(len(picked - correct), len(wrong))
    elif picked - keys:
        earned = Fraction(0)
    return max(Fraction(0), earned)
