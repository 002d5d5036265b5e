"""Organisation-tree benchmarks at national scale.

    python bench/run.py                      # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench python bench/run.py
    python bench/run.py --records 200000     # a smaller run

What it builds (see bench/README.md): the real pre-2025 tree of all 63 provinces from the
``vietnamadminunits`` package, generated village party cells under every commune, and
``--records`` benchmark records spread over Lào Cai's units in 2023–2024. Then it times, and
prints medians next to a floor measured in the same run:

* the subtree of a province (as of today and as of 2022), floor: fetching as many unit ids
  by primary key;
* the rollup of a sum over the records for a province, historical and current structures,
  floor: the same SUM in raw SQL with no tree logic;
* optionally (``--reorganise``) applying the whole 2025 reorganisation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(sqlite_path: Path, *, keep: bool = False) -> None:
    """Point Django at the benchmark database: a fresh SQLite file (kept with ``keep``) unless
    ``DATABASE_URL`` names another database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "1")
    if not os.environ.get("DATABASE_URL"):
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if not keep:
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(sqlite_path)
    import django

    django.setup()


def reset_postgres() -> None:
    """An empty schema in the benchmark's PostgreSQL database, created first on a new machine."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    # Django's own way to reach the server without the (possibly missing) database.
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time in milliseconds over ``repeat`` runs (after one warm-up)."""
    result = fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def build_tree(cells_per_commune: int) -> dict[str, int]:
    """The real pre-2025 tree of 63 provinces plus generated party cells under every commune."""
    from django.db import transaction

    from lantoa.core.text import fold
    from lantoa.org.closure import rebuild_closure
    from lantoa.org.defaults import ensure_default_kinds
    from lantoa.org.models import Unit, UnitName, UnitParent
    from lantoa.org.vn_units import import_provinces, load_legacy_provinces

    started = time.perf_counter()
    import_provinces(load_legacy_provinces())
    imported = time.perf_counter() - started
    cell_kind = ensure_default_kinds()["party_cell"]
    communes = list(Unit.objects.filter(kind__tier__code="commune").values_list("pk", "code", "opened_on"))
    started = time.perf_counter()
    with transaction.atomic():
        cells = [
            Unit(
                code=f"{code}-C{n:02d}",
                name=f"Chi bộ thôn {n}",
                name_folded=fold(f"Chi bộ thôn {n}"),
                kind=cell_kind,
                opened_on=opened,
                records_since=opened,
            )
            for _pk, code, opened in communes
            for n in range(1, cells_per_commune + 1)
        ]
        Unit.objects.bulk_create(cells, batch_size=5000)
        by_code = dict(Unit.objects.filter(kind=cell_kind).values_list("code", "pk"))
        names, links = [], []
        for pk, code, opened in communes:
            for n in range(1, cells_per_commune + 1):
                cell_id = by_code[f"{code}-C{n:02d}"]
                names.append(UnitName(unit_id=cell_id, name=f"Chi bộ thôn {n}", valid_from=opened))
                links.append(UnitParent(unit_id=cell_id, parent_id=pk, valid_from=opened))
        UnitName.objects.bulk_create(names, batch_size=5000)
        UnitParent.objects.bulk_create(links, batch_size=5000)
        rebuild_closure(by_code.values())
    cells_time = time.perf_counter() - started
    return {
        "units": Unit.objects.count(),
        "communes": len(communes),
        "cells": len(by_code),
        "import_seconds": round(imported, 1),
        "cells_seconds": round(cells_time, 1),
    }


