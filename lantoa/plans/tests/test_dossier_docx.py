"""The inspection's dossier as DOCX: everything the records hold, in the layout of an official
document, on the page and in the API, within the reader's scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from lantoa.accounts.tests.factories import make_user
from lantoa.org.tests.factories import make_unit
from lantoa.people.tests.factories import make_person
from lantoa.plans import services
from lantoa.plans.dossier import inspection_docx

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 8, 8)


@pytest.fixture
def inspection(tree):  # type: ignore[no-untyped-def]
    held = services.inspection_create(
        by=None,
        data=services.InspectionData(
            unit=tree.province, title="Kiểm tra việc học tập Nghị quyết Đại hội XIII", deciding_body="Ban Thường vụ",
            decision_number="Số 120-QĐ/TU", decided_on=dt.date(2022, 7, 20), starts_on=DAY, ends_on=DAY,
            topics="Việc quán triệt Nghị quyết?\nViệc xây dựng chương trình hành động?",
            inspected=(tree.district_a,),
        ),
    )  # fmt: skip
    services.team_member_add(by=None, inspection=held, role="chief", person=make_person(home_unit=tree.district_b))
    services.team_member_add(by=None, inspection=held, role="secretary", name="Đồng chí Thư Ký")
    services.conclusion_add(by=None, inspection=held, text="Ghi nhận kết quả học tập.")
    services.conclusion_add(by=None, inspection=held, text="Bổ sung kế hoạch kiểm tra.", owner_unit=tree.district_a,
                            due_on=dt.date(2022, 10, 1))  # fmt: skip
    asked = services.conclusion_add(by=None, inspection=held, text="Tổ chức sơ kết.", owner_unit=tree.district_a,
                                    due_on=dt.date(2022, 9, 1))  # fmt: skip
    services.follow_up_close(by=None, follow_up=asked.follow_up, closed_on=dt.date(2022, 8, 30),
                             evidence="Đã tổ chức hội nghị sơ kết")  # fmt: skip
    services.recommendation_send(by=None, data=services.RecommendationData(
        unit=tree.province, topic="Tiêu chí trung tâm chính trị", text="Đề nghị ban hành tiêu chí.", sent_on=DAY,
        addressee_name="Ban Tuyên giáo Trung ương", inspection=held))  # fmt: skip
    return held


def text_of(content: bytes) -> tuple[str, list[list[list[str]]]]:
    document = Document(io.BytesIO(content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def test_the_dossier_holds_the_inspection_team_topics_conclusions_and_follow_ups(tree, inspection):
    content = inspection_docx(inspection, on=dt.date(2022, 10, 2))
    paragraphs, tables = text_of(content)
    header, team, follow_ups = tables
    assert header[0][0].startswith(tree.province.name.upper()) and "ĐẢNG CỘNG SẢN VIỆT NAM" in header[0][1]
    for expected in ("Kiểm tra việc học tập Nghị quyết Đại hội XIII", "120-QĐ/TU", "20/07/2022", "Ban Thường vụ",
                     "Việc quán triệt Nghị quyết?", "Việc xây dựng chương trình hành động?",
                     f"{tree.district_a.name} (P-A)", "1. Ghi nhận kết quả học tập.", "2. Bổ sung kế hoạch kiểm tra.",
                     "3. Tổ chức sơ kết.", "Tiêu chí trung tâm chính trị — Ban Tuyên giáo Trung ương"):  # fmt: skip
        assert expected in paragraphs, expected
    assert [row[1] for row in team[1:]] == [inspection.team.get(role="chief").display_name, "Đồng chí Thư Ký"]
    assert [(row[0], row[2]) for row in follow_ups[1:]] == [("2", "01/10/2022"), ("3", "01/09/2022")]
    assert "Đã tổ chức hội nghị sơ kết" in follow_ups[2][4] and "30/08/2022" in follow_ups[2][4]
    assert follow_ups[1][3] != follow_ups[2][3]  # overdue, closed
    document = Document(io.BytesIO(content))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert round(document.sections[0].left_margin.mm) == 30


def test_the_page_and_the_api_serve_it_within_scope(tree, admin_user, client_for, inspection):
    page = client_for(admin_user).get(f"/plans/inspections/{inspection.pk}/dossier.docx")
    assert page.status_code == 200 and page["Content-Type"].endswith("wordprocessingml.document")
    assert "Tổ chức sơ kết." in text_of(page.content)[0]
    api = client_for(admin_user).get(f"/api/v1/plans/inspections/{inspection.pk}/dossier.docx")
    assert api.status_code == 200 and api.content[:2] == b"PK"
    inspected = client_for(make_user(role="officer", unit=tree.district_a))  # reads what covers it
    assert inspected.get(f"/plans/inspections/{inspection.pk}/dossier.docx").status_code == 200
    outsider = client_for(make_user(role="manager", unit=make_unit(kind="provincial_committee", code="OTHER")))
    assert outsider.get(f"/api/v1/plans/inspections/{inspection.pk}/dossier.docx").status_code == 404
