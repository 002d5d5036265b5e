"""A server process loads its URLconf and freezes its start-up objects before its first request."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterator

import pytest
from django.urls import get_resolver
from django.urls.resolvers import _get_cached_resolver  # type: ignore[attr-defined]

from lantoa.core.startup import warm_up


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test run collects as usual


def test_warm_up_freezes_what_exists_and_loads_every_url(unfrozen):
    _get_cached_resolver.cache_clear()  # a resolver never asked, as in a fresh process
    assert not get_resolver()._populated
    assert gc.get_freeze_count() == 0
    warm_up()
    assert gc.get_freeze_count() > 10_000
    assert get_resolver()._populated  # the first page's reverse() no longer builds the table


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_entry_points_warm_up(unfrozen, module):
    import sys

    sys.modules.pop(module, None)
    importlib.import_module(module)
    assert gc.get_freeze_count() > 10_000
