"""A contest's overall ranking, over its closed rounds, for its page, the API, the export and the
contestant's own page alike.

The order: the sum of the counted scores (highest first), then the sum of the prediction
closeness (smallest first; anyone without a prediction counted in some round after), then the
sum of the times taken, then the latest of the counted submissions (earliest first); ties share
a rank. Computed in SQL from the stored results of the closed rounds (a grouped read with a
window), so a page is two queries whatever the number of contestants: the places, then the
page's contestants. The overall ranking changes only when a round closes, so a contestant's own
overall rank is kept until the contest's latest close changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from lantoa.contests.models import Contest, Contestant, Round, RoundResult
from lantoa.contests.results import PAGE_MAX, TOP, is_minor, public_name

OWN_SECONDS = 24 * 60 * 60
_ORDER = (
    "SUM(r.score) DESC, CASE WHEN COUNT(r.closeness) < COUNT(*) THEN 1 ELSE 0 END, "
    "COALESCE(SUM(r.closeness), 0), SUM(r.duration_ms), MAX(r.submitted_at)"
)


@dataclass
class OverallRow:
    rank: int
    contestant: Contestant
    rounds: int
    score: Decimal
    closeness: int | None
    duration_ms: int
    last_submitted_at: dt.datetime

    @property
    def unit_name(self) -> str:
        return self.contestant.unit.name if self.contestant.unit is not None else ""

    @property
    def duration(self) -> str:
        seconds = self.duration_ms // 1000
        return f"{seconds // 60}:{seconds % 60:02d}"


def _ranked_sql() -> str:
    quote = connection.ops.quote_name
    stored, rounds = quote(RoundResult._meta.db_table), quote(Round._meta.db_table)
    # Fixed text and quoted names only; the contest is a parameter.
    return f"""
        SELECT r.contestant_id AS contestant_id, COUNT(*) AS rounds, SUM(r.score) AS total,
               SUM(r.closeness) AS off_by, COUNT(r.closeness) AS predicted, SUM(r.duration_ms) AS duration,
               MAX(r.submitted_at) AS last, RANK() OVER (ORDER BY {_ORDER}) AS rnk,
               ROW_NUMBER() OVER (ORDER BY {_ORDER}, r.contestant_id) AS position
        FROM {stored} AS r JOIN {rounds} AS o ON o.id = r.round_id
        WHERE o.contest_id = %s AND o.closed_at IS NOT NULL
        GROUP BY r.contestant_id
    """  # noqa: S608


def overall_ranking(contest: Contest, *, limit: int = TOP, offset: int = 0) -> list[OverallRow]:
    """The ranking from ``offset``, at most ``limit`` lines (two queries)."""
    sql = f"SELECT * FROM ({_ranked_sql()}) AS ranked WHERE position > %s AND position <= %s ORDER BY position"  # noqa: S608
    low = max(0, offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, [contest.pk, low, low + max(0, min(limit, PAGE_MAX))])
        found = cursor.fetchall()
    return _rows_of(found)


def iter_overall(contest: Contest, *, chunk: int = 2000) -> Iterator[OverallRow]:
    """Every line in order, for an export, in chunks of ``chunk``."""
    offset = 0
    while True:
        rows = overall_ranking(contest, limit=min(chunk, PAGE_MAX), offset=offset)
        if not rows:
            return
        yield from rows
        offset += len(rows)


def _rows_of(found: list[tuple[Any, ...]]) -> list[OverallRow]:
    people = Contestant.objects.select_related("unit").in_bulk([row[0] for row in found])
    answer = []
    for contestant_id, count, total, off_by, predicted, duration, last, rank, _position in found:
        answer.append(
            OverallRow(
                int(rank),
                people[contestant_id],
                int(count),
                Decimal(str(total)).quantize(Decimal("0.01")) if total is not None else Decimal(0),
                int(off_by) if off_by is not None and predicted == count else None,
                int(duration or 0),
                _as_datetime(last),
            )
        )
    return answer


def overall_count(contest: Contest) -> int:
    """How many contestants the overall ranking holds (one query)."""
    stored = RoundResult.objects.filter(round__contest_id=contest.pk, round__closed_at__isnull=False)
    return int(stored.aggregate(n=Count("contestant_id", distinct=True))["n"])


def own_overall(contest: Contest, contestant_id: int) -> int | None:
    """A contestant's overall rank (None before any of their rounds closed), kept until a round
    of the contest closes again."""
    latest = Round.objects.filter(contest_id=contest.pk).aggregate(at=Max("closed_at"))["at"]
    if latest is None:
        return None
    key = f"lantoa:contests:overall:{contest.pk}:{latest.timestamp()}:{contestant_id}"
    cached = cache.get(key)
    if cached is not None:
        return int(cached) or None
    sql = f"SELECT rnk FROM ({_ranked_sql()}) AS ranked WHERE contestant_id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [contest.pk, contestant_id])
        found = cursor.fetchone()
    rank = int(found[0]) if found else 0
    cache.set(key, rank, OWN_SECONDS)
    return rank or None


def _as_datetime(value: Any) -> dt.datetime:
    """A MAX() of a datetime column as the database returns it (SQLite: text), made aware."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value  # type: ignore[no-any-return]


def overall_year(contest: Contest) -> int:
    """The year ages are judged in for publishing: that of the contest's last round's close."""
    last = Round.objects.filter(contest_id=contest.pk).order_by("-closes_at").values_list("closes_at", flat=True)
    found = last.first()
    return timezone.localdate(found).year if found is not None else timezone.localdate().year


def overall_out(row: OverallRow, *, year: int) -> dict[str, Any]:
    """One line of the overall ranking, for the page, the API and the export alike."""
    return {
        "rank": row.rank,
        "contestant": row.contestant.pk,
        "name": row.contestant.name,
        "public_name": public_name(row.contestant, year),
        "minor": is_minor(row.contestant, year),
        "unit": row.contestant.unit.code if row.contestant.unit is not None else None,
        "unit_name": row.unit_name,
        "rounds": row.rounds,
        "score": row.score,
        "closeness": row.closeness,
        "duration_ms": row.duration_ms,
        "last_submitted_at": row.last_submitted_at,
    }
