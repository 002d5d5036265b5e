"""The results pages: the organisers' page (closed and provisional), closing and publishing
through it, scope, the public page (initials of minors), the contestant's own rank, the item
analysis page and the XLSX exports, which hold the page's numbers."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.contests.models import Contestant, Round, RoundResult
from lantoa.contests.services import round_close, round_publish_results
from lantoa.contests.tests.results_data import entry, past_round, person
from lantoa.contests.views.play import token_for
from lantoa.core.models import AuditEntry
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(tree):
    round_ = past_round(tree.province)
    entry(round_, person(round_, tree.commune_a1, "Nguyễn Thị Hoa"), score=3, prediction=4)
    entry(round_, person(round_, tree.commune_b1, "Trần Văn Bình"), score=2, prediction=4)
    minor = person(round_, tree.commune_b1, "Lò Thị Mai")
    Contestant.objects.filter(pk=minor.pk).update(birth_year=timezone.localdate(round_.closes_at).year - 15)
    entry(round_, minor, score=3, prediction=9)
    return round_close(by=None, round_=round_, actual=4).round


def test_the_organisers_results_page_shows_the_final_ranking(client_for, admin_user, closed):
    response = client_for(admin_user).get(f"/contests/rounds/{closed.pk}/results/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="results-state"' in page and "Nguyễn Thị Hoa" in page and "Lò Thị Mai" in page
    assert page.index("Nguyễn Thị Hoa") < page.index("Lò Thị Mai") < page.index("Trần Văn Bình")
    assert 'data-testid="bar-chart"' in page and 'data-testid="results-units"' in page


def test_out_of_scope_answers_like_missing(client_for, officer_a, closed):
    client = client_for(officer_a)
    for path in ("results/", "items/", "export/results.xlsx"):
        assert client.get(f"/contests/rounds/{closed.pk}/{path}").status_code == 404
    assert client.post(f"/contests/rounds/{closed.pk}/close/", {}).status_code == 404
    assert client.get("/contests/rounds/999999/results/").status_code == 404


def test_closing_through_the_page_and_bad_input(client_for, admin_user, tree):
    round_ = past_round(tree.province)
    entry(round_, person(round_, tree.commune_a1), score=3, prediction=1)
    client = client_for(admin_user)
    refused = client.post(f"/contests/rounds/{round_.pk}/close/", {"actual": "-5"})
    assert refused.status_code == 422 and not RoundResult.objects.filter(round=round_).exists()
    done = client.post(f"/contests/rounds/{round_.pk}/close/", {"actual": "1"})
    assert done.status_code == 302
    assert RoundResult.objects.get(round=round_).closeness == 0
    assert AuditEntry.objects.filter(action="lantoa.contests.round.closed", actor=admin_user).exists()


def test_a_round_still_running_cannot_be_closed_from_the_page(client_for, admin_user, tree):
    round_ = past_round(tree.province, closes_at=timezone.now() + dt.timedelta(days=1))
    response = client_for(admin_user).post(f"/contests/rounds/{round_.pk}/close/", {})
    assert response.status_code == 422
    assert Round.objects.get(pk=round_.pk).closed_at is None


def test_the_public_page_shows_only_what_may_be_published(client, admin_user, closed):
    assert client.get(f"/contests/play/results/{closed.pk}/").status_code == 404  # not published yet
    round_publish_results(by=admin_user, round_=closed)
    response = client.get(f"/contests/play/results/{closed.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Thị Hoa" in page and "Trần Văn Bình" in page
    assert "Lò Thị Mai" not in page and "L. T. M." in page  # a minor: initials only
    assert "±" not in page and "Hà Nội" not in page


def test_the_contestant_sees_a_provisional_then_a_final_rank(client, tree):
    round_ = past_round(tree.province, closes_at=timezone.now() + dt.timedelta(days=2))
    from lantoa.contests.tests.factories import make_contestant

    me, key = make_contestant(round_.contest, tree.commune_a1, name="Hà Văn Chung")
    entry(round_, person(round_, tree.commune_a1), score=3)
    entry(round_, me, score=2)
    page = client.get(f"/contests/play/me/{token_for(key)}/").content.decode()
    assert re.search(r"Thứ hạng tạm thời: 2\b", page)  # Provisional rank (the page is in Vietnamese)
    Round.objects.filter(pk=round_.pk).update(
        closes_at=timezone.now() - dt.timedelta(hours=2), opens_at=timezone.now() - dt.timedelta(days=3)
    )
    round_close(by=None, round_=Round.objects.get(pk=round_.pk))
    page = client.get(f"/contests/play/me/{token_for(key)}/").content.decode()
    assert re.search(r"Thứ hạng chính thức: 2\b", page)  # Final rank


def test_the_results_page_costs_the_same_for_3_or_30_units(client_for, admin_user, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def cost(count: int) -> int:
        parent = make_unit(kind="district_committee", parent=tree.province, name=f"Huyện {count}")
        round_ = past_round(parent)
        for n in range(count):
            entry(round_, person(round_, make_unit(parent=parent, name=f"Xã {count}-{n}")), score=n % 4)
        round_ = round_close(by=None, round_=round_).round
        client = client_for(admin_user)
        client.get(f"/contests/rounds/{round_.pk}/results/")  # warm the session and caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/contests/rounds/{round_.pk}/results/").status_code == 200
        return len(captured)

    assert cost(3) == cost(30)


def _sheet_rows(content: bytes) -> list[tuple]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_exports_open_and_hold_the_pages_numbers(client_for, admin_user, closed):
    client = client_for(admin_user)
    rows = _sheet_rows(client.get(f"/contests/rounds/{closed.pk}/export/results.xlsx").content)
    header = rows.index(next(r for r in rows if r and r[0] == "Hạng"))  # "Rank", in Vietnamese
    people = rows[header + 1 :]
    stored = list(
        RoundResult.objects.filter(round=closed).order_by("position").values_list("rank", "contestant__name", "score")
    )
    assert [(r[0], r[1], r[4]) for r in people] == [(rank, name, float(score)) for rank, name, score in stored]
    prizes = _sheet_rows(client.get(f"/contests/rounds/{closed.pk}/export/prizes.xlsx").content)
    assert any(len(r) > 2 and r[2] == "Nguyễn Thị Hoa" for r in prizes)
    units = _sheet_rows(client.get(f"/contests/rounds/{closed.pk}/export/units.xlsx").content)
    page = client.get(f"/contests/rounds/{closed.pk}/results/").content.decode()
    ranked = {row[1]: row for row in units if len(row) > 3 and row[1] in {"P-A", "P-B"}}
    assert {code: row[3] for code, row in ranked.items()} == {"P-A": 1, "P-B": 2}
    assert all(row[2] in page for row in ranked.values())
    day = timezone.localdate(closed.opens_at + dt.timedelta(days=1))  # when every entry was submitted
    monday = day - dt.timedelta(days=day.weekday())
    week = client.get(f"/contests/rounds/{closed.pk}/export/week.xlsx?monday={monday.isoformat()}")
    assert week.status_code == 200
    counted = {r[1]: (r[3], r[4]) for r in _sheet_rows(week.content) if len(r) > 4 and r[1] in {"P-A", "P-B"}}
    assert counted == {"P-A": (1, 1), "P-B": (2, 2)}
    assert client.get(f"/contests/rounds/{closed.pk}/export/week.xlsx?monday=2020-13-01").status_code in {400, 422}
    assert client.get(f"/contests/rounds/{closed.pk}/export/nothing.xlsx").status_code == 404


def test_the_item_analysis_page_lists_the_questions(client_for, admin_user, closed):
    response = client_for(admin_user).get(f"/contests/rounds/{closed.pk}/items/")
    assert response.status_code == 200 and 'data-testid="items-table"' in response.content.decode()


def test_the_contest_page_links_each_rounds_results(client_for, admin_user, closed):
    round_publish_results(by=admin_user, round_=closed)
    page = client_for(admin_user).get(f"/contests/contests/{closed.contest_id}/").content.decode()
    assert f"/contests/rounds/{closed.pk}/results/" in page and f"/contests/play/results/{closed.pk}/" in page
