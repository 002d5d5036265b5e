"""The arithmetic, on numbers worked out by hand."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from lantoa.judging import scoring
from lantoa.judging.scoring import CriterionScore


def test_a_sheet_total_is_the_weighted_share_of_each_maximum_out_of_100():
    # 40 × 8/10 + 60 × 15/20 = 32 + 45 = 77 (of weights 100)
    scores = [
        CriterionScore(Decimal(8), Decimal(10), Decimal(40)),
        CriterionScore(Decimal(15), Decimal(20), Decimal(60)),
    ]
    assert scoring.sheet_total(scores) == Decimal("77.000")
    # Weights need not add up to 100: 1 × 5/10 + 3 × 10/10 = 3.5 of 4 → 87.5
    scores = [CriterionScore(Decimal(5), Decimal(10), Decimal(1)), CriterionScore(Decimal(10), Decimal(10), Decimal(3))]
    assert scoring.sheet_total(scores) == Decimal("87.500")


def test_mean_trimmed_mean_and_median():
    assert scoring.mean([70, 80, 90]) == 80
    assert scoring.trimmed_mean([60, 70, 80, 100]) == 75  # 60 and 100 dropped
    assert scoring.trimmed_mean([60, 100]) == 80  # too few to drop any
    assert scoring.median([60, 70, 100]) == 70
    assert scoring.median([60, 70, 80, 100]) == 75
    scores = {"a": {1: 60.0, 2: 70.0, 3: 100.0}, "b": {1: 80.0, 2: 80.0}}
    assert scoring.aggregate(scores, "mean") == {"a": pytest.approx(76.6666667), "b": 80}
    assert scoring.aggregate(scores, "trimmed_mean") == {"a": 70, "b": 80}
    assert scoring.aggregate(scores, "median") == {"a": 70, "b": 80}


def test_normalisation_puts_a_harsh_and_a_lenient_juror_on_one_scale():
    # Juror 1 is harsh (40, 60), juror 2 lenient (80, 100): each one's better entry has z = +1,
    # the worse z = −1. All four totals: mean 70, population sd √500 ≈ 22.3607.
    scores = {"x": {1: 40.0}, "y": {1: 60.0}, "z": {2: 80.0}, "w": {2: 100.0}}
    result = scoring.normalised(scores)
    assert result["y"] == pytest.approx(70 + 22.3607, abs=1e-4) == result["w"]
    assert result["x"] == pytest.approx(70 - 22.3607, abs=1e-4) == result["z"]
    # On the raw mean the lenient juror's worse entry (80) beat the harsh juror's better (60).
    assert scoring.aggregate(scores, "mean")["z"] > scoring.aggregate(scores, "mean")["y"]


def test_normalisation_with_two_jurors_on_the_same_entries():
    # Juror 1: e1 60, e2 40 (mean 50, sd 10); juror 2: e1 90, e2 80 (mean 85, sd 5): both z = ±1.
    # Overall: mean 67.5, sd √368.75 ≈ 19.2029.
    result = scoring.normalised({"e1": {1: 60.0, 2: 90.0}, "e2": {1: 40.0, 2: 80.0}})
    assert result["e1"] == pytest.approx(86.7029, abs=1e-4)
    assert result["e2"] == pytest.approx(48.2971, abs=1e-4)


def test_a_juror_who_gave_everyone_the_same_says_nothing_about_order():
    result = scoring.normalised({"a": {1: 70.0, 2: 90.0}, "b": {1: 70.0, 2: 50.0}})
    # Juror 1: z = 0 for both; juror 2: a +1, b −1. Overall mean 70, sd √200 ≈ 14.1421; mean z ±0.5.
    assert result["a"] == pytest.approx(70 + 0.5 * 14.1421, abs=1e-4)
    assert result["b"] == pytest.approx(70 - 0.5 * 14.1421, abs=1e-4)


def test_the_audience_vote_is_mixed_in_by_its_weight():
    # e1: 0.8 × 80 + 0.2 × (100 × 50/200) = 64 + 5 = 69; e2: 0.8 × 70 + 0.2 × 100 = 76.
    result = scoring.with_audience({"e1": 80.0, "e2": 70.0}, {"e1": 50, "e2": 200}, 0.2)
    assert result == {"e1": pytest.approx(69), "e2": pytest.approx(76)}
    assert scoring.with_audience({"e1": 80.0}, {"e1": 5}, 0) == {"e1": 80.0}
    assert scoring.with_audience({"e1": 80.0}, {}, 0.5) == {"e1": 40.0}  # no votes at all


def test_ranking_breaks_ties_by_the_declared_criterion_then_shares_the_place():
    scores = {"a": 80.0, "b": 75.0, "c": 75.0, "d": 70.0}
    assert scoring.rank(scores, {"b": 8.0, "c": 9.0}) == [("a", 1), ("c", 2), ("b", 3), ("d", 4)]
    shared = scoring.rank(scores)
    assert dict(shared) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_who_advances_top_n_with_ties_or_above_a_threshold():
    scores = {"a": 80.0, "b": 75.0, "c": 75.0, "d": 70.0}
    ranked = scoring.rank(scores)
    assert set(scoring.advancing(ranked, scores, rule="top_n", count=2, threshold=None)) == {"a", "b", "c"}
    assert scoring.advancing(ranked, scores, rule="top_n", count=1, threshold=None) == ["a"]
    assert set(scoring.advancing(ranked, scores, rule="threshold", count=None, threshold=75)) == {"a", "b", "c"}
    assert scoring.advancing(ranked, scores, rule="none", count=None, threshold=None) == []


def test_disagreement_is_more_than_the_margin():
    assert scoring.disagreement([70, 85.5], 15)
    assert not scoring.disagreement([70, 85], 15)
    assert not scoring.disagreement([70], 0)
    assert not scoring.disagreement([10, 90], None)


@pytest.mark.parametrize("seed", range(5))
def test_assignment_gives_k_jurors_without_conflict_and_balances_loads(seed):
    rng = random.Random(seed)
    entries = list(range(200))
    jurors = [f"j{n}" for n in range(13)]
    conflicts = {entry: set(rng.sample(jurors, rng.randint(0, 4))) for entry in entries if rng.random() < 0.3}
    plan = scoring.assign(entries, jurors, 3, conflicts)
    loads = dict.fromkeys(jurors, 0)
    for entry, chosen in plan.items():
        assert len(chosen) == len(set(chosen)) == 3
        assert not set(chosen) & conflicts.get(entry, set())
        for juror in chosen:
            loads[juror] += 1
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 600


def test_assignment_counts_what_is_already_there_and_refuses_the_impossible():
    plan = scoring.assign(["a", "b"], [1, 2, 3], 2, {}, loads={1: 2}, already={"a": {1}})
    assert len(plan["a"]) == 1 and 1 not in plan["a"] and len(plan["b"]) == 2
    assert 1 not in plan["b"]  # juror 1 already carries two sheets
    with pytest.raises(scoring.AssignmentImpossible):
        scoring.assign(["a"], [1, 2, 3], 2, {"a": {1, 2}})


def test_the_extra_juror_is_the_least_loaded_free_one():
    assert scoring.extra_juror([1, 2, 3, 4], {1: 5, 2: 1, 3: 0, 4: 0}, taken={1, 2}, conflicted={3}) == 4
    assert scoring.extra_juror([1, 2], {}, taken={1}, conflicted={2}) is None
