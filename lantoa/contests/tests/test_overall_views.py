"""The overall ranking's page, its export and the contestant's own overall rank: the same lines
as the API, paged, in a number of queries that does not grow with the contestants."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from lantoa.contests.services import round_close
from lantoa.contests.tests.factories import make_contestant
from lantoa.contests.tests.results_data import entry, past_round, person
from lantoa.contests.views.play import token_for

pytestmark = pytest.mark.django_db


def _two_rounds(tree, people: int = 3):
    first = past_round(tree.province)
    second = past_round(tree.province, contest=first.contest, bank=first.bank, number=2)
    contestants = [person(first, tree.commune_a1, f"Người {n}") for n in range(people)]
    for n, who in enumerate(contestants):
        entry(first, who, score=n % 4, prediction=3)
        entry(second, who, score=(n + 1) % 4, prediction=3)
    round_close(by=None, round_=first, actual=3)
    round_close(by=None, round_=second, actual=3)
    return first.contest, contestants


def test_the_page_shows_the_apis_lines(client_for, admin_user, tree):
    contest, _people = _two_rounds(tree)
    client = client_for(admin_user)
    page = client.get(f"/contests/contests/{contest.pk}/overall/").content.decode()
    api = client.get(f"/api/v1/contests/{contest.pk}/overall").json()
    assert api["count"] == 3 and "Bảng xếp hạng chung" in page  # "Overall ranking"
    names = [item["name"] for item in api["items"]]
    assert [page.index(name) for name in names] == sorted(page.index(name) for name in names)
    assert (
        f"/contests/contests/{contest.pk}/overall/" in client.get(f"/contests/contests/{contest.pk}/").content.decode()
    )


def test_the_export_holds_every_line(client_for, admin_user, tree):
    contest, _people = _two_rounds(tree)
    client = client_for(admin_user)
    response = client.get(f"/contests/contests/{contest.pk}/overall.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Hạng"))
    api = client.get(f"/api/v1/contests/{contest.pk}/overall").json()["items"]
    assert [(r[0], r[1], r[4]) for r in rows[header + 1 :]] == [(i["rank"], i["name"], i["rounds"]) for i in api]


def test_paging_and_out_of_scope(client_for, admin_user, officer_a, tree):
    contest, _people = _two_rounds(tree)
    client = client_for(admin_user)
    second = client.get(f"/api/v1/contests/{contest.pk}/overall?limit=2&offset=2").json()
    assert second["count"] == 3 and len(second["items"]) == 1
    assert client.get(f"/contests/contests/{contest.pk}/overall/?page=x").status_code == 200
    assert client_for(officer_a).get(f"/contests/contests/{contest.pk}/overall/").status_code == 404
    assert client_for(officer_a).get(f"/contests/contests/{contest.pk}/overall.xlsx").status_code == 404


def test_the_page_costs_the_same_for_3_or_30_contestants(client_for, admin_user, tree):
    def cost(people: int) -> int:
        contest, _people = _two_rounds(tree, people)
        client = client_for(admin_user)
        client.get(f"/contests/contests/{contest.pk}/overall/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/contests/contests/{contest.pk}/overall/").status_code == 200
        return len(captured)

    assert cost(3) == cost(30)


def test_the_contestant_sees_their_overall_rank(client, tree):
    first = past_round(tree.province)
    second = past_round(tree.province, contest=first.contest, bank=first.bank, number=2)
    me, key = make_contestant(first.contest, tree.commune_a1, name="Hà Văn Chung")
    other = person(first, tree.commune_a1, "Lê Thị Lan")
    entry(first, me, score=2, prediction=3)
    entry(first, other, score=3, prediction=3)
    page = client.get(f"/contests/play/me/{token_for(key)}/").content.decode()
    assert 'data-testid="play-overall"' not in page  # no round closed yet
    round_close(by=None, round_=first, actual=3)
    page = client.get(f"/contests/play/me/{token_for(key)}/").content.decode()
    assert "Thứ hạng chung qua các tuần thi đã kết thúc: 2" in page
    entry(second, me, score=3, prediction=3)
    round_close(by=None, round_=second, actual=3)
    page = client.get(f"/contests/play/me/{token_for(key)}/").content.decode()
    assert "Thứ hạng chung qua các tuần thi đã kết thúc: 1" in page  # a new close is read again


def test_the_referral_prizes_appear_with_the_overall_ranking(client_for, admin_user, tree):
    contest, people = _two_rounds(tree)
    contest.referral_prizes = 1
    contest.save(update_fields=["referral_prizes"])
    brought, _ = make_contestant(contest, tree.commune_a1, name="Bạn được mời", referral_code=people[0].referral_code)
    entry(contest.rounds.get(number=2), brought, score=1)
    page = client_for(admin_user).get(f"/contests/contests/{contest.pk}/overall/").content.decode()
    prizes = page[page.index('data-testid="overall-referral-prizes"') :]
    assert people[0].name in prizes[: prizes.index("</table>")]
