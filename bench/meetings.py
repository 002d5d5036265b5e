"""Conference benchmark: a national conference with 31,000 bridge points and 1.93 million
attendances, and check-in throughput when many sites check in within the same minute.

    python bench/meetings.py                                   # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench_meetings python bench/meetings.py
    python bench/meetings.py --points 5000 --seconds 5         # a smaller run
    DATABASE_URL=… python bench/meetings.py --reuse            # the rollups again on the data built before

What it builds: the real pre-2025 tree of 63 provinces from the ``vietnamadminunits`` package
(696 districts, 10,035 communes) with three generated party cells under every commune, and a
national unit above the provinces (the tree has no national tier of its own; the benchmark adds
one) — the organiser of the national conference, as the XIV Congress study conference of
February 2026 was (about 31,000 bridge points and some 1.93 million attendances nationally).

What it times (each once, wall time; the whole run is one measurement):

* planning the conference with ``--points`` sites (the national host plus every province,
  district, commune and as many party cells as needed) through ``services.conference_create``;
  floor: inserting the same number of site rows with one ``bulk_create`` (no service);
* recording the headcount of every site (categories and denominators, ``--attendances`` in
  all) through ``services.attendance_record_many``; floor: the same rows written in raw SQL
  (an ``UPDATE`` per site, two count rows each inserted);
* the rollup for the national unit: conferences held, online bridge points, bridge points by
  level, attendances, both rates (``lantoa.org.rollup.indicator_values``), in the historical
  structure and today's, median of ``--repeat``; floor: ``SELECT SUM(present)`` over the sites
  in raw SQL;
* the conference figures page's selector for the national unit (the total, each of the 63
  provinces and the twelve months of 2026, one batched rollup), in both structures; same floor;

Check-ins per second over HTTP are measured by ``bench/public.py`` with the other public paths,
against their floors in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import build_tree, reset_postgres, setup_django, timed  # noqa: E402

NATIONAL_CODE = "VN"


def national_root() -> Any:
    """A national unit above the 63 provinces (benchmark only)."""
    from lantoa.org.closure import rebuild_closure
    from lantoa.org.models import Unit, UnitParent
    from lantoa.org.services import tier_ensure, unit_create, unit_kind_ensure
    from lantoa.org.vn_units import BASELINE

    tier = tier_ensure(code="central", name_vi="Trung ương", name_en="Central", rank=0)
    kind = unit_kind_ensure(
        code="central_committee", tier=tier, name_vi="Trung ương", name_en="Central", is_territorial=False
    )
    root = unit_create(by=None, code=NATIONAL_CODE, name="Trung ương (điểm cầu chính)", kind=kind, opened_on=BASELINE)
    provinces = list(Unit.objects.filter(kind__tier__code="province").exclude(pk=root.pk))
    UnitParent.objects.bulk_create(
        [UnitParent(unit=p, parent=root, valid_from=max(p.opened_on, root.opened_on)) for p in provinces]
    )
    rebuild_closure(Unit.objects.values_list("pk", flat=True))
    return root


def site_units(root: Any, count: int) -> list[Any]:
    """``count`` units for the bridge points: provinces, districts, communes, then party cells."""
    from lantoa.org.models import Unit

    order = {"province": 0, "district": 1, "commune": 2, "village": 3}
    units = list(Unit.objects.exclude(pk=root.pk).select_related("kind__tier").filter(closed_on=None))
    units.sort(key=lambda u: (order.get(u.kind.tier.code, 9), u.pk))
    return units[:count]


def headcounts(points: list[Any], total: int) -> list[tuple[Any, Any]]:
    """A headcount per site adding up to ``total`` attendances (deterministic)."""
    from lantoa.meetings.models import Category
    from lantoa.meetings.services import Headcount

    rng = random.Random(2026)
    weights = [rng.uniform(0.5, 1.5) for _ in points]
    scale = total / sum(weights)
    present = [int(w * scale) for w in weights]
    present[0] += total - sum(present)
    rows = []
    for point, number in zip(points, present, strict=True):
        members = number * 4 // 5
        rows.append(
            (
                point,
                Headcount(
                    present={Category.PARTY_MEMBERS: members, Category.NON_MEMBERS: number - members},
                    members_summoned=members + members // 10 + 2,
                    members_exempt=members // 20,
                    summoned=number + number // 8,
                ),
            )
        )
    return rows


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from lantoa.meetings.defaults import load_defaults
    from lantoa.meetings.models import BridgePoint, Conference, ConferenceKind, Format, Level
    from lantoa.meetings.services import (
        ConferenceData,
        SiteData,
        attendance_record_many,
        conference_create,
        conference_mark_held,
        new_point_code,
    )

    if connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores")
    started = time.perf_counter()
    shape = build_tree(3)
    root = national_root()
    print(f"tree: {shape['units'] + 1:,} units, built in {time.perf_counter() - started:.0f} s")
    load_defaults(ConferenceKind)
    kind = ConferenceKind.objects.get(code="resolution_study")
    units = site_units(root, args.points)
    day = dt.date(2026, 2, 26)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(7, 30)))

    def data(title: str, key: str) -> ConferenceData:
        return ConferenceData(
            title=title,
            kind=kind,
            organiser=root,
            level=Level.CENTRAL,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=4),
            format=Format.HYBRID,
            client_key=key,
        )

    # Floor: the same number of site rows, one bulk insert, no service (removed afterwards).
    floor_conference = Conference.objects.create(
        title="floor", kind=kind, organiser=root, level=Level.CENTRAL, starts_at=starts,
        ends_at=starts, held_on=day, format=Format.HYBRID,
    )  # fmt: skip
    clock = time.perf_counter()
    BridgePoint.objects.bulk_create(
        [
            BridgePoint(conference=floor_conference, unit=root, held_on=day, level="central", code=new_point_code(),
                        is_host=True)
        ]
        + [
            BridgePoint(conference=floor_conference, unit=u, held_on=day, level="commune", code=new_point_code())
            for u in units
        ],
        batch_size=2000,
    )  # fmt: skip
    insert_floor = time.perf_counter() - clock
    BridgePoint.objects.filter(conference=floor_conference).delete()
    floor_conference.delete()

    sites = [SiteData(unit=root, is_host=True, location="Hội trường Diên Hồng")] + [SiteData(unit=u) for u in units]
    clock = time.perf_counter()
    conference = conference_create(
        by=None, data=data("Hội nghị toàn quốc học tập Nghị quyết Đại hội XIV", "bench-national"), sites=sites
    ).obj
    create_seconds = time.perf_counter() - clock
    conference = conference_mark_held(by=None, conference=conference)
    points = list(conference.points.order_by("pk"))

    # Floor: the same rows written raw — one UPDATE per site and two count rows each, no service.
    clock = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE meetings_bridgepoint SET present = %s, summoned = %s WHERE id = %s",
            [(0, 0, point.pk) for point in points],
        )
        cursor.executemany(
            "INSERT INTO meetings_attendancecount (point_id, category, present, late) VALUES (%s, %s, %s, %s)",
            [(point.pk, category, 0, 0) for point in points for category in ("party_members", "non_members")],
        )
        cursor.execute(
            "DELETE FROM meetings_attendancecount WHERE point_id IN (SELECT id FROM meetings_bridgepoint "
            "WHERE conference_id = %s)",
            [conference.pk],
        )
    update_floor = time.perf_counter() - clock
    rows = headcounts(points, args.attendances)
    clock = time.perf_counter()
    attendance_record_many(by=None, rows=rows)
    record_seconds = time.perf_counter() - clock
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    found = measure(root, day, args.repeat, args.attendances, len(units))
    report(found, points=len(units), attendances=args.attendances, create_seconds=create_seconds,
           insert_floor=insert_floor, record_seconds=record_seconds, update_floor=update_floor)  # fmt: skip


def measure(root: Any, day: dt.date, repeat: int, attendances: int, points: int) -> dict[str, Any]:
    """The national rollup and the figures page in both structures, with the raw floor, checked."""
    from django.db import connection

    from lantoa.meetings.selectors import conference_rollup
    from lantoa.org.rollup import indicator_values

    codes = [
        "conferences_held",
        "online_bridge_points",
        "conference_attendances",
        "member_attendance_rate",
        "summoned_attendance_rate",
        *[f"bridge_points_{level}" for level in ("central", "province", "district", "commune", "grassroots")],
    ]

    def rollup(structure: str = "historical") -> dict[str, Any]:
        values = indicator_values(unit=root, start=day, end=day, codes=codes, structure=structure)
        return {v.indicator.code: v.value for v in values}

    def figures_page(structure: str) -> Any:
        return conference_rollup(unit=root, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), structure=structure)

    def raw_sum() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(present) FROM meetings_bridgepoint WHERE held_on = %s", [day])
            return int(cursor.fetchone()[0])

    raw_ms, raw_total = timed(raw_sum, repeat)
    rollup_ms, figures = timed(rollup, repeat)
    current_ms, _ = timed(lambda: rollup("current"), repeat)
    page_ms, page = timed(lambda: figures_page("historical"), repeat)
    page_current_ms, _ = timed(lambda: figures_page("current"), repeat)
    figures = rollup()
    assert figures["conference_attendances"] == raw_total == attendances, (figures, raw_total)
    assert rollup("current") == figures
    assert figures["online_bridge_points"] == points
    assert page.total["conference_attendances"] == raw_total  # type: ignore[attr-defined]
    return {
        "raw_ms": raw_ms, "rollup_ms": rollup_ms, "current_ms": current_ms, "page_ms": page_ms,
        "page_current_ms": page_current_ms, "figures": figures, "children": len(page.rows),  # type: ignore[attr-defined]
    }  # fmt: skip


def report(found: dict[str, Any], *, points: int, attendances: int, **build: float | None) -> None:
    def seconds(name: str) -> str:
        value = build.get(name)
        return "—" if value is None else f"{value:.2f}"

    raw_ms = found["raw_ms"]
    print()
    print(f"national conference: {points:,} bridge points + the host; {attendances:,} attendances")
    print(f"{'measure':<58} {'seconds/ms':>12} {'floor':>10}")
    print(
        f"{'plan the conference with every site (s)':<58} {seconds('create_seconds'):>12} {seconds('insert_floor'):>10}"
    )
    print(
        f"{'record the headcount of every site (s)':<58} {seconds('record_seconds'):>12} {seconds('update_floor'):>10}"
    )
    print(
        f"{'rollup for the national unit, 10 indicators (ms, median)':<58} {found['rollup_ms']:>12.1f} {raw_ms:>10.1f}"
    )
    print(f"{'the same in the current structure (ms, median)':<58} {found['current_ms']:>12.1f} {raw_ms:>10.1f}")
    label = f"figures page selector: total, {found['children']} children, 12 months (ms)"
    print(f"{label:<58} {found['page_ms']:>12.1f} {raw_ms:>10.1f}")
    print(f"{'the same in the current structure (ms, median)':<58} {found['page_current_ms']:>12.1f} {raw_ms:>10.1f}")
    print("figures: " + ", ".join(f"{k}={v}" for k, v in found["figures"].items()))


def reuse(args: argparse.Namespace) -> None:
    """Measure the rollups again on the database an earlier run built (no building, no writes)."""
    from django.db import connection

    from lantoa.meetings.models import BridgePoint, Conference
    from lantoa.org.models import Unit

    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores; reusing the data of an earlier run")
    conference = Conference.objects.get(client_key="bench-national")
    root = Unit.objects.get(pk=conference.organiser_id)
    points = BridgePoint.objects.filter(conference=conference, is_host=False).count()
    found = measure(root, conference.held_on, args.repeat, args.attendances, points)
    report(found, points=points, attendances=args.attendances)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=31_000)
    parser.add_argument("--attendances", type=int, default=1_930_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "meetings.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="measure the rollups on the data of an earlier run")
    args = parser.parse_args()
    setup_django(Path(args.sqlite), keep=args.reuse)
    if args.reuse:
        reuse(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
