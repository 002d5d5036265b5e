"""The API: a juror's sheets only, scores bounded by the criterion, the board and results for
staff and the stage's chair and secretary."""

from __future__ import annotations

import json

import pytest

from lantoa.accounts.tests.factories import make_user
from lantoa.judging import services
from lantoa.judging.models import Score, ScoreSheet
from lantoa.judging.tests.factories import make_competition, make_entry, make_juror, make_rubric, make_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=1)
    make_juror(stage, tree.province, role="chair")
    make_juror(stage, tree.bloc)
    make_juror(stage, tree.district_b, role="secretary")
    make_entry(stage.competition, tree.commune_a1, title="Đội xã Quang Kim")
    make_entry(stage.competition, tree.agency_cell, title="Đội Sở Tư pháp")
    services.stage_assign(by=None, stage=stage)
    return stage


def put(client, path, body):
    return client.put(path, json.dumps(body), content_type="application/json")


def juror(stage, role):
    return stage.jurors.get(role=role)


def test_a_juror_sees_and_scores_only_their_own_sheets(stage, client_for):
    member = juror(stage, "member")
    client = client_for(member.user)
    listed = client.get("/api/v1/judging/sheets").json()
    mine = ScoreSheet.objects.get(juror=member)
    other = ScoreSheet.objects.exclude(juror=member).get()
    assert [item["id"] for item in listed["items"]] == [mine.pk] and listed["count"] == 1
    detail = client.get(f"/api/v1/judging/sheets/{mine.pk}").json()
    assert [c["max_score"] for c in detail["criteria"]] == ["10.00"] * 3
    hidden = client.get(f"/api/v1/judging/sheets/{other.pk}")
    missing = client.get("/api/v1/judging/sheets/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["message"] == missing.json()["message"]
    criterion = detail["criteria"][0]["id"]
    assert put(client, f"/api/v1/judging/sheets/{other.pk}/scores/{criterion}", {"value": 5}).status_code == 404
    assert not Score.objects.exists()


def test_a_score_over_the_maximum_is_a_422_that_changes_nothing(stage, client_for):
    member = juror(stage, "member")
    client = client_for(member.user)
    sheet = ScoreSheet.objects.get(juror=member)
    criterion = stage.rubric_version.criteria.order_by("position").first()
    path = f"/api/v1/judging/sheets/{sheet.pk}/scores/{criterion.pk}"
    assert put(client, path, {"value": 7.5}).status_code == 201
    assert put(client, path, {"value": 8}).json() == {"criterion": criterion.pk, "value": "8.00"}
    for bad in (
        {"value": 10.5},
        {"value": -1},
        {"value": 1001},
        {"value": 7.125},
        {"value": "abc"},
        {},
        {"value": None},
    ):
        answer = put(client, path, bad)
        assert answer.status_code == 422, (bad, answer.content)
        assert set(answer.json()) == {"code", "message", "extra"}
    assert [score.value for score in Score.objects.all()] == [8]


def test_submitting_locks_and_the_chair_reopens(stage, client_for):
    member = juror(stage, "member")
    client = client_for(member.user)
    sheet = ScoreSheet.objects.get(juror=member)
    incomplete = client.post(f"/api/v1/judging/sheets/{sheet.pk}/submit")
    assert incomplete.status_code == 422 and incomplete.json()["code"] == "sheet_incomplete"
    for criterion in stage.rubric_version.criteria.all():
        put(client, f"/api/v1/judging/sheets/{sheet.pk}/scores/{criterion.pk}", {"value": 9})
    submitted = client.post(f"/api/v1/judging/sheets/{sheet.pk}/submit").json()
    assert submitted["status"] == "submitted" and submitted["total"] == "90.000"
    criterion = stage.rubric_version.criteria.first()
    locked = put(client, f"/api/v1/judging/sheets/{sheet.pk}/scores/{criterion.pk}", {"value": 1})
    assert locked.status_code == 409 and locked.json()["code"] == "sheet_locked"
    assert (
        client.post(f"/api/v1/judging/sheets/{sheet.pk}/reopen", "{}", content_type="application/json").status_code
        == 422
    )
    refused = client.post(
        f"/api/v1/judging/sheets/{sheet.pk}/reopen", json.dumps({"reason": "x"}), content_type="application/json"
    )
    assert refused.status_code == 403
    chair = client_for(juror(stage, "chair").user)
    reopened = chair.post(
        f"/api/v1/judging/sheets/{sheet.pk}/reopen",
        json.dumps({"reason": "Nhập nhầm"}),
        content_type="application/json",
    )
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"


def test_the_board_and_results_for_the_secretary_and_staff_not_for_a_member(stage, client_for, tree):
    secretary = client_for(juror(stage, "secretary").user)
    board = secretary.get(f"/api/v1/judging/stages/{stage.pk}/progress").json()
    assert (board["sheets"], board["submitted"]) == (2, 0)
    assert sorted(len(row["missing"]) for row in board["jurors"]) == [1, 1]
    member = client_for(juror(stage, "member").user)
    assert member.get(f"/api/v1/judging/stages/{stage.pk}/progress").status_code == 404
    manager = client_for(make_user(role="manager", unit=tree.province))
    assert manager.get(f"/api/v1/judging/stages/{stage.pk}/results").status_code == 200
    outside = client_for(make_user(role="officer", unit=tree.commune_b1))
    assert outside.get(f"/api/v1/judging/stages/{stage.pk}/results").status_code == 404
    assert outside.get(f"/api/v1/judging/competitions/{stage.competition_id}").status_code == 404
    computed = secretary.post(f"/api/v1/judging/stages/{stage.pk}/results")
    assert computed.status_code == 200 and computed.json()["count"] == 2
    viewer = client_for(make_user(role="viewer", unit=tree.province))
    assert viewer.post(f"/api/v1/judging/stages/{stage.pk}/assign").status_code == 403
