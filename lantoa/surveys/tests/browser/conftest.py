"""Browser journeys of surveys (fixtures: :mod:`lantoa.web.tests.browser.fixtures`).

The ``browser`` fixture allows Django's "async-unsafe" database access while Playwright's
event loop runs, for the browser tests alone.
"""
