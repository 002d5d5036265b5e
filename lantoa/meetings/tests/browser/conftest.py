"""Browser journeys of conferences (fixtures: :mod:`lantoa.web.tests.browser.fixtures`).

Playwright's sync API runs an event loop in the test thread, which makes Django refuse
database access as "async-unsafe"; this conftest allows it, as the other journeys' do.
"""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
