"""Buffered counters: everything added is written by the flushes, exactly, however many threads
count and flush at once; a failed write keeps its counts. (QR reads through it, on a database:
lantoa/library/tests/test_qr_counters.py.)"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Hashable, Mapping

import pytest
from django.test import override_settings

from lantoa.core import counters

BUFFERED = override_settings(LANTOA_COUNTER_FLUSH_SECONDS=3600)  # only explicit flushes write


@BUFFERED
def test_threads_counting_while_others_flush_lose_nothing() -> None:
    written: Counter[Hashable] = Counter()
    lock = threading.Lock()

    def write(batch: Mapping[Hashable, int]) -> None:
        with lock:
            written.update(batch)

    buffered = counters.BufferedCounter("test.threads", write)
    start = threading.Barrier(9)

    def count(worker: int) -> None:
        start.wait()
        for number in range(2000):
            buffered.add(("key", number % 7), 1)

    def flush() -> None:
        start.wait()
        for _ in range(200):
            buffered.flush()

    threads = [threading.Thread(target=count, args=(n,)) for n in range(8)] + [threading.Thread(target=flush)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    buffered.flush()
    assert sum(written.values()) == 8 * 2000
    assert written[("key", 0)] == 8 * len(range(0, 2000, 7))
    assert buffered.pending() == 0


@BUFFERED
def test_a_failed_write_keeps_its_counts_for_the_next_flush() -> None:
    written: Counter[Hashable] = Counter()
    failing = {"on": True}

    def write(batch: Mapping[Hashable, int]) -> None:
        if failing["on"]:
            raise RuntimeError("database away")
        written.update(batch)

    buffered = counters.BufferedCounter("test.failing", write)
    for _ in range(5):
        buffered.add("k")
    with pytest.raises(RuntimeError):
        buffered.flush()
    buffered.add("k")
    assert buffered.pending() == 6
    failing["on"] = False
    assert buffered.flush() == 6
    assert written == {"k": 6}
