"""QR codes, the label sheet, anonymous read counts, the short-link resolver and the public reader."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import threading
import wave

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lantoa.library import qr
from lantoa.library.defaults import load_defaults
from lantoa.library.models import Document, DocumentFile, DocumentKind, PrintRun, QrRead
from lantoa.library.services import (
    AllocationData,
    DocumentData,
    FileUpload,
    document_create,
    document_supersede,
    print_run_create,
    version_create,
)
from lantoa.org.rollup import indicator_values

TEXT = "Điều 1. Phạm vi điều chỉnh\nQuy định này áp dụng cho các chi bộ.\n\nĐiều 2. Đối tượng áp dụng\nĐảng viên."


def pdf_bytes(text: str = "Nghị quyết") -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


def make_document(tree, *, visibility=Document.Visibility.PUBLIC, number="01-KL/TW", title=None, **extra):  # type: ignore[no-untyped-def]
    load_defaults(DocumentKind)  # flushed by transactional tests (browser, concurrency)
    data = DocumentData(
        kind=DocumentKind.objects.get(code=extra.pop("kind", "conclusion")),
        title=title or "Kết luận về tiếp tục thực hiện Nghị quyết Trung ương 4 khóa XII về xây dựng Đảng",
        owner_unit=extra.pop("owner_unit", tree.province),
        number=number,
        issuer="Ban Chấp hành Trung ương",
        issued_on=dt.date(2021, 10, 30),
        summary="Tóm tắt: tăng cường xây dựng, chỉnh đốn Đảng.",
        visibility=visibility,
        **extra,
    )
    return document_create(by=None, data=data)


def add_version(document, *, text=TEXT, name="ket-luan.pdf", audio=False):  # type: ignore[no-untyped-def]
    uploads = [FileUpload(SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf"), role="text")]
    if audio:
        uploads.append(
            FileUpload(SimpleUploadedFile("doc-tieng-mong.wav", wav_bytes(), content_type="audio/wav"), role="audio",
                       language="hmn")
        )  # fmt: skip
    version = version_create(by=None, document=document, uploads=uploads)
    # Text extraction runs in the background; here its result is set directly.
    DocumentFile.objects.filter(version=version, role=DocumentFile.Role.TEXT).update(
        extracted_text=text, extraction=DocumentFile.Extraction.DONE
    )
    return version


def make_run(tree, document, *, allocations=(), version=None) -> PrintRun:  # type: ignore[no-untyped-def]
    return print_run_create(
        by=None,
        document=document,
        unit=tree.district_a,
        printed_on=dt.date(2024, 3, 1),
        copies=200,
        version=version,
        allocations=allocations,
    )


@pytest.fixture
def public_run(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    add_version(document)
    return make_run(tree, document)


# --- QR images and gates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "magic"), [("svg", "image/svg+xml", b"<?xml"), ("png", "image/png", b"\x89PNG")]
)
def test_run_qr_images(tree, admin_user, client_for, fmt, content_type, magic):  # type: ignore[no-untyped-def]
    document = make_document(tree, visibility=Document.Visibility.INTERNAL)
    add_version(document)
    run = make_run(tree, document)
    response = client_for(admin_user).get(reverse("library:run_qr", args=[run.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    if fmt == "svg":
        assert f"http://testserver/q/{run.code}".encode() in response.content


def test_qr_and_labels_are_hidden_from_users_who_cannot_see_the_document(tree, admin_user, officer_a, client_for):  # type: ignore[no-untyped-def]
    document = make_document(
        tree,
        visibility=Document.Visibility.SUBTREE,
        visibility_unit=tree.district_b,
        owner_unit=tree.district_b,
    )
    add_version(document)
    run = make_run(tree, document, allocations=[AllocationData(unit=tree.commune_b1, copies=5, with_code=True)])
    allocation = run.allocations.get()
    outsider = client_for(officer_a)
    for url in (
        reverse("library:run_qr", args=[run.pk, "svg"]),
        reverse("library:run_qr", args=[run.pk, "png"]),
        reverse("library:allocation_qr", args=[allocation.pk, "svg"]),
        reverse("library:run_labels", args=[run.pk]),
    ):
        assert outsider.get(url).status_code == 404, url
        assert client_for(admin_user).get(url).status_code == 200, url
    assert client_for(admin_user).get(reverse("library:run_qr", args=[run.pk, "gif"])).status_code == 404
    # An anonymous visitor is sent to sign in.
    assert Client().get(reverse("library:run_qr", args=[run.pk, "svg"])).status_code == 302


def test_allocation_qr_needs_a_code(tree, admin_user, client_for):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    add_version(document)
    run = make_run(
        tree,
        document,
        allocations=[
            AllocationData(unit=tree.commune_a1, copies=5, with_code=True),
            AllocationData(unit=tree.cell_a1, copies=5),
        ],
    )
    coded, plain = run.allocations.order_by("pk")
    client = client_for(admin_user)
    response = client.get(reverse("library:allocation_qr", args=[coded.pk, "svg"]))
    assert response.status_code == 200
    assert f"/q/{coded.code}".encode() in response.content
    assert client.get(reverse("library:allocation_qr", args=[plain.pk, "png"])).status_code == 404


# --- The label sheet -----------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_label_sheet_is_a_pdf_with_the_number_and_link(public_run, admin_user, client_for):  # type: ignore[no-untyped-def]
    response = client_for(admin_user).get(reverse("library:run_labels", args=[public_run.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="qr-labels-01-kl-tw-{public_run.code}.pdf"'
    text = _pdf_text(response.content)
    assert "01-KL/TW" in text
    assert f"testserver/q/{public_run.code}" in text
    assert "Kết luận" in text  # Vietnamese letters survive (a TrueType font with them is embedded)
    assert b"/Subtype /Image" not in response.content  # the QR codes are vector squares


def test_label_sheet_groups_labels_by_allocation(tree, admin_user, client_for):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    add_version(document)
    run = make_run(
        tree,
        document,
        allocations=[
            AllocationData(unit=tree.commune_a1, copies=100, with_code=True),
            AllocationData(unit=tree.cell_a1, copies=100, with_code=True),
        ],
    )
    response = client_for(admin_user).get(reverse("library:run_labels", args=[run.pk]) + "?per=6")
    text = _pdf_text(response.content)
    for allocation in run.allocations.all():
        assert f"/q/{allocation.code}" in text
    assert "Quang Kim" in text and "Phìn Ngan" in text
    assert f"/q/{run.code}" not in text  # every copy went out with an allocation's own code
    assert text.count("01-KL/TW") == 12


def test_label_sheet_without_font_says_so(public_run, admin_user, client_for, monkeypatch):  # type: ignore[no-untyped-def]
    from reportlab.pdfbase import pdfmetrics

    monkeypatch.setattr(qr, "FONT_DIRS", [])
    monkeypatch.setattr(pdfmetrics, "getRegisteredFontNames", lambda: [])
    response = client_for(admin_user).get(reverse("library:run_labels", args=[public_run.pk]))
    assert response.status_code == 503
    assert "font" in response.content.decode().lower() or "phông" in response.content.decode().lower()


# --- Reads: counted, anonymous ---------------------------------------------------------------


def test_a_scan_counts_one_anonymous_read_and_opens_the_reader(public_run):  # type: ignore[no-untyped-def]
    client = Client()
    response = client.get(f"/q/{public_run.code}")
    assert response.status_code == 302
    assert response["Location"] == f"/d/{public_run.document.slug}/?from={public_run.code}"
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    read = QrRead.objects.get()
    assert (read.print_run_id, read.allocation_id, read.slot, read.unit_id, read.day, read.count) == (
        public_run.pk,
        None,
        0,
        public_run.unit_id,
        timezone.localdate(),
        1,
    )
    assert {f.name for f in QrRead._meta.concrete_fields} == {
        "id",
        "print_run",
        "allocation",
        "slot",
        "unit",
        "day",
        "count",
    }
    client.get(f"/q/{public_run.code}")
    assert QrRead.objects.get().count == 2


def test_reads_are_counted_per_allocation_and_day(tree, monkeypatch):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    add_version(document)
    run = make_run(tree, document, allocations=[AllocationData(unit=tree.cell_a1, copies=20, with_code=True)])
    allocation = run.allocations.get()
    client = Client()
    today = timezone.localdate()
    for _ in range(3):
        client.get(f"/q/{allocation.code}")
    client.get(f"/q/{run.code}")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2030, 1, 2))
    client.get(f"/q/{allocation.code}")
    rows = {(r.slot, r.day): (r.count, r.unit_id, r.allocation_id) for r in QrRead.objects.all()}
    assert rows == {
        (allocation.pk, today): (3, tree.cell_a1.pk, allocation.pk),
        (0, today): (1, tree.district_a.pk, None),
        (allocation.pk, dt.date(2030, 1, 2)): (1, tree.cell_a1.pk, allocation.pk),
    }


def test_the_day_is_the_local_day(public_run, monkeypatch):  # type: ignore[no-untyped-def]
    # 20:00 UTC on 31 December is already 1 January in Hà Nội.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2024, 12, 31, 20, 0, tzinfo=dt.UTC))
    qr.record_read(public_run.code)
    assert QrRead.objects.get().day == dt.date(2025, 1, 1)


def test_unknown_code_is_404_without_cookie(db):  # type: ignore[no-untyped-def]
    response = Client().get("/q/nosuchcode")
    assert response.status_code == 404
    assert "Set-Cookie" not in response.headers
    assert QrRead.objects.count() == 0


def test_losing_the_race_for_the_first_row_still_counts(public_run, monkeypatch):  # type: ignore[no-untyped-def]
    """Another reader creates the day's row between our update (0 rows) and our insert."""
    real_update = QuerySet.update
    calls = {"n": 0}

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            QrRead.objects.create(print_run=public_run, slot=0, unit=public_run.unit, day=timezone.localdate(), count=1)
            return 0
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", update)
    qr.record_read(public_run.code)
    assert QrRead.objects.get().count == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_reads_all_count(tree):  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite":
        pytest.skip("SQLite in-memory test databases are not shared between threads")
    document = make_document(tree)
    add_version(document)
    run = make_run(tree, document)
    errors = []

    def scan() -> None:
        from django.db import connections

        try:
            qr.record_read(run.code)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert QrRead.objects.get().count == 8


