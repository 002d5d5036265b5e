"""An organiser builds a survey on the pages, opens it, issues cards for a commune and prints them;
someone answers on a phone by scanning a card (no sign-in, no cookie, no script); the organiser
reads the response rate and the results, where a small group's cell is hidden."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect
from pypdf import PdfReader

from lantoa.accounts.models import User
from lantoa.accounts.tests.factories import make_user
from lantoa.core import ratelimit
from lantoa.surveys import services
from lantoa.surveys.cards import PER_PAGE
from lantoa.surveys.models import Answer, QuestionKind, Survey, Token
from lantoa.surveys.tests.factories import today
from lantoa.web.tests.browser.fixtures import PHONE

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[4] / "test-artifacts"
CARDS = 14  # two A4 sheets: 12 cards, then 2


@pytest.fixture(autouse=True)
def _fresh_limits():  # type: ignore[no-untyped-def]
    ratelimit.reset()
    yield
    ratelimit.reset()


def _sign_in(page, client_for, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def _answers(survey: Survey) -> dict[int, list[str]]:
    """One respondent's answers to every question but the free text."""
    values: dict[int, list[str]] = {}
    for version in services.current_versions(survey):
        options = [str(option.pk) for option in version.options.all()]
        if version.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            values[version.question_id] = options[:1]
        elif version.kind == QuestionKind.RATING:
            values[version.question_id] = ["4"]
        elif version.kind == QuestionKind.NUMBER:
            values[version.question_id] = [str(version.minimum or 0)]
    return values


def _answer_elsewhere(survey: Survey, unit: Any, count: int) -> None:
    """Cards of other units answered through the service, so that some groups are large."""
    batch = services.batch_issue(by=None, survey=survey, unit=unit, size=count)
    for code in batch.tokens.values_list("code", flat=True):
        services.answer_with_token(code=code, values=_answers(survey))


def _phone(browser, live_server, locale: str, console: list[str]):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale=locale
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    return context, page


def _fill_answer_form(page) -> None:  # type: ignore[no-untyped-def]
    """Tap the first choice of every choice question and type a number where one is asked."""
    questions = page.get_by_test_id("survey-form").locator("fieldset.choices")
    for index in range(questions.count()):
        question = questions.nth(index)
        choices = question.locator("label.choice")
        if choices.count():
            choices.first.tap()
        elif question.locator('input[inputmode="numeric"]').count():
            question.locator('input[inputmode="numeric"]').fill("2")


