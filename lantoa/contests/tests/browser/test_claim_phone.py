"""A prize winner on a phone (390×844): from their page to the claim form, sends how the prize is
paid, and sees it received with the account masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from lantoa.contests.models import PrizeClaim
from lantoa.contests.services import round_close
from lantoa.contests.tests.factories import make_contestant
from lantoa.contests.tests.results_data import entry, past_round
from lantoa.contests.views.play import token_for
from lantoa.web.tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def test_claim_a_prize_on_a_phone(browser, live_server, tree):  # type: ignore[no-untyped-def]
    round_ = past_round(tree.province)
    winner, key = make_contestant(round_.contest, tree.commune_a1, name="Giàng A Lử")
    entry(round_, winner, score=3, prediction=1)
    round_close(by=None, round_=round_, actual=1)
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = page.goto(f"/contests/play/me/{token_for(key)}/")
        assert response is not None and response.ok
        page.get_by_test_id("play-claim-link").tap()
        expect(page.get_by_test_id("play-claim-form")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        page.locator("#id_payee_name").fill("GIANG A LU")
        page.locator("#id_bank_account").fill("0301 0001 23456")
        page.locator("#id_bank_name").fill("Agribank Lào Cai")
        page.locator("#id_phone").fill("0912 345 678")
        page.get_by_test_id("play-claim-send").tap()
        expect(page.get_by_test_id("play-claim-sent")).to_be_visible()
        expect(page.get_by_test_id("play-claim")).to_contain_text("••••3456")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "contests-claim-phone.png"), full_page=True)
        assert PrizeClaim.objects.get().bank_account == "0301000123456"
        assert errors == []
    finally:
        context.close()
