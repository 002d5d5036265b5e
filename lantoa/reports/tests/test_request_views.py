"""The data-request pages: sending, filing on the unit's page (values kept on error), the scope
rule (another commune's officer gets 404), approval, reminders, the spreadsheet round trip, the
home page's "my work", and the tracking page's constant query count."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.accounts.tests.factories import make_user
from lantoa.reports.models import AssignmentStatus, DataRequest, DataSubmission
from lantoa.reports.request_services import submission_file
from lantoa.reports.tests.requests_helpers import make_data_set, make_request

pytestmark = pytest.mark.django_db


def _assignment(request, unit):  # type: ignore[no-untyped-def]
    return request.assignments.get(unit=unit)


def test_the_province_sends_a_request_from_the_page(tree, client_for):
    make_data_set(tree.province)
    client = client_for(make_user(role="manager", unit=tree.province))
    page = client.get(reverse("reports:request_new"))
    assert page.status_code == 200
    data_set = page.context["form"].fields["data_set"].choices[0][0]
    response = client.post(
        reverse("reports:request_new"),
        {
            "data_set": data_set,
            "tier": "commune",
            "title": "Báo cáo học tập nghị quyết",
            "start": "2021-03-01",
            "end": "2022-07-31",
            "cutoff": "2022-06-30",
            "deadline": "2099-12-31",
        },
    )
    sent = DataRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:request_detail", args=[sent.pk])
    assert sent.assignments.count() == 2 and str(sent.cutoff) == "2022-06-30"
    detail = client.get(response["Location"]).content.decode()
    assert "Ngày chốt số liệu" in detail and "30/06/2022" in detail
    late_cutoff = {"start": "2099-01-01", "end": "2099-12-31", "cutoff": "2099-10-01", "deadline": "2099-09-30"}
    refused = client.post(
        reverse("reports:request_new"), {"data_set": data_set, "tier": "commune", "title": "X", **late_cutoff}
    )
    assert refused.status_code == 422 and "Ngày chốt số liệu không thể sau hạn nộp" in refused.content.decode()
    wrong_way = {"start": "2022-01-01", "end": "2021-01-01", "deadline": "2099-01-01"}
    bad = client.post(
        reverse("reports:request_new"), {"data_set": data_set, "tier": "commune", "title": "X", **wrong_way}
    )
    assert bad.status_code == 422 and "2021-01-01" in bad.content.decode()
    assert DataRequest.objects.count() == 1


def test_a_commune_officer_files_on_the_page_and_keeps_values_on_error(tree, client_for):
    request = make_request(tree.province)
    assignment = _assignment(request, tree.commune_a1)
    client = client_for(make_user(role="officer", unit=tree.commune_a1))
    url = reverse("reports:assignment_detail", args=[assignment.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="computed-badge"' in page.content.decode()
    refused = client.post(url, {"sites": "12", "online_points": "9999", "note": "Ghi chú giữ lại"})
    html = refused.content.decode()
    assert refused.status_code == 422 and 'value="9999"' in html and "Ghi chú giữ lại" in html
    assert "Số điểm cầu trực tuyến không thể vượt" in html
    assert not DataSubmission.objects.exists()
    filed = client.post(url, {"sites": "12", "online_points": "0"})
    assert filed.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FILED and assignment.current.values["sites"] == 12


def test_an_officer_of_another_commune_gets_404_not_403(tree, client_for):
    request = make_request(tree.province)
    assignment = _assignment(request, tree.commune_a1)
    stranger = client_for(make_user(role="officer", unit=tree.commune_b1))
    for url in [
        reverse("reports:assignment_detail", args=[assignment.pk]),
        reverse("reports:assignment_form_download", args=[assignment.pk]),
        reverse("reports:request_detail", args=[request.pk]),
    ]:
        assert stranger.get(url).status_code == 404, url
    assert stranger.post(reverse("reports:assignment_detail", args=[assignment.pk]), {"sites": "1"}).status_code == 404
    assert stranger.post(reverse("reports:assignment_approve", args=[assignment.pk])).status_code == 404
    assert stranger.get(reverse("reports:assignment_detail", args=[999_999])).status_code == 404
    assert not DataSubmission.objects.exists()


def test_the_level_above_approves_and_the_unit_itself_cannot(tree, client_for):
    request = make_request(tree.province)
    assignment = _assignment(request, tree.commune_a1)
    submission_file(by=None, assignment=assignment, values={"sites": 1, "online_points": 0})
    officer = client_for(make_user(role="officer", unit=tree.commune_a1))
    assert officer.post(reverse("reports:assignment_approve", args=[assignment.pk])).status_code == 403
    district = client_for(make_user(role="officer", unit=tree.district_a))
    page = district.get(reverse("reports:assignment_detail", args=[assignment.pk]))
    assert 'data-testid="approve"' in page.content.decode()
    assert district.post(reverse("reports:assignment_approve", args=[assignment.pk])).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.APPROVED
    locked = officer.post(
        reverse("reports:assignment_detail", args=[assignment.pk]), {"sites": "2", "online_points": "0"}
    )
    assert locked.status_code == 422 and assignment.versions.count() == 1
    corrected = officer.post(
        reverse("reports:assignment_detail", args=[assignment.pk]),
        {"sites": "2", "online_points": "0", "reason": "Sót một điểm cầu"},
    )
    assert corrected.status_code == 302 and assignment.versions.count() == 2


def test_the_spreadsheet_round_trip_and_a_bad_file_lists_every_problem(tree, client_for):
    request = make_request(tree.province)
    assignment = _assignment(request, tree.commune_a1)
    client = client_for(make_user(role="officer", unit=tree.commune_a1))
    content = client.get(reverse("reports:assignment_form_download", args=[assignment.pk])).content
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    assert sheet["F4"].value == "Ngày chốt số liệu" and sheet["G4"].value == "31/07/2022"
    rows = {sheet.cell(row=r, column=1).value: r for r in range(6, 10)}
    sheet.cell(row=rows["sites"], column=3, value="nhiều")
    sheet.cell(row=rows["online_points"], column=3, value=-4)
    sheet.cell(row=rows["note"], column=3, value="x" * 300)
    bad = io.BytesIO()
    book.save(bad)
    bad.seek(0)
    bad.name = "bieu-mau.xlsx"
    upload_url = reverse("reports:assignment_upload", args=[assignment.pk])
    refused = client.post(upload_url, {"file": bad})
    assert refused.status_code == 422
    problems = refused.context["upload_problems"]
    assert [p["cell"] for p in problems] == [f"C{rows['sites']}", f"C{rows['online_points']}", f"C{rows['note']}"]
    assert not DataSubmission.objects.exists()
    sheet.cell(row=rows["sites"], column=3, value=5)
    sheet.cell(row=rows["online_points"], column=3, value=0)
    sheet.cell(row=rows["note"], column=3, value="Đủ")
    good = io.BytesIO()
    book.save(good)
    good.seek(0)
    good.name = "bieu-mau.xlsx"
    assert client.post(upload_url, {"file": good}).status_code == 302
    version = DataSubmission.objects.get()
    assert version.values["sites"] == 5 and version.values["note"] == "Đủ" and version.source == "xlsx"


def test_a_form_generated_for_another_unit_is_refused(tree, client_for):
    request = make_request(tree.province)
    other = client_for(make_user(role="officer", unit=tree.commune_b1))
    content = other.get(
        reverse("reports:assignment_form_download", args=[_assignment(request, tree.commune_b1).pk])
    ).content
    mine = client_for(make_user(role="officer", unit=tree.commune_a1))
    file = io.BytesIO(content)
    file.name = "form.xlsx"
    response = mine.post(
        reverse("reports:assignment_upload", args=[_assignment(request, tree.commune_a1).pk]), {"file": file}
    )
    assert response.status_code == 422 and response.context["upload_problems"][0]["cell"] == "B3"


def test_reminding_the_late_and_the_copy_message(tree, client_for, monkeypatch):
    import datetime as dt

    from lantoa.org import selectors as org_selectors

    request = make_request(tree.province)
    monkeypatch.setattr(org_selectors, "today", lambda: dt.date(2022, 8, 20))
    client = client_for(make_user(role="manager", unit=tree.province))
    page = client.get(reverse("reports:request_detail", args=[request.pk]))
    html = page.content.decode()
    assert 'data-testid="remind-late"' in html and tree.commune_b1.name in page.context["copy_message"]
    assert client.post(reverse("reports:request_remind", args=[request.pk])).status_code == 302
    assert _assignment(request, tree.commune_b1).reminder_count == 1


def test_the_home_page_lists_what_the_unit_still_has_to_file(tree, client_for):
    request = make_request(tree.province)
    client = client_for(make_user(role="officer", unit=tree.commune_a1))
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert reverse("reports:assignment_detail", args=[_assignment(request, tree.commune_a1).pk]) in html
    assert request.title in html


def test_the_totals_export(tree, client_for):
    request = make_request(tree.province)
    submission_file(by=None, assignment=_assignment(request, tree.commune_a1), values={"sites": 3, "online_points": 0})
    submission_file(by=None, assignment=_assignment(request, tree.commune_b1), values={"sites": 4, "online_points": 0})
    client = client_for(make_user(role="manager", unit=tree.province))
    book = load_workbook(io.BytesIO(client.get(reverse("reports:request_export", args=[request.pk])).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][3:] == ("Số hội nghị", "Số điểm cầu mỗi hội nghị", "Số điểm cầu trực tuyến", "Ghi chú")
    assert rows[3][4] == 7  # the total of sites


def _province_with(communes: int):  # type: ignore[no-untyped-def]
    from lantoa.org.tests.factories import make_unit

    province = make_unit(kind="provincial_committee", code=f"R{communes}")
    units = [make_unit(kind="commune_committee", parent=province, code=f"R{communes}-{i}") for i in range(communes)]
    request = make_request(province, data_set=make_data_set(province, code=f"set-{communes}"))
    for unit in units[::2]:
        submission_file(by=None, assignment=request.assignments.get(unit=unit), values={"sites": 1, "online_points": 0})
    return province, request


def test_the_tracking_page_costs_the_same_for_3_or_30_assignees(client_for):
    counts = {}
    for size in (3, 30):
        province, request = _province_with(size)
        client = client_for(make_user(role="manager", unit=province))
        url = reverse("reports:request_detail", args=[request.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200 and len(response.context["tracking"].rows) == size
        counts[size] = len(captured)
    assert counts[3] == counts[30], counts


def test_the_home_page_costs_the_same_for_3_or_30_requests_to_file(tree, client_for):
    officer = make_user(role="officer", unit=tree.commune_a1)
    client = client_for(officer)
    data_set = make_data_set(tree.province)
    counts = {}
    sent = 0
    for size in (3, 30):
        while sent < size:
            make_request(tree.province, data_set=data_set)
            sent += 1
        client.get(reverse("reports:dashboard"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("reports:dashboard"))
        items = [item for item in response.context["work_items"] if item.module == "reports"]
        assert items[0].count == size and len(items) == 4  # the count, then the first three linked
        counts[size] = len(captured)
    assert counts[3] == counts[30], counts


def test_a_data_set_is_defined_on_its_page_and_a_bad_line_is_named(tree, client_for):
    from lantoa.reports.models import DataSet

    client = client_for(make_user(role="manager", unit=tree.province))
    url = reverse("reports:data_set_new")
    body = {
        "name": "Bài thu hoạch",
        "code": "bai-thu-hoach",
        "fields_text": "conferences | Số hội nghị | indicator | conferences_held\n"
        "reflections | Số bài thu hoạch | số | 0-100000\nnote | Ghi chú | text | 200 | optional",
        "rules_text": "reflections <= conferences * 1000 | cảnh báo | Số bài thu hoạch có vẻ lớn",
    }
    bad = client.post(url, {**body, "rules_text": "reflections <= people | block | ?"})
    assert bad.status_code == 422 and "people" in bad.content.decode() and not DataSet.objects.exists()
    assert client.post(url, body).status_code == 302
    data_set = DataSet.objects.get()
    assert [f.code for f in data_set.fields.all()] == ["conferences", "reflections", "note"]
    assert data_set.fields.get(code="note").required is False and data_set.rules.get().severity == "warn"
    assert "Bài thu hoạch" in client.get(reverse("reports:data_set_list")).content.decode()
    officer = client_for(make_user(role="inspector", unit=tree.province))
    assert officer.post(url, body).status_code == 403


def test_the_approver_sees_a_computed_figure_the_unit_changed_and_why(tree, client_for):
    request = make_request(tree.province)
    assignment = _assignment(request, tree.commune_a1)
    submission_file(
        by=None,
        assignment=assignment,
        values={"conferences": 3, "sites": 1, "online_points": 2},
        explanations={"conferences": "Hai hội nghị của chi bộ ghi trên giấy"},
    )
    district = client_for(make_user(role="officer", unit=tree.district_a))
    html = district.get(reverse("reports:assignment_detail", args=[assignment.pk])).content.decode()
    assert 'data-testid="differs"' in html and "Hai hội nghị của chi bộ ghi trên giấy" in html


def test_the_sender_closes_a_request_and_the_units_pages_stop_asking_for_figures(tree, client_for):
    request = make_request(tree.province)
    submission_file(by=None, assignment=_assignment(request, tree.commune_a1), values={"sites": 3, "online_points": 0})
    sender = client_for(make_user(role="manager", unit=tree.province))
    detail = reverse("reports:request_detail", args=[request.pk])
    assert 'data-testid="close-form"' in sender.get(detail).content.decode()
    # Without the box ticked nothing changes.
    assert sender.post(reverse("reports:request_close", args=[request.pk])).status_code == 302
    assert DataRequest.objects.get(pk=request.pk).closed_at is None
    closed = sender.post(reverse("reports:request_close", args=[request.pk]), {"confirm": "yes"}, follow=True)
    html = closed.content.decode()
    assert DataRequest.objects.get(pk=request.pk).closed_at is not None
    assert "Đã kết thúc yêu cầu báo cáo: các đơn vị không thể nộp hoặc điều chỉnh số liệu nữa." in html
    assert 'data-testid="request-closed"' in html and "Số liệu đã nộp được giữ nguyên" in html
    assert 'data-testid="close-form"' not in html and 'data-testid="remind-late"' not in html
    listed = sender.get(reverse("reports:request_list")).content.decode()
    assert 'data-testid="sent-closed"' in listed and "Đã kết thúc" in listed

    commune = client_for(make_user(role="officer", unit=tree.commune_b1))
    page = commune.get(reverse("reports:assignment_detail", args=[_assignment(request, tree.commune_b1).pk]))
    text = page.content.decode()
    assert "không nhận thêm số liệu" in text and 'data-testid="filing-form"' not in text
    refused = commune.post(
        reverse("reports:assignment_detail", args=[_assignment(request, tree.commune_b1).pk]),
        {"sites": "1", "online_points": "0"},
    )
    assert refused.status_code == 422 and not DataSubmission.objects.filter(unit=tree.commune_b1).exists()
    assert request.title not in commune.get(reverse("reports:dashboard")).content.decode()
