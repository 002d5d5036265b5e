"""Action programmes at province scale: the coverage (rollup) page and "My work".

    python bench/plans.py                    # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench_plans python bench/plans.py
    python bench/plans.py --communes 20      # a quicker run

It builds two provinces of communes (organisation kinds and tiers as the product seeds them):

* the large one: ``--communes`` communes (default 100), each with ``--programmes`` action
  programmes (default 5, one for each of five resolutions), each of ``--tasks`` tasks (default 40),
  each with ``--updates`` progress updates (default 12) — 100 × 5 × 40 = 20,000 tasks and
  240,000 updates; programmes and tasks with ``bulk_create``, updates with one ``executemany``
  per batch (``lantoa.core.rows.insert_rows``); a task's ``percent_done`` and ``last_update_on``
  are its latest update's, as ``progress_record`` keeps them; deadlines spread over 2021–2028 so
  that some tasks are overdue, some due within 14 days and about half done;
* a small one of 10 communes built the same way, to show the queries do not grow with the units;

then, through the services, the province's own programme with a task and an update, and for each
resolution the deadline for the communes' programmes (``requirement_set``, which judges every
programme already issued on time or late).

Signed in through Django's test client (the whole request: middleware, scope, selector,
template), it prints the median of ``--repeat`` runs after one warm-up, and the queries of one
run, for:

* the coverage of one resolution's deadline (100 communes, 100 programmes, 4,000 tasks): the
  selector ``requirement_coverage`` and the page ``/plans/requirements/<pk>/``, as the tree stood
  on the deadline and as it stands today, and the API ``/api/v1/plans/requirements/<pk>/coverage``;
* "My work" (``plans.selectors.my_work_items``: tasks due within 14 days or overdue, follow-ups,
  recommendations to answer) for a commune's officer and for the province's officer (whose units
  hold all 20,000 tasks), and the page it links to, ``/plans/tasks/?due=soon``.

Floors, measured in the same run: ``GET /bench/ping`` through the same client (the least a
request costs) and a raw SQL ``COUNT`` over the same tables (the tasks of the resolution's
programmes in the province, joined to their programmes, no tree logic, no permission). Afterwards
the coverage's task and done counts and "My work"'s count are checked against raw SQL counts, and
the queries of every measure are asserted equal for the 10- and the 100-commune province.
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

from bench.run import reset_postgres, setup_django, timed  # noqa: E402

RESOLUTION_DAY = dt.date(2021, 3, 1)
DEADLINE = dt.date(2021, 4, 30)
FIRST_TASK_DAY = dt.date(2021, 5, 1)
BATCH = 20_000
DUE_SOON_DAYS = 14


class Province:
    def __init__(self, unit: Any, communes: list[Any], documents: list[Any], requirements: list[Any]) -> None:
        self.unit = unit
        self.communes = communes
        self.documents = documents
        self.requirements = requirements


def build_units(code: str, communes: int) -> tuple[Any, list[Any]]:
    from lantoa.org.closure import rebuild_closure
    from lantoa.org.defaults import ensure_default_kinds
    from lantoa.org.services import unit_create

    kinds = ensure_default_kinds()
    opened = dt.date(2020, 1, 1)
    province = unit_create(
        by=None, code=code, name=f"Đảng bộ tỉnh {code}", kind=kinds["provincial_committee"], opened_on=opened
    )
    below = [
        unit_create(
            by=None, code=f"{code}-{n:03d}", name=f"Đảng bộ xã Số {n} ({code})", kind=kinds["commune_committee"],
            parent=province, opened_on=opened, rebuild=False,
        )
        for n in range(1, communes + 1)
    ]  # fmt: skip
    rebuild_closure([province.pk, *(unit.pk for unit in below)])
    return province, below


def build_documents(province: Any, count: int) -> list[Any]:
    from lantoa.library.models import Document, DocumentKind

    kind, _created = DocumentKind.objects.get_or_create(
        code="resolution", defaults={"name_vi": "Nghị quyết", "name_en": "Resolution"}
    )
    return [
        Document.objects.create(
            kind=kind, title=f"Nghị quyết số {n} của Ban Chấp hành Đảng bộ tỉnh",
            slug=f"bench-plans-{province.code}-{n}", number=f"{n:02d}-NQ/TU", owner_unit=province,
            issued_on=RESOLUTION_DAY, visibility="internal",
        )
        for n in range(1, count + 1)
    ]  # fmt: skip


def build_work(province: Any, communes: list[Any], documents: list[Any], args: argparse.Namespace, rng: Any) -> int:
    """Programmes, tasks and updates in bulk; returns the number of updates written."""
    from django.db import transaction

    from lantoa.core.rows import insert_rows
    from lantoa.org.selectors import today
    from lantoa.plans.models import ActionProgramme, ProgrammeTask, ProgressUpdate

    day = today()
    written = 0
    with transaction.atomic():
        programmes = ActionProgramme.objects.bulk_create(
            [
                ActionProgramme(
                    unit=commune, origin_unit=commune, document=document,
                    title=f"Chương trình hành động thực hiện {document.number}",
                    decision_number=f"{n + 1}-CTr/ĐU", issued_on=DEADLINE + dt.timedelta(days=rng.randrange(-40, 30)),
                )
                for commune in communes
                for n, document in enumerate(documents)
            ],
            batch_size=BATCH,
        )  # fmt: skip
        tasks: list[Any] = []
        plans: list[list[tuple[dt.date, int]]] = []
        for programme in programmes:
            for position in range(1, args.tasks + 1):
                starts = FIRST_TASK_DAY + dt.timedelta(days=rng.randrange(0, 2000))
                due = starts + dt.timedelta(days=rng.randrange(30, 720))
                last = min(due, day)
                done = due < day and rng.random() < 0.7
                span = max(0, (last - starts).days) if last >= starts else 0
                dates = sorted(starts + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(args.updates))
                percents = sorted(rng.randrange(0, 100) for _ in range(args.updates))
                if done:
                    percents[-1] = 100
                steps = list(zip(dates, percents, strict=True)) if last >= starts else []
                plans.append(steps)
                tasks.append(
                    ProgrammeTask(
                        programme=programme, position=position,
                        title=f"Nhiệm vụ {position}: tổ chức học tập, tuyên truyền Nghị quyết",
                        owner_unit_id=programme.unit_id if position % 2 else None,
                        counted_unit_id=programme.unit_id,  # the owner unit, or the programme's for a role
                        owner_role="" if position % 2 else "Ban Tuyên giáo chủ trì",
                        starts_on=starts, due_on=due, expected_result="100 % đảng viên được học tập",
                        percent_done=steps[-1][1] if steps else 0, last_update_on=steps[-1][0] if steps else None,
                    )
                )  # fmt: skip
        tasks = ProgrammeTask.objects.bulk_create(tasks, batch_size=BATCH)
        updates: list[Any] = []
        for task, steps in zip(tasks, plans, strict=True):
            for recorded_on, percent in steps:
                updates.append(
                    ProgressUpdate(
                        task_id=task.pk, percent=percent, recorded_on=recorded_on, note="Đã báo cáo tiến độ",
                        url="https://example.org/minh-chung.pdf",
                    )
                )  # fmt: skip
            if len(updates) >= BATCH:
                insert_rows(updates)
                written += len(updates)
                updates = []
        insert_rows(updates)
        written += len(updates)
    return written


def build_province(code: str, communes: int, args: argparse.Namespace, rng: Any) -> Province:
    from lantoa.org.models import Tier
    from lantoa.plans import services

    started = time.perf_counter()
    province, below = build_units(code, communes)
    documents = build_documents(province, args.programmes)
    updates = build_work(province, below, documents, args, rng)
    # A small part through the services: the province's own programme, a task for the first
    # commune and its update; then the deadlines, which judge every programme issued before.
    own = services.programme_create(
        by=None,
        data=services.ProgrammeData(
            unit=province, document=documents[0], title="Chương trình hành động của Tỉnh ủy",
            decision_number="45-CTr/TU", issued_on=dt.date(2021, 3, 20),
        ),
    )  # fmt: skip
    task = services.task_add(
        by=None,
        programme=own,
        data=services.TaskData(
            title="Hướng dẫn các đảng bộ xã xây dựng chương trình", starts_on=dt.date(2021, 3, 20),
            due_on=dt.date(2021, 4, 30), owner_unit=below[0],
        ),
    )  # fmt: skip
    services.progress_record(
        by=None, task=task, data=services.UpdateData(percent=100, recorded_on=dt.date(2021, 4, 25), note="Đã hướng dẫn")
    )
    tier = Tier.objects.get(code="commune")
    requirements = [
        services.requirement_set(by=None, unit=province, document=document, tier=tier, due_on=DEADLINE)
        for document in documents
    ]
    print(
        f"{code}: {communes} communes, {communes * args.programmes} programmes, "
        f"{communes * args.programmes * args.tasks:,} tasks, {updates:,} updates "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return Province(province, below, documents, requirements)


def raw_count(sql: str, params: list[Any]) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


TASKS_OF_DOCUMENT = (
    "SELECT COUNT(*) FROM plans_programmetask t JOIN plans_actionprogramme p ON p.id = t.programme_id "
    "WHERE p.document_id = %s AND p.origin_unit_id <> %s"
)


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lantoa.accounts.services import assignment_create, user_create
    from lantoa.org.selectors import today
    from lantoa.plans.selectors import my_work_items, requirement_coverage

    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores; load average {os.getloadavg()}")
    if connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    rng = random.Random(16)
    provinces = {size: build_province(f"B{size}", size, args, rng) for size in sorted({10, args.communes})}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    day = today()

    def sign_in(role: str, unit: Any) -> tuple[Any, Client]:
        user = user_create(
            by=None, username=f"{role}-{unit.code}", full_name="Cán bộ", email="b@example.org", language="vi"
        )
        assignment_create(by=None, user=user, unit=unit, role=role, valid_from=dt.date(2020, 1, 1))
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        return user, client

    def get(client: Client, path: str, params: dict[str, Any] | None = None) -> Any:
        response = client.get(path, params or {})
        assert response.status_code == 200, (path, response.status_code)
        return response

    def count_queries(fn: Any) -> int:
        fn()
        with CaptureQueriesContext(connection) as captured:
            fn()
        return len(captured)

    measures: dict[int, list[tuple[str, Any]]] = {}
    for size, province in provinces.items():
        requirement = province.requirements[0]
        _manager, manager = sign_in("manager", province.unit)
        province_officer, province_client = sign_in("officer", province.unit)
        commune_officer, commune_client = sign_in("officer", province.communes[0])
        page = f"/plans/requirements/{requirement.pk}/"
        api = f"/api/v1/plans/requirements/{requirement.pk}/coverage"
        measures[size] = [
            ("coverage selector, as the tree stood (deadline)",
             lambda r=requirement: requirement_coverage(r, structure="historical")),
            ("coverage selector, as the tree stands today",
             lambda r=requirement: requirement_coverage(r, structure="current")),
            ("coverage page, as the tree stood", lambda c=manager, p=page: get(c, p, {"structure": "historical"})),
            ("coverage page, as the tree stands today", lambda c=manager, p=page: get(c, p, {"structure": "current"})),
            ("coverage API, as the tree stood", lambda c=manager, p=api: get(c, p, {"structure": "historical"})),
            ('"My work" selector, commune officer', lambda u=commune_officer: my_work_items(u, None)),
            ('"My work" selector, province officer', lambda u=province_officer: my_work_items(u, None)),
            ("tasks due page (?due=soon), commune officer",
             lambda c=commune_client: get(c, "/plans/tasks/", {"due": "soon"})),
            ("tasks due page (?due=soon), province officer",
             lambda c=province_client: get(c, "/plans/tasks/", {"due": "soon"})),
            ('home page with "My work" (/), commune officer', lambda c=commune_client: get(c, "/")),
            ('home page with "My work" (/), province officer', lambda c=province_client: get(c, "/")),
        ]  # fmt: skip

        # Correctness: the coverage and "My work" against raw SQL over the same rows.
        coverage = requirement_coverage(requirement, structure="historical")
        tasks = raw_count(TASKS_OF_DOCUMENT, [requirement.document_id, province.unit.pk])
        done = raw_count(TASKS_OF_DOCUMENT + " AND t.percent_done >= 100", [requirement.document_id, province.unit.pk])
        assert coverage.counts["units"] == size and coverage.counts["missing"] == 0, coverage.counts
        assert (coverage.tasks, coverage.done) == (tasks, done), (coverage.tasks, coverage.done, tasks, done)
        soon = day + dt.timedelta(days=DUE_SOON_DAYS)
        due_in_province = raw_count(
            "SELECT COUNT(*) FROM plans_programmetask t JOIN plans_actionprogramme p ON p.id = t.programme_id "
            "WHERE t.percent_done < 100 AND t.due_on <= %s AND p.unit_id IN "
            "(SELECT descendant_id FROM org_unitclosure WHERE ancestor_id = %s AND valid_to IS NULL)",
            [soon, province.unit.pk],
        )
        items = [item for item in my_work_items(province_officer, None) if item.url.endswith("?due=soon")]
        assert items and items[0].count == due_in_province, (items, due_in_province)
        print(
            f"  checked {province.unit.code}: coverage {coverage.counts}, tasks done {done}/{tasks}; "
            f'"My work" of the province: {due_in_province} tasks due within 14 days or overdue',
            flush=True,
        )

    # The queries of every measure are the same for 10 and for N communes.
    queries = {size: [count_queries(fn) for _label, fn in rows] for size, rows in measures.items()}
    small, large = queries[min(queries)], queries[max(queries)]
    assert small == large, (small, large)

    big = provinces[args.communes]
    _unused, ping_client = sign_in("viewer", big.unit)
    ping_ms, _ = timed(lambda: get(ping_client, "/bench/ping"), args.repeat)
    floor_ms, _ = timed(
        lambda: raw_count(TASKS_OF_DOCUMENT, [big.requirements[0].document_id, big.unit.pk]), args.repeat
    )
    results = [(label, timed(fn, args.repeat)[0]) for label, fn in measures[args.communes]]
    print()
    print(f"load average after the run: {os.getloadavg()}")
    print(
        f"floors: GET /bench/ping {ping_ms:.1f} ms; raw SQL COUNT of the resolution's tasks "
        f"({raw_count(TASKS_OF_DOCUMENT, [big.requirements[0].document_id, big.unit.pk]):,}) {floor_ms:.2f} ms"
    )
    print(f"{'measure (median of ' + str(args.repeat) + ', ms)':<50} {'ms':>8} {'× ping':>8} "
          f"{'queries (10 / ' + str(args.communes) + ' communes)':>28}")  # fmt: skip
    for (label, ms), few, many in zip(results, small, large, strict=True):
        print(f"{label:<50} {ms:>8.1f} {ms / ping_ms:>8.1f} {f'{few} / {many}':>28}")
    slow = [label for label, ms in results if ms >= 200]
    print("all under 200 ms" if not slow else f"at or over 200 ms: {slow}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--programmes", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--updates", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "plans.sqlite3"))
    args = parser.parse_args()
    if args.communes < 10:
        parser.error("--communes must be at least 10 (the queries are compared with a province of 10)")
    setup_django(Path(args.sqlite))
    run(args)


if __name__ == "__main__":
    main()