def test_build_print_answer_on_a_phone_and_read_suppressed_results(  # type: ignore[no-untyped-def]
    browser, browser_page, browser_console, client_for, live_server, tree
):
    organiser = make_user(role="officer", unit=tree.province, username="organiser")
    page = browser_page
    _sign_in(page, client_for, live_server, organiser)

    # Build: a survey from the study-conference questionnaire, plus a section and a question.
    page.goto("/surveys/new/")
    page.locator("#id_owner").fill(tree.province.code)
    page.locator("#id_audience_root").fill(tree.province.code)
    page.locator("#id_title_vi").fill("Khảo sát sau hội nghị học tập")
    page.locator("#id_title_en").fill("Survey after the study conference")
    page.locator("#id_opens_on").fill((today() - dt.timedelta(days=1)).isoformat())
    page.locator("#id_closes_on").fill((today() + dt.timedelta(days=30)).isoformat())
    page.locator("#id_template").select_option("study_conference")
    page.get_by_test_id("survey-edit-form").locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Khảo sát sau hội nghị học tập")
    survey = Survey.objects.get(title_vi="Khảo sát sau hội nghị học tập")
    templated = len(services.current_versions(survey))
    assert templated >= 3

    page.locator("#id_title_vi").fill("Phần bổ sung")
    page.locator("#id_title_en").fill("More")
    page.get_by_role("button", name="Thêm phần").click()
    page.locator("section", has_text="Phần bổ sung").get_by_role("link", name="Thêm câu hỏi").click()
    page.locator("#id_kind").select_option(QuestionKind.RATING)
    page.locator("#id_text_vi").fill("Mức độ hài lòng với tài liệu")
    page.locator("#id_text_en").fill("Satisfaction with the handbook")
    page.locator("#id_scale").fill("5")
    page.locator("#id_required").check()
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("section", has_text="Phần bổ sung")).to_contain_text("Mức độ hài lòng với tài liệu")
    assert len(services.current_versions(survey)) == templated + 1

    # The new section goes first, under a clearer title.
    for _ in range(2):  # below the template's two sections
        page.get_by_role("button", name="Chuyển phần Phần bổ sung lên").click()
    added = page.locator("section", has_text="Phần bổ sung")
    added.get_by_role("link", name="Đổi tên").click()
    page.locator("#id_title_vi").fill("Tài liệu hội nghị")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator("section h3").first).to_have_text("Tài liệu hội nghị")
    assert services.current_versions(survey)[0].text_vi == "Mức độ hài lòng với tài liệu"

    # Open it, then issue a batch of cards for a commune and print them.
    page.get_by_role("button", name="Mở nhận trả lời").click()
    expect(page.get_by_test_id("survey-status")).to_have_text("Đang mở")
    page.locator("#id_unit").select_option(str(tree.commune_a1.pk))
    page.locator("#id_size").fill(str(CARDS))
    page.get_by_role("button", name="Phát mã phiếu").click()
    batches = page.get_by_test_id("batch-list")
    expect(batches).to_contain_text(tree.commune_a1.name)
    with page.expect_download() as download:
        batches.get_by_role("link", name="In mã phiếu (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == -(-CARDS // PER_PAGE) == 2
    codes = list(Token.objects.filter(batch__survey=survey).values_list("code", flat=True))
    assert len(codes) == CARDS

    _answer_elsewhere(survey, tree.commune_b1, 15)
    _answer_elsewhere(survey, tree.agency_cell, 12)

    # A phone scans a card: the QR code opens /s/<code>. No sign-in, no cookie.
    phone_console: list[str] = []
    context, phone = _phone(browser, live_server, "vi-VN", phone_console)
    try:
        response = phone.goto(f"/s/{codes[0]}")
        assert response is not None and response.ok
        expect(phone.locator("h1")).to_have_text("Khảo sát sau hội nghị học tập")
        expect(phone.locator("script")).to_have_count(0)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        _fill_answer_form(phone)
        SHOTS.mkdir(exist_ok=True)
        phone.screenshot(path=str(SHOTS / "surveys-answer-phone-vi.png"), full_page=True)
        phone.get_by_test_id("survey-submit").tap()
        expect(phone.get_by_test_id("survey-done")).to_contain_text("Cảm ơn")
        again = phone.goto(f"/s/{codes[0]}")
        assert again is not None and again.status == 409
        expect(phone.get_by_test_id("survey-message")).to_contain_text("Phiếu này đã được sử dụng")
        assert context.cookies() == []
    finally:
        context.close()

    # The same page in English, on a second card (left unanswered).
    context, phone = _phone(browser, live_server, "en-GB", phone_console)
    try:
        phone.goto(f"/s/{codes[1]}")
        expect(phone.locator("h1")).to_have_text("Survey after the study conference")
        phone.screenshot(path=str(SHOTS / "surveys-answer-phone-en.png"), full_page=True)
        assert context.cookies() == []
    finally:
        context.close()
    # The second visit's 409 ("already used") is the one failed load expected.
    expected = "error: Failed to load resource: the server responded with a status of 409 (Conflict)"
    assert phone_console.count(expected) == 1, phone_console
    problems = [
        m
        for m in phone_console
        if m != expected and (m.startswith(("error", "pageerror")) or "Content Security Policy" in m)
    ]
    assert not problems, problems
    assert Answer.objects.filter(survey=survey).count() == 1 + 15 + 12
    assert Answer.objects.filter(survey=survey, unit=tree.commune_a1).count() == 1

    # The organiser reads the response rate and the results: the commune's one answer is hidden.
    issued, answered = CARDS + 15 + 12, 1 + 15 + 12
    rate = f"{100 * answered / issued:.1f}"
    for language, decimal in (("vi", ","), ("en", ".")):
        User.objects.filter(pk=organiser.pk).update(language=language)
        _sign_in(page, client_for, live_server, organiser)
        page.goto(f"/surveys/{survey.pk}/results/")
        expect(page.get_by_test_id("legend")).to_contain_text("—")
        rates = page.get_by_test_id("rates")
        whole = rates.locator("tbody tr").first
        expect(whole).to_contain_text(str(issued))
        expect(whole).to_contain_text(f"{rate.replace('.', decimal)} %")
        district = rates.locator("tbody tr", has_text=tree.district_a.name)
        expect(district).to_contain_text(f"{100 * 1 / CARDS:.1f} %".replace(".", decimal))
        table = page.locator("section[data-testid^=result-] table").first
        hidden = table.locator("tbody tr", has_text=tree.district_a.name).locator("td span", has_text="—")
        expect(hidden.first).to_be_visible()
        expect(table.locator("tbody tr", has_text=tree.district_b.name)).to_contain_text("15")
        page.screenshot(path=str(SHOTS / f"surveys-results-{language}.png"), full_page=True)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("legend")).to_contain_text("fewer than 10 answers")
    assert not [m for m in browser_console if m.startswith("error")], browser_console