def insert_records(province_code: str, count: int, seed: int = 7) -> float:
    """``count`` benchmark records on random units of one province; returns seconds."""
    from django.db import connection, transaction

    from lantoa.org import selectors
    from lantoa.org.models import Unit

    province = Unit.objects.get(code=province_code)
    unit_ids = list(selectors.unit_subtree(province).values_list("pk", flat=True))
    rng = random.Random(seed)
    first = dt.date(2023, 1, 1)
    started = time.perf_counter()
    table = "benchapp_benchrecord"
    with transaction.atomic(), connection.cursor() as cursor:
        batch = []
        for _ in range(count):
            day = first + dt.timedelta(days=rng.randrange(730))
            batch.append((rng.choice(unit_ids), day, rng.randint(1, 50), rng.randrange(200_000)))
            if len(batch) == 20_000:
                cursor.executemany(f"INSERT INTO {table} (unit_id, day, amount, person) VALUES (%s, %s, %s, %s)", batch)  # noqa: S608
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} (unit_id, day, amount, person) VALUES (%s, %s, %s, %s)", batch)  # noqa: S608
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}; ANALYZE org_unitclosure; ANALYZE org_unit;")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return time.perf_counter() - started


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from lantoa.org import selectors
    from lantoa.org.models import Unit
    from lantoa.org.rollup import indicator_values

    if connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores")
    shape = build_tree(args.cells)
    print(f"tree: {shape}")
    seconds = insert_records(args.province, args.records)
    print(f"records: {args.records:,} inserted in {seconds:.1f} s")

    province = Unit.objects.get(code=args.province)
    repeat = args.repeat
    size = selectors.unit_subtree(province).count()
    some_ids = list(Unit.objects.values_list("pk", flat=True)[:size])
    rows = []

    floor_ms, _ = timed(lambda: list(Unit.objects.filter(pk__in=some_ids).values_list("pk", flat=True)), repeat)
    now_ms, now = timed(lambda: list(selectors.unit_subtree(province).values_list("pk", flat=True)), repeat)
    old_ms, old = timed(
        lambda: list(selectors.unit_subtree(province, as_of=dt.date(2022, 7, 1)).values_list("pk", flat=True)), repeat
    )
    rows.append((f"subtree of {args.province} today ({len(now):,} unit ids)", now_ms, floor_ms))
    rows.append((f"subtree of {args.province} on 2022-07-01 ({len(old):,} unit ids)", old_ms, floor_ms))
    objects_floor, _ = timed(lambda: list(Unit.objects.filter(pk__in=some_ids).select_related("kind__tier")), repeat)
    objects_ms, _ = timed(lambda: list(selectors.unit_subtree(province)), repeat)
    rows.append((f"subtree of {args.province} as Unit objects with kind and tier", objects_ms, objects_floor))
    largest = _largest_province()
    big = selectors.unit_subtree(largest).count()
    big_ids = list(Unit.objects.values_list("pk", flat=True)[:big])
    big_floor, _ = timed(lambda: list(Unit.objects.filter(pk__in=big_ids).values_list("pk", flat=True)), repeat)
    big_ms, _ = timed(lambda: list(selectors.unit_subtree(largest).values_list("pk", flat=True)), repeat)
    rows.append((f"subtree of the largest province {largest.code} ({big:,} unit ids)", big_ms, big_floor))

    start, end = dt.date(2023, 1, 1), dt.date(2024, 12, 31)

    def raw_sum() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(amount) FROM benchapp_benchrecord WHERE day >= %s AND day <= %s", [start, end])
            return cursor.fetchone()[0]

    raw_ms, raw_total = timed(raw_sum, repeat)
    for structure in ("historical", "current"):
        ms, result = timed(
            lambda structure=structure: indicator_values(
                unit=province, start=start, end=end, codes=["bench_amount"], structure=structure
            ),
            repeat,
        )
        value = result[0].value  # type: ignore[index]
        assert value == raw_total, (structure, value, raw_total)
        rows.append((f"rollup of {args.records:,} records, {structure} structure", ms, raw_ms))

    print()
    print(f"{'measure':<58} {'median ms':>10} {'floor ms':>9} {'× floor':>8}")
    for label, ms, floor in rows:
        print(f"{label:<58} {ms:>10.1f} {floor:>9.1f} {ms / floor if floor else 0:>8.1f}")
    print(
        "floors: subtree → the same number of unit ids fetched by primary key; "
        "rollup → SUM(amount) over the same records in raw SQL without any tree logic"
    )

    if args.reorganise:
        reorganise = _reorganise_function()
        if reorganise is None:
            print("reorganise: lantoa.org.vn_reorganise is not available in this checkout")
            return
        started = time.perf_counter()
        report = reorganise()
        print(
            f"2025 reorganisation of all 63 provinces, with {shape['cells']:,} party cells moving with their "
            f"communes: {time.perf_counter() - started:.1f} s ({report})"
        )


def _largest_province():  # type: ignore[no-untyped-def]
    from django.db.models import Count

    from lantoa.org.models import Unit, UnitClosure

    top = (
        UnitClosure.objects.filter(ancestor__kind__tier__code="province", valid_to__isnull=True)
        .values("ancestor_id")
        .annotate(n=Count("descendant_id"))
        .order_by("-n")
        .first()
    )
    return Unit.objects.get(pk=top["ancestor_id"])


def _reorganise_function() -> Callable[[], object] | None:
    try:
        from lantoa.org.vn_reorganise import reorganise_2025
        from lantoa.org.vn_units import load_legacy_provinces
    except ImportError:
        return None

    def apply_all() -> str:
        report = reorganise_2025(load_legacy_provinces())
        return f"{len(report.provinces)} new provinces, {len(report.unmatched)} unmatched"

    return apply_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--cells", type=int, default=7, help="party cells generated under each commune")
    parser.add_argument("--province", default="VN10", help="Lantoa code of the province to measure")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reorganise", action="store_true", help="also time the 2025 reorganisation")
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "bench.sqlite3"))
    args = parser.parse_args()
    setup_django(Path(args.sqlite))
    run(args)


if __name__ == "__main__":
    main()


def cpu_probe() -> float:
    """Milliseconds for a fixed piece of pure-Python work (the median of three): the machine's
    speed at the moment, printed beside the floors. On a shared VM it moves by up to 2× within
    minutes, and an absolute target is then met or missed by the moment as much as by the code."""
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for number in range(2_000_000):
            total += number
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)
