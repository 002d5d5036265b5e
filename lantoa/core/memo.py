"""A few seconds of memory in the process, in front of the shared cache, for the public paths.

On the database cache every cache read is a query; a scan or a reader's page that the process
has just served can be answered again without it. Entries live ``seconds`` at most, so a change
that another process made (which deletes the shared cache's entry) reaches this one within that
time; in the process that made it, :meth:`ProcessMemo.forget` drops it at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Any


class ProcessMemo:
    def __init__(self, *, seconds: float, limit: int = 5_000) -> None:
        self.seconds = seconds
        self.limit = limit
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable) -> Any:
        """The value kept for ``key``, or None when there is none or it is too old."""
        entry = self._entries.get(key)
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            if len(self._entries) >= self.limit:
                self._entries.clear()  # many keys at once (a crawler): start again
            self._entries[key] = (time.monotonic() + self.seconds, value)

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
