"""Item analysis on known data, against values computed by hand: facility, the corrected
point-biserial discrimination, and the flags."""

from __future__ import annotations

import math

import pytest

from lantoa.contests.analysis import _Sums, correlation, flags_for, item_analysis
from lantoa.contests.tests.factories import stock_bank
from lantoa.contests.tests.results_data import entry, past_round, person

pytestmark = pytest.mark.django_db

# Five attempts, four questions (answer B): 1 = right, 0 = wrong.
MARKS = [
    (1, 1, 1, 1),
    (1, 1, 0, 1),
    (1, 0, 0, 1),
    (0, 1, 0, 1),
    (1, 0, 1, 1),
]


def test_facility_discrimination_and_flags_by_hand(tree):
    bank = stock_bank(tree.province)
    versions = [q.current_id for q in bank.questions.order_by("pk")[:4]]
    round_ = past_round(tree.province, bank=bank, questions_per_attempt=4)
    for marks in MARKS:
        entry(
            round_,
            person(round_, tree.commune_a1),
            score=sum(marks),
            questions=[[vid, "ABCD"] for vid in versions],
            answers=["B" if right else "A" for right in marks],
        )
    found = {item.version.pk: item for item in item_analysis(round_)}
    q1, q2, q3, q4 = (found[vid] for vid in versions)
    # Q1: x = 1,1,1,0,1; rest = 2,1,0,1,1 (+1 from Q4): n·Σxy − Σx·Σy = 5·(4+4) − 4·10 = 0.
    assert (q1.shown, q1.facility, q1.discrimination, q1.flags) == (5, 0.8, 0.0, ["weak"])
    # Q2: x = 1,1,0,1,0; rest = 2,1,1,0,2: (5·3 − 3·6) / √((5·3 − 9)(5·10 − 36)) = −3/√84.
    assert q2.facility == pytest.approx(0.6)
    assert q2.discrimination == pytest.approx(-3 / math.sqrt(84))
    assert q2.flags == ["negative"]
    # Q3: x = 1,0,0,0,1; rest = 2,2,1,1,1: (5·3 − 2·7) / √(6·6) = 1/6.
    assert (q3.facility, q3.flags) == (pytest.approx(0.4), [])
    assert q3.discrimination == pytest.approx(1 / 6)
    # Q4: everyone right — too easy, and nothing to correlate.
    assert (q4.facility, q4.discrimination, q4.flags) == (1.0, None, ["easy"])


def test_partial_credit_counts_its_part(tree):
    bank = stock_bank(tree.province)
    multiple = bank.questions.get(current__kind="multiple").current  # A and C correct, partial
    round_ = past_round(tree.province, bank=bank, questions_per_attempt=1)
    for chosen in ("AC", "A", "", "ABC"):
        entry(round_, person(round_, tree.commune_a1), score=0, questions=[[multiple.pk, "ABCD"]], answers=[chosen])
    (item,) = item_analysis(round_)
    # 1 + 1/2 + 0 + (1 − 1/2) = 2, over 4 attempts; fewer than five attempts: no discrimination.
    assert (item.facility, item.discrimination) == (0.5, None)


def test_the_thresholds():
    assert flags_for(0.19, 0.5) == ["hard"]
    assert flags_for(0.2, 0.1) == []
    assert flags_for(0.96, 0.05) == ["easy", "weak"]
    assert flags_for(0.5, -0.01) == ["negative"]
    assert correlation(_Sums()) is None
