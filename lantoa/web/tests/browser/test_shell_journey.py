"""The shell end to end: log in, My work, language, working unit, tree, log out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lantoa.accounts.services import assignment_create
from lantoa.accounts.tests.factories import PASSWORD, make_user
from lantoa.org.tests.factories import make_unit
from lantoa.web.tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(tree):  # type: ignore[no-untyped-def]
    """An officer of commune A1 who may also read district B (where a cell sits two levels down)."""
    make_unit(kind="party_cell", parent=tree.commune_b1, name="Chi bộ thôn Nậm Sài", code="P-B-1-C1")
    user = make_user(role="officer", unit=tree.commune_a1, username="officer_journey", language="vi")
    assignment_create(by=None, user=user, unit=tree.district_b, role="inspector", valid_from=tree.province.opened_on)
    return user


def log_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_shell_journey(browser_page, officer, tree):  # type: ignore[no-untyped-def]
    page = browser_page
    log_in(page, officer.username)

    # The dashboard with My work first, in the user's saved language (Vietnamese); htmx and
    # Bootstrap are served.
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.wait_for_load_state()  # the dashboard's deferred scripts have run
    assert page.evaluate("typeof window.htmx") == "object"
    breadcrumbs = page.get_by_test_id("unit-breadcrumbs")
    expect(breadcrumbs).to_contain_text(tree.district_b.name)

    # Switch to English with the footer (the select submits itself) and back.
    with page.expect_navigation():
        page.get_by_test_id("language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2).first).to_have_text("My work")
    page.reload()  # saved on the account, so it holds on the next request
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.get_by_test_id("language-select").select_option("vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # Switch the working unit: options come from the server as the user types.
    switcher = page.get_by_test_id("unit-switcher")
    with page.expect_response(lambda response: "/unit/options/" in response.url):
        switcher.press_sequentially("Phìn")
    expect(page.locator(f'#switch-unit-options option[value="{tree.cell_a1.code}"]')).to_have_count(1)
    switcher.fill(tree.cell_a1.code)
    with page.expect_navigation():
        switcher.press("Enter")
    expect(breadcrumbs).to_contain_text(tree.commune_a1.name)
    expect(breadcrumbs.locator("li").last).to_have_text(tree.cell_a1.name)
    expect(page.get_by_test_id("flash")).to_contain_text(tree.cell_a1.name)

    # The tree: one level drawn with the page, deeper levels loaded when a node is opened.
    page.goto("/org/")
    node = page.locator(f'details[data-unit="{tree.commune_b1.code}"]')
    expect(node).to_be_visible()
    expect(page.locator('details[data-unit="P-B-1-C1"]')).to_have_count(0)
    with page.expect_response(lambda response: f"/org/units/{tree.commune_b1.code}/children/" in response.url):
        node.locator("summary").click(position={"x": 4, "y": 8})
    expect(node.locator('details[data-unit="P-B-1-C1"]')).to_contain_text("Chi bộ thôn Nậm Sài")

    # Search without diacritics.
    page.get_by_label("Tìm đơn vị").fill("nam sai")
    page.get_by_label("Tìm đơn vị").press("Enter")
    expect(page.get_by_test_id("unit-search-results")).to_contain_text("Chi bộ thôn Nậm Sài")

    # Log out from the user menu.
    page.get_by_test_id("user-menu").click()
    with page.expect_navigation():
        page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_test_id("user-menu")).to_have_count(0)


@pytest.mark.parametrize("browser_page", [PHONE], indirect=True, ids=["phone"])
def test_login_page_fits_a_phone(browser_page, db):  # type: ignore[no-untyped-def]
    page = browser_page
    page.goto("/accounts/login/")

    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
