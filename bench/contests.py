"""A contest round's results over a million attempts: the top-100 page, a contestant's own rank,
and closing the round.

    python bench/contests.py                       # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench_contests python bench/contests.py
    python bench/contests.py --attempts 200000     # a quicker run
    python bench/contests.py --reuse               # measure the database a previous run built

It builds a province with 20 districts of 10 communes (through the org services), the demo's
bank of 40 questions, a contest and one round of 20 questions with a prediction of the entries,
then ``--attempts`` submitted attempts (default 1,000,000) by half as many contestants, written
with bulk inserts (``lantoa.core.rows.insert_rows``; scores, predictions, durations and times
from a seeded generator; the attempts' question lists are left empty, as nothing timed reads
them). It prints the median of ``--repeat`` runs (after one warm-up) of:

* the top-100 page's read (``results.result_rows``, closed round: one indexed query) — floor:
  the same number of attempt rows read by ``round_id`` in raw SQL;
* a contestant's own rank (``results.own_standing``, closed: one indexed lookup) — floor: one
  contestant row by primary key in raw SQL;
* the provisional own rank while the round is open (two queries over the round's attempts) —
  for information, no target;
* closing the round (``services.round_close``: counted attempts and ranks in one
  ``INSERT … SELECT`` with window functions, prizes, units ranked, audit), timed once per
  repeat — floor: ``SELECT COUNT(*), MAX(score)`` over the round's attempts in raw SQL (one
  pass over the same rows, with no ranking).

Every closing is checked: one result per contestant who submitted, positions 1…n.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import reset_postgres, setup_django, timed  # noqa: E402

BATCH = 10_000


def build(attempts: int, seed: int = 13) -> tuple[object, int]:
    from django.db import transaction
    from django.utils import timezone

    from lantoa.contests import demo
    from lantoa.contests.models import Attempt, Contestant, ContestStatus, PredictionKind
    from lantoa.contests.services import ContestData, RoundData, contest_create, round_create
    from lantoa.core.rows import insert_rows
    from lantoa.org.defaults import ensure_default_kinds
    from lantoa.org.services import unit_create

    rng = random.Random(seed)
    kinds = ensure_default_kinds()
    epoch = dt.date(2020, 1, 1)
    province = unit_create(
        by=None, code="B", name="Tỉnh Đo Đạc", kind=kinds["provincial_committee"], parent=None, opened_on=epoch
    )
    communes = []
    for d in range(20):
        district = unit_create(
            by=None,
            code=f"B-{d:02d}",
            name=f"Huyện {d}",
            kind=kinds["district_committee"],
            parent=province,
            opened_on=epoch,
        )
        for c in range(10):
            communes.append(
                unit_create(
                    by=None,
                    code=f"B-{d:02d}-{c:02d}",
                    name=f"Xã {d}-{c}",
                    kind=kinds["commune_committee"],
                    parent=district,
                    opened_on=epoch,
                )
            )
    bank = demo.build_bank(province)
    contest = contest_create(
        by=None,
        data=ContestData(
            unit=province, title="Đo đạc", status=ContestStatus.PUBLISHED, prizes_individual=7, prizes_collective=7
        ),
    ).obj
    opens = timezone.now() - dt.timedelta(days=30)
    round_ = round_create(
        by=None,
        contest=contest,
        data=RoundData(
            bank=bank,
            opens_at=opens,
            closes_at=opens + dt.timedelta(days=7),
            questions_per_attempt=20,
            attempts_allowed=0,
            prediction_kind=PredictionKind.ENTRIES,
        ),
    )
    people_count = max(1, attempts // 2)
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, people_count, BATCH):
            Contestant.objects.bulk_create(
                [
                    Contestant(
                        contest_id=contest.pk,
                        name=f"Người dự thi {n}",
                        unit_id=communes[n % len(communes)].pk,
                        consented_at=opens,
                        referral_code=f"R{n:09d}",
                        key_hash=hashlib.sha256(f"bench:{n}".encode()).hexdigest(),
                        created_at=opens,
                    )
                    for n in range(start, min(people_count, start + BATCH))
                ],
                batch_size=BATCH,
            )
    people = list(Contestant.objects.filter(contest=contest).order_by("pk").values_list("pk", "unit_id"))
    numbers: dict[int, int] = {}
    window = 7 * 24 * 3600 - 600
    with transaction.atomic():
        rows = []
        for _ in range(attempts):
            pk, unit_id = people[rng.randrange(len(people))]
            numbers[pk] = numbers.get(pk, 0) + 1
            begin = opens + dt.timedelta(seconds=rng.randrange(window))
            duration = rng.randrange(60_000, 600_000)
            submitted = begin + dt.timedelta(milliseconds=duration)
            rows.append(
                Attempt(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    round_id=round_.pk,
                    contestant_id=pk,
                    unit_id=unit_id,
                    number=numbers[pk],
                    started_at=begin,
                    deadline=begin + dt.timedelta(minutes=10),
                    questions=[],
                    prediction=rng.randrange(500_000, 1_500_000),
                    submitted_at=submitted,
                    submitted_on=submitted.date(),
                    answers=[],
                    score=Decimal(rng.choices(range(21), weights=[1 + k * k for k in range(21)])[0]),
                    correct_count=0,
                    duration_ms=duration,
                    client_key="",
                )
            )
            if len(rows) >= BATCH:
                insert_rows(rows)
                rows = []
        insert_rows(rows)
    print(f"{attempts:,} attempts by {len(numbers):,} contestants written in {time.perf_counter() - started:.1f} s")
    return round_, len(numbers)


def run(args: argparse.Namespace) -> None:
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from lantoa.contests import results
    from lantoa.contests.models import Attempt, Round, RoundResult
    from lantoa.contests.services import round_close

    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores")
    if args.reuse:
        call_command("migrate", verbosity=0)
        built = Round.objects.get()
        people = Attempt.objects.filter(round=built).values("contestant_id").distinct().count()
        args.attempts = Attempt.objects.filter(round=built).count()
        Round.objects.filter(pk=built.pk).update(closed_at=None)
    else:
        if connection.vendor == "postgresql":
            reset_postgres()
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        built, people = build(args.attempts)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    round_ = Round.objects.select_related("contest__unit").get(pk=built.pk)  # type: ignore[attr-defined]
    reset_queries()
    table = connection.ops.quote_name(Attempt._meta.db_table)
    someone = (
        Attempt.objects.filter(round=round_).order_by("id").values_list("contestant_id", flat=True)[args.attempts // 3]
    )

    def raw(sql: str, params: list[Any]) -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    lines: list[tuple[str, float, float | None, int | None]] = []

    def provisional_rank() -> object:
        cache.clear()  # the count of those ahead is kept a minute: time it uncached
        return results.own_standing(round_, someone)

    provisional, _ = timed(provisional_rank, max(1, args.repeat // 2))
    lines.append(("own rank while open (provisional)", provisional, None, 2))

    def close() -> object:
        closed = round_close(by=None, round_=round_, now=timezone.now())
        assert closed.results == people, (closed.results, people)
        return closed

    closing, _ = timed(close, args.repeat)
    scan, _ = timed(
        lambda: raw(f"SELECT COUNT(*), MAX(score) FROM {table} WHERE round_id = %s", [round_.pk]),  # noqa: S608
        args.repeat,
    )
    lines.append(("closing the round (rank, prizes, units)", closing, scan, None))
    round_ = Round.objects.select_related("contest__unit").get(pk=round_.pk)
    positions = list(RoundResult.objects.filter(round=round_).order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, people + 1))
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        assert len(results.result_rows(round_)) == min(100, people)
    top, _ = timed(lambda: results.result_rows(round_), args.repeat)
    top_floor, _ = timed(
        lambda: raw(f"SELECT id, score FROM {table} WHERE round_id = %s LIMIT 100", [round_.pk]),  # noqa: S608
        args.repeat,
    )
    lines.append(("top-100 page's read (closed)", top, top_floor, len(captured)))
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        results.own_standing(round_, someone)
    own, _ = timed(lambda: results.own_standing(round_, someone), args.repeat)
    contestants = connection.ops.quote_name("contests_contestant")
    own_floor, _ = timed(
        lambda: raw(f"SELECT id, name FROM {contestants} WHERE id = %s", [someone]),  # noqa: S608
        args.repeat,
    )
    lines.append(("a contestant's own rank (closed)", own, own_floor, len(captured)))
    print(f"\n{args.attempts:,} attempts, {people:,} contestants; median of {args.repeat} (ms)")
    print(f"{'measure':44} {'median':>10} {'floor':>10} {'queries':>8}")
    for name, median, floor, queries in lines:
        floor_text = f"{floor:10.2f}" if floor is not None else f"{'—':>10}"
        print(f"{name:44} {median:10.2f} {floor_text} {queries if queries is not None else '—':>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="Measure the database a previous run built.")
    args = parser.parse_args()
    setup_django(ROOT / "var" / "bench" / "contests.sqlite3", keep=args.reuse)
    run(args)


if __name__ == "__main__":
    main()
