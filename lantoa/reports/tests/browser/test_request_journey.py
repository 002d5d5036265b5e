"""A data request end to end: the province sends it on a desktop (in English), a commune officer
files it on a phone (390×844, in Vietnamese) — a blocked figure first, kept in the form with the
rule's message — and the province approves it, which locks the figures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.models import User
from lantoa.accounts.tests.factories import make_user
from lantoa.reports.models import AssignmentStatus, DataRequest
from lantoa.reports.tests.requests_helpers import make_data_set
from lantoa.web.tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LANTOA_SHOTS") or Path(__file__).resolve().parents[4] / "test-artifacts")


def _sign_in(page, client_for, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_send_file_on_a_phone_and_approve(browser_page, browser, browser_console, client_for, live_server, tree):  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    make_data_set(tree.province)
    manager = make_user(role="manager", unit=tree.province, username="request_manager", language="en")
    officer = make_user(role="officer", unit=tree.commune_a1, username="request_officer", language="vi")

    # The province sends the request to every commune.
    page = browser_page
    _sign_in(page, client_for, live_server, manager)
    page.goto("/reports/requests/")
    page.get_by_test_id("request-new").click()
    page.get_by_label("Send to every unit of the tier").select_option("commune")
    page.get_by_label("Request title").fill("Study results of the XIII Congress resolution")
    page.get_by_label("Period from").fill("2021-03-01")
    page.get_by_label("Period to").fill("2022-07-31")
    page.get_by_label("Deadline").fill("2099-12-31")
    page.screenshot(path=str(SHOTS / "reports-request-new-desktop-en.png"), full_page=True)
    page.get_by_test_id("request-send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Study results of the XIII Congress resolution")
    rows = page.get_by_test_id("tracking-row")
    expect(rows).to_have_count(2)
    request = DataRequest.objects.get()
    assignment = request.assignments.get(unit=tree.commune_a1)

    # A commune officer files it on a phone: a blocked figure first, kept in the form.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="vi-VN")
    phone.set_default_timeout(10_000)
    mobile = phone.new_page()
    mobile.on("console", lambda message: browser_console.append(f"{message.type}: {message.text}"))
    mobile.on("pageerror", lambda error: browser_console.append(f"pageerror: {error}"))
    _sign_in(mobile, client_for, live_server, officer)
    mobile.goto("/")
    mobile.get_by_test_id("my-work").get_by_role("link", name="Study results of the XIII Congress resolution").click()
    expect(mobile.get_by_test_id("assignment-unit")).to_have_text(tree.commune_a1.name)
    expect(mobile.get_by_test_id("computed-conferences")).to_have_text("0")
    mobile.get_by_label("Số điểm cầu mỗi hội nghị").fill("12")
    mobile.get_by_label("Số điểm cầu trực tuyến").fill("30")
    mobile.get_by_test_id("file-submit").click()
    expect(mobile.get_by_test_id("form-errors")).to_contain_text("Số điểm cầu trực tuyến không thể vượt")
    expect(mobile.get_by_label("Số điểm cầu mỗi hội nghị")).to_have_value("12")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    mobile.screenshot(path=str(SHOTS / "reports-filing-error-phone-vi.png"), full_page=True)
    mobile.get_by_label("Số điểm cầu trực tuyến").fill("0")
    mobile.get_by_test_id("file-submit").click()
    expect(mobile.get_by_test_id("assignment-state")).to_have_attribute("data-state", "filed")
    mobile.screenshot(path=str(SHOTS / "reports-filing-done-phone-vi.png"), full_page=True)

    # The province sees it filed and approves it: the figures are locked.
    page.goto(f"/reports/requests/{request.pk}/")
    expect(page.locator(f'[data-testid="tracking-row"][data-unit="{tree.commune_a1.code}"]')).to_have_attribute(
        "data-state", "filed"
    )
    page.screenshot(path=str(SHOTS / "reports-request-tracking-desktop-en.png"), full_page=True)
    page.locator(f'[data-testid="tracking-row"][data-unit="{tree.commune_a1.code}"]').click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("locked")).to_be_visible()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.APPROVED
    mobile.reload()
    expect(mobile.get_by_test_id("locked")).to_be_visible()
    expect(mobile.locator('textarea[name="reason"]').first).to_be_visible()
    mobile.screenshot(path=str(SHOTS / "reports-filing-locked-phone-vi.png"), full_page=True)

    # The figures are collected: the province closes the request, and the commune's page stops
    # asking for figures.
    page.goto(f"/reports/requests/{request.pk}/")
    page.get_by_test_id("close-form").get_by_role("checkbox").check()
    page.get_by_test_id("close-request").click()
    expect(page.get_by_test_id("request-closed")).to_be_visible()
    expect(page.get_by_test_id("close-form")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "reports-request-closed-desktop-en.png"), full_page=True)
    mobile.reload()
    expect(mobile.get_by_test_id("request-closed")).to_contain_text("không nhận thêm số liệu")
    expect(mobile.get_by_test_id("filing-form")).to_have_count(0)
    mobile.screenshot(path=str(SHOTS / "reports-request-closed-phone-vi.png"), full_page=True)
    phone.close()
    assert User.objects.filter(username="request_officer").exists()
