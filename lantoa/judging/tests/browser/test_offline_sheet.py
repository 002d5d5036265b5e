"""A juror scores on a phone with a weak connection: scores typed while offline are kept on the
device and shown as not yet sent, come back into the page when it is opened again, and are sent
when the connection returns."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.judging import services
from lantoa.judging.models import Score, ScoreSheet
from lantoa.judging.tests.factories import make_competition, make_entry, make_juror, make_rubric, make_stage

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _sign_in(page, client_for, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.mark.parametrize("browser_page", [PHONE], indirect=True)
def test_scores_typed_offline_are_kept_and_sent_when_the_connection_returns(  # type: ignore[no-untyped-def]
    browser, browser_page, client_for, live_server, tree
):
    stage = make_stage(make_competition(tree.province), make_rubric(tree.province), jurors_per_entry=1)
    juror = make_juror(stage, tree.province)
    make_entry(stage.competition, tree.commune_a1, title="Bài nói về Nghị quyết XIII")
    services.stage_assign(by=None, stage=stage)
    sheet = ScoreSheet.objects.get()
    page = browser_page
    _sign_in(page, client_for, live_server, juror.user)
    page.goto(f"/judging/sheets/{sheet.pk}/")
    form = page.get_by_test_id("score-sheet")
    fields = form.locator("input.form-control")
    fields.nth(0).fill("9")
    fields.nth(0).press("Tab")
    expect(form.locator(".text-success").first).to_have_text("Đã lưu")

    page.context.set_offline(True)
    fields.nth(1).fill("8,5")
    fields.nth(1).press("Tab")
    expect(form.locator("[data-pending]").first).to_contain_text("Chưa gửi")
    assert Score.objects.filter(sheet=sheet).count() == 1

    # The connection returns only for pages: the scores still cannot reach the server.
    page.route("**/scores/**", lambda route: route.abort())
    page.context.set_offline(False)
    page.reload()
    expect(fields.nth(1)).to_have_value("8,5")
    expect(form.locator("[data-pending]").first).to_contain_text("Chưa gửi")

    page.unroute("**/scores/**")
    expect(form.locator(".text-success")).to_have_count(1, timeout=15_000)
    expect(form.locator("[data-pending]")).to_have_count(0)
    assert sorted(str(v) for v in Score.objects.filter(sheet=sheet).values_list("value", flat=True)) == ["8.50", "9.00"]
    page.reload()
    expect(fields.nth(1)).to_have_value("8.5")
    assert page.evaluate("Object.keys(window.localStorage).filter(k => k.startsWith('lantoa.judging'))") == []
