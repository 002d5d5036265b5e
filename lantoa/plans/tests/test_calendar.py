"""The calendar of deadlines: programmes due, task deadlines, follow-ups and recommendations in a
unit's subtree that the reader sees, as a month grid and as iCalendar; its queries do not grow
with the deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.accounts.tests.factories import make_user
from lantoa.org.tests.factories import make_unit
from lantoa.plans import services
from lantoa.plans.tests.factories import make_document, make_programme, make_requirement, make_task
from lantoa.plans.tests.test_inspections import make_inspection

pytestmark = pytest.mark.django_db


def fill(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree.province)
    make_requirement(tree.province, document, due_on=dt.date(2022, 9, 30))
    programme = make_programme(tree.district_a, document)
    make_task(programme, owner_unit=tree.commune_a1, starts_on=dt.date(2022, 9, 1), due_on=dt.date(2022, 9, 25))
    inspection = make_inspection(tree)
    services.conclusion_add(by=None, inspection=inspection, text="Bổ sung kế hoạch.", owner_unit=tree.district_a,
                            due_on=dt.date(2022, 9, 10))  # fmt: skip
    services.recommendation_send(by=None, data=services.RecommendationData(
        unit=tree.district_a, topic="Tài liệu học tập", text="Đề nghị cấp tài liệu.", sent_on=dt.date(2022, 9, 1),
        due_on=dt.date(2022, 9, 20), addressee_unit=tree.province))  # fmt: skip
    return programme


def test_the_month_grid_shows_each_kind_of_deadline_on_its_day(tree, admin_user, client_for):
    fill(tree)
    client = client_for(admin_user)
    page = client.get(f"/plans/calendar/?unit={tree.province.code}&month=2022-09")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="calendar-deadline"') == 4 and "4 hạn trong tháng" in html
    for day in ("2022-09-30", "2022-09-25", "2022-09-10", "2022-09-20"):
        cell = html.split(f'data-testid="day-{day}"')[1].split("</td>")[0]
        assert 'data-testid="calendar-deadline"' in cell, day
    assert "Nhiệm vụ" in html and "Lịch các mốc hạn" in html
    commune = client_for(make_user(role="officer", unit=tree.commune_a1))
    own = commune.get(f"/plans/calendar/?unit={tree.commune_a1.code}&month=2022-09").content.decode()
    assert own.count('data-testid="calendar-deadline"') == 1
    outsider = client_for(make_user(role="manager", unit=make_unit(kind="provincial_committee", code="OTHER")))
    assert outsider.get(f"/plans/calendar/?unit={tree.province.code}&month=2022-09").status_code == 404
    assert client.get(f"/plans/calendar/?unit={tree.province.code}&month=2022-13").status_code == 200


def test_the_ics_holds_all_day_events_on_the_page_and_the_api(tree, admin_user, client_for):
    fill(tree)
    client = client_for(admin_user)
    page = client.get(f"/plans/calendar.ics?unit={tree.province.code}&month=2022-09")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/calendar")
    text = page.content.decode()
    assert text.count("BEGIN:VEVENT") == 4 and "DTSTART;VALUE=DATE:20220930" in text
    api = client.get(f"/api/v1/plans/deadlines.ics?unit={tree.province.code}&year=2022&month=9")
    assert api.status_code == 200 and api.content.decode().count("BEGIN:VEVENT") == 4
    assert client.get(f"/api/v1/plans/deadlines.ics?unit={tree.province.code}&year=2022&month=13").status_code == 422


def test_the_page_queries_do_not_grow_with_the_deadlines(tree, admin_user, client_for):
    programme = fill(tree)
    client = client_for(admin_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/plans/calendar/?unit={tree.province.code}&month=2022-09").status_code == 200
        return len(captured)

    small = count()
    for day in range(1, 9):
        make_task(
            programme, owner_unit=tree.commune_a1, starts_on=dt.date(2022, 9, 1), due_on=dt.date(2022, 9, day + 10)
        )
    assert count() == small
