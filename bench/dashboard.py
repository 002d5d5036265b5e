"""A province's dashboard over five years of province-scale records.

    python bench/dashboard.py                 # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench_dashboard python bench/dashboard.py
    python bench/dashboard.py --reuse         # measure the database a previous run built
    python bench/dashboard.py --sites 20000 --attempts 200000 --activities 20000   # a quicker run

It builds the demo (``manage.py demo``: Lào Cai's tree with its 2024 and 2025 restructuring, the
article's conferences, the outreach network, the library, the contests) and adds five years of
records, 2021–2025, each at a unit open on its day under the province of that day:

* ``--sites`` conference sites (default 100,000): conferences of 50 sites each, created, marked
  held and given their headcounts through the meetings services (as an office would);
* ``--attempts`` submitted contest attempts (default 1,000,000) in weekly rounds of five yearly
  contests, by half as many contestants, written with bulk inserts (``lantoa.core.rows``);
* ``--activities`` outreach activities (default 100,000), bulk inserted.

Signed in as the demo administrator through Django's test client (the whole request), it
prints the median of ``--repeat`` runs and the queries of one run for:

* the dashboard page (``GET /``) for today's province, this year and the XIII term
  (2021–2025, five years against the five before), as the tree stands today and as it stood;
* the same dashboard's selector with the contest and activity indicators added to its main
  ones (what a dashboard reading all of the generated records costs);
* the indicators API for the province over five years with every indicator.

Floors, measured in the same run through the same client: ``GET /bench/ping`` (a bare view)
and, in raw SQL, ``SUM(present)`` over every bridge point and ``COUNT(*)`` over every attempt
(the least that reading the records once costs, with no tree logic).
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

from bench.run import cpu_probe, reset_postgres, setup_django, timed  # noqa: E402

FIRST_DAY = dt.date(2021, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
SITES_PER_CONFERENCE = 50
BATCH = 10_000
EXTRA_CODES = ["contest_entries", "contest_participants", "outreach_activities", "people_reached"]


class Territory:
    """The province's units open on each day, read once: a record goes to a unit open on its day
    under the province of that day (old Lào Cai until its merger, today's after)."""

    def __init__(self, province: Any) -> None:
        from lantoa.org.models import Unit, UnitClosure
        from lantoa.org.selectors import successor_ids

        roots = {province.pk, *successor_ids([province.pk])}
        rows = UnitClosure.objects.filter(ancestor_id__in=roots).values_list(
            "ancestor_id", "descendant_id", "valid_from", "valid_to"
        )
        self.spans = list(rows)
        self.roots = {root: Unit.objects.get(pk=root) for root in roots}
        self._by_month: dict[tuple[int, int], tuple[Any, list[int]]] = {}

    def on(self, day: dt.date) -> tuple[Any, list[int]]:
        """The province open on the month's 15th and the units under it that day."""
        key = (day.year, day.month)
        if key not in self._by_month:
            middle = dt.date(day.year, day.month, 15)
            held = [
                (root, unit)
                for root, unit, start, end in self.spans
                if start <= middle and (end is None or end > middle) and root != unit
            ]
            root = max({r for r, _u in held}, key=lambda r: sum(1 for x, _u in held if x == r))
            self._by_month[key] = (self.roots[root], sorted(u for r, u in held if r == root))
        return self._by_month[key]


def some_day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def add_conferences(territory: Territory, sites: int, rng: random.Random) -> float:
    from django.utils import timezone

    from lantoa.meetings.models import Category, ConferenceKind, Format, Level
    from lantoa.meetings.services import (
        ConferenceData,
        Headcount,
        SiteData,
        attendance_record_many,
        conference_create,
        conference_mark_held,
    )
    from lantoa.org.models import Unit

    kind = ConferenceKind.objects.get(code="resolution_study")
    started = time.perf_counter()
    units: dict[int, Any] = {}
    for number in range(sites // SITES_PER_CONFERENCE):
        day = some_day(rng)
        province, below = territory.on(day)
        chosen = rng.sample(below, SITES_PER_CONFERENCE - 1)
        missing = [pk for pk in chosen if pk not in units]
        units.update(Unit.objects.in_bulk(missing))
        starts = timezone.make_aware(dt.datetime.combine(day, dt.time(7, 30)))
        conference = conference_create(
            by=None,
            data=ConferenceData(
                title=f"Hội nghị học tập, quán triệt số {number + 1}",
                kind=kind,
                organiser=province,
                level=Level.PROVINCE,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=4),
                format=Format.HYBRID,
                client_key=f"bench-dashboard-{number}",
            ),
            sites=[SiteData(unit=province, is_host=True)] + [SiteData(unit=units[pk]) for pk in chosen],
        ).obj
        conference = conference_mark_held(by=None, conference=conference)
        rows = []
        for point in conference.points.all():
            present = rng.randrange(15, 120)
            members = present * 4 // 5
            counts = {Category.PARTY_MEMBERS: members, Category.NON_MEMBERS: present - members}
            rows.append((point, Headcount(present=counts, members_summoned=members + 3, summoned=present + 5)))
        attendance_record_many(by=None, rows=rows)
        if number % 200 == 199:
            print(f"  {(number + 1) * SITES_PER_CONFERENCE:,} sites…", flush=True)
    return time.perf_counter() - started


def add_attempts(territory: Territory, attempts: int, rng: random.Random) -> float:
    """Five yearly contests of 10 weekly rounds; contestants of one contest stay at one unit."""
    from django.db import transaction
    from django.utils import timezone

    from lantoa.contests import demo
    from lantoa.contests.models import Attempt, Contestant, ContestStatus, PredictionKind
    from lantoa.contests.services import ContestData, RoundData, contest_create, round_create
    from lantoa.core.rows import insert_rows

    started = time.perf_counter()
    years = range(FIRST_DAY.year, LAST_DAY.year + 1)
    per_year = attempts // len(years)
    banks: dict[int, Any] = {}
    for year in years:
        province, _below = territory.on(dt.date(year, 9, 1))
        if province.pk not in banks:
            banks[province.pk] = demo.build_bank(province)
        bank = banks[province.pk]
        contest = contest_create(
            by=None,
            data=ContestData(unit=province, title=f"Cuộc thi tìm hiểu năm {year}", status=ContestStatus.PUBLISHED),
        ).obj
        rounds = []
        for week in range(10):
            opens = timezone.make_aware(dt.datetime(year, 9, 1, 7, 0)) + dt.timedelta(weeks=week)
            data = RoundData(
                bank=bank,
                opens_at=opens,
                closes_at=opens + dt.timedelta(days=7),
                questions_per_attempt=20,
                attempts_allowed=0,
                prediction_kind=PredictionKind.ENTRIES,
            )
            rounds.append(round_create(by=None, contest=contest, data=data))
        contestants = max(1, per_year // 2)
        with transaction.atomic():
            for first in range(0, contestants, BATCH):
                batch = []
                for n in range(first, min(contestants, first + BATCH)):
                    _p, below = territory.on(dt.date(year, 9, 15))
                    batch.append(
                        Contestant(
                            contest_id=contest.pk,
                            name=f"Người dự thi {year}-{n}",
                            unit_id=below[rng.randrange(len(below))],
                            consented_at=rounds[0].opens_at,
                            referral_code=f"D{year % 100:02d}{n:08d}",
                            key_hash=hashlib.sha256(f"bench-dashboard:{year}:{n}".encode()).hexdigest(),
                            created_at=rounds[0].opens_at,
                        )
                    )
                Contestant.objects.bulk_create(batch, batch_size=BATCH)
        people = list(Contestant.objects.filter(contest=contest).values_list("pk", "unit_id"))
        numbers: dict[int, int] = {}
        with transaction.atomic():
            rows = []
            for _ in range(per_year):
                pk, unit_id = people[rng.randrange(len(people))]
                numbers[pk] = numbers.get(pk, 0) + 1
                round_ = rounds[rng.randrange(len(rounds))]
                begin = round_.opens_at + dt.timedelta(seconds=rng.randrange(7 * 24 * 3600 - 900))
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
                        prediction=rng.randrange(10_000, 90_000),
                        submitted_at=submitted,
                        submitted_on=timezone.localdate(submitted),
                        answers=[],
                        score=Decimal(rng.randrange(21)),
                        correct_count=0,
                        duration_ms=duration,
                        client_key="",
                    )
                )
                if len(rows) >= BATCH:
                    insert_rows(rows)
                    rows = []
            insert_rows(rows)
        print(f"  {year}: {per_year:,} attempts by {len(numbers):,} contestants", flush=True)
    return time.perf_counter() - started


