"""Official reports over the API: draft, read with its generated figures, save, issue, download;
templates copied and changed; bad input answered 4xx with nothing changed; scope."""

from __future__ import annotations

import io

import pytest
from docx import Document as open_docx

from lantoa.reports.models import Report
from lantoa.reports.report_services import template_default
from lantoa.reports.tests.test_report_services import HEAD, draft

pytestmark = pytest.mark.django_db
JSON = "application/json"


def body(template_id: int, **changes):  # type: ignore[no-untyped-def]
    return {
        "unit": "P",
        "template": template_id,
        "start": "2022-01-01",
        "end": "2022-06-30",
        "structure": "historical",
        "superior": HEAD.superior,
        "issuer": HEAD.issuer,
        "issuer_abbreviation": HEAD.issuer_abbreviation,
        "place": HEAD.place,
    } | changes


def test_draft_read_save_issue_and_download(figures, admin_user, client_for):  # type: ignore[no-untyped-def]
    client = client_for(admin_user)
    template = template_default()
    created = client.post("/api/v1/reports/documents", body(template.pk), content_type=JSON)
    assert created.status_code == 201, created.json()
    data = created.json()
    narrative = next(s for s in data["sections"] if s["key"] == "so-lieu-hoi-nghi")
    numbers = [part for part in narrative["sentence"] if part["indicator"]]
    assert numbers[0] == {
        "text": "2",
        "indicator": "conferences_held",
        "value": "2",
        "url": "/?unit=P&start=2022-01-01&end=2022-06-30&structure=historical",
    }
    table = next(s for s in data["sections"] if s["key"] == "bang-hoi-nghi")["table"]
    assert set(table["unit_codes"]) == {"P-A", "P-B", "P-K"} and table["total"][0] == "Tổng cộng"

    url = f"/api/v1/reports/documents/{data['id']}"
    saved = client.patch(url, {"version": 1, "texts": {"uu-diem": "Dòng một\nDòng hai"}}, content_type=JSON)
    assert saved.status_code == 200 and saved.json()["version"] == 2
    assert next(s for s in saved.json()["sections"] if s["key"] == "uu-diem")["text"] == "Dòng một\nDòng hai"
    assert client.patch(url, {"version": 1, "texts": {"uu-diem": "x"}}, content_type=JSON).status_code == 409
    assert client.patch(url, {"version": "2"}, content_type=JSON).status_code == 422  # "2" is not a number
    assert client.patch(url, {"texts": {"khong-co": "x"}}, content_type=JSON).status_code == 422
    assert client.patch(url, {"colour": "red"}, content_type=JSON).status_code == 422

    issued = client.post(f"{url}/issue", {"day": "2022-08-05"}, content_type=JSON)
    assert issued.status_code == 200 and issued.json()["number"] == 1 and issued.json()["term"] == "2020-2025"
    again = client.post(f"{url}/issue", {"day": "2022-09-01"}, content_type=JSON).json()
    assert again["number"] == 1 and again["issued_on"] == "2022-08-05"

    docx = client.get(f"{url}/docx")
    assert docx.status_code == 200
    assert "Số 1-BC/BTGDVTU" in open_docx(io.BytesIO(docx.content)).tables[0].cell(0, 0).text
    assert client.get(f"{url}/pdf").content.startswith(b"%PDF")
    listed = client.get("/api/v1/reports/documents", {"unit": "P"}).json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == 1


def test_bad_drafts_change_nothing(tree, admin_user, client_for):  # type: ignore[no-untyped-def]
    client = client_for(admin_user)
    template = template_default()
    for bad in (
        body(template.pk, end="2021-01-01"),
        body(template.pk, issuer_abbreviation="btg dv"),
        body(template.pk, structure="sideways"),
        body(template.pk, start="01/01/2022"),
        body(template.pk, issuer=""),
        body(template.pk, place="x" * 201),
        {**body(template.pk), "extra": 1},
    ):
        answer = client.post("/api/v1/reports/documents", bad, content_type=JSON)
        assert answer.status_code in (400, 422), (bad, answer.status_code)
        assert set(answer.json()) == {"code", "message", "extra"}
    assert client.post("/api/v1/reports/documents", body(99999), content_type=JSON).status_code == 404
    assert not Report.objects.exists()


def test_templates_copied_and_changed(tree, admin_user, client_for):  # type: ignore[no-untyped-def]
    client = client_for(admin_user)
    shared = template_default()
    listed = client.get("/api/v1/reports/templates").json()
    assert shared.pk in [t["id"] for t in listed["items"]]
    copy = client.post(f"/api/v1/reports/templates/{shared.pk}/copy", {"unit": "P"}, content_type=JSON)
    assert copy.status_code == 201 and copy.json()["unit_code"] == "P"
    url = f"/api/v1/reports/templates/{copy.json()['id']}"
    new = {
        "name": "Mẫu",
        "format": "state",
        "title": "BÁO CÁO",
        "outline": [
            {"key": "b", "kind": "narrative", "indicators": ["conferences_held"]},
            {"key": "a", "kind": "text", "text": "Mở đầu\ncó hai dòng"},
        ],
    }
    changed = client.put(url, new, content_type=JSON)
    assert changed.status_code == 200 and [s["key"] for s in changed.json()["outline"]] == ["b", "a"]
    bad = client.put(
        url, {**new, "outline": [{"key": "b", "kind": "chart", "indicators": ["nope"]}]}, content_type=JSON
    )
    assert bad.status_code == 422 and "sections[0].indicators" in bad.json()["extra"]["problems"]
    assert client.put(f"/api/v1/reports/templates/{shared.pk}", new, content_type=JSON).status_code == 403


def test_another_units_report_answers_404(tree, admin_user, officer_a, client_for):  # type: ignore[no-untyped-def]
    report = draft(tree.district_b, admin_user)
    client = client_for(officer_a)
    missing = client.get(f"/api/v1/reports/documents/{report.pk + 99}")
    hidden = client.get(f"/api/v1/reports/documents/{report.pk}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"]
    assert client.patch(f"/api/v1/reports/documents/{report.pk}", {"texts": {}}, content_type=JSON).status_code == 404
