"""The demo's question bank: every question passes the services' checks, in three chapters,
with multiple-select questions among them."""

from __future__ import annotations

import pytest

from lantoa.contests import demo
from lantoa.contests.duplicates import duplicate_pairs
from lantoa.contests.models import Kind, PrizeClaim, Question
from lantoa.contests.referrals import referral_ranking
from lantoa.contests.selectors import bank_tags

pytestmark = pytest.mark.django_db


def test_the_demo_bank_has_forty_questions_in_three_chapters(tree):
    bank = demo.build_bank(tree.province)
    questions = Question.objects.filter(bank=bank).select_related("current")
    assert questions.count() == len(demo.QUESTIONS) == 40
    assert {t.name: t.question_count for t in bank_tags(bank)} == {"Chương 1": 14, "Chương 2": 11, "Chương 3": 15}
    kinds = [q.current.kind for q in questions if q.current is not None]
    assert kinds.count(Kind.MULTIPLE) >= 5 and kinds.count(Kind.TRUE_FALSE) >= 5
    assert len({q.current.stem for q in questions if q.current is not None}) == 40


def test_the_demo_contest_has_three_weekly_rounds_and_hundreds_of_entries(tree):
    from lantoa.contests.models import Attempt, Contestant, ContestStatus

    bank = demo.build_bank(tree.province)
    built = demo.build_contest(tree.province, bank, province=tree.province)
    contest = built.contest
    contest.refresh_from_db()
    assert contest.status == ContestStatus.CLOSED and (contest.prizes_individual, contest.prizes_collective) == (7, 7)
    rounds = list(contest.rounds.order_by("number"))
    assert [r.questions_per_attempt for r in rounds] == [19, 19, 19]
    assert all(r.prediction_kind != "none" for r in rounds)
    assert Contestant.objects.filter(contest=contest).count() == demo.CONTESTANTS
    submitted = Attempt.objects.filter(round__contest=contest, submitted_at__isnull=False)
    assert submitted.count() == built.attempts > demo.CONTESTANTS
    assert all(len(a.questions) == 19 for a in submitted[:20])


def test_the_demo_results_rank_the_rounds_units_and_questions(tree, monkeypatch):
    from lantoa.contests import analysis, results
    from lantoa.contests.models import Attempt, RoundResult, UnitResult

    monkeypatch.setattr(demo, "CONTESTANTS", 0)  # the generated attempts alone, to keep the test quick
    bank = demo.build_bank(tree.province)
    built = demo.build_contest(tree.province, bank, province=tree.province)
    made = demo.build_results(built.contest, bank, province=tree.province, extra=400)
    assert made.contestants == 400 and made.attempts > 800
    rounds = list(built.contest.rounds.order_by("number"))
    assert all(r.closed_at is not None and r.results_published_at is not None for r in rounds)
    assert Attempt.objects.filter(round__contest=built.contest).count() == built.attempts + made.attempts
    first = rounds[0]
    assert first.prediction_actual == Attempt.objects.filter(round=first, submitted_at__isnull=False).count()
    assert RoundResult.objects.filter(round=first, prize=True).count() >= 7
    units = list(UnitResult.objects.filter(round=first))
    assert units and all(u.rate is not None for u in units if u.contestants)
    flagged = {item.version.question.ref for item in analysis.item_analysis(first) if item.flagged}
    assert demo.HARD_REF in flagged
    assert results.own_standing(first, RoundResult.objects.filter(round=first).first().contestant_id).final
    statuses = sorted(c.status for c in PrizeClaim.objects.filter(round=first))
    assert statuses == ["claimed", "claimed", "erased", "paid"]
    pairs = duplicate_pairs(built.contest)
    assert [p.reason for p in pairs] == ["same_person"]
    assert referral_ranking(built.contest)[0].referred > 0
