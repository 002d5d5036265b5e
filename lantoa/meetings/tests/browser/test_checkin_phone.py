"""Someone at a commune's bridge point checks in on a phone: by the QR code, then by typing the
code on a second phone. No sign-in, no script, nothing sideways on a small screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from lantoa.meetings.models import Participant
from lantoa.meetings.tests.test_checkin import live_conference
from lantoa.web.tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def test_check_in_on_a_phone(browser, live_server, tree):  # type: ignore[no-untyped-def]
    point = live_conference(tree, starts_in=-20, mandatory=True)
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    console = []
    page = context.new_page()
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    try:
        response = page.goto(f"/c/{point.code}")
        assert response is not None and response.ok
        expect(page.get_by_test_id("checkin-title")).to_contain_text("Hội nghị quán triệt")
        expect(page.get_by_test_id("checkin-unit")).to_contain_text(tree.commune_a1.name)
        expect(page.locator("script")).to_have_count(0)
        expect(page.locator("html")).to_have_attribute("lang", "vi")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        # Every choice is a large touch target.
        for box in [page.locator("label.choice").nth(i).bounding_box() for i in range(5)]:
            assert box is not None and box["height"] >= 44
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "meetings-checkin-phone.png"), full_page=True)

        page.get_by_test_id("checkin-name").fill("Lò Thị Mai")
        page.locator("label.choice").nth(1).tap()
        sent = {
            name: page.locator(f'input[name="{name}"]').first.input_value()
            for name in ("csrfmiddlewaretoken", "client_key", "method", "name")
        }
        page.get_by_test_id("checkin-submit").tap()
        expect(page.get_by_test_id("checkin-done")).to_be_visible()
        expect(page.get_by_test_id("checkin-late")).to_be_visible()
        page.screenshot(path=str(SHOTS / "meetings-checkin-done-phone.png"), full_page=True)
        # The same form arriving again (a flaky connection resending it) counts once.
        again = page.request.post(
            f"/c/{point.code}",
            form={**sent, "category": "cadres"},
            headers={"Referer": f"{live_server.url}/c/{point.code}"},
        )
        assert again.ok and 'data-testid="checkin-again"' in again.text()
        assert {cookie["name"] for cookie in context.cookies()} <= {"csrftoken"}
    finally:
        context.close()

    second = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="vi-VN")
    try:
        typed = second.new_page()
        typed.goto("/checkin/")
        typed.get_by_test_id("checkin-code").fill(f"{point.code[:3].lower()} {point.code[3:].lower()}")
        typed.get_by_test_id("checkin-code-submit").click()
        expect(typed.get_by_test_id("checkin-form")).to_be_visible()
        typed.get_by_test_id("checkin-name").fill("Vàng A Sử")
        typed.get_by_test_id("checkin-submit").click()
        expect(typed.get_by_test_id("checkin-done")).to_be_visible()
    finally:
        second.close()

    point.refresh_from_db()
    assert point.present == 2
    assert sorted(Participant.objects.values_list("method", flat=True)) == ["code", "qr"]
    problems = [m for m in console if m.startswith(("error", "pageerror")) or "Content Security Policy" in m]
    assert not problems, problems
