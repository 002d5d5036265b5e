"""An officer forms a village team and adds a propagandist; the propagandist records a visit
from a phone; the coverage and activity pages show it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.models import User
from lantoa.accounts.tests.factories import make_user
from lantoa.people.models import Activity
from lantoa.people.tests.factories import ensure_kinds
from lantoa.web.tests.browser.fixtures import CHROMIUM_ARGS, PHONE  # noqa: F401 - PHONE documents the viewport

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def _sign_in(page, client_for, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_team_propagandist_visit_and_coverage(browser, browser_page, client_for, live_server, tree):  # type: ignore[no-untyped-def]
    ensure_kinds()
    officer = make_user(role="officer", unit=tree.commune_a1, username="officer_journey")
    propagandist_account = User.objects.create_user(
        username="ttv.hoa", password="unused-in-this-test", full_name="Lò Thị Hoa"
    )
    page = browser_page
    _sign_in(page, client_for, live_server, officer)

    # Coverage first: one village, no team yet.
    page.goto(f"/people/units/{tree.commune_a1.code}/coverage/")
    expect(page.get_by_test_id("total-teams")).to_have_text("0 / 1")

    # Form the village's team.
    page.goto(f"/people/groups/new/?unit={tree.cell_a1.code}")
    form = page.get_by_test_id("group-form")
    form.locator('select[name="kind"]').select_option(label="Tổ tuyên vận")
    form.locator('input[name="name"]').fill("Tổ tuyên vận thôn Phìn Ngan")
    form.locator('input[name="valid_from"]').fill("2024-01-15")
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("group-name")).to_have_text("Tổ tuyên vận thôn Phìn Ngan")

    # Add a propagandist who is not recorded yet, as the team's leader.
    members = page.get_by_test_id("member-form")
    members.locator('input[name="family_name"]').fill("Lò")
    members.locator('input[name="middle_name"]').fill("Thị")
    members.locator('input[name="given_name"]').fill("Hoa")
    members.locator('input[name="birth_year"]').fill("1994")
    members.locator('input[name="phone"]').fill("0912 345 678")
    members.locator('input[name="valid_from"]').fill("2024-02-01")
    members.locator('input[name="is_leader"]').check()
    members.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("group-members")).to_contain_text("Lò Thị Hoa")
    expect(page.get_by_test_id("member-count")).to_have_text("1")

    # Link her account, from her personal-data page.
    page.get_by_test_id("group-members").get_by_role("link", name="Lò Thị Hoa").click()
    page.get_by_test_id("privacy-link").click()
    link = page.get_by_test_id("link-account")
    link.locator('input[name="username"]').fill("ttv.hoa")
    link.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("flash")).to_be_visible()

    # The propagandist records home visits from her phone.
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="vi-VN")
    phone_page = phone.new_page()
    errors: list[str] = []
    phone_page.on("pageerror", lambda error: errors.append(str(error)))
    phone_page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    _sign_in(phone_page, client_for, live_server, propagandist_account)
    phone_page.goto("/")
    phone_page.get_by_role("link", name=re.compile("hoạt động tuyên truyền|outreach activity", re.I)).first.click()
    activity = phone_page.get_by_test_id("activity-form")
    expect(activity).to_be_visible()
    activity.get_by_label(re.compile("Đến từng hộ gia đình|Home visits")).check()
    activity.locator('input[name="held_on"]').fill("2024-03-05")
    activity.locator('input[name="topic"]').fill("Nghị quyết Đại hội XIII")
    activity.locator('input[name="people_reached"]').fill("23")
    SHOTS.mkdir(exist_ok=True)
    phone_page.screenshot(path=str(SHOTS / "people-activity-phone.png"), full_page=True)
    phone_page.get_by_test_id("activity-submit").click()
    expect(phone_page.get_by_test_id("flash")).to_contain_text("23")
    expect(phone_page.get_by_test_id("recent-activities")).to_contain_text("23")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the activity form must not scroll sideways on a phone"
    phone.close()
    assert not errors, errors
    recorded = Activity.objects.get()
    assert recorded.person is not None and recorded.person.given_name == "Hoa" and recorded.group is not None

    # Back at the office: the coverage and the activities show it.
    page.goto(f"/people/units/{tree.commune_a1.code}/coverage/")
    expect(page.get_by_test_id("total-teams")).to_have_text("1 / 1")
    expect(page.get_by_test_id("total-propagandists")).to_contain_text("1")
    page.screenshot(path=str(SHOTS / "people-coverage.png"), full_page=True)
    page.goto(f"/people/units/{tree.commune_a1.code}/activities/")
    expect(page.get_by_test_id("activity-rows")).to_contain_text("Nghị quyết Đại hội XIII")
    expect(page.get_by_test_id("activity-totals")).to_contain_text("23")
