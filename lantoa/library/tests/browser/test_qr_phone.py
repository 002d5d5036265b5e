"""A reader scans the QR code printed on a public document with a phone and reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from lantoa.library.models import QrRead
from lantoa.library.tests.test_qr_public import add_version, make_document, make_run
from lantoa.web.tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def test_scan_opens_the_reader_on_a_phone(browser, live_server, tree):  # type: ignore[no-untyped-def]
    document = make_document(
        tree,
        external_links=[{"label": "Tư liệu văn kiện Đảng", "url": "https://tulieuvankien.dangcongsan.vn/"}],
    )
    first = add_version(document, text="Bản cũ.")
    run = make_run(tree, document, version=first)
    add_version(
        document,
        text="Điều 1. Phạm vi điều chỉnh\n\nQuy định này áp dụng cho các chi bộ thôn, bản, tổ dân phố.\n\n"
        "Điều 2. Trách nhiệm\n\nCấp ủy các cấp tổ chức quán triệt, tuyên truyền sâu rộng đến đảng viên và nhân dân.",
        name="ket-luan-sua-doi.pdf",
        audio=True,
    )

    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    console = []
    page = context.new_page()
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    try:
        response = page.goto(f"/q/{run.code}")
        assert response is not None and response.ok
        expect(page.get_by_test_id("doc-title")).to_contain_text("Kết luận")
        expect(page.get_by_test_id("printed-old")).to_be_visible()
        expect(page.get_by_test_id("doc-text")).to_contain_text("Quy định này áp dụng cho các chi bộ")
        expect(page.get_by_test_id("audio")).to_have_count(1)
        expect(page.locator("script")).to_have_count(0)
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        assert page.url.endswith(f"/d/{document.slug}/?from={run.code}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        assert context.cookies() == [], "public pages set no cookie"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "library-reader-phone.png"), full_page=True)
    finally:
        context.close()
    assert QrRead.objects.get(print_run=run).count == 1
    problems = [m for m in console if m.startswith(("error", "pageerror")) or "Content Security Policy" in m]
    assert not problems, problems
