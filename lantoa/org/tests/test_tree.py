import datetime as dt

import pytest

from lantoa.core.errors import ValidationFailed
from lantoa.org import selectors
from lantoa.org.services import unit_close, unit_move, unit_rename
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db

MOVE_DAY = dt.date(2023, 6, 1)


def codes(units):
    return sorted(u.code for u in units)


def test_subtree_contains_all_descendants(tree):
    assert codes(selectors.unit_subtree(tree.district_a)) == ["P-A", "P-A-1", "P-A-1-C1"]
    assert len(selectors.unit_subtree(tree.province)) == 8


def test_subtree_as_of_a_date_after_reparenting(tree):
    unit_move(by=None, unit=tree.commune_a1, new_parent=tree.district_b, on=MOVE_DAY)

    before = MOVE_DAY - dt.timedelta(days=1)
    assert codes(selectors.unit_subtree(tree.district_a, as_of=before)) == ["P-A", "P-A-1", "P-A-1-C1"]
    assert codes(selectors.unit_subtree(tree.district_a, as_of=MOVE_DAY)) == ["P-A"]
    assert set(codes(selectors.unit_subtree(tree.district_b, as_of=MOVE_DAY))) == {"P-B", "P-B-1", "P-A-1", "P-A-1-C1"}
    # The province sees everything on both days.
    assert len(selectors.unit_subtree(tree.province, as_of=before)) == 8
    assert len(selectors.unit_subtree(tree.province, as_of=MOVE_DAY)) == 8
    assert [u.code for u in selectors.unit_ancestors(tree.cell_a1, as_of=MOVE_DAY)] == ["P", "P-B", "P-A-1"]
    assert [u.code for u in selectors.unit_ancestors(tree.cell_a1, as_of=before)] == ["P", "P-A", "P-A-1"]


def test_unit_cannot_move_under_its_own_descendant(tree):
    with pytest.raises(ValidationFailed):
        unit_move(by=None, unit=tree.district_a, new_parent=tree.cell_a1, on=MOVE_DAY)
    assert selectors.unit_parent(tree.district_a) == tree.province


def test_units_open_before_their_creation_are_not_in_subtree(tree):
    late = make_unit(kind="commune_committee", parent=tree.district_a, opened_on=dt.date(2024, 1, 1))
    assert late not in selectors.unit_subtree(tree.district_a, as_of=dt.date(2023, 12, 31))
    assert late in selectors.unit_subtree(tree.district_a, as_of=dt.date(2024, 1, 1))


def test_rename_keeps_old_name_in_history(tree):
    unit_rename(by=None, unit=tree.commune_a1, name="Đảng bộ xã Quang Kim mới", on=MOVE_DAY)
    names = [n.name for n in selectors.unit_names(tree.commune_a1)]
    assert names == ["Đảng bộ xã Quang Kim", "Đảng bộ xã Quang Kim mới"]
    tree.commune_a1.refresh_from_db()
    assert tree.commune_a1.name == "Đảng bộ xã Quang Kim mới"


def test_close_refuses_a_unit_with_open_children_and_closes_a_leaf(tree):
    with pytest.raises(ValidationFailed):
        unit_close(by=None, unit=tree.commune_a1, on=MOVE_DAY)
    unit_close(by=None, unit=tree.cell_a1, on=MOVE_DAY)
    assert tree.cell_a1 not in selectors.unit_subtree(tree.commune_a1, as_of=MOVE_DAY)
    assert tree.cell_a1 in selectors.unit_subtree(tree.commune_a1, as_of=MOVE_DAY - dt.timedelta(days=1))
