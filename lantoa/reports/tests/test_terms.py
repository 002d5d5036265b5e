"""Party terms: recorded per unit, numbering within them, the dashboard's term periods, page and API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.reports.periods import presets
from lantoa.reports.report_services import numbering_term, report_issue
from lantoa.reports.terms import term_add, term_on, term_remove
from lantoa.reports.tests.test_report_services import draft

pytestmark = pytest.mark.django_db


def test_numbers_count_in_the_recorded_term_of_the_unit_or_above(tree, admin_user) -> None:
    xvi = term_add(by=None, unit=tree.province, name="2020-2025", congress="XVI", starts_on=dt.date(2020, 10, 15))
    first = term_add(by=None, unit=tree.province, name="2025-2030", congress="I", starts_on=dt.date(2025, 9, 28))
    xvi.refresh_from_db()
    assert xvi.ends_on == dt.date(2025, 9, 27)  # the next congress closed it
    # Before the congress of 28 September 2025 a document still counts in the old term.
    assert numbering_term("party", dt.date(2025, 9, 1), tree.province) == "2020-2025"
    assert numbering_term("party", dt.date(2025, 10, 1), tree.province) == "2025-2030"
    # A district without terms of its own numbers in the province's; the State format by year.
    assert numbering_term("party", dt.date(2025, 10, 1), tree.district_a) == "2025-2030"
    assert term_on(tree.district_a, dt.date(2019, 1, 1)) is None
    assert numbering_term("party", dt.date(2019, 1, 1), tree.district_a) == "2015-2020"
    assert numbering_term("state", dt.date(2025, 10, 1), tree.province) == "2025"
    before, _ = report_issue(by=admin_user, report=draft(tree.province, admin_user), day=dt.date(2025, 9, 1))
    after, _ = report_issue(by=admin_user, report=draft(tree.province, admin_user), day=dt.date(2025, 10, 1))
    assert (before.term, before.number, after.term, after.number) == ("2020-2025", 1, "2025-2030", 1)
    with pytest.raises(Conflict):
        term_remove(by=None, term=first)  # a report was numbered in it
    with pytest.raises(Conflict):
        term_add(by=None, unit=tree.province, name="x", starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2023, 1, 1))
    with pytest.raises(ValidationFailed):
        term_add(by=None, unit=tree.district_a, name="x", starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2021, 1, 1))


def test_dashboard_offers_the_current_and_previous_terms(tree) -> None:
    today = dt.date(2026, 3, 1)
    labels = [label for _key, label, _period in presets(today, tree.province)]
    assert "Nhiệm kỳ Đại hội XIII (2021–2025)" in labels  # no terms recorded yet
    term_add(by=None, unit=tree.province, name="2020-2025", starts_on=dt.date(2020, 10, 15))
    term_add(by=None, unit=tree.province, name="2025-2030", starts_on=dt.date(2025, 9, 28))
    found = {label: period for _key, label, period in presets(today, tree.district_a)}
    assert (found["Nhiệm kỳ 2025-2030"].start, found["Nhiệm kỳ 2025-2030"].end) == (dt.date(2025, 9, 28), today)
    assert found["Nhiệm kỳ 2020-2025"].end == dt.date(2025, 9, 27)


def test_page_and_api(tree, admin_user, officer_a, client_for) -> None:
    client = client_for(admin_user)
    page = client.get(reverse("reports:term_list") + f"?unit={tree.province.code}")
    assert page.status_code == 200 and "Chưa ghi nhiệm kỳ" in page.content.decode()
    done = client.post(
        reverse("reports:term_list") + f"?unit={tree.province.code}",
        {"name": "2020-2025", "congress": "XVI", "starts_on": "2020-10-15"},
    )
    assert done.status_code == 302
    answer = client.post(
        "/api/v1/reports/terms",
        json.dumps({"unit": tree.province.code, "name": "2025-2030", "starts_on": "2025-09-28"}),
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["name"] == "2025-2030"
    listed = client.get(f"/api/v1/reports/terms?unit={tree.province.code}").json()
    assert [item["name"] for item in listed["items"]] == ["2025-2030", "2020-2025"]
    bad = client.post(
        "/api/v1/reports/terms",
        json.dumps({"unit": tree.province.code, "name": "x", "starts_on": "2022-01-01", "ends_on": "2023-01-01"}),
        content_type="application/json",
    )
    assert bad.status_code == 409 and bad.json()["code"] == "term_overlap"
    # An officer of a commune's district: the province's term answers like a missing one.
    other = client_for(officer_a)
    term_id = answer.json()["id"]
    hidden = other.delete(f"/api/v1/reports/terms/{term_id}")
    missing = other.delete("/api/v1/reports/terms/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["message"] == missing.json()["message"]
    assert client.delete(f"/api/v1/reports/terms/{term_id}").status_code == 204