def test_qr_reads_indicator_equals_the_reads(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    add_version(document)
    run = make_run(tree, document, allocations=[AllocationData(unit=tree.cell_a1, copies=20, with_code=True)])
    allocation = run.allocations.get()
    client = Client()
    for code in (run.code, run.code, allocation.code, allocation.code, allocation.code):
        client.get(f"/q/{code}")
    today = timezone.localdate()

    def reads(unit):  # type: ignore[no-untyped-def]
        return indicator_values(unit=unit, start=today, end=today, codes=["qr_reads"])[0].value

    assert reads(tree.province) == 5
    assert reads(tree.district_a) == 5
    assert reads(tree.cell_a1) == 3
    assert reads(tree.district_b) in (0, None)


# --- The resolver for documents that are not public, or replaced -------------------------------


def test_a_document_that_is_not_public_shows_a_notice_only(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree, visibility=Document.Visibility.INTERNAL, title="Tài liệu nội bộ về công tác cán bộ")
    add_version(document, text="Nội dung mật không được lộ ra ngoài.")
    run = make_run(tree, document)
    response = Client().get(f"/q/{run.code}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    html = response.content.decode()
    assert 'data-testid="not-public"' in html
    assert "Tài liệu nội bộ" not in html and "Nội dung mật" not in html
    assert "/accounts/login/?next=" in html
    assert QrRead.objects.get().count == 1
    # The reader does not show it either, exactly like an unknown address.
    assert Client().get(f"/d/{document.slug}/").status_code == 404


def test_signed_in_reader_of_an_internal_document_goes_to_the_library(tree, admin_user, client_for):  # type: ignore[no-untyped-def]
    document = make_document(tree, visibility=Document.Visibility.INTERNAL)
    add_version(document)
    run = make_run(tree, document)
    response = client_for(admin_user).get(f"/q/{run.code}")
    assert response.status_code == 302
    assert response["Location"] == reverse("library:document_detail", args=[document.pk])


def test_old_print_run_says_a_newer_version_exists(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    first = add_version(document, text="Văn bản cũ.")
    run = make_run(tree, document, version=first)
    add_version(document, text="Văn bản mới đã sửa đổi.", name="ket-luan-v2.pdf")
    client = Client()
    response = client.get(f"/q/{run.code}", follow=True)
    html = response.content.decode()
    assert 'data-testid="printed-old"' in html
    assert "Văn bản mới đã sửa đổi." in html and "Văn bản cũ." not in html
    assert 'data-testid="old-versions"' in html and "ket-luan.pdf" in html
    # A run of the current version says nothing of the kind.
    current_run = make_run(tree, document)
    html = client.get(f"/q/{current_run.code}", follow=True).content.decode()
    assert 'data-testid="printed-old"' not in html


def test_superseded_document_says_so_and_links_the_new_one(tree):  # type: ignore[no-untyped-def]
    old = make_document(tree, number="21-NQ/TW")
    add_version(old)
    run = make_run(tree, old)
    new = make_document(tree, number="05-NQ/TW", title="Nghị quyết mới thay thế")
    add_version(new)
    document_supersede(by=None, document=old, by_document=new)
    html = Client().get(f"/q/{run.code}", follow=True).content.decode()
    assert 'data-testid="superseded"' in html
    assert f'href="/d/{new.slug}/"' in html
    assert "05-NQ/TW" in html


def test_expired_document_says_so(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    add_version(document)
    run = make_run(tree, document)
    document_supersede(by=None, document=document, by_document=None, expired=True)
    html = Client().get(f"/q/{run.code}", follow=True).content.decode()
    assert 'data-testid="expired"' in html


# --- The public reader -------------------------------------------------------------------------


def _static_paths(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="/static/([^"?#]+)', html)


def test_reader_shows_the_document_without_script_or_cookie(tree):  # type: ignore[no-untyped-def]
    document = make_document(
        tree,
        tags=["xây dựng Đảng"],
        external_links=[{"label": "Cổng thông tin điện tử", "url": "https://tulieuvankien.dangcongsan.vn/"}],
    )
    add_version(document, audio=True)
    related = make_document(tree, number="02-KL/TW", title="Kết luận khác cùng loại")
    hidden = make_document(
        tree, number="03-KL/TW", title="Kết luận nội bộ cùng loại", visibility=Document.Visibility.INTERNAL
    )
    response = Client().get(f"/d/{document.slug}/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "<script" not in html.lower()
    assert "style=" not in html
    assert "01-KL/TW" in html and "Ban Chấp hành Trung ương" in html and "30/10/2021" in html
    assert "<p>Quy định này áp dụng cho các chi bộ.</p>" in html or "Quy định này áp dụng cho các chi bộ." in html
    assert html.count("<audio controls") == 1
    audio_file = DocumentFile.objects.get(role=DocumentFile.Role.AUDIO)
    assert f'src="/d/{document.slug}/files/{audio_file.pk}"' in html
    assert "tulieuvankien.dangcongsan.vn" in html
    assert related.title in html and hidden.title not in html
    assert _static_paths(html)  # one stylesheet and the icon


def test_reader_weighs_under_100_kb(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree, tags=["a"])
    long_text = "\n\n".join(f"Điều {n}. " + "Nội dung điều khoản của văn bản. " * 20 for n in range(1, 31))
    add_version(document, text=long_text)
    for n in range(6):
        make_document(tree, number=f"{n}-KL/TW", tags=["a"])
    html = Client().get(f"/d/{document.slug}/").content
    total = len(html)  # the page itself uncompressed; the static files as whitenoise serves them
    for path in _static_paths(html.decode()):
        found = finders.find(path)
        assert found, path
        with open(found, "rb") as handle:
            total += len(gzip.compress(handle.read()))
    assert total < 100 * 1024, total


def test_reader_404_for_unknown_and_not_public(tree):  # type: ignore[no-untyped-def]
    internal = make_document(tree, visibility=Document.Visibility.INTERNAL)
    client = Client()
    for url in ("/d/no-such-document/", f"/d/{internal.slug}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Set-Cookie" not in response.headers


def test_public_file_streams_only_public_files(tree, admin_user):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    version = add_version(document, audio=True)
    text_file = version.files.get(role=DocumentFile.Role.TEXT)
    internal = make_document(tree, visibility=Document.Visibility.INTERNAL)
    internal_file = add_version(internal).files.get()
    client = Client()
    response = client.get(f"/d/{document.slug}/files/{text_file.pk}?download=1")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="ket-luan.pdf"'
    assert response["Content-Type"] == text_file.content_type
    assert "Set-Cookie" not in response.headers
    assert client.get(f"/d/{internal.slug}/files/{internal_file.pk}").status_code == 404
    assert client.get(f"/d/{document.slug}/files/{internal_file.pk}").status_code == 404  # another document's file


def test_reader_in_english_when_the_language_cookie_says_so(public_run):  # type: ignore[no-untyped-def]
    from django.conf import settings

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(f"/d/{public_run.document.slug}/")
    assert '<html lang="en">' in response.content.decode()
    assert "Set-Cookie" not in response.headers