def add_activities(territory: Territory, activities: int, rng: random.Random) -> float:
    from django.db import transaction

    from lantoa.core.rows import insert_rows
    from lantoa.people.models import Activity, ActivityKind

    kinds = list(ActivityKind.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    with transaction.atomic():
        rows = []
        for _ in range(activities):
            day = some_day(rng)
            _province, below = territory.on(day)
            rows.append(
                Activity(
                    unit_id=below[rng.randrange(len(below))],
                    held_on=day,
                    kind_id=kinds[rng.randrange(len(kinds))],
                    topic="Tuyên truyền Nghị quyết Đại hội",
                    sessions=rng.randrange(1, 4),
                    people_reached=rng.randrange(10, 200),
                    status=Activity.Status.CONFIRMED,
                )
            )
            if len(rows) >= BATCH:
                insert_rows(rows)
                rows = []
        insert_rows(rows)
    return time.perf_counter() - started


def build(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from lantoa.demo.build import PROVINCE_CODE, demo_build
    from lantoa.org.models import Unit

    if connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    demo_build()
    print(f"demo built in {time.perf_counter() - started:.0f} s", flush=True)
    rng = random.Random(2021)
    territory = Territory(Unit.objects.get(code=PROVINCE_CODE))
    seconds = add_conferences(territory, args.sites, rng)
    print(f"{args.sites:,} conference sites through the services in {seconds:.0f} s", flush=True)
    seconds = add_attempts(territory, args.attempts, rng)
    print(f"{args.attempts:,} attempts in {seconds:.0f} s", flush=True)
    seconds = add_activities(territory, args.activities, rng)
    print(f"{args.activities:,} activities in {seconds:.0f} s", flush=True)


def run(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lantoa.accounts.models import User
    from lantoa.core.indicators import all_indicators
    from lantoa.core.startup import warm_up
    from lantoa.demo.build import PROVINCE_CODE
    from lantoa.meetings.models import BridgePoint
    from lantoa.org.models import Unit
    from lantoa.org.selectors import default_successor
    from lantoa.reports.selectors import MAIN_CODES, Period, unit_dashboard

    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores")
    if args.reuse:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the migrations added since the build, if any
    else:
        build(args)
    if connection.vendor == "postgresql":
        # The state autovacuum leaves a table in once it has stopped growing.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    province = Unit.objects.get(code=PROVINCE_CODE)
    today_unit = (default_successor(province) if province.closed_on else None) or province
    admin = User.objects.get(username="admin")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    warm_up()  # as a server process does before its first request (config/wsgi.py)
    sites = BridgePoint.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM contests_attempt WHERE submitted_at IS NOT NULL")
        attempts = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM people_activity")
        activities = cursor.fetchone()[0]
    print(f"records: {sites:,} conference sites, {attempts:,} attempts, {activities:,} outreach activities")

    def get(path: str, params: dict[str, Any]) -> Any:
        response = client.get(path, params)
        assert response.status_code == 200, (path, params, response.status_code)
        return response

    def queries(call: Any) -> int:
        with CaptureQueriesContext(connection) as captured:
            call()
        return len(captured)

    def raw(sql: str) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    probe_before = cpu_probe()
    ping_ms, _ = timed(lambda: get("/bench/ping", {}), args.repeat)
    sum_ms, _ = timed(lambda: raw("SELECT SUM(present) FROM meetings_bridgepoint"), args.repeat)
    count_ms, _ = timed(
        lambda: raw("SELECT COUNT(*) FROM contests_attempt WHERE submitted_at IS NOT NULL"), args.repeat
    )
    year = {"start": "2025-01-01", "end": "2025-12-31"}
    term = {"start": "2021-01-01", "end": "2025-12-31"}
    term_period = Period(dt.date(2021, 1, 1), dt.date(2025, 12, 31))
    codes = [indicator.code for indicator in all_indicators()]
    extended = MAIN_CODES + [code for code in EXTRA_CODES if code in codes]
    cases: list[tuple[str, Any]] = []
    for structure, label in (("current", "today's structure"), ("historical", "as it stood")):
        for name, period in (("2025", year), ("2021–2025", term)):
            params = {"unit": today_unit.code, **period, "structure": structure}
            cases.append((f"dashboard page, {name}, {label}", lambda p=params: get("/", p)))
        cases.append(
            (
                f"dashboard + contests and activities, 2021–2025, {label}",
                lambda s=structure: unit_dashboard(
                    by=admin, unit=today_unit, period=term_period, structure=s, codes=extended
                ),
            )
        )
        params = {"unit": today_unit.code, **term, "structure": structure, "indicator": codes}
        cases.append(
            (f"indicators API, {len(codes)} indicators, 2021–2025, {label}",
             lambda p=params: get("/api/v1/indicators/values", p))
        )  # fmt: skip
    rows = []
    for label, call in cases:
        ms, _ = timed(call, args.repeat)
        rows.append((label, ms, queries(call)))
    print()
    print(
        f"floors: ping {ping_ms:.1f} ms; raw SUM over {sites:,} sites {sum_ms:.1f} ms; "
        f"raw COUNT over {attempts:,} attempts {count_ms:.1f} ms"
    )
    print(f"cpu probe (ms, lower is faster): {probe_before:.0f} before, {cpu_probe():.0f} after")
    print(f"{'measure (median ms)':<62} {'ms':>8} {'queries':>8} {'× ping':>8}")
    for label, ms, count in rows:
        print(f"{label:<62} {ms:>8.1f} {count:>8} {ms / ping_ms:>8.1f}")
    board = unit_dashboard(by=admin, unit=today_unit, period=term_period, structure="current", codes=extended)
    print(
        "today's province, 2021–2025: "
        + ", ".join(f"{code}={figure.value}" for code, figure in board.total.figures.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--attempts", type=int, default=1_000_000)
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "dashboard.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="measure the database a previous run built")
    args = parser.parse_args()
    setup_django(Path(args.sqlite), keep=args.reuse)
    run(args)


if __name__ == "__main__":
    main()
