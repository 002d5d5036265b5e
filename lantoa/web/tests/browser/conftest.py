"""Browser tests: Playwright's sync API driving Debian's Chromium against the live server.

The fixtures live in :mod:`lantoa.web.tests.browser.fixtures`, shared by every app; its
``browser`` fixture allows Django's "async-unsafe" database access while Playwright's event
loop runs, for the browser tests alone (importing a conftest sets nothing process-wide).
"""

from __future__ import annotations

from lantoa.web.tests.browser.fixtures import CHROMIUM_ARGS, DESKTOP, PHONE, chromium_path

__all__ = ["CHROMIUM_ARGS", "DESKTOP", "PHONE", "chromium_path"]
