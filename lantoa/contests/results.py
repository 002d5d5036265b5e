"""Reads of a round's results, for its pages, the API and the exports alike.

A closed round reads what closing stored (:class:`RoundResult`, :class:`UnitResult`): the top of
the ranking is one indexed range of ``(round, position)``, a contestant's own rank one lookup
of ``(round, contestant)``. An open round's ranking is provisional and computed on demand from
the attempts, without the prediction (the actual figure is not known yet); nothing is stored
per submission (decision 0018).

Units are ranked among the children of a unit (the organiser's, by default), in the tree of
the day the round closed (today's while it is open): each attempt counts for the unit its
contestant chose, carried forward to that unit's successor when it had merged by then
(:func:`lantoa.org.rollup.map_units_forward`) and rolled up to the child holding it that day
(:func:`lantoa.org.selectors.subtree_root_of`); the participation rate is against the child's
Party members filed for the round's year (the rollup of the reported figure, the denominator of
the ``contest_participation_rate`` indicator).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from lantoa.contests.models import Attempt, Contest, Contestant, Round, RoundResult, UnitResult
from lantoa.contests.ranking import parse_order, ranked_select
from lantoa.contests.services.contests import ADULT_AGE
from lantoa.org.models import Unit

TOP = 100
PAGE_MAX = 500
# A provisional rank is kept this long (a new submission of the contestant asks again): its
# count grows with the attempts ranked ahead, so a page reloaded in a busy round does not redo it.
PROVISIONAL_SECONDS = 60


@dataclass
class Standing:
    """A contestant's place in a round: ``final`` once the round closed, else provisional."""

    rank: int | None
    score: Decimal | None
    entries: int
    final: bool
    prize: bool = False
    attempt_id: Any = None


@dataclass
class Row:
    """One line of an individual ranking (stored, or computed while the round is open)."""

    position: int
    rank: int
    contestant: Contestant
    unit: Unit | None
    score: Decimal
    prediction: int | None
    closeness: int | None
    duration_ms: int
    submitted_at: dt.datetime
    entries: int
    prize: bool

    @property
    def duration(self) -> str:
        seconds = self.duration_ms // 1000
        return f"{seconds // 60}:{seconds % 60:02d}"


def is_minor(contestant: Contestant, year: int) -> bool:
    """Whether the contestant may be under 18 in ``year`` (born in that year minus 18 or later):
    their name is then never published, only its initials."""
    return contestant.birth_year is not None and year - contestant.birth_year <= ADULT_AGE


def initials(name: str) -> str:
    """ "Nguyễn Văn An" → "N. V. A." """
    return " ".join(f"{part[0]}." for part in name.split() if part)


def public_name(contestant: Contestant, year: int) -> str:
    return initials(contestant.name) if is_minor(contestant, year) else contestant.name


# --- Individual ranking --------------------------------------------------------------------------


def result_rows(round_: Round, *, limit: int = TOP, offset: int = 0) -> list[Row]:
    """The ranking from ``offset``, at most ``limit`` lines. Closed: one indexed query of the
    stored results. Open: the provisional ranking, computed from the attempts (one query)."""
    limit = max(0, min(limit, PAGE_MAX))
    if round_.closed_at is not None:
        stored = (
            RoundResult.objects.filter(round_id=round_.pk, position__gt=offset, position__lte=offset + limit)
            .select_related("contestant", "unit")
            .order_by("position")
        )
        return [_stored_row(r) for r in stored]
    return _provisional_rows(round_, limit=limit, offset=offset)


def _provisional_rows(round_: Round, *, limit: int, offset: int) -> list[Row]:
    """The provisional ranking's lines: their places in one query, the attempts in a second."""
    ranked, params = ranked_select(round_.pk, parse_order(round_.ranking_order), None)
    sql = f"SELECT position, rnk, id, entries FROM ({ranked}) AS r WHERE position > %s AND position <= %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, offset, offset + limit])
        places = cursor.fetchall()
    return _rows_of(places)


def _rows_of(places: list[tuple[Any, ...]]) -> list[Row]:
    """Lines for (position, rank, attempt id, entries), in position order (one query)."""
    pk = Attempt._meta.pk
    assert pk is not None
    ids = [pk.to_python(row[2]) for row in places]
    attempts = Attempt.objects.select_related("contestant", "unit").in_bulk(ids)
    rows = []
    for (position, rank, _id, entries), attempt_id in sorted(zip(places, ids, strict=True), key=lambda p: p[0][0]):
        a = attempts[attempt_id]
        rows.append(
            Row(
                int(position),
                int(rank),
                a.contestant,
                a.unit,
                a.score or Decimal(0),
                a.prediction,
                None,
                a.duration_ms or 0,
                a.submitted_at or a.started_at,
                int(entries),
                False,
            )
        )
    return rows


