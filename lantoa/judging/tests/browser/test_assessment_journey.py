"""A commune's officer self-assesses on a phone, the district verifies with a changed score and
its reason, and the commune sees the result and its history."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.tests.factories import make_user
from lantoa.judging.assessments.models import AssessmentStatus
from lantoa.judging.assessments.services import SubjectData
from lantoa.judging.tests.assessment_helpers import make_campaign
from lantoa.plans.tests.factories import pdf_bytes

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _sign_in(page, client_for, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.mark.parametrize("browser_page", [PHONE], indirect=True)
def test_self_assessment_on_a_phone_then_verification(  # type: ignore[no-untyped-def]
    browser, browser_page, client_for, live_server, tree, officer_a
):
    campaign = make_campaign(tree.district_a, [SubjectData(tree.commune_a1)])
    assessment = campaign.assessments.get()
    page = browser_page
    _sign_in(page, client_for, live_server, officer_a)
    page.goto("/judging/assessments/")
    page.get_by_role("link", name=campaign.title).click()
    expect(page.get_by_test_id("campaign-counts")).to_contain_text("1 đang tự đánh giá")
    page.get_by_test_id("campaign-board").get_by_role("link", name="Đảng bộ xã Quang Kim").click()
    # The evidence file first (its own form), for the second criterion.
    evidence = page.get_by_test_id("evidence-form")
    evidence.locator("select[name=criterion]").select_option(index=1)
    evidence.locator("input[type=file]").set_input_files(
        {"name": "nghi-quyet.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Nghi quyet chuyen de")}
    )
    page.get_by_test_id("evidence-add").click()
    expect(page.get_by_test_id("evidence-files")).to_contain_text("nghi-quyet.pdf")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    form = page.get_by_test_id("self-form")
    scores = form.locator("input.form-control-lg")
    for index, value in enumerate(["8", "6", "9"]):
        scores.nth(index).fill(value)
    form.locator("textarea[name=evidence]").fill("https://xa.example.vn/bao-cao-dan-van.pdf")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("self-submit").click()
    expect(page.get_by_test_id("assessment-status")).to_have_text("Chờ thẩm định")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    _sign_in(page, client_for, live_server, make_user(role="officer", unit=tree.district_a, username="huyen"))
    page.goto(f"/judging/assessments/subjects/{assessment.pk}/")
    verify = page.get_by_test_id("verify-form")
    verify.locator("input[name^=criterion_]").nth(0).fill("6")
    page.get_by_test_id("verify-submit").click()
    expect(page.get_by_test_id("assessment-error")).to_contain_text("lý do")
    verify.locator("input[name^=reason_]").nth(0).fill("Chưa có nghị quyết chuyên đề")
    page.get_by_test_id("verify-submit").click()
    expect(page.get_by_test_id("assessment-result")).to_contain_text("Không đạt: điểm thẩm định 66 / 100.")

    _sign_in(page, client_for, live_server, officer_a)
    page.goto("/judging/assessments/units/P-A-1/")
    expect(page.get_by_test_id("assessment-history")).to_contain_text("Không đạt")
