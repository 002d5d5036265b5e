"""The server of the HTTP benchmarks: gunicorn on a free port of 127.0.0.1.

    with served(workers=2, threads=4) as base:
        ...  # load it with wrk (bench/public.py)

The load itself comes from Debian's ``wrk``, a C client light on the CPU it shares with the
server (a Python client on two cores measures itself). The server is the project's WSGI
application with the benchmark settings and the same database environment as the caller; it
is stopped by its process id (SIGTERM, a graceful stop that writes the buffered counters)
when the block ends. Traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
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
