"""Anonymous surveys: card answers over HTTP against the insert floor, and the results of a
100,000-answer survey over a province.

    python bench/surveys.py                                                           # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantoa_bench_surveys python bench/surveys.py
    python bench/surveys.py --rounds 5 --seconds 5 --repeat 9                         # a longer run

What it builds: the demo (today's Lào Cai, VN10, and its ~100 communes directly under the
province), then two surveys of the province with the commune tier as audience:

* the answered-over-HTTP survey: four questions (single choice, rating 1–5, multiple choice,
  number), ``--pool`` one-time cards issued through ``batch_issue`` in batches per commune;
* the results survey: the "after a study conference" questionnaire (five questions: three single
  choices, a rating, a multiple choice and a free text), with ``--answers`` answers (100,000) and
  their items written in bulk by :func:`generate_answers`, spread over the communes — one commune in
  ten is tiny (3 to 9 answers), so small-group suppression has cells to hide.

What it times:

* (a) gunicorn (``--workers`` × ``--threads``) on 127.0.0.1 with the benchmark settings, behind
  one trusted proxy (each card sends its own address in ``X-Forwarded-For``), loaded by Debian's
  ``wrk`` with ``--connections`` connections (the issue's 64), in ``--rounds`` rounds taking turns:
  floor ``POST /bench/insert`` (one ORM row in its own transaction) and
  ``POST /api/v1/surveys/answer`` (look the card up, check the survey is open, parse the four
  answers, claim the card with one conditional ``UPDATE``, insert the answer and its five items,
  all in one transaction), every request a different card. It prints answers per second, wrk's
  median and p99 latency and the ratio to the floor (median of the rounds' ratios), against the
  issue's targets (≥ 50 % of the floor, ≥ 1,000 answers/s on PostgreSQL). Then it checks that the
  answers stored, the cards used and the 201 answers in the server's access log are the same
  number (none lost, none counted twice), and that every answer has its five items.
* (b) after the daily reseal (which writes the tallies of past days, as in production),
  ``lantoa.surveys.selectors.survey_results`` of the results survey — every question, with
  primary and complementary suppression — in the historical and in today's structure, median of
  ``--repeat`` runs after one warm-up, against the floor: one raw
  ``SELECT unit_id, version_id, option_id, number, COUNT(*) … GROUP BY`` over the same items.
  Each result is checked against the raw counts (the whole audience's row is the raw total of
  each question) before it is reported; the target is < 500 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_load import served  # noqa: E402
from bench.public import Run, wrk  # noqa: E402
from bench.run import reset_postgres, setup_django, timed  # noqa: E402

ANSWER_RATIO = 0.50
ANSWERS_PER_SECOND = 1_000
RESULTS_MS = 500.0
ANSWER_PATH = "/api/v1/surveys/answer"
ITEMS_PER_ANSWER = 5  # single, rating, two options of the multiple choice, number
SEED = "lantoa-bench-surveys"


def _address(n: int) -> str:
    """A distinct private address per card (10.x.y.z)."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def province_and_communes() -> tuple[Any, list[Any]]:
    from lantoa.org.models import Unit
    from lantoa.org.selectors import unit_children

    province = Unit.objects.get(code="VN10")
    communes = list(unit_children(province).filter(kind__tier__code="commune").order_by("code"))
    return province, communes


def _fields(province: Any, title: str) -> Any:
    from lantoa.org.models import Tier
    from lantoa.surveys import services

    today = services.local_today()
    return services.SurveyFields(
        title_vi=title,
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=20),
        audience_root=province,
        audience_tier=Tier.objects.get(code="commune"),
    )


