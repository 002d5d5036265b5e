"""Three jurors score two entries on a tablet, each score saved as it is typed; the chair then
computes the stage's results and sees the ranking."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.models import User
from lantoa.judging import services
from lantoa.judging.models import ScoreSheet
from lantoa.judging.tests.factories import make_competition, make_entry, make_juror, make_rubric, make_stage

pytestmark = pytest.mark.browser
TABLET = {"width": 820, "height": 1180}


def _sign_in(page, client_for, live_server, user) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    cookie = client_for(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.mark.parametrize("browser_page", [TABLET], indirect=True)
def test_three_jurors_score_two_entries_and_the_chair_sees_the_results(  # type: ignore[no-untyped-def]
    browser, browser_page, client_for, live_server, tree
):
    stage = make_stage(make_competition(tree.province, kind="staged"), make_rubric(tree.province), jurors_per_entry=3)
    jurors = [
        make_juror(stage, tree.province, role="chair"),
        make_juror(stage, tree.bloc),
        make_juror(stage, tree.district_b),
    ]
    make_entry(stage.competition, tree.commune_a1, title="Đội xã Quang Kim")
    make_entry(stage.competition, tree.agency_cell, title="Đội Sở Tư pháp")
    services.stage_assign(by=None, stage=stage)
    User.objects.filter(pk__in=[j.user_id for j in jurors]).update(language="en")
    page = browser_page
    scores = {"Đội xã Quang Kim": ["9", "8.5", "9"], "Đội Sở Tư pháp": ["7", "7,5", "8"]}

    for juror in jurors:
        _sign_in(page, client_for, live_server, juror.user)
        page.goto("/judging/sheets/")
        expect(page.get_by_test_id("sheet-list").locator("li")).to_have_count(2)
        for title, values in scores.items():
            page.goto("/judging/sheets/")
            page.get_by_role("link", name=title).click()
            sheet = page.get_by_test_id("score-sheet")
            # htmx binds the fields' change event once the sheet's page has loaded: a score typed
            # before that was never posted, and the test waited for a "Saved" that could not come.
            expect(sheet).to_be_visible()
            page.wait_for_load_state("load")
            fields = sheet.locator("input.form-control")
            for index, value in enumerate(values):
                fields.nth(index).fill(value)
                fields.nth(index).press("Tab")  # change → htmx posts the score
                expect(sheet.locator(".text-success").nth(index)).to_have_text("Saved")
            page.get_by_test_id("sheet-submit").click()
            expect(page.get_by_test_id("sheet-list")).to_contain_text(title)
    assert ScoreSheet.objects.filter(status="submitted").count() == 6

    _sign_in(page, client_for, live_server, jurors[0].user)
    page.goto(f"/judging/stages/{stage.pk}/")
    expect(page.get_by_test_id("progress-count")).to_have_text("6 of 6 sheets submitted")
    page.get_by_test_id("stage-compute").click()
    rows = page.get_by_test_id("stage-results").locator("tbody tr")
    expect(rows.first).to_contain_text("Đội xã Quang Kim")
    expect(rows.first).to_contain_text("88.500")  # 40 × .9 + 30 × .85 + 30 × .9
    expect(rows.nth(1)).to_contain_text("74.500")  # 40 × .7 + 30 × .75 + 30 × .8
