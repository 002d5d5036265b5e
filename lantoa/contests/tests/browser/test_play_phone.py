"""A contestant on a phone (390×844): registers, starts a round, answers, submits and sees the
score. No sign-in and no cookie; the only script is the countdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lantoa.contests.models import Attempt, QuestionVersion
from lantoa.contests.tests.factories import make_contest, make_round, stock_bank
from lantoa.web.tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[4] / "test-artifacts"


def test_take_a_round_on_a_phone(browser, live_server, tree):  # type: ignore[no-untyped-def]
    bank = stock_bank(tree.province)
    contest = make_contest(tree.province, title="Tìm hiểu Nghị quyết Đại hội XIII")
    make_round(
        contest, bank, questions_per_attempt=5, prediction_kind="entries", prediction_prompt="Dự đoán số lượt thi?"
    )
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        response = page.goto(f"/contests/play/{contest.pk}/")
        assert response is not None and response.ok
        page.locator("#id_name").fill("Giàng A Lử")
        page.locator("#id_unit").select_option(str(tree.province.pk))
        page.locator("#id_group").select_option("party_member")
        expect(page.locator("#id_consent")).not_to_be_checked()
        page.locator("#id_consent").check()
        page.get_by_test_id("play-register").tap()
        expect(page.get_by_test_id("play-registered")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        page.get_by_test_id("play-start").first.tap()
        expect(page.get_by_test_id("play-question")).to_have_count(5)
        expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"^\d\d:\d\d$"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "contests-attempt-phone.png"), full_page=True)
        attempt = Attempt.objects.get()
        for i, (vid, order) in enumerate(attempt.questions):
            correct = QuestionVersion.objects.get(pk=vid).correct
            for position, key in enumerate(order):
                if key in correct:
                    page.locator(f"#q{i}{'ABCDEFGH'[position]}").check()
        page.get_by_test_id("play-prediction").fill("2500")
        page.get_by_test_id("play-submit").tap()
        expect(page.get_by_test_id("play-score")).to_have_text("5,00")
        page.screenshot(path=str(SHOTS / "contests-result-phone.png"), full_page=True)
        assert context.cookies() == [] or {c["name"] for c in context.cookies()} <= {"csrftoken"}
        assert errors == []
    finally:
        context.close()


def test_verify_the_e_mail_by_its_code_on_a_phone(browser, live_server, tree):  # type: ignore[no-untyped-def]
    from django.core import mail

    bank = stock_bank(tree.province)
    contest = make_contest(tree.province, title="Tìm hiểu lịch sử Đảng bộ tỉnh", ask_email=True, verify_email=True)
    make_round(contest, bank, questions_per_attempt=3)
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"/contests/play/{contest.pk}/")
        page.locator("#id_name").fill("Sùng Thị Mai")
        page.locator("#id_unit").select_option(str(tree.province.pk))
        page.locator("#id_group").select_option("party_member")
        page.locator("#id_email").fill("mai@example.org")
        page.locator("#id_consent").check()
        page.get_by_test_id("play-register").tap()
        expect(page.get_by_test_id("play-unverified")).to_be_visible()
        expect(page.get_by_test_id("play-start")).to_have_count(0)
        page.get_by_test_id("play-verify-link").tap()
        page.get_by_test_id("play-send-code").first.tap()
        expect(page.get_by_test_id("play-code-sent")).to_be_visible()
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
        assert code not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        page.locator("#id_code").fill(code)
        page.get_by_test_id("play-code-confirm").tap()
        expect(page.get_by_test_id("play-verified")).to_be_visible()
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "contests-verified-phone.png"), full_page=True)
        page.get_by_test_id("play-start").first.tap()
        expect(page.get_by_test_id("play-question")).to_have_count(3)
        assert errors == []
    finally:
        context.close()
