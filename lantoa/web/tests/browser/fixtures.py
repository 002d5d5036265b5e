"""Browser test fixtures: Playwright's sync API driving Debian's Chromium against the live server.

Registered once for the whole suite (``pytest_plugins`` in the root ``conftest.py``) so that
every app's browser journeys share these fixtures. Playwright's sync API runs an event loop
in the test thread for as long as it is started, and Django refuses database access while a
loop runs ("async-unsafe"). So Playwright lives for one browser test folder at a time
(``scope="package"``: those folders hold only browser tests), and Django's
``DJANGO_ALLOW_ASYNC_UNSAFE`` is set exactly while it lives, never for the other tests.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str | None:
    candidate = os.environ.get("LANTOA_CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).is_file():
        return candidate
    return shutil.which(candidate)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@contextmanager
def async_unsafe_allowed() -> Iterator[None]:
    """Allow Django's database access while Playwright's event loop runs, and only then."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser() -> Generator[Any]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium not found: install Debian's chromium or set LANTOA_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with async_unsafe_allowed(), sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_console() -> list[str]:
    """Console messages and page errors of the test's page (filled by ``browser_page``)."""
    return []


@pytest.fixture
def browser_page(
    request: pytest.FixtureRequest, browser: Any, live_server: Any, browser_console: list[str]
) -> Generator[Any]:
    """A page in a fresh browser context, its base URL the live server.

    Parametrize indirectly with a viewport (``PHONE``) for another screen size. A screenshot
    of a failed test is saved in ``test-artifacts/``; any Content-Security-Policy violation
    reported by the browser fails the test."""
    viewport = getattr(request, "param", None) or DESKTOP
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda message: browser_console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: browser_console.append(f"pageerror: {error}"))
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        artifacts = Path(request.config.rootpath) / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    context.close()
    violations = [m for m in browser_console if "Content Security Policy" in m or m.startswith("pageerror")]
    if violations:
        pytest.fail("The browser reported:\n" + "\n".join(violations))
