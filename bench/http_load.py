"""HTTP load for the benchmarks: a gunicorn server on 127.0.0.1 and client threads that keep
their connections open, for a fixed time, then stop by themselves.

    with served(workers=2) as base:
        result = hammer(base, lambda n: ("GET", f"/q/{codes[n % len(codes)]}", None), seconds=10)

Traffic goes only to 127.0.0.1. The server is the project's WSGI application with the
benchmark settings and the same database environment as the caller; it is stopped by its
process id when the block ends.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

Request = tuple[str, str, dict[str, object] | None]  # method, path, JSON body


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def served(*, workers: int = 2, threads: int = 4, extra: Sequence[str] = ()) -> Iterator[str]:
    """Serve the project with gunicorn on a free port of 127.0.0.1; yields the base address."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 50}
    env.setdefault("ALLOWED_HOSTS", HOST)
    # Production terminates TLS in nginx; here the client speaks plain HTTP to the workers.
    env["SECURE_SSL_REDIRECT"] = "0"
    # Pages link their static files by name; production hashes them with collectstatic first.
    env["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--log-level=warning",
        *extra,
    ]
    (ROOT / "var" / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        _wait_until_up(port, server)
        yield f"http://{HOST}:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the benchmark server stopped while starting")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/bench/ping")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.3)
    raise RuntimeError("the benchmark server did not start within 60 s")


@dataclass
class LoadResult:
    requests: int
    seconds: float
    errors: int
    latencies_ms: list[float]
    statuses: dict[int, int]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


def hammer(base: str, make: Callable[[int], Request], *, seconds: float = 10.0, clients: int = 8) -> LoadResult:
    """``clients`` threads send ``make(n)`` requests (n counts up over all threads) for
    ``seconds``; each thread keeps one connection open. Non-2xx/3xx answers count as errors."""
    host, port = base.removeprefix("http://").split(":")
    counter = iter(range(10**12))
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    stop_at = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        mine: list[float] = []
        while time.monotonic() < stop_at:
            with lock:
                number = next(counter)
            method, path, body = make(number)
            payload = json.dumps(body).encode() if body is not None else None
            headers = {"Content-Type": "application/json"} if payload is not None else {}
            started = time.perf_counter()
            try:
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                status = 0
            mine.append((time.perf_counter() - started) * 1000)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if not 200 <= status < 400:
                    errors += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    workers = [threading.Thread(target=client) for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return LoadResult(len(latencies), time.monotonic() - started, errors, latencies, statuses)


def report(label: str, result: LoadResult, floor: LoadResult | None = None) -> str:
    """One line: requests per second, median and p95 latency, errors (and the floor's rate)."""
    line = (
        f"{label:<44} {result.per_second:>8.0f} req/s  median {result.median_ms:>6.1f} ms  "
        f"p95 {result.p95_ms:>6.1f} ms  errors {result.errors}"
    )
    if floor is not None and floor.per_second:
        line += f"  ({result.per_second / floor.per_second:.0%} of the floor)"
    return line
