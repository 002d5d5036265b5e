"""Inspections: a member from an inspected unit (or beneath it) is refused; a conclusion that asks
for action opens a follow-up, closed with evidence; overdue lists; the XLSX of follow-ups; scope."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.org.tests.factories import make_unit
from lantoa.people.tests.factories import make_person
from lantoa.plans import services
from lantoa.plans.models import FollowUp, TeamMember
from lantoa.plans.selectors import follow_up_list_for_user, follow_up_status, my_work_items

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 8, 8)


def make_inspection(tree, *, inspected=None):  # type: ignore[no-untyped-def]
    return services.inspection_create(
        by=None,
        data=services.InspectionData(
            unit=tree.province, title="Kiểm tra việc học tập Nghị quyết", deciding_body="Ban Thường vụ Tỉnh ủy",
            decision_number="Số 120-QĐ/TU", decided_on=dt.date(2022, 7, 20), starts_on=DAY, ends_on=DAY,
            topics="Việc quán triệt Nghị quyết; việc xây dựng chương trình hành động.",
            inspected=tuple(inspected or [tree.district_a]),
        ),
    )  # fmt: skip


def test_a_member_from_the_inspected_unit_or_beneath_it_is_refused(tree):
    inspection = make_inspection(tree)
    for unit in (tree.district_a, tree.commune_a1):
        with pytest.raises(Conflict) as error:
            services.team_member_add(by=None, inspection=inspection, role="member", person=make_person(home_unit=unit))
        assert error.value.code == "member_conflict"
    with pytest.raises(Conflict):
        services.team_member_add(by=None, inspection=inspection, role="member",
                                 user=make_user(role="officer", unit=tree.commune_a1))  # fmt: skip
    chief = services.team_member_add(by=None, inspection=inspection, role="chief",
                                     person=make_person(home_unit=tree.district_b))  # fmt: skip
    services.team_member_add(
        by=None, inspection=inspection, role="secretary", user=make_user(role="officer", unit=tree.province)
    )  # the province is above, not beneath
    with pytest.raises(Conflict) as second:
        services.team_member_add(by=None, inspection=inspection, role="chief", name="Đồng chí A")
    assert second.value.code == "chief_exists"
    assert TeamMember.objects.get(inspection=inspection, role="chief") == chief
    assert TeamMember.objects.count() == 2


def test_a_conclusion_opens_a_follow_up_closed_with_evidence(tree):
    inspection = make_inspection(tree)
    noted = services.conclusion_add(by=None, inspection=inspection, text="Việc quán triệt được tổ chức nghiêm túc.")
    asked = services.conclusion_add(by=None, inspection=inspection, text="Bổ sung chương trình hành động.",
                                    owner_unit=tree.district_a, due_on=dt.date(2022, 9, 30))  # fmt: skip
    assert (noted.number, asked.number) == (1, 2)
    assert not FollowUp.objects.filter(conclusion=noted).exists()
    follow_up = FollowUp.objects.get()
    assert follow_up.conclusion == asked
    assert follow_up_status(follow_up, on=dt.date(2022, 9, 1)) == "open"
    assert follow_up_status(follow_up, on=dt.date(2022, 10, 1)) == "overdue"
    with pytest.raises(ValidationFailed) as bare:
        services.follow_up_close(by=None, follow_up=follow_up, closed_on=dt.date(2022, 9, 20))
    assert bare.value.code == "evidence_required"
    services.follow_up_close(by=None, follow_up=follow_up, closed_on=dt.date(2022, 9, 20),
                             evidence="Đã ban hành Chương trình bổ sung số 12-CTr/HU.")  # fmt: skip
    follow_up.refresh_from_db()
    assert follow_up_status(follow_up, on=dt.date(2022, 10, 1)) == "closed"
    with pytest.raises(Conflict):
        services.follow_up_close(by=None, follow_up=follow_up, closed_on=dt.date(2022, 9, 21), evidence="Lại")
    with pytest.raises(ValidationFailed) as half:
        services.conclusion_add(by=None, inspection=inspection, text="Thiếu hạn", owner_unit=tree.district_a)
    assert half.value.code == "follow_up_incomplete"
    assert AuditEntry.objects.filter(action="lantoa.plans.follow_up.closed").count() == 1


def test_overdue_lists_my_work_and_the_xlsx(tree, admin_user, client_for):
    from openpyxl import load_workbook

    inspection = make_inspection(tree)
    services.conclusion_add(by=None, inspection=inspection, text="=HYPERLINK(\"x\")", owner_unit=tree.district_a,
                            due_on=dt.date(2022, 9, 30))  # fmt: skip
    officer = make_user(role="officer", unit=tree.district_a)
    assert [f.owner_unit for f in follow_up_list_for_user(officer, overdue_on=dt.date(2022, 10, 1))] == [
        tree.district_a
    ]
    assert follow_up_list_for_user(officer, overdue_on=dt.date(2022, 9, 1)).count() == 0
    assert [item.count for item in my_work_items(officer, None, on=dt.date(2022, 9, 1))] == [1]
    response = client_for(admin_user).get(reverse("plans:inspection_dossier", args=[inspection.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows[0][:3] == (1, '=HYPERLINK("x")', tree.district_a.name)
    assert sheet.cell(row=5, column=2).data_type == "s"


def test_the_api_refuses_a_conflicting_member_and_hides_inspections_out_of_scope(tree, admin_user, client_for):
    client = client_for(admin_user)
    created = client.post("/api/v1/plans/inspections", json.dumps({
        "unit": "P", "title": "Giám sát", "deciding_body": "Ban Thường vụ Tỉnh ủy", "kind": "supervision",
        "starts_on": "2022-08-08", "ends_on": "2022-08-09", "inspected": ["P-B"], "topics": "Chủ đề",
    }), content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    person = make_person(home_unit=tree.commune_b1)
    refused = client.post(
        f"/api/v1/plans/inspections/{pk}/members",
        json.dumps({"role": "member", "person": person.pk}),
        content_type="application/json",
    )
    assert refused.status_code == 409 and refused.json()["code"] == "member_conflict"
    assert not TeamMember.objects.exists()
    concluded = client.post(f"/api/v1/plans/inspections/{pk}/conclusions", json.dumps(
        {"text": "Kiện toàn ban tuyên vận", "owner_unit": "P-B", "due_on": "2022-12-31"}),
        content_type="application/json")  # fmt: skip
    follow_up = concluded.json()["conclusions"][0]["follow_up"]
    assert concluded.status_code == 201 and follow_up["status"] in {"open", "overdue"}
    closed = client.post(f"/api/v1/plans/follow-ups/{follow_up['id']}/close",
                         json.dumps({"closed_on": "2022-12-01", "url": "https://example.org/bao-cao"}),
                         content_type="application/json")  # fmt: skip
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    outsider = client_for(make_user(role="manager", unit=make_unit(kind="provincial_committee", code="OTHER")))
    hidden, missing = outsider.get(f"/api/v1/plans/inspections/{pk}"), outsider.get("/api/v1/plans/inspections/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["message"] == missing.json()["message"]
    assert outsider.get(reverse("plans:inspection_detail", args=[pk])).status_code == 404
    # The inspected district reads what its inspection covers.
    inspected = client_for(make_user(role="viewer", unit=tree.district_b))
    assert inspected.get(f"/api/v1/plans/inspections/{pk}").status_code == 200


def test_the_inspection_page_records_a_conclusion_and_shows_it(tree, admin_user, client_for):
    inspection = make_inspection(tree)
    client = client_for(admin_user)
    response = client.post(reverse("plans:inspection_detail", args=[inspection.pk]), {
        "action": "conclusion", "conclusion-text": "Rà soát đội ngũ báo cáo viên.", "conclusion-owner_unit": "P-A",
        "conclusion-due_on": "2022-10-31"})  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("plans:inspection_detail", args=[inspection.pk])).content.decode()
    assert "Rà soát đội ngũ báo cáo viên." in page and "Đảng bộ huyện Bát Xát" in page
    assert FollowUp.objects.get().due_on == dt.date(2022, 10, 31)


def test_a_recommendation_links_the_inspection_it_came_from(tree, admin_user, client_for):
    from lantoa.plans.models import Recommendation

    inspection = make_inspection(tree)
    body = {"unit": "P-A", "addressee_unit": "P", "topic": "Đào tạo", "text": "Đề nghị mở lớp.",
            "sent_on": "2022-08-10", "inspection": inspection.pk}  # fmt: skip
    sent = client_for(admin_user).post(
        "/api/v1/plans/recommendations", json.dumps(body), content_type="application/json"
    )
    assert sent.status_code == 201 and sent.json()["inspection"] == inspection.pk
    page = client_for(admin_user).get(reverse("plans:recommendation_detail", args=[sent.json()["id"]]))
    assert inspection.title in page.content.decode()
    outsider = client_for(make_user(role="manager", unit=make_unit(kind="provincial_committee", code="OTHER")))
    other_unit_body = {**body, "unit": "OTHER", "addressee_unit": "", "addressee_name": "Ban Tuyên giáo"}
    refused = outsider.post(
        "/api/v1/plans/recommendations", json.dumps(other_unit_body), content_type="application/json"
    )
    assert refused.status_code == 404 and Recommendation.objects.count() == 1
