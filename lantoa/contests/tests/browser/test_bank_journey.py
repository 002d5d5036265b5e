"""An officer creates a question bank, writes a multiple-select question while the preview
shows it as a contestant will see it (without the answer key), saves it and finds it in the
bank."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.models import User
from lantoa.contests.models import Kind, Question, QuestionBank

pytestmark = pytest.mark.browser


def _sign_in(page, client_for, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_create_a_question_and_see_its_preview(browser, browser_page, client_for, live_server, tree, officer_a):  # type: ignore[no-untyped-def]
    User.objects.filter(pk=officer_a.pk).update(language="en")
    page = browser_page
    _sign_in(page, client_for, live_server, officer_a)

    page.goto("/contests/")
    page.get_by_test_id("bank-new").click()
    form = page.get_by_test_id("bank-form")
    form.locator('[name="unit"]').fill(tree.commune_a1.code)
    form.locator('[name="name"]').fill("Ngân hàng câu hỏi Nghị quyết Đại hội XIII")
    page.get_by_test_id("bank-save").click()
    expect(page.get_by_test_id("bank-name")).to_have_text("Ngân hàng câu hỏi Nghị quyết Đại hội XIII")

    page.get_by_test_id("question-new").click()
    form = page.get_by_test_id("question-form")
    form.locator('[name="kind"]').select_option(Kind.MULTIPLE)
    form.locator('[name="stem"]').fill("Đại hội XIII xác định những đột phá chiến lược nào?")
    form.locator('[name="option_a"]').fill("Hoàn thiện đồng bộ thể chế phát triển")
    form.locator('[name="option_b"]').fill("Phát triển nguồn nhân lực")
    form.locator('[name="option_c"]').fill("Tăng dân số đô thị")
    form.get_by_label("A", exact=True).check()
    form.get_by_label("B", exact=True).check()
    form.locator('[name="tags"]').fill("Chương 2")

    # The preview follows the typing: the question and its options as a contestant sees them.
    contestant = page.get_by_test_id("contestant-view")
    expect(contestant.get_by_test_id("preview-stem")).to_have_text(
        "Đại hội XIII xác định những đột phá chiến lược nào?"
    )
    expect(contestant.locator('input[type="checkbox"]')).to_have_count(3)
    expect(contestant).to_contain_text("C. Tăng dân số đô thị")
    expect(contestant.locator("input:checked")).to_have_count(0)
    expect(page.get_by_test_id("answer-key")).to_contain_text("A, B")

    page.get_by_test_id("question-save").click()
    expect(page.get_by_test_id("question-row")).to_have_count(1)
    question = Question.objects.get(bank=QuestionBank.objects.get())
    assert question.current is not None
    assert (question.current.kind, question.current.correct) == (Kind.MULTIPLE, ["A", "B"])
