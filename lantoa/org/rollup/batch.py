"""One call's frame: its targets, periods cut into atoms, the day its tree is read on, and
what it reads once for every indicator (successions, destinations, closure rows)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from lantoa.org.models import Succession, UnitClosure
from lantoa.org.rollup.successions import Events, map_units_forward, predecessors_until, successions_until
from lantoa.org.rollup.values import Structure
from lantoa.org.selectors import today, valid_on

Period = tuple[dt.date, dt.date]
Key = tuple[int, int]  # (target unit id, period index)


def atoms_of(periods: Sequence[Period]) -> tuple[list[Period], list[list[int]]]:
    """Cut the periods into the fewest disjoint intervals ("atoms") that each period is a union
    of, so that overlapping periods (a year and its months) are read in one pass."""
    one_day = dt.timedelta(days=1)
    points = sorted({start for start, _end in periods} | {end + one_day for _start, end in periods})
    atoms = [
        (first, following - one_day)
        for first, following in itertools.pairwise(points)
        if any(start <= first and following - one_day <= end for start, end in periods)
    ]
    members = [[k for k, (a, b) in enumerate(atoms) if start <= a and b <= end] for start, end in periods]
    return atoms, members


class Tree:
    """Where units sat under the batch's targets: the targets' closure rows over the batch's
    periods (or on its day), read in one query and shared by every indicator of the call."""

    def __init__(self, batch: Batch, descendants: Q | None = None) -> None:
        rows = UnitClosure.objects.filter(ancestor_id__in=batch.targets)
        if descendants is not None:
            rows = rows.filter(descendants)
        if batch.day is None:
            rows = rows.filter(valid_from__lte=batch.last).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gt=batch.first)
            )
        else:
            rows = rows.filter(valid_on(batch.day))
        # Dates stay ISO text (they order as dates do): a national subtree is tens of thousands
        # of rows, and parsing two dates a row would cost more than the query.
        self.spans: dict[int, list[tuple[int, str, str | None]]] = defaultdict(list)
        # Each indicator asks again for the same units on the same days: answered once.
        self._asked: dict[tuple[int, str], list[int]] = {}
        rows = rows.annotate(rollup_from=as_text("valid_from"), rollup_to=as_text("valid_to"))
        for ancestor, descendant, valid_from, valid_to in rows.values_list(
            "ancestor_id", "descendant_id", "rollup_from", "rollup_to"
        ):
            self.spans[descendant].append((ancestor, valid_from, valid_to))

    def targets_of(self, unit_id: int, day: dt.date | str) -> list[int]:
        """The targets whose subtree held ``unit_id`` on ``day`` (a date or its ISO text)."""
        iso = day if isinstance(day, str) else day.isoformat()
        asked = self._asked.get((unit_id, iso))
        if asked is None:
            spans = self.spans.get(unit_id, ())
            asked = [a for a, start, end in spans if start <= iso and (end is None or end > iso)]
            self._asked[(unit_id, iso)] = asked
        return asked


def as_text(date_field: str) -> Cast:
    """A date column read as its ISO text, which orders as the dates do and needs no parsing."""
    return Cast(date_field, output_field=CharField())


class Batch:
    """What one call computes, and what it reads once for every indicator: the successions,
    where each closed unit's records go, and the closure rows of the targets."""

    def __init__(self, targets: list[int], periods: list[Period], structure: Structure, as_of: dt.date | None):
        self.targets = targets
        self.periods = periods
        self.structure = structure
        # The day whose tree figures are read in; None: each record's own day (historical).
        self.day: dt.date | None = None
        if structure == Structure.CURRENT:
            self.day = today()
        elif structure == Structure.AS_OF:
            self.day = as_of or today()
        self.first = min(start for start, _end in periods)
        self.last = max(end for _start, end in periods)
        self.atoms, self.members = atoms_of(periods)
        self._events: Events | None = None
        self._destination: dict[int, int] | None = None
        self._tree: Tree | None = None
        self._successor_tree: Tree | None = None
        self._now: dict[tuple[int, int], set[int]] = {}
        self._changes: list[dt.date] | None = None

    @property
    def historical(self) -> bool:
        return self.day is None

    @property
    def events(self) -> Events:
        assert self.day is not None
        if self._events is None:
            self._events = successions_until(self.day)
        return self._events

    def closed_units(self) -> set[int]:
        """The units closed by a succession up to the batch's day."""
        return {pred for _event, links in self.events for pred, _s, _w, _d in links}

    def destination(self, unit_id: int) -> int:
        """Where ``unit_id``'s records are counted on the batch's day (itself when still open)."""
        if self._destination is None:
            self._destination = map_units_forward(self.closed_units(), until=self.tree_day, events=self.events)
        return self._destination.get(unit_id, unit_id)

    @property
    def tree_day(self) -> dt.date:
        assert self.day is not None
        return self.day

    def units_that_may_count(self) -> Q:
        """A filter on units: those ever below a target, and (in a later structure) the closed
        units whose records may have flowed below one."""
        found = Q(pk__in=UnitClosure.objects.filter(ancestor_id__in=self.targets).values("descendant_id"))
        if not self.historical:
            found |= Q(pk__in=predecessors_until(self.tree_day))
        return found

    @property
    def tree(self) -> Tree:
        """Every closure row of the targets (for indicators placed unit by unit in Python)."""
        if self._tree is None:
            self._tree = Tree(self)
        return self._tree

    @property
    def successor_tree(self) -> Tree:
        """The closure rows of the units that closed units' records flow into (a few rows, where
        the whole tree would be every unit of a national subtree)."""
        if self._successor_tree is None:
            successors = Succession.objects.filter(event__effective_on__lte=self.tree_day).values("successor_id")
            self._successor_tree = Tree(self, Q(descendant_id__in=successors))
        return self._successor_tree

    def targets_now(self, tree: Tree, unit_id: int) -> set[int]:
        """The targets that count ``unit_id``'s records in a later structure: where it stands on
        the day, or where its default successor stands."""
        known = self._now.get((id(tree), unit_id))
        if known is not None:
            return known
        day = self.tree_day
        found = set(tree.targets_of(unit_id, day))
        destination = self.destination(unit_id)
        if destination != unit_id:
            found.update(tree.targets_of(destination, day))
        self._now[(id(tree), unit_id)] = found
        return found

    def tree_changes(self) -> list[dt.date]:
        """The days inside the batch's span on which a closure row of the targets begins or ends
        (read once per call): between two of them the targets' subtrees do not change."""
        if self._changes is None:
            rows = (
                UnitClosure.objects.filter(ancestor_id__in=self.targets, valid_from__lte=self.last)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=self.first))
                .values_list("valid_from", "valid_to")
                .distinct()
            )
            days = {day for pair in rows for day in pair if day is not None}
            self._changes = sorted(day for day in days if self.first < day <= self.last)
        return self._changes

    def periods_of_atom(self) -> list[list[int]]:
        """For each atom, the periods that contain it."""
        found: list[list[int]] = [[] for _ in self.atoms]
        for index, atoms in enumerate(self.members):
            for atom in atoms:
                found[atom].append(index)
        return found
