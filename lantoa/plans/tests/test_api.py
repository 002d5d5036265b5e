"""The API and the pages: strict bodies (nothing stored on bad input), the scope rule (another
province's user gets exactly the answer for a missing record), lists as {"items", "count"}."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.org.tests.factories import make_unit
from lantoa.plans.models import ActionProgramme, ProgrammeTask, ProgressUpdate, Recommendation
from lantoa.plans.tests.factories import make_document, make_programme, make_requirement, make_task

pytestmark = pytest.mark.django_db


def post(client, path, body):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def setup(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree.province)
    requirement = make_requirement(tree.province, document)
    programme = make_programme(tree.district_a, document)
    task = make_task(programme, owner_unit=tree.commune_a1)
    outsider = make_user(role="manager", unit=make_unit(kind="provincial_committee", code="OTHER"))
    return {"document": document, "requirement": requirement, "programme": programme, "task": task,
            "outsider": outsider}  # fmt: skip


def test_a_programme_with_tasks_and_progress_through_the_api(tree, admin_user, client_for, setup):
    client = client_for(admin_user)
    created = post(client, "/api/v1/plans/programmes", {
        "unit": "P-B", "document": setup["document"].pk, "title": "Chương trình hành động của Huyện ủy",
        "decision_number": "Số 07-CTr/HU", "issued_on": "2021-04-02",
    })  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["decision_number"], body["on_time"], body["tasks_list"]) == ("07-CTr/HU", False, [])
    task = post(client, f"/api/v1/plans/programmes/{body['id']}/tasks", {
        "title": "Tổ chức học tập nghị quyết", "owner_unit": "P-B-1", "starts_on": "2021-04-05",
        "due_on": "2021-06-30", "indicator": "conferences_held", "target_value": 2,
    })  # fmt: skip
    assert task.status_code == 201, task.content
    # Read through the rollup: the district kept records but held no conference then.
    assert task.json()["status"] == "overdue" and task.json()["current_value"] == "0"
    update = post(client, f"/api/v1/plans/tasks/{task.json()['id']}/updates", {
        "percent": 100, "recorded_on": "2021-06-20", "note": "Đã tổ chức", "url": "https://example.org/tin-bai",
    })  # fmt: skip
    assert update.status_code == 201, update.content
    listed = client.get(f"/api/v1/plans/tasks/{task.json()['id']}/updates").json()
    assert listed["count"] == 1 and listed["items"][0]["percent"] == 100
    detail = client.get(f"/api/v1/plans/programmes/{body['id']}").json()
    assert (detail["tasks"], detail["tasks_done"], detail["tasks_list"][0]["status"]) == (1, 1, "done")
    programmes = client.get("/api/v1/plans/programmes", {"document": setup["document"].pk}).json()
    assert programmes["count"] == 2 and len(programmes["items"]) == 2
    coverage = client.get(f"/api/v1/plans/requirements/{setup['requirement'].pk}/coverage").json()
    assert (coverage["on_time"], coverage["late"], coverage["missing"]) == (1, 1, 1)


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("tasks/{task}/updates", {"percent": "50", "recorded_on": "2021-05-01"}, 422),
        ("tasks/{task}/updates", {"percent": 101, "recorded_on": "2021-05-01"}, 422),
        ("tasks/{task}/updates", {"percent": -1, "recorded_on": "2021-05-01"}, 422),
        ("tasks/{task}/updates", {"percent": 50, "recorded_on": "2021-05-01", "note": "x" * 2001}, 422),
        ("tasks/{task}/updates", {"percent": 50, "recorded_on": "2021-05-01", "url": "javascript:alert(1)"}, 422),
        ("tasks/{task}/updates", {"percent": 50, "recorded_on": "01/05/2021"}, 422),
        ("tasks/{task}/updates", {"percent": 50, "recorded_on": "2021-05-01", "extra": 1}, 422),
        ("programmes/{programme}/tasks", {"title": "x" * 301, "owner_role": "Ban", "starts_on": "2021-04-01",
                                          "due_on": "2021-05-01"}, 422),
        ("programmes/{programme}/tasks", {"title": "Việc", "owner_role": "Ban", "starts_on": "2021-04-01",
                                          "due_on": "2021-05-01", "indicator": "x", "target_value": "1e400"}, 422),
        ("programmes", {"unit": "P-B", "document": "{document}", "title": "Kế hoạch", "decision_number": "số 7",
                        "issued_on": "2021-04-01"}, 422),
    ],
)  # fmt: skip
def test_bad_input_is_a_4xx_with_a_code_and_stores_nothing(admin_user, client_for, setup, path, body, code):
    client = client_for(admin_user)
    ids = {"task": setup["task"].pk, "programme": setup["programme"].pk, "document": setup["document"].pk}
    body = {key: (value.format(**ids) if value == "{document}" else value) for key, value in body.items()}
    if body.get("document") == str(ids["document"]):
        body["document"] = ids["document"]
    before = (ActionProgramme.objects.count(), ProgrammeTask.objects.count(), ProgressUpdate.objects.count())
    response = post(client, "/api/v1/plans/" + path.format(**ids), body)
    assert response.status_code == code, response.content
    assert response.json()["code"]
    assert (ActionProgramme.objects.count(), ProgrammeTask.objects.count(), ProgressUpdate.objects.count()) == before


def test_another_provinces_user_gets_exactly_the_answer_for_a_missing_record(client_for, setup):
    client = client_for(setup["outsider"])
    for path, pk in (
        ("/api/v1/plans/programmes/{}", setup["programme"].pk),
        ("/api/v1/plans/requirements/{}/coverage", setup["requirement"].pk),
        ("/api/v1/plans/tasks/{}/updates", setup["task"].pk),
    ):
        hidden = client.get(path.format(pk))
        missing = client.get(path.format(999999))
        assert hidden.status_code == missing.status_code == 404, path
        assert {k: v for k, v in hidden.json().items() if k != "extra"} == {
            k: v for k, v in missing.json().items() if k != "extra"
        }
    hidden = post(
        client, f"/api/v1/plans/tasks/{setup['task'].pk}/updates", {"percent": 5, "recorded_on": "2021-05-01"}
    )
    assert hidden.status_code == 404 and not ProgressUpdate.objects.exists()
    assert client.get("/api/v1/plans/programmes").json() == {"items": [], "count": 0}
    for name, pk in (("programme_detail", setup["programme"].pk), ("task_detail", setup["task"].pk),
                     ("requirement_detail", setup["requirement"].pk)):  # fmt: skip
        hidden_page = client.get(reverse(f"plans:{name}", args=[pk]))
        missing_page = client.get(reverse(f"plans:{name}", args=[999999]))
        assert hidden_page.status_code == missing_page.status_code == 404


def test_the_owner_units_officer_reports_progress_but_may_not_add_tasks(tree, client_for, setup):
    officer = make_user(role="officer", unit=tree.commune_a1)
    client = client_for(officer)
    task = setup["task"]
    page = client.get(reverse("plans:task_detail", args=[task.pk]))
    assert page.status_code == 200 and 'data-testid="update-form"' in page.content.decode()
    response = client.post(reverse("plans:task_detail", args=[task.pk]), {"percent": "60", "recorded_on": "2021-05-02",
                                                                         "note": "Đang triển khai"})  # fmt: skip
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.percent_done == 60
    refused = post(client, f"/api/v1/plans/programmes/{setup['programme'].pk}/tasks", {
        "title": "Việc", "owner_role": "Ban", "starts_on": "2021-04-01", "due_on": "2021-05-01"})  # fmt: skip
    assert refused.status_code == 403  # the commune reads the district's programme, but does not keep it
    assert client.get(reverse("plans:programme_detail", args=[setup["programme"].pk])).status_code == 200
    assert ProgrammeTask.objects.count() == 1


def test_pages_show_programmes_coverage_and_a_form_error_in_vietnamese(admin_user, client_for, setup):
    client = client_for(admin_user)
    index = client.get(reverse("plans:index")).content.decode()
    assert "Chương trình hành động" in index and setup["programme"].decision_number in index
    coverage = client.get(reverse("plans:requirement_detail", args=[setup["requirement"].pk])).content.decode()
    assert "Đúng hạn" in coverage and "Chưa ban hành" in coverage
    bad = client.post(reverse("plans:programme_new"), {
        "unit": "P-B", "document": str(setup["document"].pk), "title": "Kế hoạch", "decision_number": "abc",
        "issued_on": "2021-04-01"})  # fmt: skip
    assert bad.status_code == 422 and "không phải số, ký hiệu văn bản" in bad.content.decode()
    assert ActionProgramme.objects.count() == 1


def test_recommendations_through_the_api_and_a_decline_needs_a_reason(tree, admin_user, client_for, setup):
    client = client_for(admin_user)
    sent = post(client, "/api/v1/plans/recommendations", {
        "unit": "P-A", "addressee_unit": "P", "topic": "Đào tạo", "text": "Đề nghị mở lớp bồi dưỡng.",
        "sent_on": "2022-08-20", "due_on": "2022-10-20",
    })  # fmt: skip
    assert sent.status_code == 201, sent.content
    pk = sent.json()["id"]
    refused = post(client, f"/api/v1/plans/recommendations/{pk}/status", {"status": "declined", "on": "2022-09-01"})
    assert refused.status_code == 422 and refused.json()["code"] == "reason_required"
    assert Recommendation.objects.get(pk=pk).status == "sent"
    answered = post(client, f"/api/v1/plans/recommendations/{pk}/status",
                    {"status": "answered", "on": "2022-10-01", "answer": "Đồng ý."})  # fmt: skip
    assert answered.json()["answered_on_time"] is True
    backwards = post(client, f"/api/v1/plans/recommendations/{pk}/status", {"status": "received", "on": "2022-10-02"})
    assert backwards.status_code == 409 and backwards.json()["code"] == "invalid_transition"
    assert client.get("/api/v1/plans/recommendations", {"status": "open"}).json()["count"] == 0
    outsider = client_for(setup["outsider"])
    assert outsider.get(f"/api/v1/plans/recommendations/{pk}").status_code == 404
