"""Browser tests: Playwright's sync API driving Debian's Chromium against the live server.

Playwright's sync API runs an event loop in the test thread, which makes Django refuse
database access as "async-unsafe"; this conftest (and the other browser folders' ones) allows
it. The fixtures live in :mod:`lantoa.web.tests.browser.fixtures`, shared by every app.
"""

from __future__ import annotations

import os

from lantoa.web.tests.browser.fixtures import CHROMIUM_ARGS, DESKTOP, PHONE, chromium_path

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

__all__ = ["CHROMIUM_ARGS", "DESKTOP", "PHONE", "chromium_path"]