def build_answer_survey(pool: int) -> tuple[int, list[str], dict[str, list[str]]]:
    """The survey answered over HTTP, its ``pool`` cards (shuffled) and the answers each sends."""
    from lantoa.surveys import services
    from lantoa.surveys.models import QuestionKind, SurveyStatus

    province, communes = province_and_communes()
    survey = services.survey_create(by=None, owner=province, fields=_fields(province, "Khảo sát đo tải"))
    section = services.section_add(by=None, survey=survey, title_vi="Phần 1")
    for fields in (
        services.QuestionFields(
            kind=QuestionKind.SINGLE, text_vi="Hội nghị có bổ ích không?", options=(("Có", ""), ("Không", ""))
        ),
        services.QuestionFields(kind=QuestionKind.RATING, text_vi="Chất lượng báo cáo viên", scale=5),
        services.QuestionFields(
            kind=QuestionKind.MULTIPLE,
            text_vi="Nội dung cần bổ sung",
            options=(("Điểm mới", ""), ("Nhiệm vụ", ""), ("Tài liệu", "")),
        ),
        services.QuestionFields(kind=QuestionKind.NUMBER, text_vi="Số buổi đã dự", minimum=0, maximum=50),
    ):
        services.question_add(by=None, section=section, fields=fields)
    services.survey_set_status(by=None, survey=survey, status=SurveyStatus.OPEN)
    survey.refresh_from_db()
    answers: dict[str, list[str]] = {}
    for version in services.current_versions(survey):
        options = [str(option.pk) for option in version.options.all()]
        answers[str(version.question_id)] = {
            QuestionKind.SINGLE: options[:1],
            QuestionKind.RATING: ["4"],
            QuestionKind.MULTIPLE: options[:2],
            QuestionKind.NUMBER: ["3"],
        }[QuestionKind(version.kind)]
    started = time.perf_counter()
    codes: list[str] = []
    share = -(-pool // len(communes))
    for commune in communes:
        size = min(share, pool - len(codes))
        if size <= 0:
            break
        batch = services.batch_issue(by=None, survey=survey, unit=commune, size=size)
        codes += batch.tokens.values_list("code", flat=True)
    random.Random(SEED).shuffle(codes)
    print(f"issued {len(codes):,} cards to {len(communes)} communes in {time.perf_counter() - started:.0f} s")
    return survey.pk, codes, answers


def answer_counts(survey_id: int) -> tuple[int, int, int]:
    """Answers stored, their items, cards used."""
    from lantoa.surveys.models import Answer, AnswerItem, Token

    return (
        Answer.objects.filter(survey_id=survey_id).count(),
        AnswerItem.objects.filter(answer__survey_id=survey_id).count(),
        Token.objects.filter(batch__survey_id=survey_id, used_on__isnull=False).count(),
    )


def logged_answers(log: Path) -> Counter[str]:
    """The answer endpoint's responses by status, from the server's access log."""
    statuses: Counter[str] = Counter()
    for line in log.read_text().splitlines():
        status, path = line.split(" ", 1)
        if path == ANSWER_PATH:
            statuses[status] += 1
    return statuses


# --- (b) the results of a 100,000-answer survey ----------------------------------------------------


def generate_answers(answers: int) -> tuple[Any, Counter[int]]:
    """The results survey and ``answers`` answers with their items, written in bulk (no service:
    the answers are data for the read being timed). Returns the survey and the answers per commune."""
    from lantoa.surveys import services
    from lantoa.surveys.models import Answer, AnswerItem, QuestionKind

    province, communes = province_and_communes()
    survey = services.survey_from_template(
        by=None, key="study_conference", owner=province, fields=_fields(province, "Khảo sát kết quả")
    )
    versions = services.current_versions(survey)
    rng = random.Random(SEED)
    tiny = [commune for number, commune in enumerate(communes) if number % 10 == 4]
    large = [commune for commune in communes if commune not in tiny]
    per_unit: Counter[int] = Counter({commune.pk: rng.randint(3, 9) for commune in tiny})
    weights = [rng.uniform(0.3, 2.0) for _ in large]
    for commune in rng.choices(large, weights, k=answers - sum(per_unit.values())):
        per_unit[commune.pk] += 1
    leans = {commune.pk: rng.uniform(0.2, 0.9) for commune in communes}
    start = services.local_today() - dt.timedelta(days=19)
    started = time.perf_counter()
    rows: list[Any] = []
    items: list[Any] = []

    def flush() -> None:
        Answer.objects.bulk_create(rows, batch_size=5_000)
        AnswerItem.objects.bulk_create(items, batch_size=5_000)
        rows.clear()
        items.clear()

    units = [unit for unit, count in per_unit.items() for _ in range(count)]
    rng.shuffle(units)
    for unit_id in units:
        answer = Answer(id=uuid.uuid4(), survey=survey, unit_id=unit_id, day=start + dt.timedelta(rng.randrange(20)))
        rows.append(answer)
        lean = leans[unit_id]
        for version in versions:
            options = list(version.options.all())
            if version.kind == QuestionKind.SINGLE:
                weights = [max(0.05, (1 - index / len(options)) * lean + 0.15) for index in range(len(options))]
                items.append(AnswerItem(answer=answer, version=version, option=rng.choices(options, weights)[0]))
            elif version.kind == QuestionKind.RATING:
                top = version.scale or 5
                number = min(top, max(1, round(rng.gauss(2 + lean * (top - 2), 0.9))))
                items.append(AnswerItem(answer=answer, version=version, number=number))
            elif version.kind == QuestionKind.MULTIPLE:
                items += [
                    AnswerItem(answer=answer, version=version, option=option)
                    for option in options
                    if rng.random() < 0.35
                ]
            elif version.kind == QuestionKind.NUMBER:
                items.append(AnswerItem(answer=answer, version=version, number=rng.randint(0, 12)))
            elif version.kind == QuestionKind.TEXT and rng.random() < 0.05:
                items.append(AnswerItem(answer=answer, version=version, text="Nên có thêm tài liệu tóm tắt."))
        if len(rows) >= 10_000:
            flush()
    flush()
    print(
        f"generated {answers:,} answers over {len(per_unit)} communes ({len(tiny)} tiny: "
        f"{min(per_unit[c.pk] for c in tiny)}–{max(per_unit[c.pk] for c in tiny)} answers) "
        f"with {AnswerItem.objects.filter(answer__survey=survey).count():,} items "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return survey, per_unit


def reseal_as_at_night(survey: Any) -> None:
    """Run the daily reseal, as the task worker does after the first answer of a day: it rewrites
    the past days' answers and writes their tallies; today's answers stay counted from items."""
    from lantoa.surveys import services
    from lantoa.surveys.models import Answer

    started = time.perf_counter()
    resealed = services.answers_reseal()
    survey.refresh_from_db()
    live = Answer.objects.filter(survey=survey, day__gt=survey.sealed_through).count()
    print(
        f"daily reseal: {resealed:,} answers of past days rewritten and tallied in "
        f"{time.perf_counter() - started:.0f} s; {live:,} answers of today counted from their items"
    )


FLOOR_SQL = """
SELECT a.unit_id, i.version_id, i.option_id, i.number, COUNT(*)
FROM surveys_answeritem i JOIN surveys_answer a ON a.id = i.answer_id
WHERE a.survey_id = %s
GROUP BY a.unit_id, i.version_id, i.option_id, i.number
"""


def floor_counts(survey_id: int) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [survey_id])
        return list(cursor.fetchall())


def check_results(results: Any, survey_id: int) -> int:
    """Every question's whole-audience row against raw SQL; returns the cells hidden."""
    from django.db.models import Count

    from lantoa.surveys.models import AnswerItem
    from lantoa.surveys.selectors import TOTAL

    raw = dict(
        AnswerItem.objects.filter(answer__survey_id=survey_id)
        .values("version_id")
        .annotate(n=Count("answer_id", distinct=True))
        .values_list("version_id", "n")
    )
    hidden = 0
    for question in results.questions:
        _top_row, cells = question.rows[0]
        totals = [cell.value for column, cell in zip(question.columns, cells, strict=True) if column.key == TOTAL]
        assert totals == [raw.get(question.version.pk, 0)], (question.version.pk, totals, raw)
        hidden += question.suppressed
    assert hidden > 0, "the tiny communes should have hidden cells"
    return hidden


def time_results(survey: Any, repeat: int) -> dict[str, float]:
    from lantoa.surveys.selectors import CURRENT, HISTORICAL, survey_results

    figures: dict[str, float] = {}
    floor_ms, rows = timed(lambda: floor_counts(survey.pk), repeat)
    figures["floor"] = floor_ms
    print()
    print(f"{'':<62} {'median ms':>10}")
    print(f"{'floor: raw SELECT unit, version, option, number, COUNT(*) GROUP BY':<62} {floor_ms:>10.1f}")
    print(f"    ({len(rows):,} groups)")  # type: ignore[arg-type]
    for structure in (HISTORICAL, CURRENT):
        ms, results = timed(lambda structure=structure: survey_results(survey, structure=structure), repeat)
        hidden = check_results(results, survey.pk)
        figures[structure] = ms
        verdict = "meets" if ms < RESULTS_MS else "ABOVE"
        print(
            f"{'survey_results, ' + structure + ' structure':<62} {ms:>10.1f}   "
            f"{ms / floor_ms:.1f}× the floor; {verdict} < {RESULTS_MS:g} ms; "
            f"{len(results.questions)} questions, {len(results.questions[0].rows)} rows, {hidden} cells hidden"
        )
    return figures


# --- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pool", type=int, default=40_000, help="cards issued beforehand, to be answered")
    parser.add_argument("--answers", type=int, default=100_000, help="answers of the results survey")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite", default=str(ROOT / "var" / "bench" / "surveys.sqlite3"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    os.environ["LANTOA_TRUSTED_PROXIES"] = "1"
    setup_django(Path(args.sqlite))

    from django.core.management import call_command
    from django.db import connection

    from lantoa.demo.build import demo_build

    if connection.vendor == "postgresql":
        reset_postgres()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    demo_build()
    print(f"demo built in {time.perf_counter() - started:.0f} s")
    survey_id, codes, answers = build_answer_survey(args.pool)
    connection.close()  # the server's workers open their own connections
    print(f"database: {connection.vendor}; machine: {os.cpu_count()} cores (shared); wrk -t2 -c{args.connections}")
    print(
        f"server: gunicorn {args.workers} workers x {args.threads} threads; {args.rounds} rounds x {args.seconds:g} s"
    )
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    folder = Path(tempfile.mkdtemp(prefix="lantoa-bench-"))
    share = len(codes) // args.rounds
    round_files = []
    for number in range(args.rounds):
        path = folder / f"cards{number}.txt"
        chunk = codes[number * share : (number + 1) * share]
        path.write_text("".join(f"{code} {_address(number * share + n)}\n" for n, code in enumerate(chunk)))
        round_files.append(path)
    log = folder / "access.log"
    extra = [f"--access-logfile={log}", "--access-logformat=%(s)s %(U)s"]
    load = {"seconds": args.seconds, "connections": args.connections}
    runs: dict[str, list[Run]] = {"insert": [], "answer": []}
    body = json.dumps(answers, separators=(",", ":"))
    with served(workers=args.workers, threads=args.threads, extra=extra) as base:
        wrk(base, "insert.lua", paths=None, seconds=2, connections=args.connections)  # warm-up
        for number in range(args.rounds):
            runs["insert"].append(wrk(base, "insert.lua", paths=None, **load))
            runs["answer"].append(
                wrk(base, "survey_answer.lua", paths=round_files[number], env={"LANTOA_ANSWERS": body}, **load)
            )
    print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report(runs, postgres=connection.vendor == "postgresql")
    check(runs, logged_answers(log), *answer_counts(survey_id))
    shutil.rmtree(folder, ignore_errors=True)

    survey, _per_unit = generate_answers(args.answers)
    reseal_as_at_night(survey)
    time_results(survey, args.repeat)


def report(runs: dict[str, list[Run]], *, postgres: bool) -> None:
    floor, answer = runs["insert"], runs["answer"]
    ratios = [a.per_second / f.per_second for a, f in zip(answer, floor, strict=True)]
    ratio = statistics.median(ratios)
    rate = statistics.median(r.per_second for r in answer)
    print()
    print(f"{'':<50} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for label, results in (
        ("floor: POST /bench/insert (one ORM row)", floor),
        ("answer: POST /api/v1/surveys/answer (a card)", answer),
    ):
        print(
            f"{label:<50} {statistics.median(r.per_second for r in results):>8.0f} "
            f"{statistics.median(r.median_ms for r in results):>8.2f} "
            f"{statistics.median(r.p99_ms for r in results):>8.1f}"
        )
    verdict = "meets" if ratio >= ANSWER_RATIO else "BELOW"
    print(f"answer/floor: {ratio:.0%} ({verdict} {ANSWER_RATIO:.0%}; rounds: {', '.join(f'{r:.0%}' for r in ratios)})")
    if postgres:
        verdict = "meets" if rate >= ANSWERS_PER_SECOND else "BELOW"
        print(f"answers/s: {rate:.0f} ({verdict} {ANSWERS_PER_SECOND:,}/s on PostgreSQL)")


def check(runs: dict[str, list[Run]], logged: Counter[str], stored: int, items: int, used: int) -> None:
    received = Counter[int]()
    for run in runs["answer"]:
        received.update(run.statuses)
    again = sum(run.again for run in runs["answer"])
    created = logged.get("201", 0)
    print()
    print(
        f"answers: the server answered 201 {created:,} times (by status: {dict(logged)}); "
        f"answers stored {stored:,} with {items:,} items; cards used {used:,} "
        f"(wrk received {dict(received)}; it reused {again} cards after its list ran out)"
    )
    if not stored == used == created or items != stored * ITEMS_PER_ANSWER:
        raise SystemExit("the stored answers do not match the cards used and the answers the server sent")
    if logged.get("409", 0) > again:
        raise SystemExit("a card not sent twice was refused as used")
    print("check: every 201 is one stored answer and one used card; none lost, none counted twice")


if __name__ == "__main__":
    main()
