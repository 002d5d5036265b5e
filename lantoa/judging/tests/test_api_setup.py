"""Setting a contest up over the API: a rubric and its versions, a contest, its stages, entries,
the jury with each member's conflicts, and declared conflicts."""

from __future__ import annotations

import json

import pytest

from lantoa.accounts.tests.factories import make_user
from lantoa.judging.models import Competition, Rubric, Stage
from lantoa.people.services import person_link_user
from lantoa.people.tests.factories import make_person

pytestmark = pytest.mark.django_db

CRITERIA = [
    {
        "section": "Nội dung",
        "name": "Nội dung",
        "weight": 60,
        "max_score": 10,
        "descriptors": [{"score": 9, "text": "Đầy đủ, sâu sắc"}],
    },
    {"section": "Trình bày", "name": "Trình bày", "weight": 40, "max_score": 10},
]


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def manager(tree, client_for):
    return client_for(make_user(role="manager", unit=tree.province, username="quanly"))


def test_a_contest_is_set_up_over_the_api(tree, manager):
    rubric = post(manager, "/api/v1/judging/rubrics", {"unit": "P", "name": "Tiêu chí", "criteria": CRITERIA})
    assert rubric.status_code == 201, rubric.content
    rubric_id = rubric.json()["id"]
    assert rubric.json()["criteria"][0]["descriptors"] == [{"score": "9.00", "text": "Đầy đủ, sâu sắc"}]
    contest = post(
        manager,
        "/api/v1/judging/competitions",
        {
            "unit": "P",
            "title": "Hội thi sân khấu hóa",
            "kind": "staged",
            "starts_on": "2022-05-01",
            "ends_on": "2022-06-30",
        },
    )
    assert contest.status_code == 201
    contest_id = contest.json()["id"]
    stage = post(
        manager,
        f"/api/v1/judging/competitions/{contest_id}/stages",
        {
            "name": "Chung khảo",
            "starts_on": "2022-05-10",
            "ends_on": "2022-05-12",
            "rubric": rubric_id,
            "aggregation": "trimmed_mean",
            "jurors_per_entry": 1,
            "audience_weight": 0.25,
            "tie_criterion_position": 1,
        },
    )
    assert stage.status_code == 201, stage.content
    assert (stage.json()["rubric_version"], stage.json()["audience_weight"]) == (1, "0.25")
    revised = post(manager, f"/api/v1/judging/rubrics/{rubric_id}/versions", {"criteria": CRITERIA[:1]})
    assert revised.json()["version"] == 2
    assert Stage.objects.get().rubric_version.number == 1  # the stage keeps its version

    entry = post(
        manager,
        f"/api/v1/judging/competitions/{contest_id}/entries",
        {
            "unit": tree.district_a.code,
            "title": "Đội huyện Bát Xát",
            "members": "8 diễn viên",
            "materials": ["https://video.example/1"],
        },
    )
    assert entry.status_code == 201 and tree.district_a.name in entry.json()["entrant"]

    stage_id = stage.json()["id"]
    juror = make_person(home_unit=tree.commune_a1)
    no_account = post(manager, f"/api/v1/judging/stages/{stage_id}/jurors", {"person": juror.pk, "role": "chair"})
    assert no_account.status_code == 422
    person_link_user(by=None, person=juror, user=make_user(username="giamkhao"))
    jury = post(manager, f"/api/v1/judging/stages/{stage_id}/jurors", {"person": juror.pk, "role": "chair"})
    assert jury.status_code == 201
    # The juror's commune lies beneath the district whose team entered: one conflict, shown.
    assert [(m["role"], m["conflicts"]) for m in jury.json()["items"]] == [("chair", 1)]
    other = make_person(home_unit=tree.province)
    person_link_user(by=None, person=other, user=make_user(username="giamkhao2"))
    post(manager, f"/api/v1/judging/stages/{stage_id}/jurors", {"person": other.pk})
    declared = post(
        manager,
        f"/api/v1/judging/entries/{entry.json()['id']}/conflicts",
        {"person": other.pk, "declared_by": "entrant", "reason": "Người thân"},
    )
    assert declared.status_code == 201
    assert sorted(m["conflicts"] for m in declared.json()["items"]) == [1, 1]
    assigned = manager.post(f"/api/v1/judging/stages/{stage_id}/assign")
    assert assigned.status_code == 409 and assigned.json()["code"] == "assignment_impossible"


def test_bad_setup_bodies_answer_422_and_change_nothing(tree, manager):
    bad = [
        {"unit": "P", "name": "X", "criteria": []},
        {"unit": "P", "name": "X", "criteria": [{"name": "A", "weight": 0, "max_score": 10}]},
        {"unit": "P", "name": "X", "criteria": [{"name": "A", "weight": 10, "max_score": 1e9}]},
        {"unit": "P", "name": "X", "criteria": [{"name": "A", "weight": "10", "max_score": 10, "extra": 1}]},
    ]
    for body in bad:
        assert post(manager, "/api/v1/judging/rubrics", body).status_code == 422, body
    dates = {"unit": "P", "title": "X", "kind": "staged", "starts_on": "2022-06-01", "ends_on": "2022-05-01"}
    assert post(manager, "/api/v1/judging/competitions", dates).status_code == 422
    assert post(manager, "/api/v1/judging/competitions", {**dates, "kind": "quiz"}).status_code == 422
    assert not Rubric.objects.exists() and not Competition.objects.exists()


def test_an_officer_organises_only_for_their_own_units(tree, client_for):
    officer = client_for(make_user(role="officer", unit=tree.commune_a1))
    body = {"unit": "P", "title": "X", "kind": "staged", "starts_on": "2022-05-01", "ends_on": "2022-05-02"}
    assert post(officer, "/api/v1/judging/competitions", body).status_code == 404  # the province is out of scope
    assert post(officer, "/api/v1/judging/competitions", {**body, "unit": tree.commune_a1.code}).status_code == 201
    viewer = client_for(make_user(role="viewer", unit=tree.province))
    assert post(viewer, "/api/v1/judging/competitions", body).status_code == 403
