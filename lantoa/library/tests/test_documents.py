"""Documents, versions, print runs and allocations through the services, pages and API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.library import services
from lantoa.library.models import Document, DocumentKind, DocumentVersion, PrintRun
from lantoa.org.rollup import indicator_values

pytestmark = pytest.mark.django_db


def docx_upload(text: str = "Nội dung văn bản", name: str = "van-ban.docx") -> SimpleUploadedFile:
    from docx import Document as Docx

    doc = Docx()
    doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def make_document(tree, **overrides) -> Document:  # type: ignore[no-untyped-def]
    data = {
        "kind": DocumentKind.objects.get(code="resolution"),
        "title": "Nghị quyết về công tác tuyên giáo",
        "owner_unit": tree.commune_a1,
        "number": "12-NQ/ĐU",
        "visibility": Document.Visibility.INTERNAL,
    }
    data.update(overrides)
    return services.document_create(by=None, data=services.DocumentData(**data))


def test_versions_number_up_and_old_ones_stay(tree):
    document = make_document(tree)
    first = services.version_create(by=None, document=document, uploads=[services.FileUpload(docx_upload())])
    second = services.version_create(
        by=None, document=document, uploads=[services.FileUpload(docx_upload("Bản sửa"))], note="Sửa lỗi"
    )
    assert (first.number, second.number) == (1, 2)
    assert DocumentVersion.objects.filter(document=document).count() == 2
    assert first.files.get().file.read()  # the old version's file is still there


def test_bad_document_input_changes_nothing(tree):
    kind = DocumentKind.objects.get(code="resolution")
    for overrides, field in [
        ({"title": "  "}, "title"),
        ({"visibility": Document.Visibility.SUBTREE}, "visibility_unit"),
        ({"issued_on": dt.date(2024, 5, 1), "effective_on": dt.date(2024, 4, 1)}, "effective_on"),
        ({"external_links": [{"label": "x", "url": "javascript:alert(1)"}]}, "external_links"),
    ]:
        data = {"kind": kind, "title": "Văn bản", "owner_unit": tree.commune_a1, **overrides}
        with pytest.raises(ValidationFailed) as error:
            services.document_create(by=None, data=services.DocumentData(**data))
        assert error.value.extra["field"] == field
    assert not Document.objects.exists()


def test_print_run_allocations_never_exceed_the_copies(tree):
    document = make_document(tree)
    services.version_create(by=None, document=document, uploads=[services.FileUpload(docx_upload())])
    run = services.print_run_create(
        by=None,
        document=document,
        unit=tree.commune_a1,
        printed_on=dt.date(2021, 4, 15),
        copies=100,
        allocations=[services.AllocationData(unit=tree.cell_a1, copies=60, with_code=True)],
    )
    allocation = run.allocations.get()
    assert allocation.code and allocation.code != run.code and allocation.allocated_on == dt.date(2021, 4, 15)
    with pytest.raises(ValidationFailed):
        services.allocations_add(by=None, print_run=run, allocations=[services.AllocationData(tree.cell_a1, 41)])
    services.allocations_add(by=None, print_run=run, allocations=[services.AllocationData(tree.cell_a1, 40)])
    values = {
        v.indicator.code: v.value
        for v in indicator_values(
            unit=tree.province,
            start=dt.date(2021, 1, 1),
            end=dt.date(2022, 12, 31),
            codes=["copies_printed", "copies_allocated", "documents_published"],
        )
    }
    assert values == {"copies_printed": 100, "copies_allocated": 100, "documents_published": 1}


def test_a_document_without_a_file_cannot_be_printed(tree):
    document = make_document(tree)
    with pytest.raises(ValidationFailed) as error:
        services.print_run_create(
            by=None, document=document, unit=tree.commune_a1, printed_on=dt.date(2021, 1, 5), copies=5
        )
    assert error.value.extra["field"] == "version"


def test_subtree_documents_are_visible_only_inside(tree, client_for, officer_a):
    # Kept by the province, visible in district A: its communes' officers see it, others do not.
    inside = make_document(
        tree, owner_unit=tree.province, visibility=Document.Visibility.SUBTREE, visibility_unit=tree.district_a
    )
    outside_officer = make_user(role="officer", unit=tree.commune_b1, username="officer_b")
    district_officer = make_user(role="officer", unit=tree.district_a, username="officer_district")
    assert client_for(officer_a).get(reverse("library:document_detail", args=[inside.pk])).status_code == 200
    assert client_for(district_officer).get(reverse("library:document_detail", args=[inside.pk])).status_code == 200
    assert client_for(outside_officer).get(reverse("library:document_detail", args=[inside.pk])).status_code == 404


def test_officer_records_a_document_uploads_and_prints_through_the_pages(tree, client_for, officer_a):
    client = client_for(officer_a)
    response = client.post(
        reverse("library:document_new"),
        {
            "kind": DocumentKind.objects.get(code="plan").pk,
            "number": "15-KH/ĐU",
            "title": "Kế hoạch học tập Nghị quyết",
            "language": "vi",
            "owner_unit": tree.commune_a1.code,
            "visibility": "internal",
            "links": "Cổng TTĐT https://example.vn/van-ban/15",
        },
    )
    document = Document.objects.get(number="15-KH/ĐU")
    assert response.status_code == 302 and document.external_links == [
        {"label": "Cổng TTĐT", "url": "https://example.vn/van-ban/15"}
    ]
    upload = client.post(reverse("library:version_new", args=[document.pk]), {"file": docx_upload(), "language": "vi"})
    assert upload.status_code == 302, upload.content.decode()[-3000:]
    assert document.versions.count() == 1
    run = client.post(
        reverse("library:print_run_new", args=[document.pk]),
        {
            "unit": tree.commune_a1.code,
            "printed_on": "2024-03-01",
            "copies": 300,
            "allocations": f"{tree.cell_a1.code} 120 qr",
        },
    )
    assert run.status_code == 302
    printed = PrintRun.objects.get()
    assert printed.copies == 300 and printed.allocations.get().copies == 120
    page = client.get(reverse("library:document_detail", args=[document.pk])).content.decode()
    assert printed.code in page and 'data-testid="allocations"' in page
    assert AuditEntry.objects.filter(action="lantoa.library.print_run.created").exists()


def test_inspectors_read_but_cannot_keep(tree, client_for, inspector):
    document = make_document(tree)
    client = client_for(inspector)
    assert client.get(reverse("library:document_detail", args=[document.pk])).status_code == 200
    assert client.get(reverse("library:version_new", args=[document.pk])).status_code == 403


def test_api_creates_uploads_prints_and_reports(tree, client_for, officer_a):
    client = client_for(officer_a)
    created = client.post(
        "/api/v1/library/documents",
        {
            "kind": "resolution",
            "title": "Nghị quyết chuyên đề",
            "owner_unit": tree.commune_a1.code,
            "number": "03-NQ/ĐU",
            "visibility": "public",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    document_id = created.json()["id"]
    assert created.json()["public_url"].endswith("/")
    upload = client.post(f"/api/v1/library/documents/{document_id}/versions", {"file": docx_upload(), "language": "vi"})
    assert upload.status_code == 201, upload.content
    assert upload.json()["number"] == 1 and upload.json()["files"][0]["role"] == "text"
    run = client.post(
        f"/api/v1/library/documents/{document_id}/print-runs",
        {
            "unit": tree.commune_a1.code,
            "printed_on": "2024-05-01",
            "copies": 50,
            "allocations": [{"unit": tree.cell_a1.code, "copies": 20}],
        },
        content_type="application/json",
    )
    assert run.status_code == 201, run.content
    assert run.json()["short_link"].endswith("/q/" + run.json()["code"])
    too_many = client.post(
        f"/api/v1/print-runs/{run.json()['id']}/allocations".replace("/api/v1/", "/api/v1/library/"),
        [{"unit": tree.cell_a1.code, "copies": 31}],
        content_type="application/json",
    )
    assert too_many.status_code == 422 and too_many.json()["code"] == "validation_failed"
    reads = client.get(f"/api/v1/library/print-runs/{run.json()['id']}/reads")
    assert reads.status_code == 200 and reads.json() == []
    unknown = client.post(
        "/api/v1/library/documents",
        {"kind": "nope", "title": "x", "owner_unit": tree.commune_a1.code},
        content_type="application/json",
    )
    assert unknown.status_code == 422
