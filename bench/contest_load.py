"""Contest submissions over HTTP against the insert floor, a start spike, and how both scale.

    python bench/contest_load.py                                              # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench_contest python bench/contest_load.py
    python bench/contest_load.py --workers 1 --reuse                          # one worker, same data
    python bench/contest_load.py --rounds 5 --seconds 5                       # a longer run

What it builds: the demo (its question bank and units), then a published contest with one round
open now (19 questions drawn from the bank, 1 attempt each, a prediction question), ``--spike``
contestants for each of ``--spikes`` spikes and ``--pool`` contestants registered and started
beforehand through the services (a draw, an attempt row each), whose attempts the load submits.

What it times: gunicorn (``--workers`` × ``--threads``) on 127.0.0.1 with the benchmark settings,
behind one trusted proxy (``LANTOA_TRUSTED_PROXIES=1``: each contestant sends its own address in
``X-Forwarded-For``, as nginx would, so the per-address limits see many phones, not one host),
loaded by Debian's ``wrk`` with ``--connections`` connections (the issue's 64):

* ``--spikes`` spikes: ``POST /api/v1/contests/rounds/<id>/attempts``, each of a spike's ``--spike``
  contestants once, as fast as the server answers, within ``--spike-seconds``: how many got their
  attempt, and how long from the first start to the last by the server's clock (the attempts'
  ``started_at``); the median spike is the figure, the others show the machine's spread;
* ``--rounds`` rounds, after each spike, taking turns so that the machine's noise falls on both:
  floor ``POST /bench/insert`` (one ORM row in its own transaction) and
  ``POST /api/v1/contests/attempts/<id>/submit`` (read the attempt by its contestant's key,
  validate, grade 19 answers, one ``UPDATE … WHERE submitted_at IS NULL``), every request a
  different attempt.

It prints requests per second, wrk's median and p99 latency, and the submit's ratio to the floor
(the median of the rounds' ratios) against the issue's targets (≥ 60 % of the floor, p99 within
2× the floor's). Then it checks, from the server's access log and the database, that every
submission the server answered 200 is stored as submitted (none lost), that none was answered
twice (no double count), and that the spike started exactly one attempt per contestant answered 201.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_load import served  # noqa: E402
from bench.public import Run, wrk  # noqa: E402
from bench.run import cpu_probe, reset_postgres, setup_django  # noqa: E402

SUBMIT_RATIO = 0.60
P99_FACTOR = 2.0
SUBMIT_PATH = "/api/v1/contests/attempts/"
QUESTIONS = 19


def _address(n: int) -> str:
    """A distinct private address per contestant (10.x.y.z)."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def build(pool: int, spike: int, *, reuse: bool) -> tuple[int, list[tuple[str, str]], list[tuple[str, str, str]]]:
    # ``spike``: the contestants of every spike together.
    """The round's id, the spike's contestants (key, address) and the pool's started attempts
    (attempt id, key, address). ``reuse``: the demo is there already; a new round is added."""
    from django.utils import timezone

    from lantoa.contests.models import ContestStatus, PredictionKind, QuestionBank
    from lantoa.contests.services import ContestData, Registration, RoundData, contest_create, round_create
    from lantoa.contests.services.attempts import attempt_start
    from lantoa.contests.services.contests import contestant_register
    from lantoa.demo.build import demo_build
    from lantoa.org.models import Unit

    if not reuse:
        demo_build()
    bank = QuestionBank.objects.order_by("pk").first()
    assert bank is not None, "the demo has no question bank"
    now = timezone.now()
    contest = contest_create(
        by=None,
        data=ContestData(
            unit=bank.unit,
            title="Cuộc thi đo tải",
            status=ContestStatus.PUBLISHED,
            consent_text="Đồng ý.",
            client_key="bench-contest-load",
        ),
    ).obj  # the same contest again when reused: a new round below
    round_ = round_create(
        by=None,
        contest=contest,
        data=RoundData(
            bank=bank,
            opens_at=now - dt.timedelta(minutes=5),
            closes_at=now + dt.timedelta(days=1),
            questions_per_attempt=QUESTIONS,
            time_limit_seconds=3600,
            attempts_allowed=1,
            prediction_kind=PredictionKind.ENTRIES,
            prediction_prompt="Bao nhiêu lượt dự thi?",
        ),
    )
    units = list(Unit.objects.filter(kind__tier__code="commune", closed_on=None).order_by("pk")[:500])
    started = time.perf_counter()
    spikers: list[tuple[str, str]] = []
    attempts: list[tuple[str, str, str]] = []
    for n in range(spike + pool):
        registered = contestant_register(
            contest=contest,
            data=Registration(name=f"Người dự thi {n}", consent=True, unit=units[n % len(units)], group="party_member"),
            now=now,
        )
        if n < spike:
            spikers.append((registered.key, _address(n)))
        else:
            attempt = attempt_start(contestant=registered.contestant, round_=round_).attempt
            attempts.append((str(attempt.pk), registered.key, _address(n)))
    print(
        f"registered {spike + pool:,} contestants and started {pool:,} attempts "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return round_.pk, spikers, attempts


def submitted(round_id: int) -> set[str]:
    from lantoa.contests.models import Attempt

    return {
        str(pk)
        for pk in Attempt.objects.filter(round_id=round_id, submitted_at__isnull=False).values_list("pk", flat=True)
    }


def started_count(round_id: int) -> int:
    from lantoa.contests.models import Attempt

    return Attempt.objects.filter(round_id=round_id).count()


def started_span(round_id: int, since: dt.datetime, until: dt.datetime) -> float:
    """Seconds from the first to the last attempt started between ``since`` and ``until``, by the
    server's clock (``started_at``): how long a spike's starts took, whatever else the load
    generator sent."""
    from django.db.models import Max, Min

    from lantoa.contests.models import Attempt

    span = Attempt.objects.filter(round_id=round_id, started_at__gte=since, started_at__lte=until).aggregate(
        first=Min("started_at"), last=Max("started_at")
    )
    if span["first"] is None:
        return 0.0
    return float((span["last"] - span["first"]).total_seconds())


def logged(log: Path) -> tuple[Counter[str], int]:
    """The submissions answered 200, per attempt id, and the starts answered 201, from the
    server's access log."""
    answered: Counter[str] = Counter()
    starts = 0
    for line in log.read_text().splitlines():
        status, path = line.split(" ", 1)
        if path.startswith(SUBMIT_PATH) and path.endswith("/submit") and status == "200":
            answered[path[len(SUBMIT_PATH) : -len("/submit")]] += 1
        elif path.endswith("/attempts") and status == "201":
            starts += 1
    return answered, starts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pool", type=int, default=20000, help="attempts started beforehand, to be submitted")
    parser.add_argument("--spike", type=int, default=5000, help="contestants starting during a spike")
    parser.add_argument("--spikes", type=int, default=3, help="spikes, each with contestants of its own")
    parser.add_argument("--spike-seconds", type=float, default=10.0)
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "contest_load.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="load the database an earlier run built (a new round)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    os.environ["LANTOA_TRUSTED_PROXIES"] = "1"
    setup_django(Path(args.sqlite), keep=args.reuse)

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    if not args.reuse and connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)  # with --reuse: the migrations added since, if any
    call_command("createcachetable", verbosity=0)
    round_id, spikers, attempts = build(args.pool, args.spike * args.spikes, reuse=args.reuse)
    before = started_count(round_id)
    if connection.vendor == "postgresql":
        # The state autovacuum leaves the tables in once the registrations have stopped: without
        # it, a database reused run after run measured its own dead rows and stale statistics.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    connection.close()  # the server's workers open their own connections
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores (shared); wrk -t2 -c{args.connections}")
    print(
        f"server: gunicorn {args.workers} workers x {args.threads} threads; {args.rounds} rounds x {args.seconds:g} s"
    )

    folder = Path(tempfile.mkdtemp(prefix="lantoa-bench-"))
    spike_files = []
    for number in range(args.spikes):
        path = folder / f"spike{number}.txt"
        chosen = spikers[number * args.spike : (number + 1) * args.spike]
        path.write_text("".join(f"{key} {address}\n" for key, address in chosen))
        spike_files.append(path)
    share = len(attempts) // args.rounds
    round_files = []
    for number in range(args.rounds):
        path = folder / f"submit{number}.txt"
        path.write_text("".join(f"{a} {k} {ad}\n" for a, k, ad in attempts[number * share : (number + 1) * share]))
        round_files.append(path)
    body = json.dumps({"answers": [["A"]] * QUESTIONS, "prediction": 1234})
    log = folder / "access.log"
    extra = [f"--access-logfile={log}", "--access-logformat=%(s)s %(U)s"]
    load = {"seconds": args.seconds, "connections": args.connections}
    runs: dict[str, list[Run]] = {"insert": [], "submit": []}
    with served(workers=args.workers, threads=args.threads, extra=extra) as base:
        wrk(base, "insert.lua", paths=None, seconds=2, connections=args.connections)  # warm-up
        spikes: list[tuple[Run, dt.datetime, dt.datetime]] = []
        probes: list[float] = []  # the machine's speed just before each spike (bench.run.cpu_probe)
        for number in range(max(args.spikes, args.rounds)):
            if number < args.spikes:
                probes.append(cpu_probe())
                began = timezone.now()
                spike = wrk(
                    base,
                    "contest_start.lua",
                    paths=spike_files[number],
                    seconds=args.spike_seconds,
                    connections=args.connections,
                    env={"LANTOA_ROUND": str(round_id)},
                )
                spikes.append((spike, began, timezone.now()))
            if number < args.rounds:
                runs["insert"].append(wrk(base, "insert.lua", paths=None, **load))
                runs["submit"].append(
                    wrk(base, "contest_submit.lua", paths=round_files[number], env={"LANTOA_BODY": body}, **load)
                )
    answered, starts = logged(log)
    report(runs, [(spike, started_span(round_id, began, ended)) for spike, began, ended in spikes], args)
    print(f"cpu probe before each spike (ms, lower is faster): {', '.join(f'{ms:.0f}' for ms in probes)}")
    check(
        runs,
        answered,
        starts,
        spike_count=started_count(round_id) - before,
        stored=submitted(round_id),
        spikers=len(spikers),
    )
    shutil.rmtree(folder, ignore_errors=True)


