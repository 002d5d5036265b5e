"""An official report end to end on a desktop, in Vietnamese and in English: open a draft, see
the generated numbers as links, edit a section and save, download the DOCX and the PDF."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document as open_docx
from playwright.sync_api import expect
from pypdf import PdfReader

from lantoa.accounts.models import User
from lantoa.accounts.tests.factories import make_user
from lantoa.reports.models import Report
from lantoa.reports.report_services import report_create
from lantoa.reports.tests.test_report_services import HEAD
from lantoa.reports.tests.test_report_views import small_template
from lantoa.web.tests.browser.fixtures import DESKTOP

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LANTOA_SHOTS") or Path(__file__).resolve().parents[4] / "test-artifacts")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("browser_page", [DESKTOP], indirect=True, ids=["desktop"])
def test_open_a_draft_edit_a_section_and_download_it(  # type: ignore[no-untyped-def]
    browser_page, client_for, live_server, figures, language
):
    import datetime as dt

    tree = figures
    officer = make_user(role="manager", unit=tree.province, username="report_manager")
    User.objects.filter(pk=officer.pk).update(language=language)
    report = report_create(
        by=officer,
        unit=tree.province,
        template=small_template(officer, tree.province),
        start=dt.date(2022, 1, 1),
        end=dt.date(2022, 6, 30),
        structure="historical",
        letterhead=HEAD,
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.goto("/accounts/login/")
    cookie = client_for(officer).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])

    page.goto(f"/reports/documents/{report.pk}/")
    narrative = page.locator('[data-key="so-lieu-hoi-nghi"]').get_by_test_id("narrative")
    expect(narrative).to_contain_text("tổ chức 2 hội nghị")
    link = narrative.get_by_test_id("generated-number").first
    expect(link).to_have_attribute("href", "/?unit=P&start=2022-01-01&end=2022-06-30&structure=historical")
    expect(page.get_by_test_id("generated-table")).to_contain_text(tree.district_a.name)
    page.screenshot(path=str(SHOTS / f"reports-document-draft-{language}.png"), full_page=True)

    # Recompute the figures in place, then edit the opening section and save.
    with page.expect_response(lambda response: "/generated/" in response.url):
        page.get_by_test_id("regenerate").click()
    expect(narrative).to_contain_text("tổ chức 2 hội nghị")
    page.locator('textarea[name="text_mo-dau"]').fill("Thực hiện Kế hoạch số 12-KH/TU của Tỉnh ủy.")
    page.get_by_test_id("report-save").click()
    expect(page.get_by_test_id("report-meta")).to_contain_text("2")
    assert Report.objects.get(pk=report.pk).texts["mo-dau"] == "Thực hiện Kế hoạch số 12-KH/TU của Tỉnh ủy."

    with page.expect_download() as docx_download:
        page.get_by_test_id("download-docx").click()
    docx = open_docx(io.BytesIO(Path(docx_download.value.path()).read_bytes()))
    assert "Thực hiện Kế hoạch số 12-KH/TU của Tỉnh ủy." in "\n".join(p.text for p in docx.paragraphs)
    with page.expect_download() as pdf_download:
        page.get_by_test_id("download-pdf").click()
    text = "\n".join(p.extract_text() for p in PdfReader(Path(pdf_download.value.path())).pages)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    page.screenshot(path=str(SHOTS / f"reports-document-saved-{language}.png"), full_page=True)

    # The unit's reports, a new draft's form and the office's template, as the officer sees them.
    page.goto("/reports/documents/?unit=P")
    expect(page.get_by_test_id("report-row")).to_have_count(1)
    page.screenshot(path=str(SHOTS / f"reports-document-list-{language}.png"), full_page=True)
    page.get_by_test_id("report-new").click()
    expect(page.get_by_test_id("report-new-form")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"reports-document-new-{language}.png"), full_page=True)
    page.goto(f"/reports/templates/{report.template_id}/")
    expect(page.get_by_test_id("template-section")).to_have_count(6)  # five sections and an empty row
    page.screenshot(path=str(SHOTS / f"reports-template-{language}.png"), full_page=True)
