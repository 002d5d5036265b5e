"""A manager merges two communes in the wizard: preview (nothing changes), then apply."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from lantoa.accounts.tests.factories import make_user
from lantoa.org.models import RestructuringEvent, Unit

pytestmark = pytest.mark.browser


def test_merge_two_communes_in_the_wizard(browser_page, client_for, live_server, tree):  # type: ignore[no-untyped-def]
    page = browser_page
    manager = make_user(role="manager", unit=tree.province, username="manager_journey")
    page.goto("/accounts/login/")
    cookie = client_for(manager).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])

    # From the unit page to the wizard.
    page.goto(f"/org/units/{tree.commune_a1.code}/")
    page.get_by_test_id("restructure-link").click()
    expect(page.get_by_test_id("restructure-step1")).to_be_visible()
    page.locator('input[name="kind"][value="merge"]').check()
    page.locator('input[name="effective_on"]').fill("2025-07-01")
    page.locator('input[name="legal_basis"]').fill("Nghị quyết 1673/NQ-UBTVQH15")
    page.locator('[data-testid="restructure-step1"] button[type="submit"]').click()

    # Step 2: the unit is already the first to merge; the second is found as one types.
    form = page.get_by_test_id("restructure-form")
    expect(form.locator('input[name="p-predecessor_1"]')).to_have_value(tree.commune_a1.code)
    second = form.locator('input[name="p-predecessor_2"]')
    with page.expect_response(lambda response: "/org/unit-options/" in response.url):
        second.press_sequentially("Lương")
    expect(page.locator(f'#unit-code-options option[value="{tree.commune_b1.code}"]')).to_have_count(1)
    second.fill(tree.commune_b1.code)
    form.locator('input[name="p-new_code"]').fill("P-N")
    form.locator('input[name="p-new_name"]').fill("Đảng bộ xã Hợp Nhất")
    form.locator('input[name="p-new_parent"]').fill(tree.district_a.code)

    # Preview: the report lists what would happen; nothing has changed.
    page.get_by_test_id("preview").click()
    report = page.get_by_test_id("event-report")
    expect(report).to_contain_text("P-N")
    expect(page.get_by_test_id("report-closed")).to_contain_text(tree.commune_b1.name)
    expect(page.get_by_test_id("report-moved")).to_contain_text(tree.cell_a1.code)
    expect(form.locator('input[name="p-predecessor_2"]')).to_have_value(tree.commune_b1.code)  # state kept
    assert RestructuringEvent.objects.count() == 0
    assert not Unit.objects.filter(code="P-N").exists()

    # Apply: back on the unit page, which now names its successor.
    page.get_by_test_id("apply").click()
    expect(page).to_have_url(re.compile(rf"/org/units/{tree.commune_a1.code}/$"))
    expect(page.get_by_test_id("flash")).to_contain_text("P-N")
    successors = page.get_by_test_id("unit-successors")
    expect(successors).to_contain_text("Đảng bộ xã Hợp Nhất")
    assert RestructuringEvent.objects.get().legal_basis == "Nghị quyết 1673/NQ-UBTVQH15"

    # The new unit lists both predecessors.
    successors.get_by_role("link", name="Đảng bộ xã Hợp Nhất").click()
    predecessors = page.get_by_test_id("unit-predecessors")
    expect(predecessors).to_contain_text(tree.commune_a1.name)
    expect(predecessors).to_contain_text(tree.commune_b1.name)
