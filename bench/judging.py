"""Judged-contest benchmarks at the scale of a national essay contest.

    python bench/judging.py                      # SQLite (a fresh file under var/bench/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench python bench/judging.py
    python bench/judging.py --entries 20000 --jurors 60    # a quicker run

What it builds: a tree of one country (``--provinces`` provinces of 10 districts of 10
communes), a written-essay contest with one screening stage on a three-criterion rubric,
``--entries`` entries (default 100,000) from random communes and districts through
``entries_create_many``, and ``--jurors`` jurors (default 300) of random communes and
provinces — so every entry from a juror's commune, or from the district or province above it,
is in conflict with that juror — plus ``--declared`` declared conflicts. Then it times, once
each (they change the data), and prints next to a floor measured in the same run:

* assigning every entry to k = 2 jurors (``services.stage_assign``: the conflicts through the
  scope rule, the balanced assignment, 200,000 sheets written), floor: inserting the same
  sheets with ``bulk_create`` and no logic; the loads are checked to differ by at most one and
  no sheet to go to a conflicted juror;
* the pure assignment alone (``scoring.assign`` on the same entries, jurors and conflicts);
* computing the stage's results (``services.stage_results_compute``: every submitted sheet
  read, normalised per juror, ranked, every entry's score and rank written), for the mean and
  the normalised rule, floor: a raw ``SELECT entry_id, AVG(total) … GROUP BY`` over the sheets.

Totals for the sheets are generated and written in one raw UPDATE (not a measured step).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import reset_postgres, setup_django  # noqa: E402

DAY = dt.date(2024, 3, 1)


def build(args: argparse.Namespace) -> tuple[object, dict[str, list[object]]]:
    from django.db import transaction

    from lantoa.accounts.models import User
    from lantoa.judging import services
    from lantoa.judging.models import JuryMember
    from lantoa.org.closure import rebuild_closure
    from lantoa.org.defaults import ensure_default_kinds
    from lantoa.org.services import unit_create
    from lantoa.people.bulk import persons_create_many
    from lantoa.people.services import PersonData

    kinds = ensure_default_kinds()
    epoch = dt.date(2020, 1, 1)
    units: dict[str, list[object]] = {"province": [], "district": [], "commune": []}
    with transaction.atomic():
        country = unit_create(
            by=None, code="X", name="Cả nước", kind=kinds["provincial_committee"], opened_on=epoch, rebuild=False
        )
        for p in range(args.provinces):
            province = unit_create(
                by=None,
                code=f"X{p:02d}",
                name=f"Tỉnh {p}",
                kind=kinds["provincial_committee"],
                parent=country,
                opened_on=epoch,
                rebuild=False,
            )
            units["province"].append(province)
            for d in range(10):
                district = unit_create(
                    by=None,
                    code=f"X{p:02d}-{d}",
                    name=f"Huyện {p}.{d}",
                    kind=kinds["district_committee"],
                    parent=province,
                    opened_on=epoch,
                    rebuild=False,
                )
                units["district"].append(district)
                for c in range(10):
                    units["commune"].append(
                        unit_create(
                            by=None,
                            code=f"X{p:02d}-{d}-{c}",
                            name=f"Xã {p}.{d}.{c}",
                            kind=kinds["commune_committee"],
                            parent=district,
                            opened_on=epoch,
                            rebuild=False,
                        )
                    )
        everything = [country, *units["province"], *units["district"], *units["commune"]]
        rebuild_closure([unit.pk for unit in everything])  # type: ignore[attr-defined]
        rng = random.Random("bench:judging")
        rubric = services.rubric_create(
            by=None,
            unit=country,
            name="Bài dự thi chính luận",
            criteria=[
                services.CriterionData(name="Nội dung", weight="50", max_score="50"),
                services.CriterionData(name="Lập luận", weight="30", max_score="30"),
                services.CriterionData(name="Hình thức", weight="20", max_score="20"),
            ],
        )
        competition = services.competition_create(
            by=None,
            data=services.CompetitionData(
                unit=country,
                title="Cuộc thi chính luận",
                kind="essay",
                starts_on=DAY,
                ends_on=DAY + dt.timedelta(days=90),
            ),
        )
        stage = services.stage_create(
            by=None,
            competition=competition,
            data=services.StageData(
                name="Sơ khảo",
                unit=country,
                starts_on=DAY,
                ends_on=DAY + dt.timedelta(days=30),
                rubric=rubric,
                jurors_per_entry=2,
            ),
        )
        entry_units = units["commune"] * 3 + units["district"]
        started = time.perf_counter()
        services.entries_create_many(
            by=None,
            competition=competition,
            items=[
                services.EntryData(unit=rng.choice(entry_units), title=f"Bài dự thi số {n}", members=f"Tác giả {n}")
                for n in range(args.entries)
            ],
        )
        print(f"{args.entries:,} entries created in {time.perf_counter() - started:.1f} s")
        juror_units = units["commune"] + units["province"]
        homes = [rng.choice(juror_units) for _ in range(args.jurors)]
        persons = persons_create_many(
            by=None,
            data=[
                PersonData(given_name=f"Giám khảo {n}", family_name="Nguyễn", home_unit=home)
                for n, home in enumerate(homes)
            ],
        )
        users = User.objects.bulk_create(
            [User(username=f"bench.juror.{n}", full_name=f"Giám khảo {n}") for n in range(args.jurors)]
        )
        JuryMember.objects.bulk_create(
            [
                JuryMember(stage=stage, person=person, user=user, unit=person.home_unit, role="member")
                for person, user in zip(persons, users, strict=True)
            ]
        )
        entries = list(stage.entry_rows.values_list("entry_id", flat=True))
        for person in rng.sample(persons, min(len(persons), args.declared)):
            services.conflict_declare(
                by=None, person=person, entry=stage.competition.entries.get(pk=rng.choice(entries)), declared_by="juror"
            )
    return stage, units


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from lantoa.judging import scoring, services
    from lantoa.judging.models import ScoreSheet
    from lantoa.judging.selectors import stage_conflicts

    if connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores")
    started = time.perf_counter()
    stage, _units = build(args)
    print(f"built in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rows = []

    conflicts = stage_conflicts(stage)
    jurors = list(stage.jurors.order_by("pk").values_list("pk", flat=True))
    entries = list(stage.entry_rows.order_by("entry_id").values_list("entry_id", flat=True))
    print(f"{sum(len(v) for v in conflicts.values()):,} conflicts over {len(conflicts):,} entries")

    started = time.perf_counter()
    plan = scoring.assign(entries, jurors, 2, conflicts)
    rows.append(("assignment, pure function", (time.perf_counter() - started) * 1000, None))

    # Floor: the same sheets inserted with bulk_create and no logic, then removed.
    with transaction.atomic():
        started = time.perf_counter()
        ScoreSheet.objects.bulk_create(
            [ScoreSheet(stage=stage, entry_id=e, juror_id=j) for e, chosen in plan.items() for j in chosen],
            batch_size=2000,
        )
        floor_insert = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)

    started = time.perf_counter()
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        result = profiler.runcall(services.stage_assign, by=None, stage=stage)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    else:
        result = services.stage_assign(by=None, stage=stage)
    took = (time.perf_counter() - started) * 1000
    rows.append(("assign 2 jurors per entry (service)", took, floor_insert))
    loads = Counter(ScoreSheet.objects.filter(stage=stage).values_list("juror_id", flat=True))
    spread = max(loads.values()) - min(loads.values())
    bad = sum(
        1
        for entry_id, juror_id in ScoreSheet.objects.filter(stage=stage)
        .values_list("entry_id", "juror_id")
        .iterator(chunk_size=10000)
        if juror_id in conflicts.get(entry_id, ())
    )
    print(
        f"sheets: {result.created:,}; loads {min(loads.values())}–{max(loads.values())} (spread {spread}); "
        f"sheets to a conflicted juror: {bad}"
    )
    assert spread <= 1 and bad == 0 and result.created == 2 * len(entries)

    # Submitted totals, generated (not measured): one raw UPDATE with a pseudo-random total.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE judging_scoresheet SET status = 'submitted', "
            "total = ((id * 7919 + juror_id * 104729) %% 6001) / 100.0 + 30 WHERE stage_id = %s",
            [stage.pk],
        )

    def raw_mean() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT entry_id, AVG(total) FROM judging_scoresheet "
                "WHERE stage_id = %s AND status = 'submitted' GROUP BY entry_id",
                [stage.pk],
            )
            return len(cursor.fetchall())

    started = time.perf_counter()
    raw_mean()
    floor_mean = (time.perf_counter() - started) * 1000
    for rule in ("mean", "normalised"):
        type(stage).objects.filter(pk=stage.pk).update(aggregation=rule)
        stage.refresh_from_db()
        started = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            ranked = profiler.runcall(services.stage_results_compute, by=None, stage=stage)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        else:
            ranked = services.stage_results_compute(by=None, stage=stage)
        rows.append((f"results of the stage, {rule} (service)", (time.perf_counter() - started) * 1000, floor_mean))
        assert ranked == len(entries)

    print()
    print(f"{'measure (one run each)':<44} {'ms':>10} {'floor ms':>10}")
    for name, value, floor in rows:
        print(f"{name:<44} {value:>10.0f} {'' if floor is None else f'{floor:.0f}':>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--jurors", type=int, default=300)
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--declared", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="print where the results' time goes (cProfile)")
    args = parser.parse_args()
    setup_django(ROOT / "var" / "bench" / "judging.sqlite3")
    run(args)


if __name__ == "__main__":
    main()
