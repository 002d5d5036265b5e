"""Yearly inspection plans: one a unit a year, of units beneath it; an inspection holds a planned
one once, by the planning unit, in the plan's year; the plan shows held, not held and planned;
page and API within scope; the list's queries do not grow with the plans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.org.tests.factories import make_unit
from lantoa.plans import services
from lantoa.plans.models import InspectionPlan
from lantoa.plans.selectors import inspection_plan_rows

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 8, 8)


def make_plan(tree, *, year: int = 2022, unit=None, items=None):  # type: ignore[no-untyped-def]
    items = items if items is not None else (
        services.PlannedData(unit=tree.district_a, topic="Việc học tập Nghị quyết", month=8),
        services.PlannedData(unit=tree.district_b, topic="Việc xây dựng chương trình hành động", month=3,
                             kind="supervision"),
    )  # fmt: skip
    return services.inspection_plan_create(
        by=None, unit=unit or tree.province, year=year, title=f"Kế hoạch kiểm tra, giám sát năm {year}",
        decision_number="Số 15-KH/TU", decided_on=dt.date(year - 1, 12, 20), items=items,
    )  # fmt: skip


def hold(tree, item, **changes):  # type: ignore[no-untyped-def]
    values = {
        "unit": tree.province, "title": "Kiểm tra", "deciding_body": "Ban Thường vụ Tỉnh ủy", "starts_on": DAY,
        "ends_on": DAY, "topics": "Việc học tập Nghị quyết", "inspected": (item.unit,), "planned": item,
    } | changes  # fmt: skip
    return services.inspection_create(by=None, data=services.InspectionData(**values))


def test_one_plan_a_unit_a_year_of_units_beneath_it(tree):
    plan = make_plan(tree)
    assert plan.decision_number == "15-KH/TU" and plan.items.count() == 2
    with pytest.raises(Conflict) as twice:
        make_plan(tree)
    assert twice.value.code == "plan_exists"
    for unit in (tree.province, make_unit(kind="provincial_committee", code="OTHER")):
        with pytest.raises(ValidationFailed) as outside:
            make_plan(tree, year=2023, items=(services.PlannedData(unit=unit, topic="X", month=1),))
        assert outside.value.code == "unit_not_beneath"
    with pytest.raises(ValidationFailed) as month:
        services.planned_inspection_add(by=None, plan=plan, data=services.PlannedData(tree.commune_a1, "X", 13))
    assert month.value.code == "invalid_month"
    added = services.planned_inspection_add(by=None, plan=plan, data=services.PlannedData(tree.commune_a1, "X", 11))
    assert added.position == 3
    assert InspectionPlan.objects.count() == 1
    assert AuditEntry.objects.filter(action="lantoa.plans.inspection_plan.created").count() == 1
    assert AuditEntry.objects.filter(action="lantoa.plans.inspection_plan.item_added").count() == 1


def test_an_inspection_holds_a_planned_one_once_and_the_plan_shows_what_was_held(tree):
    plan = make_plan(tree)
    august, march = plan.items.order_by("position")
    for changes, code in (
        ({"inspected": (tree.district_b,)}, "planned_unit_missing"),
        ({"starts_on": dt.date(2023, 8, 8), "ends_on": dt.date(2023, 8, 8)}, "planned_mismatch"),
        ({"unit": tree.district_a, "inspected": (tree.district_a,)}, "planned_mismatch"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            hold(tree, august, **changes)
        assert refused.value.code == code
    held = hold(tree, august)
    with pytest.raises(Conflict) as again:
        hold(tree, august)
    assert again.value.code == "planned_held"
    rows = inspection_plan_rows(plan, on=dt.date(2022, 9, 1))
    assert [(row.item.position, row.status, row.inspection) for row in rows] == [
        (1, "held", held),
        (2, "not_held", None),
    ]
    assert [row.status for row in inspection_plan_rows(plan, on=dt.date(2022, 3, 31))] == ["held", "planned"]
    assert march.month == 3


def test_the_pages_show_held_and_not_held_within_scope(tree, admin_user, client_for):
    plan = make_plan(tree)
    hold(tree, plan.items.get(position=1))
    client = client_for(admin_user)
    listing = client.get("/plans/inspection-plans/").content.decode()
    assert "Kế hoạch kiểm tra, giám sát năm 2022" in listing and "1/2" in listing
    page = client.get(f"/plans/inspection-plans/{plan.pk}/").content.decode()
    assert "Đã tiến hành" in page and "Chưa tiến hành" in page and 'data-testid="planned-form"' in page
    added = client.post(f"/plans/inspection-plans/{plan.pk}/", {"unit": tree.commune_a1.code, "kind": "inspection",
                                                              "topic": "Sinh hoạt chi bộ", "month": "13"})  # fmt: skip
    assert added.status_code == 422 and plan.items.count() == 2
    new = client.get(f"/plans/inspections/new/?planned={plan.items.get(position=2).pk}").content.decode()
    assert tree.district_b.code in new
    viewer = client_for(make_user(role="viewer", unit=tree.province))
    assert 'data-testid="planned-form"' not in viewer.get(f"/plans/inspection-plans/{plan.pk}/").content.decode()
    inspected = client_for(make_user(role="officer", unit=tree.district_a))  # foreseen to be inspected
    assert inspected.get(f"/plans/inspection-plans/{plan.pk}/").status_code == 200
    outsider = client_for(make_user(role="manager", unit=make_unit(kind="provincial_committee", code="OTHER")))
    assert outsider.get(f"/plans/inspection-plans/{plan.pk}/").status_code == 404


def test_the_list_query_count_does_not_grow_with_plans(tree, admin_user, client_for):
    client = client_for(admin_user)
    make_plan(tree)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/plans/inspection-plans/").status_code == 200
        return len(captured)

    small = count()
    for year in range(2023, 2029):
        make_plan(tree, year=year)
    assert count() == small


def test_the_api_records_a_plan_and_an_inspection_that_holds_it(tree, admin_user, client_for):
    client = client_for(admin_user)
    body = {"unit": tree.province.code, "year": 2022, "title": "Kế hoạch kiểm tra năm 2022",
            "decision_number": "15-KH/TU", "decided_on": "2021-12-20",
            "items": [{"unit": tree.district_a.code, "topic": "Học tập Nghị quyết", "month": 8}]}  # fmt: skip
    created = client.post("/api/v1/plans/inspection-plans", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert (plan["planned"], plan["held"], plan["items"][0]["status"]) == (1, 0, "not_held")
    again = client.post("/api/v1/plans/inspection-plans", body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "plan_exists"
    bad = client.post("/api/v1/plans/inspection-plans", body | {"year": 2022, "items": [{"unit": tree.district_a.code,
                      "topic": "X", "month": 0}]}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    inspection = {"unit": tree.province.code, "title": "Kiểm tra", "deciding_body": "Ban Thường vụ",
                  "starts_on": "2022-08-08", "ends_on": "2022-08-08", "topics": "Học tập",
                  "inspected": [tree.district_a.code], "planned": plan["items"][0]["id"]}  # fmt: skip
    held = client.post("/api/v1/plans/inspections", inspection, content_type="application/json")
    assert held.status_code == 201, held.json()
    detail = client.get(f"/api/v1/plans/inspection-plans/{plan['id']}").json()
    assert (detail["held"], detail["items"][0]["inspection"]) == (1, held.json()["id"])
    assert client.get("/api/v1/plans/inspection-plans?year=2022").json()["count"] == 1
    added = client.post(f"/api/v1/plans/inspection-plans/{plan['id']}/items",
                        {"unit": tree.district_b.code, "topic": "Giám sát", "month": 10, "kind": "supervision"},
                        content_type="application/json")  # fmt: skip
    assert added.status_code == 201 and [i["position"] for i in added.json()["items"]] == [1, 2]
