"""Likely duplicate contestants: found by shared contacts in a fixed number of queries, marked
"not a duplicate" or excluded from the rankings (audited), excluded ones dropping out of the
ranking at the next close with their attempts kept."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.contests.duplicates import SAME_CONTACT, SAME_PERSON, duplicate_pairs
from lantoa.contests.models import Attempt, RoundResult
from lantoa.contests.services import round_close
from lantoa.contests.services.duplicates import contestant_exclude, duplicate_dismiss
from lantoa.contests.tests.factories import make_contestant
from lantoa.contests.tests.results_data import entry, past_round
from lantoa.core.errors import NotFound, ValidationFailed
from lantoa.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(tree):
    round_ = past_round(tree.province)
    round_.contest.ask_phone = round_.contest.ask_email = True
    round_.contest.save()
    return round_


def _people(round_, tree):
    contest = round_.contest
    a, _ = make_contestant(contest, tree.commune_a1, name="Nguyễn Văn An", phone="0912 345 678")
    b, _ = make_contestant(contest, tree.commune_a1, name="NGUYEN VAN AN", phone="+84 912 345 678")
    c, _ = make_contestant(contest, tree.commune_b1, name="Trần Thị Bình", email="Binh@Example.vn")
    d, _ = make_contestant(contest, tree.commune_b1, name="Lê Văn Cường", email="binh@example.vn")
    e, _ = make_contestant(contest, tree.commune_b1, name="Người Khác", phone="0987 000 111")
    return a, b, c, d, e


def test_pairs_by_shared_contact(round_, tree):
    a, b, c, d, _e = _people(round_, tree)
    entry(round_, a, score=3)
    entry(round_, b, score=2)
    entry(round_, b, score=1)
    pairs = duplicate_pairs(round_.contest)
    assert [(p.first.pk, p.second.pk, p.reason, p.attempts) for p in pairs] == [
        (a.pk, b.pk, SAME_PERSON, (1, 2)),
        (c.pk, d.pk, SAME_CONTACT, (0, 0)),
    ]


def test_the_query_count_does_not_grow_with_contestants(round_, tree):
    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            duplicate_pairs(round_.contest)
        return len(captured)

    _people(round_, tree)
    small = cost()
    for n in range(20):
        make_contestant(round_.contest, tree.commune_a1, name=f"Người {n}", phone=f"0912 000 {n // 2:03d}")
    assert cost() == small


def test_not_a_duplicate_and_exclusion_are_audited(client_for, admin_user, round_, tree):
    a, b, c, d, _e = _people(round_, tree)
    client = client_for(admin_user)
    page = client.get(f"/contests/contests/{round_.contest.pk}/duplicates/").content.decode()
    assert "Nguyễn Văn An" in page and "09******78" in page and "0912 345 678" not in page
    assert (
        client.post(
            f"/contests/contests/{round_.contest.pk}/duplicates/dismiss/", {"first": d.pk, "second": c.pk}
        ).status_code
        == 302
    )
    assert [p.first.pk for p in duplicate_pairs(round_.contest)] == [a.pk]
    assert AuditEntry.objects.filter(action="lantoa.contests.duplicate.dismissed").count() == 1
    duplicate_dismiss(by=admin_user, contest=round_.contest, first=c.pk, second=d.pk)  # again: nothing new
    assert AuditEntry.objects.filter(action="lantoa.contests.duplicate.dismissed").count() == 1
    with pytest.raises(ValidationFailed):
        duplicate_dismiss(by=admin_user, contest=round_.contest, first=c.pk, second=c.pk)
    api = client.post(
        f"/api/v1/contests/{round_.contest.pk}/contestants/{b.pk}/exclusion",
        {"excluded": True},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["excluded"] is True
    assert AuditEntry.objects.filter(action="lantoa.contests.contestant.excluded").count() == 1
    listed = client.get(f"/api/v1/contests/{round_.contest.pk}/duplicates").json()
    assert listed["count"] == 1 and listed["items"][0]["second"]["excluded"] is True
    bad = client.post(
        f"/api/v1/contests/{round_.contest.pk}/contestants/{b.pk}/exclusion",
        {"excluded": "yes"},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_excluded_contestants_leave_the_ranking_at_the_next_close(round_, tree, admin_user):
    a, b, *_rest = _people(round_, tree)
    entry(round_, a, score=2)
    entry(round_, b, score=3)
    closed = round_close(by=None, round_=round_).round
    assert list(
        RoundResult.objects.filter(round=closed).order_by("position").values_list("contestant_id", flat=True)
    ) == [b.pk, a.pk]
    contestant_exclude(by=admin_user, contest=round_.contest, contestant_id=b.pk, excluded=True)
    closed = round_close(by=None, round_=closed).round
    assert list(RoundResult.objects.filter(round=closed).values_list("contestant_id", "rank")) == [(a.pk, 1)]
    assert Attempt.objects.filter(contestant=b).count() == 1
    contestant_exclude(by=admin_user, contest=round_.contest, contestant_id=b.pk, excluded=False)
    assert AuditEntry.objects.filter(action="lantoa.contests.contestant.included").count() == 1
    with pytest.raises(NotFound):
        contestant_exclude(by=admin_user, contest=round_.contest, contestant_id=999999, excluded=True)


def test_read_only_and_out_of_scope(client_for, inspector, officer_a, round_):
    assert client_for(inspector).get(f"/contests/contests/{round_.contest.pk}/duplicates/").status_code == 403
    assert client_for(officer_a).get(f"/contests/contests/{round_.contest.pk}/duplicates/").status_code == 404
