"""Publishing a stage's results: the chair approves computed results, which then appear on the
public page and the public API (no sign-in); withdrawing them needs a reason; both audited."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lantoa.core.models import AuditEntry
from lantoa.judging import services
from lantoa.judging.models import EntryStage, ScoreSheet
from lantoa.judging.tests.factories import make_competition, make_entry, make_juror, make_rubric, make_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage(tree):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=1)
    make_juror(stage, tree.province, role="chair")
    make_juror(stage, tree.bloc)
    make_entry(stage.competition, tree.commune_a1, title="Đội xã Quang Kim")
    make_entry(stage.competition, tree.agency_cell, title="Đội Sở Tư pháp")
    services.stage_assign(by=None, stage=stage)
    for sheet in ScoreSheet.objects.filter(stage=stage):
        values = {c.pk: "7" for c in stage.rubric_version.criteria.all()}
        services.sheet_record(by=None, sheet=sheet, values=values)
    return stage


def test_the_chair_publishes_and_withdraws_with_a_reason(stage, client_for):
    chair = stage.jurors.get(role="chair")
    client = client_for(chair.user)
    public = Client()
    assert public.get(f"/judging/results/{stage.pk}/").status_code == 404
    assert public.get(f"/api/v1/judging/results/{stage.pk}").status_code == 404
    early = client.post(
        f"/api/v1/judging/stages/{stage.pk}/publication", json.dumps({"published": True}), "application/json"
    )
    assert early.status_code == 409 and early.json()["code"] == "results_not_computed"
    services.stage_results_compute(by=None, stage=stage)
    EntryStage.objects.filter(stage=stage, rank=1).update(prize="Giải Nhất")
    page = client.get(f"/judging/stages/{stage.pk}/").content.decode()
    assert 'data-testid="stage-publish"' in page and "Phê duyệt và công bố kết quả" in page
    client.post(f"/judging/stages/{stage.pk}/publication/", {"action": "publish"})
    stage.refresh_from_db()
    assert stage.results_published_at is not None and stage.results_published_by == chair.user
    shown = public.get(f"/judging/results/{stage.pk}/")
    assert shown.status_code == 200 and len(shown.content) < 20 * 1024
    text = shown.content.decode()
    assert "Giải Nhất" in text and "Đội xã Quang Kim" in text and "Kết quả được công bố ngày" in text
    api = public.get(f"/api/v1/judging/results/{stage.pk}").json()
    assert api["count"] == 2 and "Giải Nhất" in {row["prize"] for row in api["items"]}
    again = client.post(f"/api/v1/judging/stages/{stage.pk}/results")
    assert again.status_code == 409 and again.json()["code"] == "results_published"
    empty = client.post(
        f"/api/v1/judging/stages/{stage.pk}/publication", json.dumps({"published": False}), "application/json"
    )
    assert empty.status_code == 422
    withdrawn = client.post(
        f"/api/v1/judging/stages/{stage.pk}/publication",
        json.dumps({"published": False, "reason": "Sai sót khi cộng điểm"}),
        "application/json",
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["results_published_at"] is None
    assert public.get(f"/judging/results/{stage.pk}/").status_code == 404
    assert stage.withdrawals.get().reason == "Sai sót khi cộng điểm"
    actions = list(
        AuditEntry.objects.filter(action__startswith="lantoa.judging.stage.").values_list("action", flat=True)
    )
    assert "lantoa.judging.stage.published" in actions and "lantoa.judging.stage.unpublished" in actions
    assert "Sai sót khi cộng điểm" in client.get(f"/judging/stages/{stage.pk}/").content.decode()


def test_only_the_chair_publishes(stage, client_for, tree):
    services.stage_results_compute(by=None, stage=stage)
    member = client_for(stage.jurors.get(role="member").user)
    answer = member.post(
        f"/api/v1/judging/stages/{stage.pk}/publication", json.dumps({"published": True}), "application/json"
    )
    assert answer.status_code == 404
    stage.refresh_from_db()
    assert stage.results_published_at is None
