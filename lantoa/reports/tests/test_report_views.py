"""The official reports' pages: the list, a new draft, the editor with generated numbers as
links, saving, downloads (now for small reports, in the background for large ones), the XLSX of
a table, templates copied and edited, scope, and a cost that does not grow with the children."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as open_docx
from openpyxl import load_workbook

from lantoa.org.tests.factories import make_unit
from lantoa.reports.models import Report, ReportFile
from lantoa.reports.report_services import report_save, template_copy, template_default, template_update
from lantoa.reports.tests.test_report_services import HEAD, draft

pytestmark = pytest.mark.django_db


def small_template(by, unit):  # type: ignore[no-untyped-def]
    """A copy of the default with five sections (drawn at once, not in the background)."""
    copy = template_copy(by=by, template=template_default(), unit=unit)
    keep = [
        s
        for s in copy.outline
        if s["key"] in {"mo-dau", "ket-qua", "so-lieu-hoi-nghi", "bang-hoi-nghi", "bieu-do-hoi-nghi"}
    ]
    template, _ = template_update(
        by=by,
        template=copy,
        name="Mẫu ngắn",
        format="party",
        title="BÁO CÁO",
        subtitle=copy.subtitle,
        outline=keep,
        recipients="Lưu VP.",
    )
    return template


def test_new_report_then_edit(figures, admin_user, client_for):  # type: ignore[no-untyped-def]
    tree = figures
    client = client_for(admin_user)
    template = small_template(admin_user, tree.province)
    new_url = reverse("reports:report_new") + "?unit=P"
    assert client.get(new_url).status_code == 200
    fields = {
        "template": template.pk,
        "start": "2022-01-01",
        "end": "2022-06-30",
        "structure": "historical",
        "format": "party",
        "superior": HEAD.superior,
        "issuer": HEAD.issuer,
        "issuer_abbreviation": HEAD.issuer_abbreviation,
        "place": HEAD.place,
        "signer_on_behalf": HEAD.signer_on_behalf,
        "signer_position": HEAD.signer_position,
        "signer_name": HEAD.signer_name,
    }
    bad = client.post(new_url, {**fields, "issuer_abbreviation": "btg dv", "end": "2021-01-01"})
    assert bad.status_code == 422 and not Report.objects.exists()
    response = client.post(new_url, fields)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:report_detail", args=[report.pk])

    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="generated-number"' in page and "/?unit=P&amp;start=2022-01-01" in page
    assert "tổ chức <a" in page

    saved = client.post(
        response["Location"],
        {
            "version": 1,
            "subtitle": report.subtitle,
            "recipients": "Lưu VP.",
            "text_mo-dau": "Thực hiện Kế hoạch số 12.",
        },
    )
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.version == 2 and report.texts["mo-dau"] == "Thực hiện Kế hoạch số 12."
    stale = client.post(response["Location"], {"version": 1, "subtitle": "", "recipients": "", "text_mo-dau": "x"})
    assert stale.status_code == 422 and "hãy tải lại trang" in stale.content.decode()


def test_download_a_small_report_and_its_table_then_issue_it(figures, admin_user, client_for):  # type: ignore[no-untyped-def]
    tree = figures
    client = client_for(admin_user)
    report = draft(tree.province, admin_user, template=small_template(admin_user, tree.province))
    report, _ = report_save(by=admin_user, report=report, texts={"mo-dau": "Thực hiện Kế hoạch số 12."})
    docx = client.get(reverse("reports:report_docx", args=[report.pk]))
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in open_docx(io.BytesIO(docx.content)).paragraphs)
    assert "Thực hiện Kế hoạch số 12." in text and "hội nghị" in text
    pdf = client.get(reverse("reports:report_pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    xlsx = client.get(reverse("reports:report_table_export", args=[report.pk, "bang-hoi-nghi"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, max_row=5, values_only=True)]
    assert set(codes) == {"P-A", "P-B", "P-K", "P"}
    assert client.get(reverse("reports:report_table_export", args=[report.pk, "mo-dau"])).status_code == 404

    issued = client.post(reverse("reports:report_issue", args=[report.pk]), {"day": "2022-08-05"})
    assert issued.status_code == 302
    report.refresh_from_db()
    assert report.number == 1
    issued_docx = open_docx(io.BytesIO(client.get(reverse("reports:report_docx", args=[report.pk])).content))
    assert "Số 1-BC/BTGDVTU" in issued_docx.tables[0].cell(0, 0).text


def test_a_large_report_is_drawn_in_the_background_with_its_progress(
    figures, admin_user, client_for, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    tree = figures
    client = client_for(admin_user)
    report = draft(tree.province, admin_user)  # the default template: 14 sections
    url = reverse("reports:report_docx", args=[report.pk])
    assert client.get(url).status_code == 302  # nothing prepared yet
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="prepare-docx"' in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("reports:report_prepare_docx", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    file = ReportFile.objects.get(report=report, format="docx")
    assert (file.status, file.progress) == ("done", 100)  # tests run tasks at once
    status = client.get(reverse("reports:report_file_docx", args=[report.pk])).content.decode()
    assert 'data-testid="download-docx"' in status and "every 1s" not in status
    download = client.get(url)
    assert download.status_code == 200 and open_docx(io.BytesIO(download.content)).tables
    # A file of an earlier version is not served: the draft has moved on since.
    report_save(by=admin_user, report=report, texts={"uu-diem": "Sửa sau khi chuẩn bị"})
    assert client.get(url).status_code == 302
    assert (
        'data-testid="download-docx"'
        not in client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    )


def test_an_office_edits_its_copy_of_the_template_on_the_page(tree, admin_user, client_for):  # type: ignore[no-untyped-def]
    client = client_for(admin_user)
    shared = template_default()
    session = client.session
    session["lantoa_unit"] = "P"
    session.save()
    copy = template_copy(by=admin_user, template=shared, unit=tree.province)
    url = reverse("reports:template_detail", args=[copy.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="template-section"' in page.content.decode()
    data = {
        "name": "Mẫu của Ban",
        "format": "state",
        "title": "BÁO CÁO",
        "subtitle": "Sơ kết",
        "recipients": "",
        "sections-TOTAL_FORMS": 3,
        "sections-INITIAL_FORMS": 0,
        "sections-0-order": 20,
        "sections-0-key": "a",
        "sections-0-kind": "text",
        "sections-0-title": "Thứ hai",
        "sections-1-order": 10,
        "sections-1-key": "b",
        "sections-1-kind": "narrative",
        "sections-1-indicators": "conferences_held, online_bridge_points",
        "sections-2-order": 30,
        "sections-2-key": "c",
        "sections-2-kind": "text",
        "sections-2-remove": "on",
    }
    assert client.post(url, data).status_code == 302
    copy.refresh_from_db()
    assert [s["key"] for s in copy.outline] == ["b", "a"] and copy.format == "state"
    bad = client.post(url, {**data, "sections-1-indicators": "nope"})
    assert bad.status_code == 422 and "Mục 2" in bad.content.decode()
    # The shared template is read-only.
    assert client.post(reverse("reports:template_detail", args=[shared.pk]), data).status_code == 403


def test_another_units_report_answers_404(tree, admin_user, officer_a, client_for):  # type: ignore[no-untyped-def]
    report = draft(tree.district_b, admin_user)
    client = client_for(officer_a)
    for url in (
        reverse("reports:report_detail", args=[report.pk]),
        reverse("reports:report_docx", args=[report.pk]),
        reverse("reports:report_table_export", args=[report.pk, "bang-hoi-nghi"]),
    ):
        assert client.get(url).status_code == 404
    assert client.get(reverse("reports:report_detail", args=[report.pk + 99])).status_code == 404


def test_the_draft_costs_the_same_queries_for_3_children_or_30(figures, admin_user, client_for):  # type: ignore[no-untyped-def]
    tree = figures
    client = client_for(admin_user)
    report = draft(tree.province, admin_user)
    url = reverse("reports:report_detail", args=[report.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(27):
        make_unit(kind="district_committee", parent=tree.province, name=f"Đảng bộ huyện {n}", code=f"P-X{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