def report(runs: dict[str, list[Run]], spikes: list[tuple[Run, float]], args: argparse.Namespace) -> None:
    floor, submit = runs["insert"], runs["submit"]
    ratios = [s.per_second / f.per_second for s, f in zip(submit, floor, strict=True)]
    p99_ratios = [s.p99_ms / f.p99_ms for s, f in zip(submit, floor, strict=True)]
    ratio, p99_ratio = statistics.median(ratios), statistics.median(p99_ratios)
    print()
    print(f"{'':<46} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for label, results in (
        ("floor: POST /bench/insert (one ORM row)", floor),
        ("submit: POST …/attempts/<id>/submit", submit),
    ):
        print(
            f"{label:<46} {statistics.median(r.per_second for r in results):>8.0f} "
            f"{statistics.median(r.median_ms for r in results):>8.2f} "
            f"{statistics.median(r.p99_ms for r in results):>8.1f}"
        )
    verdict = "meets" if ratio >= SUBMIT_RATIO else "BELOW"
    print(f"submit/floor: {ratio:.0%} ({verdict} {SUBMIT_RATIO:.0%}; rounds: {', '.join(f'{r:.0%}' for r in ratios)})")
    verdict = "meets" if p99_ratio <= P99_FACTOR else "ABOVE"
    print(
        f"submit p99 / floor p99: {p99_ratio:.2f}× ({verdict} {P99_FACTOR:g}×; rounds: "
        f"{', '.join(f'{r:.2f}' for r in p99_ratios)})"
    )
    # Each of wrk's threads stops once its contestants are answered, so its rate (over the whole
    # window) says little: the server's own clock says how long the starts took.
    took = []
    for number, (spike, span) in enumerate(spikes, 1):
        created = spike.statuses.get(201, 0)
        rate = created / span if span else 0.0
        # A spike cut off by the window: how long all of its contestants would have taken at its rate.
        took.append(span if created == args.spike else (args.spike / rate if rate else float("inf")))
        print(
            f"start spike {number}: {created:,} of {args.spike:,} contestants started within {span:.1f} s "
            f"by the server's clock, first to last ({rate:.0f} starts/s, p50 {spike.median_ms:.1f} ms, "
            f"p99 {spike.p99_ms:.1f} ms); answers by status: {dict(spike.statuses)}"
        )
    median = statistics.median(took)
    verdict = "meets" if median <= args.spike_seconds else "BELOW"
    print(
        f"start spike, median of {len(spikes)}: the {args.spike:,} contestants take {median:.1f} s ({verdict} "
        f"{args.spike_seconds:g} s; spikes: {', '.join(f'{t:.1f}' for t in took)} s, a spike cut off by its "
        f"{args.spike_seconds:g} s counted at its rate)"
    )


def check(
    runs: dict[str, list[Run]], answered: Counter[str], starts: int, *, spike_count: int, stored: set[str], spikers: int
) -> None:
    again = sum(r.again for r in runs["submit"])
    twice = [attempt for attempt, n in answered.items() if n > 1]
    lost = [attempt for attempt in answered if attempt not in stored]
    print()
    print(
        f"submissions: the server answered 200 for {sum(answered.values()):,} ({len(answered):,} attempts); "
        f"stored as submitted {len(stored):,}; lost {len(lost)}; answered twice {len(twice)} "
        f"(wrk reused {again} attempts after its list ran out)"
    )
    print(
        f"starts: the server answered 201 {starts:,} times; attempts created {spike_count:,} "
        f"(of {spikers:,} contestants)"
    )
    if lost or (len(stored) != len(answered)) or (twice and not again) or starts != spike_count:
        raise SystemExit("the stored attempts do not match the answers the server sent")
    print("check: every submission answered is stored once; every start answered created one attempt")


if __name__ == "__main__":
    main()
