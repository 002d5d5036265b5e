"""The contests' caches start empty in every test: ids are reused after a test's rollback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from lantoa.contests import public_cache
from lantoa.core import ratelimit


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    public_cache.clear()
    cache.clear()
    ratelimit.reset()
    yield
    public_cache.clear()
    cache.clear()
    ratelimit.reset()
