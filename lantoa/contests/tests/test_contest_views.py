"""The organisers' contest pages: create a contest and its rounds, change them, and read a
round's live figures in a fixed number of queries whatever the number of units."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.contests.models import Contest, Round
from lantoa.contests.services import attempt_for_key, attempt_start, attempt_submit
from lantoa.contests.tests.factories import make_contest, make_contestant, make_round, stock_bank

pytestmark = pytest.mark.django_db


def test_create_a_contest_and_a_round_through_the_pages(tree, admin_user, client_for):
    client = client_for(admin_user)
    bank = stock_bank(tree.province)
    assert client.get("/contests/contests/").status_code == 200
    assert client.get("/contests/contests/new/").status_code == 200
    answer = client.post(
        "/contests/contests/new/",
        {
            "unit": "P",
            "title": "Tìm hiểu Nghị quyết",
            "audience": "public",
            "ask_unit": "on",
            "ask_group": "on",
            "status": "published",
            "prizes_individual": "7",
            "prizes_collective": "7",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    contest = Contest.objects.get()
    round_post = {
        "bank": str(bank.pk),
        "title": "Tuần 1",
        "opens_at": "2026-03-02T07:30",
        "closes_at": "2026-03-09T07:30",
        "weekdays": "12345",
        "window_start": "07:30",
        "window_end": "17:30",
        "questions_per_attempt": "3",
        "draw_rules": "Chẵn: 2\nNhiều đáp án: 1",
        "time_limit_seconds": "600",
        "grace_seconds": "30",
        "attempts_allowed": "2",
        "prediction_kind": "entries",
        "prediction_prompt": "Bao nhiêu lượt thi?",
    }
    assert client.get(f"/contests/contests/{contest.pk}/rounds/new/").status_code == 200
    created = client.post(f"/contests/contests/{contest.pk}/rounds/new/", round_post)
    assert created.status_code == 302, created.content.decode()[:3000]
    round_ = Round.objects.get()
    assert round_.draw_rules == [{"tag": "Chẵn", "count": 2}, {"tag": "Nhiều đáp án", "count": 1}]
    bad = client.post(f"/contests/contests/{contest.pk}/rounds/new/", {**round_post, "questions_per_attempt": "5"})
    assert bad.status_code == 422 and Round.objects.count() == 1
    assert client.get(f"/contests/rounds/{round_.pk}/edit/").status_code == 200
    changed = client.post(f"/contests/rounds/{round_.pk}/edit/", {**round_post, "attempts_allowed": "3"})
    assert changed.status_code == 302
    round_.refresh_from_db()
    assert round_.attempts_allowed == 3
    detail = client.get(f"/contests/contests/{contest.pk}/").content.decode()
    assert 'data-testid="round-row"' in detail and f"/contests/play/{contest.pk}/" in detail
    assert client.get(f"/contests/contests/{contest.pk}/edit/").status_code == 200


def test_the_live_figures_cost_the_same_for_two_or_five_units(tree, admin_user, client_for):
    client = client_for(admin_user)
    round_ = make_round(make_contest(tree.province), stock_bank(tree.province), attempts_allowed=0)

    def enter(units):  # type: ignore[no-untyped-def]
        for n, unit in enumerate(units):
            contestant, key = make_contestant(round_.contest, unit, name=f"Người {unit.code} {n}")
            attempt = attempt_start(contestant=contestant, round_=round_).attempt
            attempt_submit(attempt=attempt_for_key(attempt.pk, key), answers=[])

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/contests/rounds/{round_.pk}/").status_code == 200
        return len(queries)

    enter([tree.commune_a1, tree.commune_b1])
    few = cost()
    enter([tree.cell_a1, tree.bloc, tree.district_a])
    html = client.get(f"/contests/rounds/{round_.pk}/").content.decode()
    assert 'data-testid="round-entries">5<' in html
    assert cost() == few
