"""The dashboard end to end, on a desktop and on a phone, in Vietnamese and in English: sign in,
see the unit's figures, switch to today's structure, drill down to a child."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.models import User
from lantoa.accounts.tests.factories import make_user
from lantoa.web.tests.browser.fixtures import DESKTOP, PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LANTOA_SHOTS") or Path(__file__).resolve().parents[4] / "test-artifacts")
# 12,500 at each of three sites and 1,234 at two: 39,968 attendances in the province.
ATTENDANCES = {"vi": "39.968", "en": "39,968"}
STRUCTURE_TODAY = {"vi": "Theo cơ cấu tổ chức hiện nay", "en": "As the tree stands today"}


def _sign_in(page, client_for, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("browser_page", [DESKTOP, PHONE], indirect=True, ids=["desktop", "phone"])
def test_sign_in_see_the_dashboard_switch_structure_and_drill_down(  # type: ignore[no-untyped-def]
    browser_page, client_for, live_server, figures, language
):
    tree = figures
    manager = make_user(role="manager", unit=tree.province, username="dashboard_manager")
    User.objects.filter(pk=manager.pk).update(language=language)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    phone = page.viewport_size["width"] == PHONE["width"]
    suffix = f"{'phone' if phone else 'desktop'}-{language}"
    _sign_in(page, client_for, live_server, manager)

    # The home page is the province's dashboard; what waits for the user comes first.
    page.goto("/?start=2022-01-01&end=2022-06-30")
    expect(page.get_by_role("heading", level=1)).to_have_text(tree.province.name)
    expect(page.get_by_test_id("my-work-empty")).to_be_visible()
    attendances = page.locator('[data-testid="indicator-row"][data-code="conference_attendances"]')
    expect(attendances.get_by_test_id("indicator-value")).to_have_text(ATTENDANCES[language])
    rate = page.locator('[data-testid="indicator-row"][data-code="member_attendance_rate"]')
    expect(rate.get_by_test_id("indicator-value")).to_have_text("—")
    expect(page.get_by_test_id("bar-chart").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"reports-dashboard-{suffix}.png"), full_page=True)

    # Today's structure: the results are redrawn in place and the address keeps the choice.
    page.get_by_test_id("dashboard-structure").select_option("current")
    with page.expect_response(lambda response: "structure=current" in response.url):
        page.get_by_test_id("dashboard-show").click()
    expect(page).to_have_url(re.compile(r"structure=current"))
    expect(page.get_by_test_id("dashboard-structure")).to_have_value("current")
    expect(attendances.get_by_test_id("indicator-value")).to_have_text(ATTENDANCES[language])
    expect(page.get_by_test_id("dashboard-presets").get_by_role("link").first).to_have_attribute(
        "href", re.compile(r"structure=current")
    )

    # Drill down to district A: its own dashboard, in the same period and structure.
    children = page.get_by_test_id("dashboard-children")
    children.locator(f'[data-unit="{tree.district_a.code}"]').get_by_test_id("drill-down").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tree.district_a.name)
    expect(page).to_have_url(re.compile(rf"unit={tree.district_a.code}&.*structure=current"))
    expect(page.get_by_test_id("dashboard-siblings")).to_contain_text(tree.district_b.name)
    expect(page.get_by_test_id("dashboard-children")).to_contain_text(tree.commune_a1.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"reports-dashboard-child-{suffix}.png"), full_page=True)
