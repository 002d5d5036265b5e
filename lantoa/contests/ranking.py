"""The ranking order of a round, written as SQL (window functions, on SQLite ≥ 3.25 and PostgreSQL).

A round ranks attempts by score (highest first), then by its tie-breaks in the order the
organiser chose (``Round.ranking_order``, by default the issue's order):

* ``prediction`` — closeness of the prediction to the actual figure, ``|prediction − actual|``,
  smallest first; attempts without a prediction come after every attempt with one;
* ``duration`` — the server-measured time from start to submission, shortest first;
* ``submitted`` — the submission time, earliest first;

and finally by the attempt's id, so the order is total and the same on every run. Two attempts
that every term but the id leaves equal share a rank (standard competition ranking: 1, 2, 2, 4).

A contestant's *counted attempt* is the one of theirs that ranks first under this order. While
the round is open the actual figure is unknown, so the provisional order leaves the prediction
out. Only the model's own quoted table and column names and fixed keywords go into the SQL text;
every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.contests.models import DEFAULT_RANKING_ORDER
from lantoa.core.errors import ValidationFailed

TIE_BREAKS: dict[str, object] = {
    "prediction": gettext_lazy("closeness of the prediction"),
    "duration": gettext_lazy("time taken"),
    "submitted": gettext_lazy("time of submission"),
}


def parse_order(text: str) -> list[str]:
    """The tie-breaks of ``text`` ("prediction,duration,submitted"), each at most once."""
    keys = [part.strip() for part in str(text or "").split(",") if part.strip()]
    if len(set(keys)) != len(keys) or any(key not in TIE_BREAKS for key in keys):
        raise ValidationFailed(
            _("The ranking order lists, at most once each, the tie-breaks: %(keys)s.")
            % {"keys": ", ".join(TIE_BREAKS)},
            extra={"field": "ranking_order"},
        )
    return keys


def clean_order(text: str) -> str:
    return ",".join(parse_order(text)) if str(text or "").strip() else DEFAULT_RANKING_ORDER


def order_terms(order: Sequence[str], *, with_prediction: bool) -> list[str]:
    """The ORDER BY terms over the columns ``score``, ``closeness``, ``duration_ms`` and
    ``submitted_at`` (without the final id)."""
    terms = ["score DESC"]
    for key in order:
        if key == "prediction":
            if with_prediction:
                terms += ["CASE WHEN closeness IS NULL THEN 1 ELSE 0 END", "closeness"]
        elif key == "duration":
            terms.append("duration_ms")
        elif key == "submitted":
            terms.append("submitted_at")
    return terms


def better_than(order: Sequence[str]) -> str:
    """A condition true for an attempt that ranks strictly before another, whose values are the
    parameters ``%(score)s``, ``%(duration)s`` and ``%(submitted)s`` (the provisional order,
    without the prediction): ``(a > x) OR (a = x AND (b < y OR …))``."""
    columns = [("score", ">", "%(score)s")]
    for key in order:
        if key == "duration":
            columns.append(("duration_ms", "<", "%(duration)s"))
        elif key == "submitted":
            columns.append(("submitted_at", "<", "%(submitted)s"))
    condition = ""
    for column, op, value in reversed(columns):
        strict = f"{column} {op} {value}"
        condition = strict if not condition else f"({strict} OR ({column} = {value} AND {condition}))"
    return condition


def ranked_select(round_id: int, order: Sequence[str], actual: int | None) -> tuple[str, list[Any]]:
    """A SELECT of every contestant's counted attempt in the round with its place in the order:
    ``contestant_id, id, unit_id, position, rnk, score, prediction, closeness, duration_ms,
    submitted_at, entries`` (``entries``: the contestant's attempts submitted in the round).
    Without ``actual`` (a round still open, or one without a prediction) the prediction takes
    no part. Contestants an organiser excluded (duplicates) take no place; their attempts stay."""
    from django.db import connection

    from lantoa.contests.models import Attempt, Contestant

    attempts = connection.ops.quote_name(Attempt._meta.db_table)
    contestants = connection.ops.quote_name(Contestant._meta.db_table)
    terms = ", ".join(order_terms(order, with_prediction=actual is not None))
    closeness = (
        "CASE WHEN prediction IS NULL THEN NULL ELSE ABS(prediction - %s) END"
        if actual is not None
        else "CAST(NULL AS BIGINT)"
    )
    # Fixed text and the quoted table name only; the round and the actual figure are parameters.
    sql = f"""
        SELECT contestant_id, id, unit_id, score, prediction, closeness, duration_ms, submitted_at, entries,
               ROW_NUMBER() OVER (ORDER BY {terms}, id) AS position,
               RANK() OVER (ORDER BY {terms}) AS rnk
        FROM (
            SELECT contestant_id, id, unit_id, score, prediction, closeness, duration_ms, submitted_at,
                   COUNT(*) OVER (PARTITION BY contestant_id) AS entries,
                   ROW_NUMBER() OVER (PARTITION BY contestant_id ORDER BY {terms}, id) AS best
            FROM (
                SELECT contestant_id, id, unit_id, score, prediction, {closeness} AS closeness,
                       duration_ms, submitted_at
                FROM {attempts}
                WHERE round_id = %s AND submitted_at IS NOT NULL
                  AND contestant_id NOT IN (SELECT x.id FROM {contestants} AS x WHERE x.excluded_at IS NOT NULL)
            ) AS graded
        ) AS counted
        WHERE best = 1
    """  # noqa: S608
    params: list[Any] = [actual] if actual is not None else []
    params.append(round_id)
    return sql, params


def order_choices() -> list[tuple[str, str]]:
    """Every order of the three tie-breaks, the default first, labelled "a → b → c"."""
    import itertools

    orders = [DEFAULT_RANKING_ORDER.split(",")]
    orders += [list(p) for p in itertools.permutations(TIE_BREAKS) if list(p) != orders[0]]
    return [(",".join(order), " → ".join(str(TIE_BREAKS[key]) for key in order)) for order in orders]
