"""Starting and submitting attempts through the services: the checks in order, the draw, the
time limit and grace, attempt limits counting every start, idempotent submission, grading and
the queries each costs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lantoa.contests import public_cache
from lantoa.contests.models import Attempt, Kind, QuestionVersion
from lantoa.contests.services import (
    Registration,
    attempt_for_key,
    attempt_start,
    attempt_submit,
    contestant_for_key,
    contestant_register,
    question_revise,
    shown_questions,
)
from lantoa.contests.tests.factories import (
    make_contest,
    make_contestant,
    make_round,
    question_data,
    stock_bank,
)
from lantoa.core.errors import Conflict, NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tree):
    bank = stock_bank(tree.province)
    contest = make_contest(tree.province)
    round_ = make_round(contest, bank, questions_per_attempt=5, time_limit_seconds=600, grace_seconds=30)
    contestant, key = make_contestant(contest, tree.commune_a1)
    return bank, contest, round_, contestant, key


def right_letters(attempt: Attempt) -> list[list[str]]:
    """The letters shown that are correct, read from the database (as a test may)."""
    letters = []
    for vid, order in attempt.questions:
        correct = QuestionVersion.objects.get(pk=vid).correct
        letters.append(["ABCDEFGH"[i] for i, key in enumerate(order) if key in correct])
    return letters


def test_start_then_submit_grades_and_stores_the_result(setup, tree):
    _bank, _contest, round_, contestant, key = setup
    now = timezone.now()
    started = attempt_start(contestant=contestant, round_=round_, now=now)
    attempt = started.attempt
    assert started.created and len(attempt.questions) == 5 and len(shown_questions(attempt, round_.bank_id)) == 5
    assert attempt.deadline == now + dt.timedelta(seconds=600)
    assert attempt.unit_id == tree.commune_a1.pk
    assert all(sorted(order) == list("ABCD") for _v, order in attempt.questions)
    loaded = attempt_for_key(attempt.pk, key)
    done = attempt_submit(attempt=loaded, answers=right_letters(attempt), now=now + dt.timedelta(seconds=95))
    assert done.created
    stored = Attempt.objects.get(pk=attempt.pk)
    assert (stored.score, stored.correct_count, stored.duration_ms) == (Decimal("5.00"), 5, 95000)
    assert stored.submitted_at == now + dt.timedelta(seconds=95)


def test_a_retry_answers_the_stored_result_and_counts_once(setup):
    _bank, _contest, round_, contestant, key = setup
    now = timezone.now()
    attempt = attempt_start(contestant=contestant, round_=round_, now=now).attempt
    first = attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=[], now=now + dt.timedelta(seconds=10))
    again = attempt_submit(
        attempt=attempt_for_key(attempt.pk, key), answers=right_letters(attempt), now=now + dt.timedelta(seconds=20)
    )
    assert first.created and not again.created
    assert again.attempt.score == first.attempt.score == Decimal("0.00")
    assert again.attempt.submitted_at == first.attempt.submitted_at
    # The same attempt loaded before the first submission was stored: the UPDATE finds nothing.
    stale = Attempt.objects.get(pk=attempt.pk)
    stale.submitted_at = None
    late = attempt_submit(attempt=stale, answers=right_letters(attempt), now=now + dt.timedelta(seconds=30))
    assert not late.created and late.attempt.score == Decimal("0.00")
    assert Attempt.objects.filter(round=round_, submitted_at__isnull=False).count() == 1


def test_time_limit_and_grace(setup):
    _bank, _contest, round_, contestant, key = setup
    now = timezone.now()
    attempt = attempt_start(contestant=contestant, round_=round_, now=now).attempt
    within_grace = now + dt.timedelta(seconds=600 + 30)
    assert attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=[], now=within_grace).created
    other, _key = make_contestant(round_.contest, round_.contest.unit, name="Lò Thị Bình")
    late = attempt_start(contestant=other, round_=round_, now=now).attempt
    with pytest.raises(Conflict) as refused:
        attempt_submit(attempt=late, answers=[], now=now + dt.timedelta(seconds=631))
    assert refused.value.code == "attempt_expired"
    assert Attempt.objects.get(pk=late.pk).submitted_at is None


def test_every_start_counts_against_the_limit(setup, tree):
    bank, contest, _round, contestant, _key = setup
    round_ = make_round(contest, bank, number=2, attempts_allowed=2, questions_per_attempt=2)
    now = timezone.now()
    attempt_start(contestant=contestant, round_=round_, now=now)  # started, never submitted
    attempt_start(contestant=contestant, round_=round_, now=now)
    with pytest.raises(Conflict) as refused:
        attempt_start(contestant=contestant, round_=round_, now=now)
    assert refused.value.code == "attempts_exhausted" and refused.value.status == 409
    assert Attempt.objects.filter(round=round_, contestant=contestant).count() == 2


def test_unlimited_attempts_and_the_same_client_key(setup):
    bank, contest, _round, contestant, _key = setup
    round_ = make_round(contest, bank, number=2, attempts_allowed=0, questions_per_attempt=2)
    first = attempt_start(contestant=contestant, round_=round_, client_key="k1")
    again = attempt_start(contestant=contestant, round_=round_, client_key="k1")
    assert again.attempt.pk == first.attempt.pk and not again.created
    for n in range(3):
        attempt_start(contestant=contestant, round_=round_, client_key=f"other{n}")
    assert Attempt.objects.filter(round=round_).count() == 4


def test_outside_the_round_or_its_daily_window_is_refused(setup):
    bank, contest, round_, contestant, _key = setup
    with pytest.raises(Conflict) as early:
        attempt_start(contestant=contestant, round_=round_, now=round_.opens_at - dt.timedelta(minutes=1))
    assert early.value.code == "round_not_open"
    with pytest.raises(Conflict) as late:
        attempt_start(contestant=contestant, round_=round_, now=round_.closes_at)
    assert late.value.code == "round_closed"
    opens = timezone.make_aware(dt.datetime(2026, 3, 2, 0, 0))  # a Monday, local time
    windowed = make_round(
        contest,
        bank,
        number=3,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=7),
        window_start=dt.time(7, 30),
        window_end=dt.time(17, 30),
        weekdays="12345",
        attempts_allowed=0,
    )
    monday_morning = opens.replace(hour=7, minute=29)
    with pytest.raises(Conflict) as before:
        attempt_start(contestant=contestant, round_=windowed, now=monday_morning)
    assert before.value.code == "outside_window"
    assert attempt_start(contestant=contestant, round_=windowed, now=opens.replace(hour=7, minute=30)).created
    with pytest.raises(Conflict) as saturday:
        attempt_start(contestant=contestant, round_=windowed, now=opens + dt.timedelta(days=5, hours=10))
    assert saturday.value.code == "outside_window"


def test_a_round_of_another_contest_is_not_found(setup, tree):
    bank, _contest, _round, contestant, _key = setup
    elsewhere = make_round(make_contest(tree.province, title="Cuộc thi khác"), bank)
    with pytest.raises(NotFound):
        attempt_start(contestant=contestant, round_=elsewhere)


def test_draw_rules_take_so_many_from_each_tag(setup):
    bank, contest, _round, contestant, _key = setup
    round_ = make_round(
        contest,
        bank,
        number=2,
        questions_per_attempt=3,
        draw_rules=[{"tag": "Chẵn", "count": 2}, {"tag": "Nhiều đáp án", "count": 1}],
    )
    attempt = attempt_start(contestant=contestant, round_=round_).attempt
    kinds = [QuestionVersion.objects.get(pk=vid).kind for vid, _order in attempt.questions]
    assert kinds == [Kind.SINGLE, Kind.SINGLE, Kind.MULTIPLE]
    assert len({vid for vid, _o in attempt.questions}) == 3


def test_multiple_select_scores_all_or_nothing_and_partial(tree):
    from lantoa.contests.models import Scoring
    from lantoa.contests.tests.factories import make_bank, make_question

    contest = make_contest(tree.province)
    for scoring, expected in ((Scoring.PARTIAL, Decimal("0.50")), (Scoring.ALL_OR_NOTHING, Decimal("0.00"))):
        bank = make_bank(tree.province, name=f"Ngân hàng {scoring}")
        make_question(bank, kind=Kind.MULTIPLE, options=["1", "2", "3", "4"], correct=["A", "C"], scoring=scoring)
        round_ = make_round(contest, bank, questions_per_attempt=1)
        contestant, key = make_contestant(contest, tree.commune_a1, name=f"Người thi {scoring}")
        attempt = attempt_start(contestant=contestant, round_=round_).attempt
        order = attempt.questions[0][1]
        shown_a = "ABCD"[order.index("A")]  # one of the two right options, as shown
        done = attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=[[shown_a]])
        assert done.attempt.score == expected
        assert done.attempt.answers == ["A"]
        assert done.attempt.correct_count == 0


def test_answers_naming_options_the_question_lacks_are_refused(setup):
    _bank, _contest, round_, contestant, key = setup
    attempt = attempt_start(contestant=contestant, round_=round_).attempt
    with pytest.raises(ValidationFailed):
        attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=[["Z"]])
    with pytest.raises(ValidationFailed):
        attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=[[]] * 6)


def test_a_version_revised_during_the_round_grades_the_version_shown(setup, tree):
    bank, contest, _round, contestant, key = setup
    round_ = make_round(contest, bank, number=2, questions_per_attempt=5)
    attempt = attempt_start(contestant=contestant, round_=round_).attempt
    right = right_letters(attempt)
    for vid, _order in attempt.questions:
        question = QuestionVersion.objects.get(pk=vid).question
        question_revise(by=None, question=question, data=question_data(options=["1", "2", "3"], correct=["C"]))
    done = attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=right)
    assert done.attempt.score == Decimal("5.00")


def test_someone_elses_key_finds_no_attempt(setup, tree):
    _bank, contest, round_, contestant, _key = setup
    attempt = attempt_start(contestant=contestant, round_=round_).attempt
    _other, other_key = make_contestant(contest, tree.commune_b1, name="Vàng A Sử")
    with pytest.raises(NotFound):
        attempt_for_key(attempt.pk, other_key)
    with pytest.raises(NotFound):
        attempt_for_key(attempt.pk, "")


def test_start_and_submit_cost_a_fixed_number_of_queries(setup):
    _bank, _contest, round_, _contestant, key = setup
    public_cache.cached_round(round_.pk)
    public_cache.cached_bank(round_.bank_id)  # warm, as after the first contestant
    with CaptureQueriesContext(connection) as start_queries:
        found = contestant_for_key(key)
        warm_round = public_cache.cached_round(round_.pk)
        assert found is not None and warm_round is not None
        attempt = attempt_start(contestant=found, round_=warm_round).attempt
    assert len(start_queries) == 3  # the contestant, their attempts in the round, the INSERT
    with CaptureQueriesContext(connection) as submit_queries:
        attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=right_letters_cached(attempt))
    assert len(submit_queries) == 2  # the attempt with its contestant's key, the UPDATE


def right_letters_cached(attempt: Attempt) -> list[list[str]]:
    round_ = public_cache.cached_round(attempt.round_id)
    assert round_ is not None
    items = public_cache.versions(round_.bank_id, [vid for vid, _order in attempt.questions])
    return [
        ["ABCDEFGH"[i] for i, key in enumerate(order) if key in items[vid].correct] for vid, order in attempt.questions
    ]


def test_registration_asks_consent_and_a_guardian_for_minors(tree):
    contest = make_contest(tree.province, min_age=12)
    year = timezone.localdate().year
    base = {"name": "Hầu Thị Mai", "unit": tree.commune_a1, "group": "student"}
    with pytest.raises(ValidationFailed) as no_consent:
        contestant_register(contest=contest, data=Registration(consent=False, birth_year=year - 30, **base))
    assert no_consent.value.extra["field"] == "consent"
    with pytest.raises(ValidationFailed) as no_guardian:
        contestant_register(contest=contest, data=Registration(consent=True, birth_year=year - 13, **base))
    assert no_guardian.value.code == "guardian_consent_required"
    with pytest.raises(Conflict) as too_young:
        contestant_register(
            contest=contest, data=Registration(consent=True, birth_year=year - 10, guardian_consent=True, **base)
        )
    assert too_young.value.code == "too_young"
    minor = contestant_register(
        contest=contest, data=Registration(consent=True, birth_year=year - 13, guardian_consent=True, **base)
    )
    assert minor.contestant.guardian_consent and minor.contestant.birth_year == year - 13
    assert contestant_for_key(minor.key) == minor.contestant
    assert minor.key not in minor.contestant.key_hash


def test_an_unpublished_contest_takes_no_registration(tree):
    contest = make_contest(tree.province, status="draft")
    with pytest.raises(NotFound):
        contestant_register(
            contest=contest, data=Registration(name="A", consent=True, unit=tree.commune_a1, group="other")
        )


def test_nothing_listens_to_an_attempts_save():
    """Attempts are written by insert_row, which sends no signals: nothing may rely on them."""
    from django.db.models.signals import post_save, pre_save

    assert not pre_save.has_listeners(Attempt) and not post_save.has_listeners(Attempt)


def test_the_cached_bank_follows_a_revision_and_a_retirement(setup):
    from lantoa.contests.services import question_retire

    bank, _contest, _round, _contestant, _key = setup
    before = public_cache.cached_bank(bank.pk)
    question = bank.questions.order_by("pk").first()
    assert question is not None and question.current_id in before.items
    revised = question_revise(by=None, question=question, data=question_data(stem="Câu hỏi đã sửa?"))
    after = public_cache.cached_bank(bank.pk)
    assert revised.current_id in after.items and question.current_id not in after.items
    assert after.items[revised.current_id].stem == "Câu hỏi đã sửa?"
    question_retire(by=None, question=revised)
    assert revised.current_id not in public_cache.cached_bank(bank.pk).items
