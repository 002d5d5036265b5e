"""Building small trees for tests through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from lantoa.org.defaults import ensure_default_kinds
from lantoa.org.models import Unit, UnitKind
from lantoa.org.services import unit_create

_counter = itertools.count(1)
EPOCH = dt.date(2020, 1, 1)


def kinds() -> dict[str, UnitKind]:
    return ensure_default_kinds()


def make_unit(
    *,
    kind: str = "commune_committee",
    parent: Unit | None = None,
    name: str | None = None,
    code: str | None = None,
    opened_on: dt.date = EPOCH,
    official_code: str = "",
) -> Unit:
    number = next(_counter)
    return unit_create(
        by=None,
        code=code or f"T{number:05d}",
        name=name or f"Đơn vị {number}",
        kind=kinds()[kind],
        parent=parent,
        opened_on=opened_on,
        official_code=official_code,
        area_level="commune" if official_code else "",
    )


@dataclass
class Tree:
    """province ─┬─ district_a ── commune_a1 ── cell_a1
    ├─ district_b ── commune_b1
    └─ bloc (functional) ── agency_cell"""

    province: Unit
    district_a: Unit
    district_b: Unit
    commune_a1: Unit
    commune_b1: Unit
    cell_a1: Unit
    bloc: Unit
    agency_cell: Unit


def make_tree() -> Tree:
    province = make_unit(kind="provincial_committee", name="Đảng bộ tỉnh Thử Nghiệm", code="P")
    district_a = make_unit(kind="district_committee", parent=province, name="Đảng bộ huyện Bát Xát", code="P-A")
    district_b = make_unit(kind="district_committee", parent=province, name="Đảng bộ huyện Bảo Yên", code="P-B")
    commune_a1 = make_unit(kind="commune_committee", parent=district_a, name="Đảng bộ xã Quang Kim", code="P-A-1")
    commune_b1 = make_unit(kind="commune_committee", parent=district_b, name="Đảng bộ xã Lương Sơn", code="P-B-1")
    cell_a1 = make_unit(kind="party_cell", parent=commune_a1, name="Chi bộ thôn Phìn Ngan", code="P-A-1-C1")
    bloc = make_unit(kind="bloc_committee", parent=province, name="Đảng bộ Khối các cơ quan", code="P-K")
    agency_cell = make_unit(kind="grassroots_committee", parent=bloc, name="Chi bộ Sở Tư pháp", code="P-K-1")
    return Tree(province, district_a, district_b, commune_a1, commune_b1, cell_a1, bloc, agency_cell)