def iter_rows(round_: Round, *, chunk: int = 2000) -> Iterator[Row]:
    """Every line of the ranking in order, for an export: a closed round's stored results read
    in chunks of ``chunk`` positions; an open round's ranking computed once, its attempts read
    in chunks."""
    if round_.closed_at is not None:
        offset = 0
        while True:
            stored = (
                RoundResult.objects.filter(round_id=round_.pk, position__gt=offset, position__lte=offset + chunk)
                .select_related("contestant", "unit")
                .order_by("position")
            )
            found = [_stored_row(r) for r in stored]
            if not found:
                return
            yield from found
            offset += chunk
    ranked, params = ranked_select(round_.pk, parse_order(round_.ranking_order), None)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT position, rnk, id, entries FROM ({ranked}) AS r ORDER BY position", params)  # noqa: S608
        places = cursor.fetchall()
    for start in range(0, len(places), chunk):
        yield from _rows_of(places[start : start + chunk])


def _stored_row(r: RoundResult) -> Row:
    return Row(
        r.position,
        r.rank,
        r.contestant,
        r.unit,
        r.score,
        r.prediction,
        r.closeness,
        r.duration_ms,
        r.submitted_at,
        r.entries,
        r.prize,
    )


def result_count(round_: Round) -> int:
    """How many contestants the ranking holds (one query)."""
    if round_.closed_at is not None:
        return RoundResult.objects.filter(round_id=round_.pk).count()
    submitted = Attempt.objects.filter(round_id=round_.pk, submitted_at__isnull=False)
    return submitted.aggregate(n=Count("contestant_id", distinct=True))["n"]


