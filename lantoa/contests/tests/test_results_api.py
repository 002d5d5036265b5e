"""Results over the API: the ranking (final and provisional), closing with bad input, publishing,
units, prizes, item analysis, the overall ranking, the contestant's own standing, and scope."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from lantoa.contests.models import RoundResult
from lantoa.contests.tests.factories import make_contestant
from lantoa.contests.tests.results_data import entry, past_round, person

pytestmark = pytest.mark.django_db


def post(client, path: str, body: Any) -> Any:
    return client.post(f"/api/v1/contests{path}", json.dumps(body), content_type="application/json")


@pytest.fixture
def played(tree):
    round_ = past_round(tree.province)
    entry(round_, person(round_, tree.commune_a1, "An"), score=3, prediction=2)
    entry(round_, person(round_, tree.commune_b1, "Bình"), score=3, prediction=5)
    return round_


def test_close_then_read_the_ranking_units_and_prizes(client_for, admin_user, played):
    client = client_for(admin_user)
    provisional = client.get(f"/api/v1/contests/rounds/{played.pk}/results").json()
    assert provisional["final"] is False and provisional["count"] == 2
    closed = post(client, f"/rounds/{played.pk}/close", {"actual": 5})
    assert closed.status_code == 200 and closed.json()["results"] == 2 and closed.json()["reclosed"] is False
    ranking = client.get(f"/api/v1/contests/rounds/{played.pk}/results?limit=1&offset=1").json()
    assert ranking["final"] is True and [i["name"] for i in ranking["items"]] == ["An"]
    assert ranking["items"][0]["closeness"] == 3 and ranking["items"][0]["rank"] == 2
    units = client.get(f"/api/v1/contests/rounds/{played.pk}/units").json()
    assert [(u["unit"], u["contestants"]) for u in units["items"]][:2] == [("P-A", 1), ("P-B", 1)]
    below = client.get(f"/api/v1/contests/rounds/{played.pk}/units?unit=P-A").json()
    assert [u["unit"] for u in below["items"]] == ["P-A-1"]
    prizes = client.get(f"/api/v1/contests/rounds/{played.pk}/prizes").json()
    assert [p["name"] for p in prizes["individual"]] == ["Bình", "An"]
    # One collective prize, but the two districts tie on every term: they share it.
    assert [(u["unit"], u["rank"]) for u in prizes["collective"]] == [("P-A", 1), ("P-B", 1)]
    published = post(client, f"/rounds/{played.pk}/publication", {"published": True})
    assert published.status_code == 200
    overall = client.get(f"/api/v1/contests/{played.contest_id}/overall").json()
    assert [(i["name"], i["rank"]) for i in overall["items"]] == [("Bình", 1), ("An", 2)]
    items = client.get(f"/api/v1/contests/rounds/{played.pk}/items")
    assert items.status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"actual": -1}, {"actual": "many"}, {"actual": 10**13}, {"other": 1}],
)
def test_bad_bodies_are_refused_and_change_nothing(client_for, admin_user, played, body):
    response = post(client_for(admin_user), f"/rounds/{played.pk}/close", body)
    assert response.status_code == 422
    assert not RoundResult.objects.filter(round=played).exists()


def test_refusals_speak_clearly(client_for, admin_user, tree, played):
    client = client_for(admin_user)
    early = past_round(tree.province, closes_at=timezone.now() + dt.timedelta(days=1))
    answer = post(client, f"/rounds/{early.pk}/close", {})
    assert answer.status_code == 409 and answer.json()["code"] == "round_still_open"
    answer = post(client, f"/rounds/{played.pk}/publication", {"published": True})
    assert answer.status_code == 409 and answer.json()["code"] == "round_not_closed"
    assert client.get(f"/api/v1/contests/rounds/{played.pk}/units?unit=NOPE").status_code == 404
    assert client.get(f"/api/v1/contests/rounds/{played.pk}/results?limit=-1").status_code == 422


def test_out_of_scope_answers_like_missing(client_for, officer_a, played):
    client = client_for(officer_a)
    for path in ("results", "units", "prizes", "items"):
        assert client.get(f"/api/v1/contests/rounds/{played.pk}/{path}").status_code == 404
    assert post(client, f"/rounds/{played.pk}/close", {}).status_code == 404
    assert client.get(f"/api/v1/contests/{played.contest_id}/overall").status_code == 404


def test_the_contestant_reads_their_own_standing(client, tree, played):
    me, key = make_contestant(played.contest, tree.commune_a1, name="Chung")
    entry(played, me, score=1)
    answer = client.get(f"/api/v1/contests/rounds/{played.pk}/standing", headers={"X-Contestant-Key": key})
    assert answer.status_code == 200 and answer.json() == {
        "round": played.pk,
        "final": False,
        "rank": 3,
        "score": "1.00",
        "entries": 1,
        "prize": False,
    }
    assert client.get(f"/api/v1/contests/rounds/{played.pk}/standing").status_code in {401, 403, 404}
    assert client.get("/api/v1/contests/rounds/999999/standing", headers={"X-Contestant-Key": key}).status_code == 404
