"""Closing a round: the counted attempt, each tie-break in its order, prediction closeness, ties
sharing a rank, prizes, closing again, the actual figure counted, and the provisional standing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lantoa.contests import overall, results
from lantoa.contests.models import PredictionKind, RoundResult
from lantoa.contests.services import round_close, round_update
from lantoa.contests.tests.results_data import entry, past_round, person
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def ranks(round_) -> list[tuple[str, int]]:
    return list(RoundResult.objects.filter(round=round_).order_by("position").values_list("contestant__name", "rank"))


def test_the_counted_attempt_is_the_contestants_best(tree):
    round_ = past_round(tree.province, attempts_allowed=0)
    an, binh = person(round_, tree.commune_a1, "An"), person(round_, tree.commune_b1, "Bình")
    entry(round_, an, score=1)
    best = entry(round_, an, score=3, seconds=200)
    entry(round_, an, score=3, seconds=250)
    entry(round_, binh, score=2)
    closed = round_close(by=None, round_=round_)
    assert closed.results == 2 and not closed.reclosed
    mine = RoundResult.objects.get(round=round_, contestant=an)
    assert (mine.attempt_id, mine.rank, mine.score, mine.entries) == (best.pk, 1, Decimal("3.00"), 3)
    assert ranks(round_) == [("An", 1), ("Bình", 2)]


def test_each_tie_break_in_the_default_order(tree):
    round_ = past_round(tree.province)
    t0 = round_.opens_at + dt.timedelta(days=1)
    rows = {
        # equal scores: the closer prediction first, then no prediction last
        "close": {"score": 3, "prediction": 5, "seconds": 400, "at": t0},
        "far": {"score": 3, "prediction": 50, "seconds": 100, "at": t0},
        "none": {"score": 3, "prediction": None, "seconds": 50, "at": t0},
        # equal scores and closeness: the shorter time first, then the earlier submission
        "quick": {"score": 2, "prediction": 9, "seconds": 100, "at": t0 + dt.timedelta(hours=1)},
        "slow-early": {"score": 2, "prediction": 9, "seconds": 200, "at": t0},
        "slow-late": {"score": 2, "prediction": 9, "seconds": 200, "at": t0 + dt.timedelta(hours=2)},
        "low": {"score": 1, "prediction": 7, "seconds": 10, "at": t0},
    }
    for name, values in rows.items():
        entry(round_, person(round_, tree.commune_a1, name), **values)
    round_close(by=None, round_=round_, actual=7)
    assert [name for name, _rank in ranks(round_)] == list(rows)
    assert RoundResult.objects.get(round=round_, contestant__name="far").closeness == 43
    assert RoundResult.objects.get(round=round_, contestant__name="none").closeness is None


def test_the_order_of_tie_breaks_is_the_rounds(tree):
    round_ = past_round(tree.province)
    round_ = round_update(by=None, round_=round_, changes={"ranking_order": "duration,prediction"})
    entry(round_, person(round_, tree.commune_a1, "exact but slow"), score=3, prediction=10, seconds=500)
    entry(round_, person(round_, tree.commune_a1, "quick but off"), score=3, prediction=99, seconds=100)
    round_close(by=None, round_=round_, actual=10)
    assert [name for name, _ in ranks(round_)] == ["quick but off", "exact but slow"]


def test_a_ranking_order_names_known_tie_breaks_once(tree):
    round_ = past_round(tree.province)
    for bad in ("duration,duration", "luck"):
        with pytest.raises(ValidationFailed):
            round_update(by=None, round_=round_, changes={"ranking_order": bad})


def test_ties_the_whole_order_cannot_break_share_a_rank(tree):
    round_ = past_round(tree.province, prediction_kind=PredictionKind.NONE)
    at = round_.opens_at + dt.timedelta(days=2)
    entry(round_, person(round_, tree.commune_a1, "A"), score=3, at=at)
    entry(round_, person(round_, tree.commune_a1, "B"), score=2, at=at)
    entry(round_, person(round_, tree.commune_a1, "C"), score=2, at=at)
    entry(round_, person(round_, tree.commune_a1, "D"), score=1, at=at)
    round_close(by=None, round_=round_)
    assert sorted(rank for _name, rank in ranks(round_)) == [1, 2, 2, 4]
    positions = list(RoundResult.objects.filter(round=round_).values_list("position", flat=True))
    assert sorted(positions) == [1, 2, 3, 4]


def test_each_contestant_has_one_result_even_when_their_attempts_tie_on_every_term(tree):
    # The results' (round, contestant) index is not unique: the closing statement alone keeps
    # one row per contestant, closing after closing.
    round_ = past_round(tree.province, prediction_kind=PredictionKind.NONE, attempts_allowed=0)
    at = round_.opens_at + dt.timedelta(days=2)
    twice = person(round_, tree.commune_a1, "A")
    for _attempt in range(3):
        entry(round_, twice, score=2, seconds=60, at=at)
    entry(round_, person(round_, tree.commune_a1, "B"), score=2, seconds=60, at=at)
    for _close in range(2):
        round_close(by=None, round_=round_)
        rows = RoundResult.objects.filter(round=round_).order_by("contestant__name")
        assert list(rows.values_list("contestant__name", "entries", "rank")) == [("A", 3, 1), ("B", 1, 1)]


def test_individual_prizes_go_to_the_top_n_and_a_tie_at_the_last_shares_it(tree):
    round_ = past_round(tree.province, prediction_kind=PredictionKind.NONE)  # 2 individual prizes
    at = round_.opens_at + dt.timedelta(days=2)
    for name, score in (("A", 3), ("B", 2), ("C", 2), ("D", 1)):
        entry(round_, person(round_, tree.commune_a1, name), score=score, at=at)
    round_close(by=None, round_=round_)
    assert sorted(row.contestant.name for row in results.prize_winners(round_)) == ["A", "B", "C"]


def test_the_actual_figure_is_counted_when_not_given(tree):
    round_ = past_round(tree.province, prediction_kind=PredictionKind.ENTRIES, attempts_allowed=0)
    an = person(round_, tree.commune_a1)
    entry(round_, an, score=3, prediction=3)
    entry(round_, an, score=1, prediction=3)
    entry(round_, person(round_, tree.commune_a1), score=3, prediction=1)
    assert round_close(by=None, round_=round_).round.prediction_actual == 3
    perfect = past_round(tree.province, prediction_kind=PredictionKind.PERFECT_SCORES, attempts_allowed=0)
    bao = person(perfect, tree.commune_a1)
    entry(perfect, bao, score=3)
    entry(perfect, bao, score=3)
    entry(perfect, person(perfect, tree.commune_a1), score=2)
    assert round_close(by=None, round_=perfect).round.prediction_actual == 1


def test_the_organisers_figure_wins_and_is_bounded(tree):
    round_ = past_round(tree.province)
    entry(round_, person(round_, tree.commune_a1), score=3, prediction=100)
    assert round_close(by=None, round_=round_, actual=120).round.prediction_actual == 120
    assert RoundResult.objects.get(round=round_).closeness == 20
    with pytest.raises(ValidationFailed):
        round_close(by=None, round_=round_, actual=-1)


def test_a_round_closes_only_when_its_last_attempt_ran_out(tree):
    round_ = past_round(tree.province)
    too_soon = round_.closes_at + dt.timedelta(seconds=round_.time_limit_seconds)
    with pytest.raises(Conflict) as refused:
        round_close(by=None, round_=round_, now=too_soon)
    assert refused.value.code == "round_still_open"
    assert not RoundResult.objects.filter(round=round_).exists()


def test_closing_again_replaces_the_results_whole_and_is_audited(tree, admin_user, monkeypatch):
    round_ = past_round(tree.province)
    a, b = person(round_, tree.commune_a1, "A"), person(round_, tree.commune_a1, "B")
    entry(round_, a, score=3, prediction=10)
    entry(round_, b, score=3, prediction=20)
    round_close(by=admin_user, round_=round_, actual=10)
    assert [n for n, _ in ranks(round_)] == ["A", "B"]
    # A correction of the actual figure reverses the order; nothing of the first ranking stays.
    closed = round_close(by=admin_user, round_=round_, actual=20)
    assert closed.reclosed and [n for n, _ in ranks(round_)] == ["B", "A"]
    assert RoundResult.objects.filter(round=round_).count() == 2
    actions = list(
        AuditEntry.objects.filter(target_id=str(round_.pk), action__startswith="lantoa.contests.round.")
        .order_by("pk")
        .values_list("action", "changed_fields")
    )
    assert actions[-2:] == [
        ("lantoa.contests.round.closed", ["closed_at", "prediction_actual", "results"]),
        ("lantoa.contests.round.reclosed", ["closed_at", "prediction_actual", "results"]),
    ]

    # A failure half-way leaves the stored ranking as it was.
    def broken(*args, **kwargs):
        raise RuntimeError("the unit ranking failed")

    monkeypatch.setattr(results, "unit_ranking", broken)
    with pytest.raises(RuntimeError):
        round_close(by=admin_user, round_=round_, actual=10)
    assert [n for n, _ in ranks(round_)] == ["B", "A"]
    round_.refresh_from_db()
    assert round_.prediction_actual == 20


def test_the_provisional_standing_leaves_the_prediction_out(tree):
    round_ = past_round(tree.province, closes_at=timezone.now() + dt.timedelta(days=3), attempts_allowed=0)
    at = round_.opens_at + dt.timedelta(days=1)
    a, b, c = (person(round_, tree.commune_a1, n) for n in "ABC")
    entry(round_, a, score=2, prediction=1, at=at)
    entry(round_, b, score=3, prediction=999, seconds=300, at=at)
    entry(round_, b, score=1, at=at)
    entry(round_, c, score=3, prediction=2, seconds=400, at=at)
    standing = results.own_standing(round_, c.pk)
    assert (standing.rank, standing.score, standing.entries, standing.final) == (2, Decimal("3.00"), 1, False)
    assert results.own_standing(round_, b.pk).rank == 1
    assert [row.contestant.name for row in results.result_rows(round_)] == ["B", "C", "A"]
    assert results.result_count(round_) == 3
    assert not RoundResult.objects.exists()


def test_the_final_standing_is_one_lookup(tree, django_assert_num_queries):
    round_ = past_round(tree.province)
    a = person(round_, tree.commune_a1)
    entry(round_, a, score=3, prediction=1)
    entry(round_, person(round_, tree.commune_a1), score=1)
    round_ = round_close(by=None, round_=round_).round
    with django_assert_num_queries(1):
        standing = results.own_standing(round_, a.pk)
    assert (standing.rank, standing.final, standing.prize) == (1, True, True)
    with django_assert_num_queries(1):
        assert len(results.result_rows(round_)) == 2


def test_the_command_closes_a_round(tree):
    from io import StringIO

    from django.core.management import CommandError, call_command

    round_ = past_round(tree.province)
    entry(round_, person(round_, tree.commune_a1), score=3, prediction=4)
    out = StringIO()
    call_command("close_round", str(round_.pk), "--actual", "6", stdout=out)
    assert "1 contestants ranked, actual figure 6" in out.getvalue()
    assert RoundResult.objects.get(round=round_).closeness == 2
    with pytest.raises(CommandError):
        call_command("close_round", "999999")


def test_the_overall_ranking_sums_the_counted_attempts(tree):
    first = past_round(tree.province)
    second = past_round(tree.province, contest=first.contest, bank=first.bank)
    a, b, c = (person(first, tree.commune_a1, n) for n in "ABC")
    entry(first, a, score=3, prediction=10, seconds=100)
    entry(second, a, score=2, prediction=10, seconds=100)
    entry(first, b, score=2, prediction=12, seconds=100)
    entry(second, b, score=3, prediction=10, seconds=50)  # same total as A, closer overall? no: 2 off
    entry(first, c, score=3)  # no prediction, one round only
    entry(second, c, score=2, prediction=10)
    round_close(by=None, round_=first, actual=10)
    round_close(by=None, round_=second, actual=10)
    rows = overall.overall_ranking(first.contest)
    assert [(r.contestant.name, r.rank, r.rounds, str(r.score)) for r in rows] == [
        ("A", 1, 2, "5.00"),
        ("B", 2, 2, "5.00"),
        ("C", 3, 2, "5.00"),
    ]
    assert (rows[0].closeness, rows[1].closeness, rows[2].closeness) == (0, 2, None)
    assert [r.contestant.name for r in overall.overall_ranking(first.contest, offset=1, limit=1)] == ["B"]
