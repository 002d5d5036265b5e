"""The in-memory limit windows (no Redis): expired windows are dropped, and a table full of live
windows is not rebuilt at every request."""

from __future__ import annotations

from lantoa.core import ratelimit
from lantoa.core.ratelimit import _PRUNE_ABOVE, _MemoryWindows


def test_counts_per_key_within_a_window_then_afresh():
    windows = _MemoryWindows()
    assert [windows.hit("a", 10, now=0.0) for _ in range(3)] == [1, 2, 3]
    assert windows.peek("a", now=5.0) == 3 and windows.peek("a", now=10.0) == 0
    assert windows.hit("a", 10, now=10.0) == 1


def test_expired_windows_are_dropped_and_live_ones_kept_when_the_table_grows():
    windows = _MemoryWindows()
    for n in range(_PRUNE_ABOVE):
        windows.hit(f"old{n}", 10, now=0.0)
    windows.hit("live", 100, now=50.0)  # past the threshold, when the old windows have ended
    assert windows.size() == 1 and windows.peek("live", now=50.0) == 1


def test_a_table_of_live_windows_is_pruned_again_only_once_it_has_doubled():
    windows = _MemoryWindows()
    for n in range(_PRUNE_ABOVE + 1):  # every window still open
        windows.hit(f"k{n}", 600, now=0.0)
    rebuilt = 0
    for n in range(_PRUNE_ABOVE // 2):
        before = id(windows._windows)
        windows.hit(f"more{n}", 600, now=1.0)
        rebuilt += id(windows._windows) != before
    assert rebuilt <= 1, "the whole table was rebuilt at request after request"
    assert windows.size() == _PRUNE_ABOVE + 1 + _PRUNE_ABOVE // 2  # nothing live was dropped


def test_the_module_counts_through_memory_without_redis(settings):
    settings.REDIS_URL = ""
    ratelimit.reset()
    assert [ratelimit.hit("bucket", "10.0.0.1", window=60) for _ in range(2)] == [1, 2]
    assert ratelimit.count("bucket", "10.0.0.1") == 2 and ratelimit.count("bucket", "10.0.0.2") == 0
    ratelimit.reset()


def test_a_limit_key_is_django_s_salted_hmac_of_the_client(settings):
    """The salted key is derived once per secret; the keys stay what salted_hmac gives, so the
    counts already in a shared cache keep counting."""
    from django.utils.crypto import salted_hmac

    for secret in ("one-" + "x" * 50, "two-" + "y" * 50):
        settings.SECRET_KEY = secret
        for client in ("127.0.0.1", "2001:db8::1", "Hội"):
            expected = salted_hmac("lantoa.limit", client).hexdigest()[:24]
            assert ratelimit.limit_key("play", client) == "lantoa:limit:play:" + expected
