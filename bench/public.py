"""The public request paths against their floors, in one run: QR scans and the public reader
against a bare view, check-ins against a bare one-row insert, all through the same server.

    python bench/public.py                                                    # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench_public python bench/public.py
    python bench/public.py --rounds 3 --seconds 3                             # a quicker run

What it builds: the demo (``lantoa.demo`` / ``lantoa.demo.build.demo_build``): the study
handbook's print run with its allocations' short links and the public documents; and a
conference starting now with ``--sites`` per-person sites (communes of the demo).

What it times: gunicorn (``--workers`` × ``--threads``, see docs/decisions/0039) on 127.0.0.1
with the benchmark settings, loaded by Debian's ``wrk`` (``--connections`` connections, two
threads; Lua scripts in bench/wrk/), ``--rounds`` rounds of ``--seconds`` per endpoint, the
endpoints taking turns within each round so that noise from the shared machine falls on all:

* floor ``GET /bench/ping`` — a bare view through the same server and middleware;
* floor ``POST /bench/insert`` — one row inserted through the ORM in its own transaction;
* ``GET /q/<code>`` over the run's and allocations' codes — the scan (resolve, count, redirect);
* ``GET /d/<slug>/?from=<code>`` — the public reader the scan lands on;
* ``POST /api/v1/meetings/checkin`` — a new phone at each request (a new form key).

It prints the median requests per second of each endpoint, its ratio to its floor (the median
of the ratios of each round) and wrk's median and p99 latency. Then it stops the server (which
writes the buffered counters as it stops) and checks, in Python, that the read counters grew by
exactly the scans the server answered with a redirect and the sites' totals by exactly the
check-ins it answered 201 (both taken from the server's access log, since wrk stops mid-request
when its time is up), and that they equal what wrk received.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_load import served  # noqa: E402
from bench.run import reset_postgres, setup_django  # noqa: E402

WRK = ROOT / "bench" / "wrk"
TARGETS = {"scan": ("ping", 0.60), "reader": ("ping", 0.50), "checkin": ("insert", 0.60)}


@dataclass
class Run:
    per_second: float
    median_ms: float
    p99_ms: float
    statuses: Counter[int]
    again: int = 0  # requests that reused an earlier request's data (the script's list ran out)


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(
    base: str,
    script: str,
    *,
    paths: Path | None,
    seconds: float,
    connections: int,
    run: str = "",
    env: dict[str, str] | None = None,
) -> Run:
    """One wrk run of ``script`` (bench/wrk/) against ``base``; ``env`` reaches the Lua script."""
    env = {**os.environ, "LANTOA_PATHS": str(paths or ""), "LANTOA_RUN": run, "LANTOA_THREADS": "2", **(env or {})}
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "20s", "--latency"]
    output = subprocess.run(
        [*command, "-s", str(WRK / script), base], env=env, capture_output=True, text=True, check=True
    ).stdout
    statuses = Counter({int(s): int(n) for s, n in re.findall(r"^status (\d+) (\d+)$", output, re.M)})
    return Run(
        per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        median_ms=_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),  # type: ignore[union-attr]
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),  # type: ignore[union-attr]
        statuses=statuses,
        again=int(re.search(r"^again (\d+)$", output, re.M).group(1)) if "again " in output else 0,
    )


def build(sites: int) -> tuple[list[str], list[str], list[str]]:
    """The scan paths, the reader paths and the check-in codes of the benchmark's data."""
    import datetime as dt

    from django.utils import timezone

    from lantoa.demo.build import demo_build
    from lantoa.library.models import Allocation, Document, PrintRun
    from lantoa.meetings.models import BridgePoint, ConferenceKind, Format, Level
    from lantoa.meetings.services import ConferenceData, SiteData, conference_create
    from lantoa.org.models import Unit

    demo_build()
    run = (
        PrintRun.objects.filter(document__visibility=Document.Visibility.PUBLIC)
        .select_related("document")
        .order_by("pk")
        .first()
    )
    assert run is not None, "the demo has no print run of a public document"
    codes = [run.code, *Allocation.objects.filter(print_run=run).exclude(code=None).values_list("code", flat=True)]
    scans = [f"/q/{code}" for code in codes]
    readers = [f"/d/{run.document.slug}/?from={code}" for code in codes]

    province = Unit.objects.filter(kind__tier__code="province", closed_on=None).order_by("pk").first()
    communes = list(Unit.objects.filter(kind__tier__code="commune", closed_on=None).order_by("pk")[:sites])
    now = timezone.now()
    data = ConferenceData(
        title="Hội nghị điểm danh đồng loạt",
        kind=ConferenceKind.objects.get(code="resolution_study"),
        organiser=province,
        level=Level.PROVINCE,
        starts_at=now + dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
        format=Format.HYBRID,
        client_key="bench-public-check-in",
    )
    site_data = [SiteData(unit=province, is_host=True, mode=BridgePoint.Mode.HEADCOUNT)]
    site_data += [SiteData(unit=unit, mode=BridgePoint.Mode.PER_PERSON) for unit in communes]
    conference = conference_create(by=None, data=data, sites=site_data).obj
    check_in_codes = list(conference.points.filter(mode=BridgePoint.Mode.PER_PERSON).values_list("code", flat=True))
    return scans, readers, check_in_codes


