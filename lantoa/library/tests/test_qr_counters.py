"""QR reads through the buffered counter: written at the flush, exactly, with scans and flushes
running at once in threads (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client, override_settings
from django.utils import timezone

from lantoa.core import counters
from lantoa.library import qr
from lantoa.library.models import QrRead
from lantoa.library.services import AllocationData
from lantoa.library.tests.test_qr_public import add_version, make_document, make_run
from lantoa.org.rollup import indicator_values

BUFFERED = override_settings(LANTOA_COUNTER_FLUSH_SECONDS=3600)  # only explicit flushes write


@pytest.fixture(autouse=True)
def _empty_buffers():  # type: ignore[no-untyped-def]
    counters.flush_all()
    yield
    counters.flush_all()


@BUFFERED
@pytest.mark.django_db
def test_scans_are_written_at_the_flush_and_then_equal_the_indicator(tree):  # type: ignore[no-untyped-def]
    document = make_document(tree)
    add_version(document)
    run = make_run(tree, document, allocations=[AllocationData(unit=tree.cell_a1, copies=20, with_code=True)])
    allocation = run.allocations.get()
    client = Client()
    for code in (run.code, run.code, allocation.code, allocation.code, allocation.code):
        assert client.get(f"/q/{code}").status_code == 302
    assert not QrRead.objects.exists()  # buffered: nothing written yet
    assert qr.flush_reads() == 5
    today = timezone.localdate()

    def reads(unit):  # type: ignore[no-untyped-def]
        return indicator_values(unit=unit, start=today, end=today, codes=["qr_reads"])[0].value

    assert sorted(QrRead.objects.values_list("slot", "count")) == [(0, 2), (allocation.pk, 3)]
    assert (reads(tree.province), reads(tree.district_a), reads(tree.cell_a1)) == (5, 5, 3)
    client.get(f"/q/{run.code}")
    assert counters.flush_all() == 1
    assert reads(tree.province) == 6


@BUFFERED
@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_and_flushes_count_exactly(tree):  # type: ignore[no-untyped-def]
    if connection.vendor == "sqlite":
        pytest.skip("SQLite in-memory test databases are not shared between threads")
    document = make_document(tree)
    add_version(document)
    run = make_run(tree, document, allocations=[AllocationData(unit=tree.cell_a1, copies=20, with_code=True)])
    codes = [run.code, run.allocations.get().code]
    errors: list[BaseException] = []
    start = threading.Barrier(7)

    def scan(worker: int) -> None:
        try:
            start.wait()
            for number in range(50):
                qr.record_read(codes[(worker + number) % 2])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def flush() -> None:
        try:
            start.wait()
            for _ in range(20):
                qr.flush_reads()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(n,)) for n in range(6)] + [threading.Thread(target=flush)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    qr.flush_reads()
    assert not errors
    assert sum(QrRead.objects.values_list("count", flat=True)) == 6 * 50
    assert QrRead.objects.count() == 2
