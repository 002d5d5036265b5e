"""The conference kinds come from a data migration; a test database flushed by an earlier
transactional test (the browser journeys, the demo) has lost them, so every test gets them back."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def conference_kinds(request: pytest.FixtureRequest) -> None:
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not uses_db:
        return
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("db")
    from lantoa.meetings.defaults import load_defaults
    from lantoa.meetings.models import ConferenceKind

    load_defaults(ConferenceKind)
