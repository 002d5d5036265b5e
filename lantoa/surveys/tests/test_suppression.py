"""Small-group suppression: no cell under the minimum shows, and no hidden cell can be computed
from the shown ones by sums and differences along rows, columns and the tree.

The check here is independent of the module's: exact elimination over the rationals
(:class:`fractions.Fraction`) of every relation, asking for each hidden cell whether the shown
cells fix its value.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from lantoa.surveys.suppression import MIN_GROUP, Relation, suppressed_cells, table_relations

TOTAL = "total"


def derivable(hidden: set[Hashable], relations: Sequence[Relation]) -> set[Hashable]:
    """Hidden cells whose value the relations fix once the shown cells are known (rational RREF)."""
    cells = sorted(hidden, key=repr)
    index = {cell: i for i, cell in enumerate(cells)}
    matrix: list[list[Fraction]] = []
    for relation in relations:
        row = [Fraction(0)] * len(cells)
        for cell, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if cell in index:
                row[index[cell]] += sign
        if any(row):
            matrix.append(row)
    pivot_rows: list[tuple[int, list[Fraction]]] = []
    for row in matrix:
        for column, pivot in pivot_rows:
            if row[column]:
                factor = row[column]
                row = [a - factor * b for a, b in zip(row, pivot, strict=True)]
        lead = next((i for i, value in enumerate(row) if value), None)
        if lead is None:
            continue
        row = [value / row[lead] for value in row]
        pivot_rows = [
            (column, [a - pivot[lead] * b for a, b in zip(pivot, row, strict=True)]) for column, pivot in pivot_rows
        ]
        pivot_rows.append((lead, row))
    return {cells[column] for column, row in pivot_rows if sum(1 for value in row if value) == 1}


def consistent_table(parents: Mapping[int, int | None], leaf_counts: Mapping[tuple[int, str], int], columns):
    """Counts of every cell from the leaves' option counts: rows total their options, parents
    total their children."""
    children: dict[int, list[int]] = {}
    for row, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(row)
    counts: dict[tuple[int, str], int] = {}

    def fill(row: int) -> None:
        for child in children.get(row, []):
            fill(child)
        for column in columns:
            if row in children:
                counts[(row, column)] = sum(counts[(child, column)] for child in children[row])
            else:
                counts[(row, column)] = leaf_counts[(row, column)]
        counts[(row, TOTAL)] = sum(counts[(row, column)] for column in columns)

    roots = [row for row, parent in parents.items() if parent is None]
    for root in roots:
        fill(root)
    return counts


@st.composite
def trees_and_answers(draw):
    size = draw(st.integers(min_value=1, max_value=14))
    parents: dict[int, int | None] = {0: None}
    for row in range(1, size):
        parents[row] = draw(st.integers(min_value=0, max_value=row - 1))
    columns = [f"o{i}" for i in range(draw(st.integers(min_value=1, max_value=4)))]
    leaves = [row for row in parents if row not in set(parents.values())]
    small_or_large = st.one_of(st.integers(0, 12), st.integers(0, 60))
    leaf_counts = {(row, column): draw(small_or_large) for row in leaves for column in columns}
    return parents, columns, consistent_table(parents, leaf_counts, columns)


@settings(max_examples=300, deadline=None)
@given(trees_and_answers())
def test_no_hidden_cell_can_be_derived_from_the_shown_ones(table):
    parents, columns, counts = table
    relations = table_relations(parents, columns, total=TOTAL)
    hidden = suppressed_cells(counts, relations)
    assert all(counts[cell] >= MIN_GROUP for cell in counts if cell not in hidden)
    assert not derivable(hidden, relations)


@settings(max_examples=200, deadline=None)
@given(trees_and_answers())
def test_multiple_choice_tables_are_protected_along_the_tree(table):
    parents, columns, counts = table
    relations = table_relations(parents, columns)  # no row total: options do not add up
    option_counts = {cell: value for cell, value in counts.items() if cell[1] != TOTAL}
    hidden = suppressed_cells(option_counts, relations)
    assert all(option_counts[cell] >= MIN_GROUP for cell in option_counts if cell not in hidden)
    assert not derivable(hidden, relations)


def test_primary_suppression_alone_would_let_a_cell_be_computed():
    """The check above can fail: hiding only the small cell of a row leaves it one subtraction
    away (40 − 31 = 9)."""
    parents = {"province": None}
    counts = {("province", "yes"): 31, ("province", "no"): 9, ("province", TOTAL): 40}
    relations = table_relations(parents, ["yes", "no"], total=TOTAL)
    primary = {cell for cell, value in counts.items() if value < MIN_GROUP}
    assert derivable(primary, relations) == {("province", "no")}
    assert suppressed_cells(counts, relations) == {("province", "no"), ("province", "yes")}


def test_a_parent_minus_its_other_children_gives_nothing_away():
    parents = {"district": None, "a": "district", "b": "district", "c": "district"}
    counts = {("district", "n"): 57, ("a", "n"): 25, ("b", "n"): 28, ("c", "n"): 4}
    hidden = suppressed_cells(counts, table_relations(parents, ["n"]))
    assert ("c", "n") in hidden
    assert hidden == {("c", "n"), ("a", "n")}  # the smaller partner is hidden with it


def test_combinations_of_sums_are_caught_not_only_single_subtractions():
    """Three hidden cells, each sum holding two of them, pass the one-subtraction rule; yet the
    three shown sums pin all three down (a = (ab + ac − bc) / 2). The exact check finds it."""
    relations = [
        Relation(total="ab", parts=("a", "b")),
        Relation(total="bc", parts=("b", "c")),
        Relation(total="ac", parts=("a", "c")),
    ]
    counts = {"a": 3, "b": 8, "c": 9, "ab": 11, "bc": 17, "ac": 12}
    primary = {"a", "b", "c"}
    assert derivable(primary, relations) == primary
    hidden = suppressed_cells(counts, relations)
    assert hidden == {"a", "b", "c", "ab"}  # one partner, the smallest sum, is enough
    assert not derivable(hidden, relations)


def test_large_groups_show_everything():
    parents = {"p": None, "a": "p", "b": "p"}
    counts = {("a", "x"): 20, ("a", "y"): 30, ("b", "x"): 40, ("b", "y"): 50}
    counts |= {("a", TOTAL): 50, ("b", TOTAL): 90, ("p", "x"): 60, ("p", "y"): 80, ("p", TOTAL): 140}
    assert suppressed_cells(counts, table_relations(parents, ["x", "y"], total=TOTAL)) == set()
