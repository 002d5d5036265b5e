"""Sending the same request from several threads at once (PostgreSQL only: SQLite's in-memory
test database is not shared between threads)."""

from __future__ import annotations

import json
import threading
from typing import Any

from django.db import connection, connections
from django.test import Client


def skip_unless_shared_database() -> None:
    import pytest

    if connection.vendor == "sqlite":
        pytest.skip("SQLite in-memory test databases are not shared between threads")


def post_at_once(signed_in: Client, path: str, body: dict[str, Any], *, times: int) -> list[tuple[int, Any]]:
    """``times`` POSTs of ``body`` as JSON, each from its own thread and client carrying the
    session of ``signed_in``, released together; their (status, JSON answer)."""
    gate = threading.Barrier(times)
    answers: list[tuple[int, Any]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def send() -> None:
        client = Client()
        client.cookies = signed_in.cookies
        try:
            gate.wait(timeout=30)
            response = client.post(path, json.dumps(body), content_type="application/json")
            with lock:
                answers.append((response.status_code, response.json()))
        except BaseException as error:  # reported by the caller's assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return answers
