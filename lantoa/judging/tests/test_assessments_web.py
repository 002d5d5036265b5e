"""Criteria assessments on the pages and over the API: scope (a unit sees its own assessments and
those it runs beneath it), the self-assessment and verification forms, only the actions the
viewer may take, 4xx that change nothing, the XLSX, the history over years, and a board whose
cost does not grow with its rows."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from lantoa.accounts.tests.factories import make_user
from lantoa.judging.assessments import services
from lantoa.judging.assessments.models import AssessmentStatus
from lantoa.judging.tests.assessment_helpers import criteria, make_campaign, self_scores, verify_scores

pytestmark = pytest.mark.django_db
S = services.SubjectData


@pytest.fixture
def campaign(tree):
    return make_campaign(tree.district_a, [S(tree.commune_a1), S(tree.cell_a1, "Mô hình nước sạch thôn Phìn Ngan")])


@pytest.fixture
def district_officer(tree):
    return make_user(role="officer", unit=tree.district_a, username="district_officer")


def subject(campaign, code):  # type: ignore[no-untyped-def]
    return campaign.assessments.get(unit__code=code)


def test_the_subject_sees_its_own_and_the_assessor_every_subject(
    campaign, tree, officer_a, district_officer, client_for
):
    mine = client_for(officer_a).get(f"/judging/assessments/{campaign.pk}/")
    assert mine.status_code == 200 and "Đánh giá công tác dân vận năm 2024" in mine.text
    runner = client_for(district_officer).get(f"/api/v1/judging/assessments/{campaign.pk}").json()
    assert runner["count"] == 2
    outsider = client_for(make_user(role="officer", unit=tree.commune_b1, username="b1")).get(
        f"/judging/assessments/{campaign.pk}/"
    )
    assert outsider.status_code == 404
    cell = make_user(role="officer", unit=tree.cell_a1, username="cell")
    seen = client_for(cell).get(f"/api/v1/judging/assessments/{campaign.pk}").json()
    assert [row["unit"] for row in seen["subjects"]] == ["P-A-1-C1"]  # its own only


def test_self_assessment_on_the_page_then_verification(campaign, tree, officer_a, district_officer, client_for):
    assessment = subject(campaign, "P-A-1")
    c1, c2, c3 = criteria(assessment)
    client = client_for(officer_a)
    page = client.get(f"/judging/assessments/subjects/{assessment.pk}/")
    assert 'data-testid="self-form"' in page.text and 'data-testid="verify-form"' not in page.text
    bad = client.post(
        f"/judging/assessments/subjects/{assessment.pk}/self/",
        {f"criterion_{c1.pk}": "12", f"criterion_{c2.pk}": "6", f"criterion_{c3.pk}": "9", "action": "submit"},
    )
    assert bad.status_code == 422 and "Nhập số từ 0 đến 10.00" in bad.text
    assert not assessment.scores.exists()
    posted = {
        f"criterion_{c1.pk}": "8", f"criterion_{c2.pk}": "6", f"criterion_{c3.pk}": "9,0",
        f"note_{c1.pk}": "Nghị quyết số 12", "evidence": "https://xa.example.vn/minh-chung", "action": "submit",
    }  # fmt: skip
    done = client.post(f"/judging/assessments/subjects/{assessment.pk}/self/", posted)
    assert done.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED and assessment.evidence == [
        "https://xa.example.vn/minh-chung"
    ]
    assert client.post(f"/judging/assessments/subjects/{assessment.pk}/verify/", {}).status_code == 403
    assessor = client_for(district_officer)
    page = assessor.get(f"/judging/assessments/subjects/{assessment.pk}/")
    assert 'data-testid="verify-form"' in page.text and 'data-testid="self-form"' not in page.text
    unexplained = {f"criterion_{c1.pk}": "6", f"criterion_{c2.pk}": "6", f"criterion_{c3.pk}": "9"}
    refused = assessor.post(f"/judging/assessments/subjects/{assessment.pk}/verify/", unexplained)
    assert refused.status_code == 422 and "lý do" in refused.text
    explained = {**unexplained, f"reason_{c1.pk}": "Chưa có nghị quyết chuyên đề"}
    assert assessor.post(f"/judging/assessments/subjects/{assessment.pk}/verify/", explained).status_code == 302
    assessment.refresh_from_db()
    assert assessment.passed is False
    shown = client.get(f"/judging/assessments/subjects/{assessment.pk}/").text
    assert "Không đạt" in shown and "Chưa có nghị quyết chuyên đề" in shown and "assessment-reopen" not in shown


def test_the_api_journey(campaign, officer_a, district_officer, client_for):
    assessment = subject(campaign, "P-A-1")
    c1, c2, c3 = criteria(assessment)
    path = f"/api/v1/judging/assessments/subjects/{assessment.pk}"
    body = {"scores": [{"criterion": c.pk, "value": v} for c, v in ((c1, 8), (c2, 6), (c3, 9))], "submit": True}
    client = client_for(officer_a)
    strict = client.put(f"{path}/self", json.dumps({**body, "extra": 1}), content_type="application/json")
    assert strict.status_code == 422
    sent = client.put(f"{path}/self", json.dumps(body), content_type="application/json")
    assert sent.status_code == 200 and sent.json()["self_total"] == "76.000"
    again = client.put(f"{path}/self", json.dumps(body), content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "assessment_locked"
    assessor = client_for(district_officer)
    verified = assessor.post(f"{path}/verify", json.dumps({"scores": body["scores"]}), content_type="application/json")
    assert verified.status_code == 200 and verified.json()["passed"] is True
    reopened = assessor.post(f"{path}/reopen", json.dumps({"reason": "Kiểm tra lại"}), content_type="application/json")
    assert reopened.json()["status"] == "submitted" and reopened.json()["reopenings"][0]["reason"] == "Kiểm tra lại"
    denied = client.post(f"{path}/reopen", json.dumps({"reason": "x"}), content_type="application/json")
    assert denied.status_code == 403


def test_creating_a_campaign_over_the_api_and_the_page(tree, district_officer, client_for, campaign):
    client = client_for(district_officer)
    rubric = campaign.rubric_version.rubric_id
    body = {
        "unit": "P-A", "title": "Đánh giá mô hình Dân vận khéo 2025", "year": 2025, "starts_on": "2025-01-01",
        "ends_on": "2025-12-31", "rubric": rubric, "pass_score": "80", "minimums": [{"position": 1, "minimum": "5"}],
        "tier": "commune",
    }  # fmt: skip
    made = client.post("/api/v1/judging/assessments", json.dumps(body), content_type="application/json")
    assert made.status_code == 201 and made.json()["minimums"] == {
        str(criteria(subject(campaign, "P-A-1"))[0].pk): "5.00"
    }
    out = client.post(
        "/api/v1/judging/assessments",
        json.dumps({**body, "tier": "", "subjects": [{"unit": "P-B-1"}]}),
        content_type="application/json",
    )
    assert out.status_code == 404  # a unit out of scope answers as missing
    form = {
        "unit": "P-A", "title": "Đánh giá dân vận 2026", "year": "2026", "starts_on": "2026-01-01",
        "ends_on": "2026-12-31", "rubric": str(rubric), "pass_score": "70", "minimums": "2: 5",
        "subjects": "P-A-1-C1 | Mô hình nước sạch",
    }  # fmt: skip
    page = client.post("/judging/assessments/new/", form)
    assert page.status_code == 302
    assert client.get("/judging/assessments/").text.count("Đánh giá dân vận 2026") == 1


def test_history_over_years_and_the_xlsx(tree, campaign, officer_a, client_for):
    later = make_campaign(tree.district_a, [S(tree.commune_a1)], year=2025, rubric=campaign.rubric_version.rubric)
    for assessment, scores in (
        (subject(campaign, "P-A-1"), ["8", "8", "8"]),
        (later.assessments.get(), ["5", "5", "5"]),
    ):
        self_scores(assessment, scores)
        verify_scores(assessment, scores)
    client = client_for(officer_a)
    history = client.get("/api/v1/judging/assessments/history/P-A-1").json()
    assert [(row["year"], row["passed"]) for row in history["items"]] == [(2025, False), (2024, True)]
    page = client.get("/judging/assessments/units/P-A-1/")
    assert page.status_code == 200 and "Đạt" in page.text and "Không đạt" in page.text
    answer = client.get(f"/judging/assessments/{campaign.pk}/results.xlsx")
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:3] == ("Mã đơn vị", "Đơn vị", "Mô hình điển hình")
    assert rows[4][:7] == ("P-A-1", "Đảng bộ xã Quang Kim", None, "Đã thẩm định", 80, 80, "Đạt")


def test_the_board_costs_the_same_for_2_or_20_subjects(tree, district_officer, client_for, django_assert_num_queries):
    from lantoa.org.tests.factories import make_unit

    client = client_for(district_officer)
    small = make_campaign(tree.district_a, [S(tree.commune_a1), S(tree.cell_a1)])
    cells = [
        make_unit(kind="party_cell", parent=tree.commune_a1, name=f"Chi bộ {n}", code=f"P-A-1-X{n}") for n in range(18)
    ]
    large = make_campaign(tree.district_a, [S(tree.commune_a1), S(tree.cell_a1), *(S(cell) for cell in cells)])
    client.get(f"/judging/assessments/{small.pk}/")  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(f"/judging/assessments/{small.pk}/").status_code == 200
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(f"/judging/assessments/{large.pk}/").text.count("Chi bộ ") >= 18
