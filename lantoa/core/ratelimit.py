"""Fixed-window counters for the limits of public endpoints (unknown codes, floods).

With Redis configured (``REDIS_URL``) the counts live in the shared cache: atomic increments
seen by every worker, no database work. Without it the default cache is the database, and a
counted request would be two more write transactions on SQLite's single writer; the counts then
live in the process's memory instead, so a limit holds per worker process (with W processes a
client may reach at most W times the limit before every worker refuses it). The limits that use
this are bounds against guessing and flooding, generous enough for that (see
docs/decisions/0039-public-request-path.md).

Keys are hashed with the secret key: neither the cache nor the memory holds a client address.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import threading
import time

from django.conf import settings
from django.core.cache import cache

_PRUNE_ABOVE = 10_000  # keys kept in memory before expired windows are dropped


def limit_key(bucket: str, client: str) -> str:
    """The key counting ``client`` in ``bucket``: Django's ``salted_hmac("lantoa.limit", client)``,
    with the salted key derived once per secret instead of at each of a request's two or three
    counts."""
    digest = hmac.new(_salted_key(settings.SECRET_KEY), client.encode(), hashlib.sha1).hexdigest()
    return "lantoa:limit:" + bucket + ":" + digest[:24]


@functools.lru_cache(maxsize=4)
def _salted_key(secret: str) -> bytes:
    return hashlib.sha1(("lantoa.limit" + secret).encode()).digest()  # noqa: S324 - salted_hmac's own derivation


class _MemoryWindows:
    """Counts per key for fixed windows, shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}
        self._prune_above = _PRUNE_ABOVE

    def hit(self, key: str, window: int, now: float) -> int:
        with self._lock:
            ends, count = self._windows.get(key, (0.0, 0))
            if ends <= now:
                ends, count = now + window, 0
            count += 1
            self._windows[key] = (ends, count)
            if len(self._windows) > self._prune_above:
                self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
                # Prune again once the live keys have doubled: with more live keys than the
                # threshold (a contest's thousands of contestants within one window), pruning at
                # every hit rebuilt the whole table each time.
                self._prune_above = max(_PRUNE_ABOVE, 2 * len(self._windows))
            return count

    def size(self) -> int:
        with self._lock:
            return len(self._windows)

    def peek(self, key: str, now: float) -> int:
        with self._lock:
            ends, count = self._windows.get(key, (0.0, 0))
            return count if ends > now else 0

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()
            self._prune_above = _PRUNE_ABOVE


_memory = _MemoryWindows()


def _shared() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def hit(bucket: str, client: str, *, window: int) -> int:
    """Count one request of ``client`` in ``bucket``; the count in the current window."""
    key = limit_key(bucket, client)
    if not _shared():
        return _memory.hit(key, window, time.monotonic())
    if cache.add(key, 1, window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between the two calls
        cache.set(key, 1, window)
        return 1


def count(bucket: str, client: str) -> int:
    """The count of ``client`` in ``bucket`` in the current window, without counting."""
    key = limit_key(bucket, client)
    if not _shared():
        return _memory.peek(key, time.monotonic())
    return int(cache.get(key, 0))


def reset() -> None:
    """Forget every count (tests; a process starting afresh)."""
    _memory.clear()
    if _shared():
        cache.clear()
