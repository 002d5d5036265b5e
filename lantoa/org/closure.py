"""Maintaining the dated closure table from parent links.

The closure is recomputed for the units whose ancestry changed (a new unit, or a moved
unit and everything beneath it). Ancestors of units outside that set are read from the
closure rows they already have, so the cost follows the size of the change, not the tree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from lantoa.org.models import Unit, UnitClosure, UnitParent

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


def rebuild_closure(unit_ids: Iterable[int]) -> int:
    """Recompute closure rows for ``unit_ids``; returns the number of rows written."""
    affected = set(unit_ids)
    if not affected:
        return 0
    lifetimes = {
        pk: (opened, closed)
        for pk, opened, closed in Unit.objects.filter(pk__in=affected).values_list("pk", "opened_on", "closed_on")
    }
    links: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for unit_id, parent_id, start, end in UnitParent.objects.filter(unit_id__in=affected).values_list(
        "unit_id", "parent_id", "valid_from", "valid_to"
    ):
        links[unit_id].append((parent_id, start, end))

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
            raise ValueError(f"cycle in parent links at unit {unit_id}")
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
