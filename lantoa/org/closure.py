"""Maintaining the dated closure table from parent links.

The closure is recomputed for the units whose ancestry changed (a new unit, or a moved
unit and everything beneath it). Ancestors of units outside that set are read from the
closure rows they already have, so the cost follows the size of the change, not the tree.

A restructuring event changes many units at once (a merge closes several units, creates one
and moves their children). Inside :func:`rebuilds_deferred` the rebuilds are collected and run
once, for all the units concerned, when the block ends (or at :func:`flush_deferred`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationFailed
from lantoa.org.models import Unit, UnitClosure

Interval = tuple[dt.date, dt.date | None]
Row = tuple[int, int, dt.date, dt.date | None]  # ancestor id, depth, from, to


def _intersect(a_from: dt.date, a_to: dt.date | None, b_from: dt.date, b_to: dt.date | None) -> Interval | None:
    start = max(a_from, b_from)
    if a_to is None:
        end = b_to
    elif b_to is None:
        end = a_to
    else:
        end = min(a_to, b_to)
    if end is not None and end <= start:
        return None
    return start, end


_pending: ContextVar[set[int] | None] = ContextVar("lantoa_closure_pending", default=None)


@contextmanager
def rebuilds_deferred() -> Iterator[None]:
    """Collect :func:`rebuild_closure` calls made within the block and run them once at its end.

    Inside the block the closure rows of the collected units are stale: code that reads the
    closure there must call :func:`flush_deferred` first. A nested block joins the outer one.
    If the block raises, nothing is rebuilt (the caller's transaction is being rolled back).
    """
    if _pending.get() is not None:
        yield
        return
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _rebuild(pending)


def flush_deferred() -> None:
    """Run the rebuilds collected so far by the enclosing :func:`rebuilds_deferred` block, if any."""
    pending = _pending.get()
    if pending:
        ids = set(pending)
        pending.clear()
        _rebuild(ids)


def rebuild_closure(unit_ids: Iterable[int]) -> int:
    """Recompute closure rows for ``unit_ids``; returns the number of rows written (0 when the
    rebuild is deferred to the end of a :func:`rebuilds_deferred` block)."""
    pending = _pending.get()
    if pending is not None:
        pending.update(unit_ids)
        return 0
    return _rebuild(set(unit_ids))


def _rebuild(affected: set[int]) -> int:
    if not affected:
        return 0
    # One query for the units' lifetimes and their parent links (a unit without links gives
    # one row with empty link columns).
    lifetimes: dict[int, tuple[dt.date, dt.date | None]] = {}
    links: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    rows = Unit.objects.filter(pk__in=affected).values_list(
        "pk",
        "opened_on",
        "closed_on",
        "parent_links__parent_id",
        "parent_links__valid_from",
        "parent_links__valid_to",
    )
    for pk, opened, closed, parent_id, start, end in rows:
        lifetimes[pk] = (opened, closed)
        if parent_id is not None:
            links[pk].append((parent_id, start, end))

    outside = {parent for rows in links.values() for parent, _, _ in rows} - affected
    known: dict[int, list[Row]] = defaultdict(list)
    for descendant, ancestor, depth, start, end in UnitClosure.objects.filter(descendant_id__in=outside).values_list(
        "descendant_id", "ancestor_id", "depth", "valid_from", "valid_to"
    ):
        known[descendant].append((ancestor, depth, start, end))

    def ancestry(unit_id: int, visiting: frozenset[int]) -> list[Row]:
        if unit_id in known:
            return known[unit_id]
        if unit_id in visiting:
            # Reached when one event both creates a unit under X and moves X under that unit.
            raise ValidationFailed(
                _("This change would put a unit under itself (unit %(code)s).")
                % {"code": Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first()}
            )
        opened, closed = lifetimes[unit_id]
        rows: list[Row] = [(unit_id, 0, opened, closed)]
        for parent_id, start, end in links.get(unit_id, []):
            for ancestor, depth, a_from, a_to in ancestry(parent_id, visiting | {unit_id}):
                overlap = _intersect(start, end, a_from, a_to)
                if overlap:
                    rows.append((ancestor, depth + 1, overlap[0], overlap[1]))
        known[unit_id] = rows
        return rows

    new_rows = []
    for unit_id in affected:
        for ancestor, depth, start, end in ancestry(unit_id, frozenset()):
            new_rows.append(
                UnitClosure(ancestor_id=ancestor, descendant_id=unit_id, depth=depth, valid_from=start, valid_to=end)
            )
    UnitClosure.objects.filter(descendant_id__in=affected).delete()
    UnitClosure.objects.bulk_create(new_rows, batch_size=2000)
    return len(new_rows)


def descendants_ever(unit_id: int) -> set[int]:
    """Every unit that was ever beneath ``unit_id`` (including itself)."""
    return set(UnitClosure.objects.filter(ancestor_id=unit_id).values_list("descendant_id", flat=True))
