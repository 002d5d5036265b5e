"""An inspection's papers: a report of an inspected unit and the minutes, checked by content,
kept append-only (a replacement is a new row, the old one marked), served within scope, audited;
and the dossier as PDF with everything the DOCX holds."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import Conflict, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.org.tests.factories import make_unit
from lantoa.plans import services
from lantoa.plans.dossier import inspection_pdf
from lantoa.plans.models import InspectionFile
from lantoa.plans.tests.factories import pdf_bytes
from lantoa.plans.tests.test_inspections import make_inspection

pytestmark = pytest.mark.django_db
DAY = dt.date(2022, 8, 8)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x8a\x1b\x8f\x00\x00\x00\x00IEND\xaeB`\x82"
)


def upload(name: str = "bien-ban.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes("Bien ban lam viec"))


def add(inspection, **kwargs):  # type: ignore[no-untyped-def]
    values = {"upload": upload(), "kind": "minutes", "dated_on": DAY, **kwargs}
    return services.inspection_file_add(by=None, inspection=inspection, **values)


def test_a_report_names_an_inspected_unit_and_minutes_name_none(tree):
    inspection = make_inspection(tree)
    report = add(inspection, kind="report", unit=tree.district_a, upload=upload("bao-cao.pdf"))
    assert (report.kind, report.unit, report.content_type) == ("report", tree.district_a, "application/pdf")
    for kwargs, code in (
        ({"kind": "report"}, "unit_not_inspected"),
        ({"kind": "report", "unit": tree.district_b}, "unit_not_inspected"),
        ({"kind": "minutes", "unit": tree.district_a}, "unit_not_expected"),
        ({"kind": "photo"}, "invalid_kind"),
        ({"dated_on": dt.date(2099, 1, 1)}, "date_in_future"),
        ({"upload": upload("x.pdf", b"")}, "file_empty"),
        ({"upload": upload("x.pdf", PNG)}, "file_type_mismatch"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            add(inspection, **kwargs)
        assert refused.value.code == code, kwargs
    assert InspectionFile.objects.count() == 1
    assert AuditEntry.objects.filter(action="lantoa.plans.inspection.file_added").count() == 1


def test_a_replacement_keeps_the_old_paper_marked_and_replaces_once(tree):
    inspection = make_inspection(tree)
    first = add(inspection)
    second = add(inspection, replaces=first, title="Biên bản (bản đã ký)")
    assert InspectionFile.objects.get(pk=first.pk).replaced_by == second
    with pytest.raises(Conflict) as twice:
        add(inspection, replaces=first)
    assert twice.value.code == "already_replaced"
    with pytest.raises(ValidationFailed) as other_kind:
        add(inspection, kind="other", replaces=second)
    assert other_kind.value.code == "invalid_replaces"
    assert InspectionFile.objects.count() == 2


def test_the_page_uploads_lists_and_serves_papers_within_scope(tree, admin_user, client_for):
    inspection = make_inspection(tree)
    client = client_for(admin_user)
    response = client.post(
        f"/plans/inspections/{inspection.pk}/files/",
        {"file": upload(), "kind": "minutes", "dated_on": "2022-08-08", "title": "Biên bản làm việc"},
    )
    assert response.status_code == 302
    paper = InspectionFile.objects.get()
    page = client.get(f"/plans/inspections/{inspection.pk}/").content.decode()
    assert "Biên bản làm việc" in page and "Biên bản buổi làm việc" in page and "Tải tài liệu lên" in page
    download = client.get(f"/plans/inspection-files/{paper.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content)[:5] == b"%PDF-"
    bad = client.post(f"/plans/inspections/{inspection.pk}/files/",
                      {"file": upload("x.pdf", PNG), "kind": "minutes", "dated_on": "2022-08-08"})  # fmt: skip
    assert bad.status_code == 422 and InspectionFile.objects.count() == 1
    report = client.post(f"/plans/inspections/{inspection.pk}/files/", {"file": upload("bao-cao.pdf"), "kind": "report",
                         "unit": tree.district_a.code, "dated_on": "2022-08-01"})  # fmt: skip
    assert report.status_code == 302 and InspectionFile.objects.get(kind="report").unit == tree.district_a
    not_inspected = client.post(f"/plans/inspections/{inspection.pk}/files/", {"file": upload(), "kind": "report",
                                "unit": tree.district_b.code, "dated_on": "2022-08-01"})  # fmt: skip
    assert not_inspected.status_code == 422 and InspectionFile.objects.count() == 2
    outsider = client_for(make_user(role="manager", unit=make_unit(kind="provincial_committee", code="OTHER")))
    assert outsider.get(f"/plans/inspection-files/{paper.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/plans/inspection-files/{paper.pk}").status_code == 404
    viewer = client_for(make_user(role="viewer", unit=tree.province))
    viewer_page = viewer.get(f"/plans/inspections/{inspection.pk}/").content.decode()
    assert "Biên bản làm việc" in viewer_page and 'data-testid="file-form"' not in viewer_page
    assert viewer.get(f"/plans/inspection-files/{paper.pk}/").status_code == 200


def test_the_api_uploads_a_report_and_lists_it_in_the_inspection(tree, admin_user, client_for):
    inspection = make_inspection(tree)
    client = client_for(admin_user)
    url = f"/api/v1/plans/inspections/{inspection.pk}/files"
    created = client.post(url, {"file": upload("bao-cao.pdf"), "kind": "report", "unit": tree.district_a.code,
                                "dated_on": "2022-08-01"})  # fmt: skip
    assert created.status_code == 201, created.json()
    files = created.json()["files"]
    assert [(f["kind"], f["unit"], f["replaced_by"]) for f in files] == [("report", tree.district_a.code, None)]
    replaced = client.post(url, {"file": upload("bao-cao-2.pdf"), "kind": "report", "unit": tree.district_a.code,
                                 "dated_on": "2022-08-02", "replaces": str(files[0]["id"])})  # fmt: skip
    assert replaced.status_code == 201
    assert [f["replaced_by"] is None for f in replaced.json()["files"]] == [True, False]
    bad = client.post(url, {"file": upload(), "kind": "report", "dated_on": "2022-08-01"})
    assert bad.status_code == 422 and bad.json()["code"] == "unit_not_inspected"
    assert client.post(url, {"file": upload(), "kind": "minutes", "dated_on": "8/8/2022"}).status_code == 422
    assert InspectionFile.objects.count() == 2


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_dossier_holds_what_the_docx_holds_and_the_papers(tree, admin_user, client_for):
    inspection = make_inspection(tree)
    services.conclusion_add(by=None, inspection=inspection, text="Tổ chức sơ kết.", owner_unit=tree.district_a,
                            due_on=dt.date(2022, 9, 1))  # fmt: skip
    add(inspection, title="Biên bản làm việc")
    content = inspection_pdf(inspection, on=dt.date(2022, 10, 2))
    assert content[:5] == b"%PDF-"
    text = " ".join(_pdf_text(content).split())
    for expected in ("HỒ SƠ", "120-QĐ/TU", "1. Tổ chức sơ kết.", "01/09/2022", "Biên bản làm việc"):
        assert expected in text, expected
    page = client_for(admin_user).get(f"/plans/inspections/{inspection.pk}/dossier.pdf")
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf" and page.content[:5] == b"%PDF-"
    api = client_for(admin_user).get(f"/api/v1/plans/inspections/{inspection.pk}/dossier.pdf")
    assert api.status_code == 200 and api.content[:5] == b"%PDF-"
    outsider = client_for(make_user(role="manager", unit=make_unit(kind="provincial_committee", code="OTHER")))
    assert outsider.get(f"/api/v1/plans/inspections/{inspection.pk}/dossier.pdf").status_code == 404
