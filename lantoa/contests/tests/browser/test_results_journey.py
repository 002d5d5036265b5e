"""An organiser closes a round with the prediction's actual figure and sees the final ranking;
a contestant then sees their final rank on a phone (390×844), and the published results."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.models import User
from lantoa.contests.models import RoundResult
from lantoa.contests.tests.factories import make_contestant
from lantoa.contests.tests.results_data import entry, past_round, person
from lantoa.contests.views.play import token_for
from lantoa.web.tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LANTOA_SHOTS", "")) if os.environ.get("LANTOA_SHOTS") else None


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def test_close_a_round_then_see_the_rank_on_a_phone(browser, browser_page, client_for, live_server, tree, admin_user):  # type: ignore[no-untyped-def]
    round_ = past_round(tree.province)
    me, key = make_contestant(round_.contest, tree.commune_b1, name="Giàng A Lử")
    entry(round_, person(round_, tree.commune_a1, "Nguyễn Thị Hoa"), score=3, prediction=50)
    entry(round_, me, score=3, prediction=4)
    entry(round_, person(round_, tree.commune_b1, "Trần Văn Bình"), score=1, prediction=3)
    User.objects.filter(pk=admin_user.pk).update(language=os.environ.get("LANTOA_SHOT_LANGUAGE", "en"))

    page = browser_page
    page.goto("/accounts/login/")
    cookie = client_for(admin_user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto(f"/contests/rounds/{round_.pk}/")
    page.get_by_test_id("round-results").click()
    ranking = page.get_by_test_id("results-ranking")
    expect(ranking.locator("tbody tr")).to_have_count(3)
    page.locator("#id_actual").fill("4")
    page.get_by_test_id("results-close-button").click()
    expect(page.get_by_test_id("results-state")).to_have_class(re.compile("text-bg-success"))
    first = ranking.locator("tbody tr").first
    expect(first).to_contain_text("Giàng A Lử")  # equal score, the closer prediction
    expect(page.get_by_test_id("results-units")).to_contain_text("Bảo Yên")
    assert RoundResult.objects.filter(round=round_).count() == 3
    _shot(page, "results-organiser.png")
    page.get_by_test_id("results-publish").click()

    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    phone.set_default_timeout(10_000)
    try:
        mine = phone.new_page()
        mine.goto(f"/contests/play/me/{token_for(key)}/")
        standing = mine.get_by_test_id("play-standing")
        expect(standing).to_contain_text("1")
        assert mine.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        _shot(mine, "results-contestant-phone.png")
        mine.goto(f"/contests/play/results/{round_.pk}/")
        expect(mine.get_by_test_id("public-ranking")).to_contain_text("Giàng A Lử")
        assert mine.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        _shot(mine, "results-public-phone.png")
    finally:
        phone.close()
