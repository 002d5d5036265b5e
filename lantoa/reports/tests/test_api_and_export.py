"""The API and the XLSX export answer with the page's figures: one presenter for all three."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.reports.tests.conftest import PERIOD

pytestmark = pytest.mark.django_db

QUERY = {"start": PERIOD[0], "end": PERIOD[1]}


@pytest.mark.parametrize("structure", ["historical", "current"])
def test_the_api_returns_the_pages_figures(client_for, figures, admin_user, structure):
    tree = figures
    client = client_for(admin_user)
    params = {"unit": tree.district_a.code, **QUERY, "structure": structure}

    page = client.get(reverse("reports:dashboard"), params).context["board"]
    answer = client.get("/api/v1/reports/dashboard", params)

    assert answer.status_code == 200
    data = answer.json()
    assert data["unit_code"] == tree.district_a.code and data["parent_code"] == tree.province.code
    assert (data["previous_start"], data["previous_end"]) == (
        page.previous.start.isoformat(),
        page.previous.end.isoformat(),
    )
    assert [c["code"] for c in data["indicators"]] == [c.code for c in page.columns]
    pairs = zip(
        [page.total, *page.siblings, *page.children], [data["total"], *data["siblings"], *data["children"]], strict=True
    )
    for row, out in pairs:
        assert out["unit_code"] == row.unit.code
        for figure in out["figures"]:
            expected = row.figures[figure["code"]]
            assert figure["value"] == (None if expected.value is None else float(expected.value))
            assert figure["previous"] == (None if expected.previous is None else float(expected.previous))
            assert figure["coverage"]["missing_count"] == expected.coverage.missing_count
    rate = next(f for f in data["total"]["figures"] if f["code"] == "member_attendance_rate")
    assert rate["value"] is None and rate["value_exact"] is None  # no data is null, never 0


def test_the_api_answers_a_unit_out_of_scope_like_a_missing_one(client_for, figures, officer_a):
    client = client_for(officer_a)
    hidden = client.get("/api/v1/reports/dashboard", {"unit": figures.commune_b1.code, **QUERY})
    missing = client.get("/api/v1/reports/dashboard", {"unit": "NO-SUCH", **QUERY})

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"] == "not_found"


def test_the_api_refuses_a_period_that_ends_before_it_starts(client_for, figures, admin_user):
    answer = client_for(admin_user).get(
        "/api/v1/reports/dashboard", {"unit": figures.province.code, "start": "2022-06-01", "end": "2022-01-01"}
    )

    assert answer.status_code == 422


def test_the_export_holds_the_children_and_the_total(client_for, figures, admin_user):
    tree = figures
    client = client_for(admin_user)
    params = {"unit": tree.province.code, **QUERY}
    board = client.get(reverse("reports:dashboard"), params).context["board"]

    response = client.get(reverse("reports:dashboard_export"), params)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"dashboard-{tree.province.code}-{PERIOD[0]}-{PERIOD[1]}.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    column = header.index(next(c.name for c in board.columns if c.code == "conference_attendances"))
    by_code = {row[0]: row for row in rows[1:] if row and row[0]}
    for child in board.children:
        assert by_code[child.unit.code][1] == child.name
        assert by_code[child.unit.code][column] == child.figures["conference_attendances"].value
    assert by_code[tree.province.code][column] == 12_500 * 3 + 1_234 * 2
    rate = header.index(next(f"{c.name} (%)" for c in board.columns if c.code == "member_attendance_rate"))
    assert by_code[tree.province.code][rate] is None  # no data: an empty cell, not 0


def test_the_export_of_a_unit_out_of_scope_is_missing(client_for, figures, officer_a):
    response = client_for(officer_a).get(reverse("reports:dashboard_export"), {"unit": figures.commune_b1.code})

    assert response.status_code == 404
