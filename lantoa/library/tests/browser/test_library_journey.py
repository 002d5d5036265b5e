"""An officer records a resolution and uploads it, finds it without diacritics, records a print
run with allocations, downloads the QR label sheet; the QR link opens on a phone."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.tests.factories import make_user
from lantoa.library.models import Document, PrintRun
from lantoa.web.tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def _docx_bytes() -> bytes:
    from docx import Document as Docx

    doc = Docx()
    doc.add_paragraph("Nghị quyết về đẩy mạnh công tác tuyên truyền ở thôn, bản vùng cao.")
    doc.add_paragraph("Đảng ủy xã giao các chi bộ thôn tổ chức học tập trong quý II.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_upload_find_print_and_scan(browser, browser_page, client_for, live_server, tree):  # type: ignore[no-untyped-def]
    officer = make_user(role="officer", unit=tree.commune_a1, username="officer_library")
    page = browser_page
    page.goto("/accounts/login/")
    cookie = client_for(officer).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])

    # Record the resolution, public, and upload its file.
    page.goto("/library/")
    page.get_by_test_id("document-new").click()
    form = page.get_by_test_id("document-form")
    form.locator('select[name="kind"]').select_option(label="Nghị quyết")
    form.locator('input[name="number"]').fill("07-NQ/ĐU")
    form.locator('input[name="title"]').fill("Nghị quyết về đẩy mạnh công tác tuyên truyền ở vùng cao")
    form.locator('input[name="issuer"]').fill("Đảng ủy xã Quang Kim")
    form.locator('input[name="issued_on"]').fill("2024-03-01")
    form.locator('select[name="visibility"]').select_option("public")
    form.locator('button[type="submit"]').click()
    upload = page.get_by_test_id("version-form")
    upload.locator('input[name="file"]').set_input_files(
        files=[{"name": "nghi-quyet-07.docx", "mimeType": "application/octet-stream", "buffer": _docx_bytes()}]
    )
    upload.get_by_test_id("upload").click()
    expect(page.get_by_test_id("document-title")).to_contain_text("07-NQ/ĐU")
    expect(page.get_by_test_id("version-1")).to_contain_text("nghi-quyet-07.docx")

    # Find it without diacritics (and by a loose form of its number).
    page.goto("/library/")
    search = page.get_by_test_id("library-search")
    search.locator('input[name="q"]').fill("tuyen truyen vung cao")
    search.locator('input[name="q"]').press("Enter")
    expect(page.get_by_test_id("library-hit").first).to_contain_text("07-NQ/ĐU")
    page.goto("/library/?q=07+nq+du")
    expect(page.get_by_test_id("library-hit").first).to_contain_text("Nghị quyết về đẩy mạnh")

    # A print run with allocations, and the A4 label sheet.
    page.get_by_test_id("hit-title").first.click()
    page.get_by_test_id("print-run-new").click()
    run_form = page.get_by_test_id("print-run-form")
    run_form.locator('input[name="printed_on"]').fill("2024-03-10")
    run_form.locator('input[name="copies"]').fill("500")
    run_form.locator('textarea[name="allocations"]').fill(f"{tree.cell_a1.code} 300 qr")
    run_form.get_by_test_id("save-run").click()
    expect(page.get_by_test_id("print-run")).to_contain_text("500")
    expect(page.get_by_test_id("allocations")).to_contain_text("300")
    with page.expect_download() as download:
        page.get_by_test_id("labels-pdf").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "library-document.png"), full_page=True)
    run = PrintRun.objects.get()
    assert Document.objects.get().print_runs.get() == run

    # Someone scans the printed code with a phone: no sign-in, the reader opens.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="vi-VN")
    phone_page = phone.new_page()
    phone_page.goto(f"/q/{run.code}")
    expect(phone_page).to_have_url(re.compile(r"/d/[^/]+/"))
    expect(phone_page.locator("h1")).to_contain_text("Nghị quyết về đẩy mạnh")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()
    run.refresh_from_db()
    assert sum(read.count for read in run.reads.all()) == 1
