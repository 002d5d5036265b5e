"""QR short-link benchmark: how many scans a second the public address resolves and counts.

    python bench/qr.py                                   # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench_qr python bench/qr.py
    python bench/qr.py --seconds 5 --clients 4           # a shorter run

What it builds: the demo (``lantoa.demo.build.demo_build``): the 2021 study handbook's print run
of 5,000 copies with its allocations to 14 committees, each with its own short link.

What it times: gunicorn (2 workers × 4 threads, the deployment guide's starting point) on
127.0.0.1 serving the product with the benchmark settings; ``--clients`` threads with open
connections send requests for ``--seconds`` each:

* floor: ``GET /bench/ping`` — a bare view through the same server and middleware;
* ``GET /q/<code>`` over the run's and the allocations' codes — the scan: resolve the code,
  count the read (one counter per code and day, incremented in the database), redirect to
  the public reader (the redirect is not followed);
* ``GET /d/<slug>/`` — the public reader the scan lands on.

It prints requests per second, median and p95 latency, and checks that the read counters grew
by exactly the number of scans answered.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_load import hammer, report, served  # noqa: E402
from bench.run import reset_postgres, setup_django  # noqa: E402


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum

    from lantoa.demo.build import demo_build
    from lantoa.library.models import Allocation, PrintRun, QrRead

    if connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores")
    demo_build()
    run_ = PrintRun.objects.select_related("document").order_by("pk").first()
    assert run_ is not None
    codes = [run_.code, *Allocation.objects.filter(print_run=run_).exclude(code=None).values_list("code", flat=True)]
    slug = run_.document.slug
    print(f"{len(codes)} short links of the handbook's print run; clients: {args.clients}; {args.seconds:.0f} s each")
    connection.close()  # the server's workers open their own connections

    def reads() -> int:
        return QrRead.objects.aggregate(n=Sum("count"))["n"] or 0

    before = reads()
    with served() as base:
        hammer(base, lambda n: ("GET", "/bench/ping", None), seconds=2, clients=args.clients)  # warm-up
        floor = hammer(base, lambda n: ("GET", "/bench/ping", None), seconds=args.seconds, clients=args.clients)
        scans = hammer(
            base, lambda n: ("GET", f"/q/{codes[n % len(codes)]}", None), seconds=args.seconds, clients=args.clients
        )
        reader = hammer(base, lambda n: ("GET", f"/d/{slug}/", None), seconds=args.seconds, clients=args.clients)
    counted = reads() - before
    print()
    print(report("floor: GET /bench/ping", floor))
    print(report("scan: GET /q/<code> (resolve, count, redirect)", scans, floor))
    print(report("public reader: GET /d/<slug>/", reader, floor))
    answered = scans.statuses.get(302, 0)
    print(f"check: {answered:,} scans answered with a redirect, {counted:,} reads counted")
    if counted != answered:
        raise SystemExit("the read counters do not match the scans answered")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "qr.sqlite3"))
    args = parser.parse_args()
    setup_django(Path(args.sqlite))
    run(args)


if __name__ == "__main__":
    main()
