"""Browser journeys of the dashboard (fixtures: :mod:`lantoa.web.tests.browser.fixtures`)."""
