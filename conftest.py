"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from lantoa.accounts.tests.factories import make_user
from lantoa.org.tests.factories import Tree, make_tree

# Browser fixtures (Chromium through Playwright), registered once so every app's journeys share
# one Playwright session.
pytest_plugins = ["lantoa.web.tests.browser.fixtures"]

# Property tests: a quick, reproducible profile for CI and make test; more examples on demand
# (HYPOTHESIS_PROFILE=thorough make test).
hypothesis_settings.register_profile("ci", max_examples=15, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("thorough", max_examples=300)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def default_language():  # type: ignore[no-untyped-def]
    """Each test starts in the site's language: a request or an override that a test left
    active would otherwise change the messages the next test reads."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_request_limits() -> None:
    """Each test starts with no request counted against the public limits: the counts live in
    the worker process's memory for ten minutes, so builds of the demo by earlier tests (which
    request one-time codes for the same phones) would otherwise push a later build over them."""
    from lantoa.core import ratelimit

    ratelimit.reset()


@pytest.fixture(autouse=True)
def default_kinds(request: pytest.FixtureRequest) -> None:
    """Every registered kind (:mod:`lantoa.core.kinds`) for every test that uses the database.

    Data migrations seed them, but a transactional test (the browser journeys, the demo)
    flushes the test database, so a test after it would find none."""
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not uses_db:
        return
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("db")
    from django.apps import apps

    from lantoa.core.kinds import seed_all_kinds

    seed_all_kinds(apps.get_model)


@pytest.fixture(scope="module")
def register_test_indicators():  # type: ignore[no-untyped-def]
    """``register_test_indicators(*sources_and_indicators)`` registers test-only record sources
    and indicators for one test module (request it from a module-scoped autouse fixture). The
    registry is restored when the module is done, so production code never lists them and
    never has to filter them out."""
    from lantoa.core import indicators

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(indicators, "_sources", dict(indicators._sources))
        patch.setattr(indicators, "_indicators", dict(indicators._indicators))

        def register(*items: indicators.RecordSource | indicators.Indicator) -> None:
            for item in items:
                if isinstance(item, indicators.RecordSource):
                    indicators.register_source(item)
                else:
                    indicators.register_indicator(item)

        yield register


@pytest.fixture
def tree(db) -> Tree:  # type: ignore[no-untyped-def]
    return make_tree()


@pytest.fixture
def admin_user(tree):  # type: ignore[no-untyped-def]
    return make_user(role="administrator", unit=tree.province, username="admin")


@pytest.fixture
def officer_a(tree):  # type: ignore[no-untyped-def]
    """An officer of commune A1 (in district A)."""
    return make_user(role="officer", unit=tree.commune_a1, username="officer_a")


@pytest.fixture
def inspector(tree):  # type: ignore[no-untyped-def]
    return make_user(role="inspector", unit=tree.province, username="inspector")


@pytest.fixture
def client_for():  # type: ignore[no-untyped-def]
    """``client_for(user)`` → a test client signed in as ``user`` (second factor confirmed)."""

    def build(user, *, verified: bool = True) -> Client:  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(user)
        if verified:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return build
