"""A conference's page on a phone (390×844), in Vietnamese and in English, with large figures:
the sites table becomes stacked rows, nothing sits off screen, every "Record" button is on it;
the activity form's choices keep their circles beside their labels."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.models import User
from lantoa.meetings.services import Headcount, attendance_record
from lantoa.meetings.tests.factories import make_conference
from lantoa.org.tests.factories import make_unit
from lantoa.people.tests.factories import ensure_kinds
from lantoa.web.tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LANTOA_SHOTS") or Path(__file__).resolve().parents[4] / "test-artifacts")


def _phone_page(browser, live_server, client_for, user):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


def _within_the_screen(box) -> bool:  # type: ignore[no-untyped-def]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_sites_of_a_conference_fit_a_phone(browser, live_server, client_for, tree, admin_user, language):  # type: ignore[no-untyped-def]
    communes = [
        make_unit(kind="commune_committee", parent=tree.district_a, name=f"Đảng bộ xã Thành Phố Mới Số {n}",
                  code=f"P-A-{n + 10}")
        for n in range(6)
    ]  # fmt: skip
    conference = make_conference(tree.province, sites=[tree.commune_a1, *communes])
    for number, point in enumerate(conference.points.all()):
        counts = Headcount(present={"party_members": 1_234_567 + number, "cadres": 98_765}, summoned=2_345_678)
        attendance_record(by=admin_user, point=point, counts=counts)
    User.objects.filter(pk=admin_user.pk).update(language=language)
    page = _phone_page(browser, live_server, client_for, admin_user)
    try:
        response = page.goto(f"/meetings/{conference.pk}/")
        assert response is not None and response.ok
        table = page.get_by_test_id("sites-table")
        expect(page.get_by_test_id("site-row")).to_have_count(len(communes) + 2)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        assert _within_the_screen(table.bounding_box()), table.bounding_box()
        scroller = table.locator("xpath=..")
        assert scroller.evaluate("element => element.scrollWidth <= element.clientWidth"), "the table overflows"
        buttons = page.get_by_test_id("site-link")
        for index in range(buttons.count()):
            buttons.nth(index).scroll_into_view_if_needed()
            assert _within_the_screen(buttons.nth(index).bounding_box()), f"button {index} off screen"
        expect(page.get_by_test_id("site-present").first).to_contain_text(
            "1.333.332" if language == "vi" else "1,333,332"
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"meetings-conference-phone-{language}.png"), full_page=True)
        table.screenshot(path=str(SHOTS / f"meetings-conference-sites-phone-{language}.png"))
    finally:
        page.context.close()


def test_the_activity_forms_choices_sit_beside_their_labels(browser, live_server, client_for, tree, officer_a):  # type: ignore[no-untyped-def]
    ensure_kinds()  # the live server's database was flushed by earlier journeys
    page = _phone_page(browser, live_server, client_for, officer_a)
    try:
        response = page.goto("/people/activities/new/")
        assert response is not None and response.ok
        choices = page.locator('input[type="radio"][name="kind"]')
        assert choices.count() >= 2
        for index in range(choices.count()):
            circle = choices.nth(index).bounding_box()
            label = page.locator(f'label[for="{choices.nth(index).get_attribute("id")}"]').bounding_box()
            assert circle is not None and label is not None
            middle = circle["y"] + circle["height"] / 2
            assert label["y"] <= middle <= label["y"] + label["height"], "the circle sits above its label"
            assert circle["x"] + circle["width"] <= label["x"] + 1, "the circle is left of its label"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "people-activity-form-phone.png"), full_page=True)
    finally:
        page.context.close()
