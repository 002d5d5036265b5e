"""Outreach-network benchmarks on the demo database (Lào Cai, with its generated network).

    python bench/people.py                   # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench python bench/people.py

It builds the demo (``manage.py demo`` — the provincial tree, the 2024 and 2025 restructuring
events and the outreach network with its activities) and prints medians next to a floor
measured in the same run:

* the seven outreach indicators for Lào Cai in July 2022 (historical structure) and in
  today's structure, floor: the same seven figures in raw SQL over the whole database (Lào Cai
  is the only province with records), without any tree logic;
* the coverage page's selector for the whole province, floor: the same raw figures;
* the first page of the province roster (100 rows, contacts masked per viewer), floor:
  100 persons fetched by primary key;
* recording activities through the service (validation, idempotency key) against the floor
  of inserting the same rows with ``Model.objects.create``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import reset_postgres, setup_django, timed  # noqa: E402

CODES = [
    "outreach_boards",
    "outreach_teams",
    "outreach_commune_cadres",
    "village_propagandists",
    "reporters",
    "outreach_activities",
    "people_reached",
]


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from lantoa.accounts.models import User
    from lantoa.demo.build import demo_build
    from lantoa.org.models import Unit
    from lantoa.org.rollup import indicator_values
    from lantoa.people import selectors, services
    from lantoa.people.models import Activity, ActivityKind, NetworkGroup, Person, RoleAssignment
    from lantoa.people.presenters import person_views

    if connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores")
    started = time.perf_counter()
    demo_build()
    print(f"demo built in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        # Fresh tables have no planner statistics until autovacuum gets to them; a database in
        # use has them. Measure that state, not the first minute after a bulk load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"records: {Person.objects.count():,} persons, {RoleAssignment.objects.count():,} roles held, "
        f"{NetworkGroup.objects.count():,} groups, {Activity.objects.count():,} activities"
    )
    province = Unit.objects.get(code="VN10")
    admin = User.objects.get(username="admin")
    viewer = User.objects.get(username="xem")
    repeat = args.repeat
    rows = []

    july = (dt.date(2022, 7, 1), dt.date(2022, 7, 31))

    def raw_figures() -> list[int]:
        """The same seven figures for the whole database in raw SQL, without any tree logic."""
        end, start = july[1], july[0]
        groups = (
            "SELECT COUNT(*) FROM people_networkgroup g JOIN people_groupkind k ON k.id = g.kind_id "
            "WHERE k.code = %s AND g.valid_from <= %s AND (g.valid_to IS NULL OR g.valid_to > %s)"
        )
        roles = (
            "SELECT COUNT(DISTINCT r.person_id) FROM people_roleassignment r "
            "JOIN people_networkrolekind k ON k.id = r.role_id "
            "WHERE k.code = %s AND r.valid_from <= %s AND (r.valid_to IS NULL OR r.valid_to > %s)"
        )
        activities = (
            "SELECT SUM(sessions), SUM(people_reached) FROM people_activity "
            "WHERE held_on >= %s AND held_on <= %s AND status <> 'withdrawn'"
        )
        queries = [
            (groups, ["outreach_board", end, end]),
            (groups, ["outreach_team", end, end]),
            (roles, ["outreach_cadre", end, end]),
            (roles, ["propagandist", end, end]),
            (roles, ["reporter", end, end]),
            (activities, [start, end]),
        ]  # fmt: skip
        with connection.cursor() as cursor:
            results = []
            for sql, params in queries:
                cursor.execute(sql, params)
                results.extend(cursor.fetchone())
        return results

    floor_count, raw = timed(raw_figures, repeat)
    print(f"July 2022, raw SQL over the whole database: {raw}")
    for structure in ("historical", "current"):
        ms, values = timed(
            lambda structure=structure: indicator_values(
                unit=province, start=july[0], end=july[1], codes=CODES, structure=structure
            ),
            repeat,
        )
        shown = ", ".join(f"{v.indicator.code}={v.value}" for v in values)  # type: ignore[attr-defined]
        print(f"July 2022, {structure}: {shown}")
        rows.append((f"7 outreach indicators, VN10, July 2022, {structure}", ms, floor_count))
    ms, coverage = timed(lambda: selectors.coverage(province, on=dt.date(2022, 7, 1)), repeat)
    total = coverage.total  # type: ignore[attr-defined]
    print(
        f"coverage on 2022-07-01: {total.communes_with_board}/{total.communes} communes with a board, "
        f"{total.villages_with_team}/{total.villages} villages with a team"
    )
    rows.append(("coverage of VN10 on 2022-07-01 (per child unit, with gaps)", ms, floor_count))

    first_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:100])
    floor_persons, _ = timed(lambda: list(Person.objects.filter(pk__in=first_ids).select_related("home_unit")), repeat)
    flt = selectors.RosterFilter(unit=province, active_on=dt.date(2022, 7, 1))
    for label, user in (("administrator", admin), ("viewer (masked)", viewer)):

        def page(user=user) -> int:  # type: ignore[no-untyped-def]
            user.__dict__.pop("_lantoa_scope_cache", None)
            roles = list(selectors.roster_for_user(user, flt)[:100])
            return len(person_views(user, {r.person for r in roles}))

        ms, _ = timed(page, repeat)
        rows.append((f"roster of VN10, first 100 rows, as {label}", ms, floor_persons))

    village = Unit.objects.filter(kind__tier__code="village", closed_on__isnull=True).order_by("code").first()
    kind = ActivityKind.objects.get(code="home_visits")
    count = args.activities

    def through_service() -> None:
        for _ in range(count):
            services.activity_record(
                by=None,
                data=services.ActivityData(
                    unit=village,  # type: ignore[arg-type]
                    held_on=dt.date(2026, 1, 10),
                    kind=kind,
                    topic="Nghị quyết Đại hội XIV",
                    people_reached=30,
                    client_key=uuid.uuid4().hex,
                ),
            )

    def raw_inserts() -> None:
        for _ in range(count):
            Activity.objects.create(
                unit=village, held_on=dt.date(2026, 1, 10), kind=kind, topic="Nghị quyết Đại hội XIV", people_reached=30
            )

    service_ms, _ = timed(through_service, 3)
    raw_ms, _ = timed(raw_inserts, 3)
    rows.append((f"record {count:,} activities, one at a time, per activity", service_ms / count, raw_ms / count))

    print()
    print(f"{'measure':<62} {'median ms':>10} {'floor ms':>9} {'× floor':>8}")
    for label, ms, floor in rows:
        print(f"{label:<62} {ms:>10.2f} {floor:>9.2f} {ms / floor if floor else 0:>8.1f}")
    print(
        "floors: indicators and coverage → the same seven figures in raw SQL over the whole database, "
        "without tree logic; roster → 100 persons by primary key; activities → Activity.objects.create "
        "of the same row"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--activities", type=int, default=500, help="activities recorded per timing")
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "people.sqlite3"))
    args = parser.parse_args()
    setup_django(Path(args.sqlite))
    run(args)


if __name__ == "__main__":
    main()