def own_standing(round_: Round, contestant_id: int) -> Standing:
    """A contestant's rank, score and entries in a round. Closed: one indexed lookup. Open:
    their attempts (one query), then the contestants with a better best attempt (one query,
    which reads the attempts ranked ahead; kept :data:`PROVISIONAL_SECONDS`)."""
    if round_.closed_at is not None:
        found = RoundResult.objects.filter(round_id=round_.pk, contestant_id=contestant_id).first()
        if found is None:
            return Standing(None, None, 0, final=True)
        return Standing(
            found.rank, found.score, found.entries, final=True, prize=found.prize, attempt_id=found.attempt_id
        )
    order = parse_order(round_.ranking_order)
    mine: list[dict[str, Any]] = [
        dict(row)
        for row in Attempt.objects.filter(
            round_id=round_.pk, contestant_id=contestant_id, submitted_at__isnull=False
        ).values("id", "score", "duration_ms", "submitted_at")
    ]
    if not mine:
        return Standing(None, None, 0, final=False)
    keys = {"duration": "duration_ms", "submitted": "submitted_at"}
    best = min(mine, key=lambda a: (-(a["score"] or 0), *[a[keys[k]] for k in order if k in keys], str(a["id"])))
    key = f"lantoa:contests:standing:{round_.pk}:{contestant_id}:{len(mine)}"
    ahead = cache.get(key)
    if ahead is None:
        from lantoa.contests.ranking import better_than

        table = connection.ops.quote_name(Attempt._meta.db_table)
        sql = f"""
            SELECT COUNT(DISTINCT contestant_id) FROM {table}
            WHERE round_id = %(round)s AND submitted_at IS NOT NULL AND {better_than(order)}
        """  # noqa: S608
        params = {
            "round": round_.pk,
            "score": Attempt._meta.get_field("score").get_db_prep_save(best["score"], connection),
            "duration": best["duration_ms"],
            "submitted": Attempt._meta.get_field("submitted_at").get_db_prep_save(best["submitted_at"], connection),
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ahead = int(cursor.fetchone()[0])
        cache.set(key, ahead, PROVISIONAL_SECONDS)
    return Standing(ahead + 1, best["score"], len(mine), final=False, attempt_id=best["id"])


def prize_winners(round_: Round) -> list[Row]:
    """The individual prizes of a closed round (its top N; a tie at the last prize shares it)."""
    stored = RoundResult.objects.filter(round_id=round_.pk, prize=True).select_related("contestant", "unit")
    return [_stored_row(r) for r in stored.order_by("position")]


def score_distribution(round_: Round) -> list[tuple[int, int]]:
    """(whole points, people) for every score reached: the counted attempts of a closed round,
    each contestant's best of an open one — one grouped query."""
    if round_.closed_at is not None:
        rows = RoundResult.objects.filter(round_id=round_.pk).values("score").annotate(n=Count("pk"))
        pairs = [(row["score"], row["n"]) for row in rows]
    else:
        best = (
            Attempt.objects.filter(round_id=round_.pk, submitted_at__isnull=False)
            .values("contestant_id")
            .annotate(best=Max("score"))
        )
        counts: dict[Decimal, int] = {}
        for row in best:
            counts[row["best"]] = counts.get(row["best"], 0) + 1
        pairs = list(counts.items())
    buckets: dict[int, int] = {}
    for score, n in pairs:
        buckets[int(score or 0)] = buckets.get(int(score or 0), 0) + n
    if not buckets:
        return []
    top = max(max(buckets), round_.questions_per_attempt)
    return [(points, buckets.get(points, 0)) for points in range(0, top + 1)]


# --- Units ---------------------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    contestants: int
    entries: int
    denominator: int | None
    rate: Decimal | None
    rank: int = 0
    prize: bool = False


def unit_tallies(round_: Round, *, start: dt.date | None = None, end: dt.date | None = None) -> dict[int, list[int]]:
    """Entries and distinct contestants per unit chosen (one grouped query over the round's
    submitted attempts; optionally only those submitted between two local days)."""
    attempts = Attempt.objects.filter(round_id=round_.pk, submitted_at__isnull=False, unit_id__isnull=False)
    if start is not None and end is not None:
        attempts = attempts.filter(submitted_on__gte=start, submitted_on__lte=end)
    rows = attempts.values("unit_id").annotate(entries=Count("pk"), people=Count("contestant_id", distinct=True))
    return {row["unit_id"]: [row["entries"], row["people"]] for row in rows}


def result_tallies(round_: Round) -> dict[int, list[int]]:
    """The same figures from a closed round's stored results (one row per contestant, their
    entries counted): a grouped read of one row per contestant, not of every attempt."""
    rows = (
        RoundResult.objects.filter(round_id=round_.pk, unit_id__isnull=False)
        .values("unit_id")
        .annotate(entries=Sum("entries"), people=Count("pk"))
        .order_by()
    )
    return {row["unit_id"]: [row["entries"], row["people"]] for row in rows}


def round_days(round_: Round) -> tuple[dt.date, dt.date]:
    return timezone.localdate(round_.opens_at), timezone.localdate(round_.closes_at)


def denominator_year(round_: Round) -> tuple[dt.date, dt.date]:
    """The period whose Party members a round's participation is read against: the calendar
    year the round closes in (the latest figure filed for a period ending in it)."""
    year = timezone.localdate(round_.closes_at).year
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def unit_ranking(
    round_: Round,
    parent: Unit,
    *,
    today_: dt.date | None = None,
    tallies: dict[int, list[int]] | None = None,
) -> list[UnitRow]:
    """The units directly under ``parent`` today, ranked by participation rate (highest first;
    units without a filed figure of Party members after those with one), then distinct
    contestants, then entries; ties share a rank. A fixed number of queries, however many units."""
    from lantoa.org.rollup import map_units_forward, rollup
    from lantoa.org.selectors import subtree_root_of, unit_children

    day = today_ or timezone.localdate()
    children = list(unit_children(parent, as_of=day))
    if not children:
        return []
    tallies = unit_tallies(round_) if tallies is None else tallies
    forward = map_units_forward(set(tallies), until=day) if tallies else {}
    root_of = subtree_root_of([child.pk for child in children], as_of=day)
    sums: dict[int, list[int]] = {child.pk: [0, 0] for child in children}
    for unit_id, (entries, people) in tallies.items():
        holder = root_of.get(forward.get(unit_id, unit_id))
        if holder is not None:
            sums[holder][0] += entries
            sums[holder][1] += people
    year = denominator_year(round_)
    table = rollup(
        units=children, periods=[year], codes=["party_members"], structure="as_of", as_of=day, with_coverage=False
    )
    rows = []
    for child in children:
        entries, people = sums[child.pk]
        members = table.value(child, year, "party_members")
        denominator = int(members) if members else None
        rate = (Decimal(people) * 100 / denominator).quantize(Decimal("0.01")) if denominator else None
        rows.append(UnitRow(child, people, entries, denominator, rate))
    rows.sort(key=_unit_key)
    for index, row in enumerate(rows):
        same = index and _unit_key(rows[index - 1])[:4] == _unit_key(row)[:4]
        row.rank = rows[index - 1].rank if same else index + 1
    return rows


def _unit_key(row: UnitRow) -> tuple[Any, ...]:
    return (row.rate is None, -(row.rate or 0), -row.contestants, -row.entries, row.unit.name, row.unit.pk)


def ranking_day(round_: Round) -> dt.date:
    """The day whose tree a round's units are ranked in: the day it closed, or today while open."""
    return timezone.localdate(round_.closed_at) if round_.closed_at is not None else timezone.localdate()


def ranking_root(contest: Contest, day: dt.date | None = None) -> Unit:
    """The unit whose children a contest's units are ranked among: the organiser, or, for an
    organiser with no unit below it (a committee's commission, an office), the unit it belongs
    to — the commission runs the contest for its committee's whole subtree (two queries)."""
    from lantoa.org.selectors import unit_children, unit_parent

    if unit_children(contest.unit, as_of=day).exists():
        return contest.unit
    return unit_parent(contest.unit, as_of=day) or contest.unit


def stored_unit_ranking(round_: Round) -> list[UnitRow]:
    """The ranking of the organiser's units stored when the round closed (one query)."""
    from lantoa.org.selectors import with_names_on

    stored = list(UnitResult.objects.filter(round_id=round_.pk).order_by("rank", "unit__name"))
    units = {
        u.pk: u for u in with_names_on(Unit.objects.filter(pk__in=[r.unit_id for r in stored]), timezone.localdate())
    }
    return [
        UnitRow(units[r.unit_id], r.contestants, r.entries, r.denominator, r.rate, r.rank, r.prize)
        for r in stored
        if r.unit_id in units
    ]


def round_unit_ranking(round_: Round, parent: Unit | None = None) -> list[UnitRow]:
    """The organiser's units as stored at closing, or any unit's children (and an open round's)
    computed now, in the tree of the day the round closed (today's while it is open)."""
    if round_.closed_at is not None and parent is None:
        return stored_unit_ranking(round_)
    day = ranking_day(round_)
    root = ranking_root(round_.contest, day)
    if round_.closed_at is not None and parent is not None and parent.pk == root.pk:
        return stored_unit_ranking(round_)
    tallies = result_tallies(round_) if round_.closed_at is not None else None
    return unit_ranking(round_, parent or root, today_=day, tallies=tallies)


def weekly_snapshot(round_: Round, monday: dt.date) -> list[UnitRow]:
    """The organiser's units for the week starting ``monday``: entries and contestants of
    that week only, in the tree of the day the round closed (what units report every Monday)."""
    tallies = unit_tallies(round_, start=monday, end=monday + dt.timedelta(days=6))
    day = ranking_day(round_)
    return unit_ranking(round_, ranking_root(round_.contest, day), tallies=tallies, today_=day)


def round_weeks(round_: Round) -> list[dt.date]:
    """The Mondays of the weeks the round spans."""
    start, end = round_days(round_)
    monday = start - dt.timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    return weeks


def published_rounds(contest: Contest) -> QuerySet[Round]:
    return contest.rounds.filter(closed_at__isnull=False, results_published_at__isnull=False).order_by("number")


# --- What the pages, the API and the exports show ------------------------------------------------


def row_out(row: Row, *, year: int, public: bool = False) -> dict[str, Any]:
    """One line of an individual ranking. ``public``: only what may be published — the name
    (initials for a possible minor), the unit, the score and the rank."""
    unit_name = row.unit.name if row.unit is not None else ""
    if public:
        return {
            "rank": row.rank,
            "name": public_name(row.contestant, year),
            "unit_name": unit_name,
            "score": row.score,
        }
    return {
        "position": row.position,
        "rank": row.rank,
        "contestant": row.contestant.pk,
        "name": row.contestant.name,
        "minor": is_minor(row.contestant, year),
        "unit": row.unit.code if row.unit is not None else None,
        "unit_name": unit_name,
        "score": row.score,
        "prediction": row.prediction,
        "closeness": row.closeness,
        "duration_ms": row.duration_ms,
        "submitted_at": row.submitted_at,
        "entries": row.entries,
        "prize": row.prize,
    }


def unit_out(row: UnitRow) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "unit": row.unit.code,
        "unit_name": row.unit.name,
        "contestants": row.contestants,
        "entries": row.entries,
        "party_members": row.denominator,
        "rate": row.rate,
        "prize": row.prize,
    }


def results_year(round_: Round) -> int:
    """The year ages are judged in for publishing (the year the round closes)."""
    return timezone.localdate(round_.closes_at).year
