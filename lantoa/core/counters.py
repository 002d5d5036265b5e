"""Buffered counters: high-volume anonymous counts (QR reads; contest and survey tallies to come)
added up in the process's memory and written to their tables in batches.

A public request that only counts then does no database work at all: it adds one to a number
in a dictionary. The sums are written by :func:`flush_all`:

* every ``LANTOA_COUNTER_FLUSH_SECONDS`` by a thread of the process (started by the first
  count), so a counter in the database is at most that far behind;
* when the process exits normally (``atexit``: gunicorn's graceful stop, a worker recycled
  after ``max_requests``, a management command), so a stop loses nothing;
* whenever code asks (tests, a benchmark), after which the tables are exact.

A batch that fails to be written (the database away for a moment) goes back into the buffer and
is tried again at the next flush. Only a process killed without warning (SIGKILL, a power cut)
loses what it had not yet written, at most one interval of counts; see
docs/decisions/0040-buffered-counters.md for why the buffer is not in the cache.

``LANTOA_COUNTER_FLUSH_SECONDS = 0`` writes every count at once (the test settings do, so tests
read their counts straight away; the tests of this module turn buffering on).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Mapping

from django.conf import settings

logger = logging.getLogger(__name__)

Writer = Callable[[Mapping[Hashable, int]], None]


class BufferedCounter:
    """Sums per key, written by ``write`` (one call per flush, in one transaction of its own)."""

    def __init__(self, name: str, write: Writer) -> None:
        self.name = name
        self._write = write
        self._lock = threading.Lock()  # guards the buffer
        self._flushing = threading.Lock()  # one flush at a time, so batches are written in order
        self._pending: Counter[Hashable] = Counter()

    def add(self, key: Hashable, amount: int = 1) -> None:
        if _interval() <= 0:
            self._write({key: amount})
            return
        with self._lock:
            self._pending[key] += amount
        _flusher.ensure_running()

    def pending(self) -> int:
        with self._lock:
            return sum(self._pending.values())

    def flush(self) -> int:
        """Write what the buffer holds; the number of counts written."""
        with self._flushing:
            with self._lock:
                batch, self._pending = self._pending, Counter()
            if not batch:
                return 0
            try:
                self._write(batch)
            except Exception:
                with self._lock:
                    self._pending.update(batch)  # kept for the next flush: nothing is dropped
                raise
            return sum(batch.values())

    def _forget_after_fork(self) -> None:
        # A forked child starts with a copy of the parent's buffer, which the parent writes.
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._pending = Counter()


_counters: dict[str, BufferedCounter] = {}


def counter(name: str, write: Writer) -> BufferedCounter:
    """The buffered counter called ``name`` (made on first use; one per name in a process)."""
    if name not in _counters:
        _counters[name] = BufferedCounter(name, write)
    return _counters[name]


def flush_all() -> int:
    """Write every buffered count; the number written. A counter that fails is logged and
    keeps its counts for the next flush; the others are still written."""
    written = 0
    for buffered in list(_counters.values()):
        try:
            written += buffered.flush()
        except Exception:
            logger.exception("could not write the buffered counter %s; kept for the next flush", buffered.name)
    return written


def _interval() -> float:
    return float(getattr(settings, "LANTOA_COUNTER_FLUSH_SECONDS", 2.0))


class _Flusher:
    """The thread that flushes on a schedule, one per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def ensure_running(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop = threading.Event()
            self._thread = threading.Thread(target=self._run, name="lantoa-counters", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        from django.db import connections

        while not self._stop.wait(max(_interval(), 0.05)):
            try:
                flush_all()
            finally:
                connections.close_all()  # this thread's own connections, not the requests'

    def stop(self) -> None:
        self._stop.set()

    def _forget_after_fork(self) -> None:
        self._lock = threading.Lock()
        self._thread = None
        self._stop = threading.Event()


_flusher = _Flusher()


def _after_fork_in_child() -> None:
    _flusher._forget_after_fork()
    for buffered in _counters.values():
        buffered._forget_after_fork()


def _at_exit() -> None:
    _flusher.stop()
    if flush_all():
        from django.db import connections

        connections.close_all()


os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(_at_exit)
