"""Small-group suppression of survey results: which cells of a table to hide.

A cell counting fewer than :data:`MIN_GROUP` answers is hidden (*primary* suppression; a zero
too, since "nobody in this commune answered no" tells what each of its people answered). Hiding
those is not enough: a table's cells are tied by sums — a row's total is the sum of its
options, a unit's count is the sum of its children's — and a hidden cell that those sums
determine from the shown cells is as good as shown. So more cells are hidden (*complementary*
suppression) until no hidden cell can be computed from the shown ones by any combination of
the sums, not only by one of them.

The test is exact linear algebra: with the shown cells known, the hidden cells are unknowns of
the equations "total − Σ parts = 0"; a hidden cell is determined exactly when its unit vector
lies in the row space of those equations restricted to the hidden cells, which in reduced row
echelon form means its column is a pivot whose row has no other non-zero entry. Elimination is
done modulo a large prime (Python integers, no fractions): the equations' coefficients are 0 and
±1, and a rank that differs modulo 2⁶¹−1 from the rational rank would need a minor divisible by
that prime, which sums of this size cannot produce.

The function knows nothing of surveys or units: cells are any hashable keys, relations are any
"total = sum of parts". :func:`table_relations` writes the relations of the usual table (units
of a tree by rows, answer options by columns, a total column).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

MIN_GROUP = 10
_PRIME = (1 << 61) - 1

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)


@dataclass(frozen=True)
class Relation:
    """``total`` is the sum of ``parts`` (cells of the same table)."""

    total: Hashable
    parts: tuple[Hashable, ...]

    def cells(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)


def suppressed_cells(counts: Mapping[K, int], relations: Iterable[Relation], *, minimum: int = MIN_GROUP) -> set[K]:
    """The cells of ``counts`` to hide so that none under ``minimum`` shows and none hidden can be
    derived from those shown through ``relations``. Cells named by a relation but missing from
    ``counts`` count as zero (and so are hidden)."""
    relations = [relation for relation in relations if relation.parts]
    values: dict[Hashable, int] = dict(counts.items())
    for relation in relations:
        for cell in relation.cells():
            values.setdefault(cell, 0)
    hidden = {cell for cell, value in values.items() if value < minimum}
    by_cell: dict[Hashable, list[Relation]] = {}
    for relation in relations:
        for cell in relation.cells():
            by_cell.setdefault(cell, []).append(relation)
    while True:
        _close_single_gaps(hidden, relations, values)
        exposed = _determined(hidden, relations)
        if not exposed:
            break
        # One partner at a time: hiding it may cover several exposed cells at once.
        _hide_a_partner(min(exposed, key=repr), hidden, by_cell, values)
    return {cell for cell in counts if cell in hidden}  # type: ignore[misc]


def _close_single_gaps(hidden: set[Hashable], relations: Sequence[Relation], values: Mapping[Hashable, int]) -> None:
    """The cheap first pass: a relation with exactly one hidden cell gives it away by one
    subtraction, so hide its smallest shown cell too, until no relation has a single gap."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            cells = relation.cells()
            gaps = sum(1 for cell in cells if cell in hidden)
            if gaps == 1:
                hidden.add(_smallest_shown(cells, hidden, values))
                changed = True


def _smallest_shown(cells: Iterable[Hashable], hidden: set[Hashable], values: Mapping[Hashable, int]) -> Hashable:
    """The shown cell whose hiding loses least: the smallest count (ties by key, so the choice is
    the same at every call)."""
    return min((cell for cell in cells if cell not in hidden), key=lambda cell: (values[cell], repr(cell)))


def _hide_a_partner(
    cell: Hashable, hidden: set[Hashable], by_cell: Mapping[Hashable, list[Relation]], values: Mapping[Hashable, int]
) -> None:
    """Hide the smallest shown cell among the relations ``cell`` takes part in."""
    candidates = [other for relation in by_cell.get(cell, []) for other in relation.cells() if other not in hidden]
    if candidates:
        hidden.add(min(candidates, key=lambda other: (values[other], repr(other))))


def _determined(hidden: set[Hashable], relations: Sequence[Relation]) -> set[Hashable]:
    """The hidden cells that the relations determine from the shown ones."""
    columns: dict[Hashable, int] = {}
    rows: list[dict[int, int]] = []
    for relation in relations:
        row: dict[int, int] = {}
        for cell, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if cell in hidden:
                index = columns.setdefault(cell, len(columns))
                row[index] = (row.get(index, 0) + sign) % _PRIME
        row = {index: value for index, value in row.items() if value}
        if row:
            rows.append(row)
    cell_of = {index: cell for cell, index in columns.items()}
    return {cell_of[index] for index in _isolated_pivots(rows)}


def _isolated_pivots(rows: list[dict[int, int]]) -> set[int]:
    """Columns that are pivots of the reduced row echelon form with no other non-zero entry in
    their row (sparse Gauss–Jordan elimination modulo :data:`_PRIME`)."""
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> its reduced row (pivot entry 1)
    for row in rows:
        row = dict(row)
        for column, pivot_row in pivots.items():
            factor = row.get(column)
            if factor:
                _subtract(row, pivot_row, factor)
        if not row:
            continue
        column = min(row)
        inverse = pow(row[column], _PRIME - 2, _PRIME)
        row = {index: value * inverse % _PRIME for index, value in row.items()}
        for pivot_row in pivots.values():
            factor = pivot_row.get(column)
            if factor:
                _subtract(pivot_row, row, factor)
        pivots[column] = row
    return {column for column, row in pivots.items() if len(row) == 1}


def _subtract(row: dict[int, int], other: Mapping[int, int], factor: int) -> None:
    for index, value in other.items():
        result = (row.get(index, 0) - factor * value) % _PRIME
        if result:
            row[index] = result
        else:
            row.pop(index, None)


def table_relations(parents: Mapping[R, R | None], columns: Sequence[C], *, total: C | None = None) -> list[Relation]:
    """The sums of a table whose rows are the units of a tree and whose columns are answer
    options, with cells keyed ``(row, column)``.

    ``parents`` maps each row to its parent row (None for the top). Each parent row's cell is the
    sum of its children's in every column, so a unit that has answers of its own beside its
    children's must appear as one more child row (its "own" row). With ``total``, each row's
    total cell is the sum of its option cells — give it only when the options exclude each other
    (single choice, a rating); a multiple-choice row's options do not add up to its answers."""
    children: dict[R, list[R]] = {}
    for row, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(row)
    every_column: list[C] = [*columns, *([total] if total is not None else [])]
    relations = [
        Relation(total=(parent, column), parts=tuple((child, column) for child in kids))
        for parent, kids in children.items()
        for column in every_column
    ]
    if total is not None:
        relations += [Relation(total=(row, total), parts=tuple((row, column) for column in columns)) for row in parents]
    return relations
