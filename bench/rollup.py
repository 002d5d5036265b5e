"""The rollup behind dashboards, on the demo: the conference figures page and the indicators API.

    python bench/rollup.py                   # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench_rollup python bench/rollup.py

It builds the demo (``manage.py demo``: Lào Cai's tree with its 2024 and 2025 restructuring,
688 conferences, 577 online bridge points, 118,215 attendances, the outreach network) and, signed
in as the demo administrator through Django's test client (the whole request: middleware, scope,
rollup, template), prints the median of ``--repeat`` runs and the queries of one run for:

* the conference figures page for the province over March 2021 – July 2022 (the total, every
  child unit, 17 months and the bridge points per level), historical structure and today's;
* ``GET /api/v1/indicators/values`` for the province with every registered indicator, in both
  structures.

``--reuse`` measures the database a previous run built. Floors, measured in the same run
through the same client: ``GET /bench/ping`` (a bare view, the least a request costs) and
``SELECT SUM(present)`` over every bridge point in raw SQL (the least a figure costs, with no
tree logic). Every figure of the page's total is checked against the API's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import reset_postgres, setup_django, timed  # noqa: E402

PERIOD = {"start": "2021-03-01", "end": "2022-07-31"}


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lantoa.accounts.models import User
    from lantoa.core.indicators import all_indicators
    from lantoa.demo.build import PROVINCE_CODE, demo_build
    from lantoa.meetings.selectors import conference_rollup
    from lantoa.org.models import Unit
    from lantoa.org.selectors import default_successor

    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores")
    if not args.reuse:
        if connection.vendor == "postgresql":
            reset_postgres()
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        started = time.perf_counter()
        demo_build()
        print(f"demo built in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        # The state autovacuum leaves a table in once it has stopped growing: statistics, and
        # the visibility map that lets an index answer without the table's rows.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    province = Unit.objects.get(code=PROVINCE_CODE)
    today_unit = default_successor(province) if province.closed_on else province
    assert today_unit is not None
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="admin"))
    codes = [indicator.code for indicator in all_indicators()]

    def get(path: str, params: dict[str, Any]) -> Any:
        response = client.get(path, params)
        assert response.status_code == 200, (path, params, response.status_code)
        return response

    def queries(path: str, params: dict[str, Any]) -> int:
        with CaptureQueriesContext(connection) as captured:
            get(path, params)
        return len(captured)

    def raw_sum() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT SUM(present) FROM meetings_bridgepoint")
            return int(cursor.fetchone()[0] or 0)

    ping_ms, _ = timed(lambda: get("/bench/ping", {}), args.repeat)
    sum_ms, _ = timed(raw_sum, args.repeat)
    cases = [
        ("figures page, province, historical", "/meetings/rollup/",
         {"unit": province.code, **PERIOD, "structure": "historical"}),
        ("figures page, province, today's structure", "/meetings/rollup/",
         {"unit": today_unit.code, **PERIOD, "structure": "current"}),
        (f"indicators API, {len(codes)} indicators, historical", "/api/v1/indicators/values",
         {"unit": province.code, **PERIOD, "indicator": codes}),
        (f"indicators API, {len(codes)} indicators, today's structure", "/api/v1/indicators/values",
         {"unit": today_unit.code, **PERIOD, "structure": "current", "indicator": codes}),
    ]  # fmt: skip
    rows = []
    for label, path, params in cases:
        ms, _ = timed(lambda path=path, params=params: get(path, params), args.repeat)
        rows.append((label, ms, queries(path, params)))

    # The page's selector and the API answer the same figures.
    page = conference_rollup(
        unit=province, start=dt.date.fromisoformat(PERIOD["start"]), end=dt.date.fromisoformat(PERIOD["end"])
    )
    api = get("/api/v1/indicators/values", cases[2][2]).json()
    by_code = {item["code"]: item["value_exact"] for item in api["items"]}
    for code, value in page.total.items():
        assert (None if value is None else str(value)) == by_code[code], (code, value, by_code[code])

    print()
    print(f"floors: ping {ping_ms:.1f} ms; raw SUM over every bridge point {sum_ms:.1f} ms")
    print(f"{'measure (median ms)':<58} {'ms':>8} {'queries':>8} {'× ping':>8}")
    for label, ms, count in rows:
        print(f"{label:<58} {ms:>8.1f} {count:>8} {ms / ping_ms:>8.1f}")
    print("figures (historical): " + ", ".join(f"{code}={value}" for code, value in page.total.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "rollup.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="measure the demo a previous run built")
    args = parser.parse_args()
    setup_django(Path(args.sqlite), keep=args.reuse)
    run(args)


if __name__ == "__main__":
    main()