def counts() -> tuple[int, int, int]:
    """QR reads counted, check-ins stored, the per-person sites' present total."""
    from django.db.models import Sum

    from lantoa.library.models import QrRead
    from lantoa.meetings.models import BridgePoint, Participant

    reads = QrRead.objects.aggregate(n=Sum("count"))["n"] or 0
    stored = Participant.objects.count()
    present = BridgePoint.objects.filter(mode=BridgePoint.Mode.PER_PERSON).aggregate(n=Sum("present"))["n"] or 0
    return reads, stored, present


def answered(log: Path) -> Counter[str]:
    """Answers the server sent, from its access log: scans redirected, check-ins counted."""
    seen: Counter[str] = Counter()
    for line in log.read_text().splitlines():
        status, path = line.split(" ", 1)
        if path.startswith("/q/") and status == "302":
            seen["scan"] += 1
        elif path == "/api/v1/meetings/checkin" and status == "201":
            seen["checkin"] += 1
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "public.sqlite3"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    setup_django(Path(args.sqlite))

    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    scans, readers, check_in_codes = build(args.sites)
    before = counts()
    connection.close()  # the server's workers open their own connections
    cores = os.cpu_count()
    print(f"database: {connection.vendor}; machine: {cores} cores (shared); wrk -t2 -c{args.connections}")
    print(
        f"server: gunicorn {args.workers} workers x {args.threads} threads; {args.rounds} rounds x {args.seconds:g} s"
    )

    folder = Path(tempfile.mkdtemp(prefix="lantoa-bench-"))
    files = {name: folder / f"{name}.txt" for name in ("ping", "scan", "reader", "checkin")}
    files["ping"].write_text("/bench/ping\n")
    files["scan"].write_text("\n".join(scans) + "\n")
    files["reader"].write_text("\n".join(readers) + "\n")
    files["checkin"].write_text("\n".join(check_in_codes) + "\n")
    log = folder / "access.log"
    runs: dict[str, list[Run]] = {name: [] for name in ("ping", "insert", "scan", "reader", "checkin")}
    extra = [f"--access-logfile={log}", "--access-logformat=%(s)s %(U)s"]
    with served(workers=args.workers, threads=args.threads, extra=extra) as base:
        wrk(base, "paths.lua", paths=files["scan"], seconds=2, connections=args.connections)  # warm-up
        wrk(base, "paths.lua", paths=files["reader"], seconds=2, connections=args.connections)
        for number in range(args.rounds):
            runs["ping"].append(wrk(base, "paths.lua", paths=files["ping"], **_load(args)))
            runs["insert"].append(wrk(base, "insert.lua", paths=None, **_load(args)))
            runs["scan"].append(wrk(base, "paths.lua", paths=files["scan"], **_load(args)))
            runs["reader"].append(wrk(base, "paths.lua", paths=files["reader"], **_load(args)))
            runs["checkin"].append(wrk(base, "checkin.lua", paths=files["checkin"], run=f"r{number}", **_load(args)))
    after = counts()
    report(runs, args.rounds)
    check(runs, answered(log), before, after)
    shutil.rmtree(folder, ignore_errors=True)


def _load(args: argparse.Namespace) -> dict[str, float | int]:
    return {"seconds": args.seconds, "connections": args.connections}


def report(runs: dict[str, list[Run]], rounds: int) -> None:
    labels = {
        "ping": "floor: GET /bench/ping",
        "insert": "floor: POST /bench/insert (one ORM row)",
        "scan": "scan: GET /q/<code>",
        "reader": "reader: GET /d/<slug>/?from=<code>",
        "checkin": "check-in: POST /api/v1/meetings/checkin",
    }
    print()
    print(f"{'':<42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  ratio to floor (median of rounds)")
    for name, label in labels.items():
        results = runs[name]
        line = (
            f"{label:<42} {statistics.median(r.per_second for r in results):>8.0f} "
            f"{statistics.median(r.median_ms for r in results):>8.2f} "
            f"{statistics.median(r.p99_ms for r in results):>8.1f}"
        )
        if name in TARGETS:
            floor, target = TARGETS[name]
            ratios = [r.per_second / f.per_second for r, f in zip(results, runs[floor], strict=True)]
            ratio = statistics.median(ratios)
            shown = ", ".join(f"{value:.0%}" for value in ratios)
            verdict = "meets" if ratio >= target else "BELOW"
            line += f"  {ratio:.0%} of {floor} ({verdict} {target:.0%}; rounds: {shown})"
        print(line)
    bad = {name: sum(n for s, n in r.statuses.items() if s >= 400) for name, rs in runs.items() for r in rs}
    print(f"answers >= 400 in the last round of each: {bad}")


def check(runs: dict[str, list[Run]], sent: Counter[str], before: tuple[int, ...], after: tuple[int, ...]) -> None:
    reads, stored, present = (a - b for a, b in zip(after, before, strict=True))
    received_scans = sum(r.statuses.get(302, 0) for r in runs["scan"])
    received_check_ins = sum(r.statuses.get(201, 0) for r in runs["checkin"])
    print()
    print(
        f"scans: server answered {sent['scan']:,} redirects (wrk received {received_scans:,}); reads counted {reads:,}"
    )
    print(
        f"check-ins: server answered {sent['checkin']:,} with 201 (wrk received {received_check_ins:,}); "
        f"stored {stored:,}; sites' present total {present:,}"
    )
    if reads != sent["scan"] or stored != sent["checkin"] or present != sent["checkin"]:
        raise SystemExit("the counters do not match the answers the server sent")
    print("check: every scan and every check-in answered is counted exactly")


if __name__ == "__main__":
    main()
