"""Django's async-unsafe flag belongs to the browser tests alone."""

from __future__ import annotations

import importlib
import os

import pytest

from lantoa.web.tests.browser.fixtures import async_unsafe_allowed

BROWSER_CONFTESTS = [f"lantoa.{app}.tests.browser.conftest" for app in ("web", "org", "library", "meetings", "people")]


@pytest.mark.parametrize("module", BROWSER_CONFTESTS)
def test_loading_a_browser_conftest_leaves_the_flag_unset(monkeypatch, module):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    importlib.reload(importlib.import_module(module))
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ


def test_the_flag_is_set_only_while_playwright_may_run(monkeypatch):
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    with async_unsafe_allowed():
        assert os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] == "true"
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
