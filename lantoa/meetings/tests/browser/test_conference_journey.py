"""An administrator plans a hybrid conference, adds three bridge points, records a headcount
and marks it held; a participant checks in from a phone at a per-person site; the province's
figures show the attendance."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from lantoa.accounts.models import User
from lantoa.meetings.models import BridgePoint, Conference
from lantoa.web.tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser
# Screenshots go with the other journeys' (``LANTOA_SHOTS`` names another folder).
SHOTS = Path(os.environ.get("LANTOA_SHOTS") or Path(__file__).resolve().parents[4] / "test-artifacts")


def _sign_in(page, client_for, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def _today_times() -> tuple[dt.date, str]:
    """Today, and a start time half an hour ago (never before midnight): check-in is open."""
    now = timezone.localtime()
    start = max(now - dt.timedelta(minutes=30), now.replace(hour=0, minute=0))
    return now.date(), start.strftime("%H:%M")


def test_plan_relay_record_check_in_and_roll_up(browser, browser_page, client_for, live_server, tree, admin_user):  # type: ignore[no-untyped-def]
    User.objects.filter(pk=admin_user.pk).update(language="en")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    _sign_in(page, client_for, live_server, admin_user)
    day, start = _today_times()

    # Plan a hybrid conference of the province.
    page.goto("/meetings/")
    page.get_by_test_id("conference-new").click()
    form = page.get_by_test_id("conference-form")
    form.locator('[name="title"]').fill("Hội nghị trực tuyến quán triệt Nghị quyết Trung ương")
    form.locator('[name="organiser"]').fill(tree.province.code)
    form.locator('[name="level"]').select_option("province")
    form.locator('[name="format"]').select_option("hybrid")
    form.locator('[name="starts_on"]').fill(day.isoformat())
    form.locator('[name="starts_at"]').fill(start)
    form.locator('[name="ends_at"]').fill("23:59")
    form.get_by_label("Party members", exact=True).fill("150")
    form.locator('input[name="presenters-0-name"]').fill("Nguyễn Văn Báo")
    page.screenshot(path=str(SHOTS / "conference-form.png"), full_page=True)
    page.get_by_test_id("conference-save").click()
    expect(page.get_by_test_id("conference-title")).to_contain_text("Nghị quyết Trung ương")
    expect(page.get_by_test_id("sites-table").get_by_test_id("site-row")).to_have_count(1)
    conference = Conference.objects.get()

    # Bridge points one by one: the unit search suggests units as the user types.
    adding = page.get_by_test_id("points-add-form")
    adding.locator('[name="units"]').press_sequentially("Bát Xát", delay=30)
    expect(page.locator(f'#meetings-unit-options option[value="{tree.district_a.code}"]')).to_have_count(1)
    adding.locator('[name="units"]').fill(tree.district_a.code)
    adding.locator('[name="location"]').fill("Hội trường Huyện ủy")
    page.get_by_test_id("points-add").click()
    expect(page.get_by_test_id("flash")).to_contain_text("1 bridge point was added")
    adding = page.get_by_test_id("points-add-form")
    adding.locator('[name="units"]').fill(tree.commune_a1.code)
    adding.locator('[name="mode"]').select_option("per_person")
    page.get_by_test_id("points-add").click()
    # …and every commune of district B at once.
    children = page.get_by_test_id("points-children-form")
    children.locator('[name="tier"]').select_option("commune")
    children.locator('[name="parent"]').fill(tree.district_b.code)
    page.get_by_test_id("points-add-children").click()
    expect(page.get_by_test_id("sites-table").get_by_test_id("site-row")).to_have_count(4)

    # A headcount at the district's site.
    page.locator(f'[data-testid="site-row"][data-unit="{tree.district_a.code}"]').get_by_test_id("site-link").click()
    headcount = page.get_by_test_id("headcount-form")
    headcount.get_by_label("Party members", exact=True).fill("40")
    headcount.get_by_label("Party members: of whom late").fill("3")
    headcount.get_by_label("Non-members", exact=True).fill("12")
    headcount.locator('[name="members_summoned"]').fill("50")
    headcount.locator('[name="members_exempt"]').fill("5")
    headcount.locator('[name="summoned"]').fill("70")
    page.get_by_test_id("headcount-save").click()
    expect(page.get_by_test_id("point-present")).to_have_text("52")
    expect(page.get_by_test_id("point-member-rate")).to_contain_text("88.9")
    page.screenshot(path=str(SHOTS / "point-headcount.png"), full_page=True)

    # The conference took place.
    page.get_by_test_id("conference-link").click()
    page.get_by_test_id("mark-held").click()
    expect(page.get_by_test_id("conference-status")).to_have_text("Held")
    expect(page.get_by_test_id("total-present")).to_have_text("52")
    page.screenshot(path=str(SHOTS / "conference-detail.png"), full_page=True)

    # A participant checks in at the commune's site from a phone, without signing in.
    site = BridgePoint.objects.get(conference=conference, unit=tree.commune_a1)
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    phone.set_default_timeout(10_000)
    problems = []
    phone_page = phone.new_page()
    phone_page.on("pageerror", lambda error: problems.append(str(error)))
    phone_page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        phone_page.goto(f"/c/{site.code}")
        phone_page.get_by_test_id("checkin-name").fill("Lò Thị Mai")
        phone_page.screenshot(path=str(SHOTS / "checkin-phone.png"), full_page=True)
        phone_page.get_by_test_id("checkin-submit").click()
        expect(phone_page.get_by_test_id("checkin-done")).to_be_visible()
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone_page.screenshot(path=str(SHOTS / "checkin-done-phone.png"), full_page=True)
    finally:
        phone.close()
    assert not problems, problems
    site.refresh_from_db()
    assert site.present == 1

    # The site page shows the check-in on the roster; the province's figures count 53.
    page.goto(f"/meetings/points/{site.pk}/roster/")
    expect(page.get_by_test_id("roster-table")).to_contain_text("Lò Thị Mai")
    page.goto(f"/meetings/rollup/?unit={tree.province.code}&start={day.isoformat()}&end={day.isoformat()}")
    total = page.get_by_test_id("rollup-total")
    expect(total).to_contain_text("53")
    page.screenshot(path=str(SHOTS / "rollup.png"), full_page=True)

    # The conference list shows it with its four sites.
    page.goto("/meetings/")
    row = page.get_by_test_id("conference-row").first
    expect(row).to_contain_text("Nghị quyết Trung ương")
    expect(row.get_by_test_id("attendance")).to_have_text("53")
    # Officers also open these pages on phones: nothing scrolls sideways but the tables.
    page.set_viewport_size(PHONE)
    for url, shot in [("/meetings/", "list-phone.png"), (f"/meetings/{conference.pk}/", "detail-phone.png")]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        page.screenshot(path=str(SHOTS / shot), full_page=True)
