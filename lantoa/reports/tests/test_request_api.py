"""Data requests over the API: define, send, list with status, file as JSON (declared types only),
upload the spreadsheet, approve, correct, remind; out of scope answers exactly like missing."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from lantoa.accounts.services import api_token_create
from lantoa.accounts.tests.factories import make_user
from lantoa.reports.models import DataSubmission
from lantoa.reports.request_xlsx import assignment_form_xlsx

pytestmark = pytest.mark.django_db

DATA_SET = {
    "unit": "P",
    "code": "hoi-nghi",
    "name": "Số liệu học tập nghị quyết",
    "fields": [
        {"code": "conferences", "label": "Số hội nghị", "kind": "indicator", "indicator": "conferences_held"},
        {"code": "sites", "label": "Số điểm cầu", "kind": "integer", "max_value": 500},
        {"code": "online_points", "label": "Điểm cầu trực tuyến", "kind": "integer"},
    ],
    "rules": [
        {"expression": "online_points <= conferences * sites", "severity": "block", "message": "Quá số điểm cầu"}
    ],
}


def bearer(user: Any) -> Client:
    _row, secret = api_token_create(by=None, user=user, name="requests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(f"/api/v1/reports{path}", json.dumps(body), content_type="application/json")


@pytest.fixture
def province(tree):  # type: ignore[no-untyped-def]
    return bearer(make_user(role="manager", unit=tree.province))


@pytest.fixture
def sent(province):  # type: ignore[no-untyped-def]
    data_set = post(province, "/data-sets", DATA_SET)
    assert data_set.status_code == 201, data_set.json()
    assert post(province, "/data-sets", DATA_SET).status_code == 200
    body = {
        "data_set": data_set.json()["id"],
        "unit": "P",
        "tier": "commune",
        "title": "Báo cáo học tập nghị quyết",
        "start": "2021-03-01",
        "end": "2022-07-31",
        "deadline": "2099-12-31",
    }
    response = post(province, "/requests", body)
    assert response.status_code == 201, response.json()
    return response.json()


def _assignment_id(province, request_id: int, unit: str) -> int:  # type: ignore[no-untyped-def]
    items = province.get(f"/api/v1/reports/requests/{request_id}/assignments").json()["items"]
    return next(item["id"] for item in items if item["unit"] == unit)


def test_send_list_file_approve_correct(tree, province, sent):
    assert sent["assigned"] == 2 and sent["counts"] == {"not_started": 2}
    listed = province.get(f"/api/v1/reports/requests/{sent['id']}/assignments").json()
    assert listed["count"] == 2 and {i["state"] for i in listed["items"]} == {"not_started"}
    assignment = _assignment_id(province, sent["id"], "P-A-1")
    commune = bearer(make_user(role="officer", unit=tree.commune_a1))
    strict = post(commune, f"/assignments/{assignment}/filings", {"values": {"sites": "5", "online_points": 0}})
    assert strict.status_code == 422 and strict.json()["extra"]["problems"][0]["field"] == "sites"
    blocked = post(commune, f"/assignments/{assignment}/filings", {"values": {"sites": 5, "online_points": 3}})
    assert blocked.status_code == 422 and blocked.json()["extra"]["problems"][0]["field"] == "rule.1"
    filed = post(commune, f"/assignments/{assignment}/filings", {"values": {"sites": 5, "online_points": 0}})
    assert filed.status_code == 201, filed.json()
    assert filed.json()["version"]["computed"] == {"conferences": 0} and filed.json()["assignment"]["state"] == "filed"
    assert post(commune, f"/assignments/{assignment}/approve", {}).status_code == 403
    approved = post(province, f"/assignments/{assignment}/approve", {})
    assert approved.status_code == 200 and approved.json()["assignment"]["status"] == "approved"
    locked = post(commune, f"/assignments/{assignment}/filings", {"values": {"sites": 6, "online_points": 0}})
    assert locked.status_code == 409 and locked.json()["code"] == "approved_locked"
    no_reason = post(commune, f"/assignments/{assignment}/corrections", {"values": {"sites": 6, "online_points": 0}})
    assert no_reason.status_code == 422
    corrected = post(
        commune,
        f"/assignments/{assignment}/corrections",
        {"values": {"sites": 6, "online_points": 0}, "reason": "Bổ sung một điểm cầu"},
    )
    assert corrected.status_code == 201 and corrected.json()["version"]["number"] == 2
    totals = province.get(f"/api/v1/reports/requests/{sent['id']}/totals").json()
    assert totals["totals"] == {"conferences": 0, "sites": 6, "online_points": 0} and totals["filed"] == 1


def test_the_cutoff_goes_in_and_out_and_a_bad_one_is_a_422(province, sent):
    assert sent["cutoff"] == "2022-07-31"  # the period's end when left out
    body = {
        "data_set": sent["data_set"],
        "unit": "P",
        "tier": "commune",
        "title": "Báo cáo quý",
        "start": "2022-01-01",
        "end": "2022-03-31",
        "cutoff": "2022-03-15",
        "deadline": "2099-12-31",
    }
    created = post(province, "/requests", body)
    assert created.status_code == 201 and created.json()["cutoff"] == "2022-03-15"
    assert province.get(f"/api/v1/reports/requests/{created.json()['id']}").json()["cutoff"] == "2022-03-15"
    for bad in ["2021-12-31", "2022-04-01", "15/03/2022"]:
        refused = post(province, "/requests", {**body, "cutoff": bad})
        assert refused.status_code == 422, (bad, refused.json())


def test_bounds_and_unknown_fields_are_refused(province, sent):
    assignment = _assignment_id(province, sent["id"], "P-A-1")
    for body in [
        {"values": {"sites": -1}},
        {"values": {"sites": 10**12}},
        {"values": {"sites": 1.5}},
        {"values": {"sites": True}},
        {"values": {}, "extra": 1},
        {"values": {"x" * 41: 1}},
    ]:
        response = post(province, f"/assignments/{assignment}/filings", body)
        assert response.status_code == 422, (body, response.json())
    assert not DataSubmission.objects.exists()


def test_out_of_scope_answers_like_missing(tree, province, sent):
    assignment = _assignment_id(province, sent["id"], "P-A-1")
    stranger = bearer(make_user(role="officer", unit=tree.commune_b1))
    missing = post(stranger, "/assignments/999999/filings", {"values": {"sites": 1}})
    hidden = post(stranger, f"/assignments/{assignment}/filings", {"values": {"sites": 1}})
    assert hidden.status_code == missing.status_code == 404
    assert stranger.get(f"/api/v1/reports/requests/{sent['id']}").status_code == 404
    assert stranger.get(f"/api/v1/reports/requests/{sent['id']}/assignments").status_code == 404


def test_upload_the_spreadsheet_all_or_nothing(tree, province, sent):
    from openpyxl import load_workbook

    from lantoa.reports.models import DataRequestAssignment

    assignment = DataRequestAssignment.objects.get(pk=_assignment_id(province, sent["id"], "P-A-1"))
    book = load_workbook(io.BytesIO(assignment_form_xlsx(assignment)))
    sheet = book.active
    sheet["C7"] = "bảy"
    sheet["C8"] = 0
    buffer = io.BytesIO()
    book.save(buffer)
    commune = bearer(make_user(role="officer", unit=tree.commune_a1))
    url = f"/api/v1/reports/assignments/{assignment.pk}/upload"
    refused = commune.post(url, {"file": io.BytesIO(buffer.getvalue())})
    assert refused.status_code == 422 and refused.json()["code"] == "import_rejected"
    assert [e["cell"] for e in refused.json()["extra"]["errors"]] == ["C7"]
    sheet["C7"] = 7
    buffer = io.BytesIO()
    book.save(buffer)
    accepted = commune.post(url, {"file": io.BytesIO(buffer.getvalue())})
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["version"]["values"]["sites"] == 7 and accepted.json()["version"]["source"] == "xlsx"


def test_remind_before_the_deadline_reminds_nobody(province, sent):
    response = post(province, f"/requests/{sent['id']}/remind", {})
    assert response.status_code == 200 and response.json()["reminded"] == []


def test_the_sender_closes_a_request_and_filing_then_answers_409(tree, province, sent):
    assert sent["closed_at"] is None
    assignment = _assignment_id(province, sent["id"], "P-A-1")
    commune = bearer(make_user(role="officer", unit=tree.commune_a1))
    assert post(commune, f"/requests/{sent['id']}/close", {}).status_code in (403, 404)  # not the sender
    closed = post(province, f"/requests/{sent['id']}/close", {})
    assert closed.status_code == 200, closed.json()
    assert closed.json()["closed_at"] is not None and closed.json()["assigned"] == 2
    again = post(province, f"/requests/{sent['id']}/close", {})
    assert again.status_code == 200 and again.json()["closed_at"] == closed.json()["closed_at"]
    assert province.get(f"/api/v1/reports/requests/{sent['id']}").json()["closed_at"] == closed.json()["closed_at"]
    refused = post(commune, f"/assignments/{assignment}/filings", {"values": {"sites": 5, "online_points": 0}})
    assert refused.status_code == 409 and refused.json()["code"] == "request_closed"
    assert post(province, f"/requests/{sent['id']}/remind", {}).json()["code"] == "request_closed"
    assert not DataSubmission.objects.exists()
