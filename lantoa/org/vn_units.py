"""Vietnam's administrative units as the territorial units of the organisation tree.

The source is the pre-2025 snapshot (63 provinces, districts, communes) in the table
``admin_units_legacy`` of the ``vietnamadminunits`` package (MIT licence). Each
administrative unit becomes the party committee that covers it: the province "Tỉnh Lào Cai"
becomes "Đảng bộ tỉnh Lào Cai" with the Lantoa code ``VN10``, the district "Huyện Bát Xát"
becomes "Đảng bộ huyện Bát Xát" (``VN10-082``), and so on down to the communes
(``VN10-080-02635``). Each unit also records its administrative area with the State's
official code.

The snapshot has no founding dates, so every unit it creates opens on :data:`BASELINE`: the
date from which Lantoa records the snapshot, not the date the unit was legally founded.

Importing is idempotent: a unit whose Lantoa code already exists is left alone, or renamed
(from today) when the snapshot gives it a different name and it is still of the kind the
snapshot gives it. The 2025 reorganisation is applied on top by :mod:`lantoa.org.vn_reorganise`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib.util
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationFailed
from lantoa.core.text import fold
from lantoa.org.closure import rebuild_closure
from lantoa.org.defaults import COMMUNE_KIND_BY_TYPE, DISTRICT_KIND_BY_TYPE, ensure_default_kinds
from lantoa.org.models import Unit, UnitArea, UnitKind
from lantoa.org.selectors import today
from lantoa.org.services import unit_create, unit_rename

BASELINE = dt.date(2020, 1, 1)
SOURCE_PACKAGE = "vietnamadminunits"
SOURCE_TABLE = "admin_units_legacy"
PROVINCE_TYPES = ("Thành phố", "Tỉnh")  # "Thành phố Hà Nội" (centrally run city), "Tỉnh Lào Cai"
PROVINCE_KIND = "provincial_committee"


@dataclass
class AdminArea:
    """One administrative unit of the snapshot, with the units beneath it."""

    level: str  # a UnitArea.Level value
    official_code: str
    area_name: str  # as the State writes it: "Huyện Bát Xát"
    area_type: str  # "Tỉnh", "Huyện", "Phường"…
    code: str  # the Lantoa code of the party committee that covers it
    children: list[AdminArea] = field(default_factory=list)

    @property
    def proper_name(self) -> str:
        """The name without its type: "Huyện Bát Xát" → "Bát Xát"."""
        prefix = self.area_type + " "
        return self.area_name[len(prefix) :] if self.area_name.startswith(prefix) else self.area_name

    @property
    def committee_name(self) -> str:
        """The party committee's name: "Huyện Bát Xát" → "Đảng bộ huyện Bát Xát"."""
        return f"Đảng bộ {self.area_type.lower()} {self.proper_name}"


class UnknownProvince(ValidationFailed):
    code = "unknown_province"


# Reading the snapshot ---------------------------------------------------------------------


class DatasetMissing(ValidationFailed):
    code = "vn_dataset_missing"


def dataset_path() -> Path:
    """The package's SQLite file, found without importing the package.

    Lantoa reads only the package's data files; importing it would load its address parser,
    which needs numpy, shapely and geopy. So the locks install it without its dependencies
    (``requirements-data.txt``, ``pip install --no-deps``) and nothing here imports it.
    """
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    path = Path(locations[0]) / "data" / "dataset.db" if locations else None
    if path is None or not path.is_file():
        raise DatasetMissing(
            _(
                "The administrative units dataset is not installed. Install it with: "
                "pip install --no-deps -r requirements-data.txt"
            ),
            extra={"package": SOURCE_PACKAGE},
        )
    return path


def source_version() -> str:
    from importlib.metadata import version

    return version(SOURCE_PACKAGE)


def _province_type(name: str) -> str:
    return next((kind for kind in PROVINCE_TYPES if name.startswith(kind + " ")), "")


def load_legacy_provinces() -> list[AdminArea]:
    """Every province of the pre-2025 snapshot with its districts and communes, in code order."""
    query = """
        SELECT province, provinceCode, district, districtType, districtCode, ward, wardType, wardCode
        FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode
    """
    with closing(sqlite3.connect(f"file:{dataset_path()}?mode=ro", uri=True)) as connection:
        rows = connection.execute(query).fetchall()

    provinces: dict[str, AdminArea] = {}
    districts: dict[str, AdminArea] = {}
    for province, p_code, district, d_type, d_code, ward, w_type, w_code in rows:
        if p_code not in provinces:
            provinces[p_code] = AdminArea(
                level=UnitArea.Level.PROVINCE,
                official_code=p_code,
                area_name=province,
                area_type=_province_type(province),
                code=f"VN{p_code}",
            )
        if d_code not in districts:
            districts[d_code] = AdminArea(
                level=UnitArea.Level.DISTRICT,
                official_code=d_code,
                area_name=district,
                area_type=d_type,
                code=f"VN{p_code}-{d_code}",
            )
            provinces[p_code].children.append(districts[d_code])
        if w_code:  # island districts (Bạch Long Vĩ, Cồn Cỏ…) have no communes
            districts[d_code].children.append(
                AdminArea(
                    level=UnitArea.Level.COMMUNE,
                    official_code=w_code,
                    area_name=ward,
                    area_type=w_type,
                    code=f"VN{p_code}-{d_code}-{w_code}",
                )
            )
    return list(provinces.values())


# Finding provinces by name ----------------------------------------------------------------


def province_key(name: str) -> str:
    """Fold a province name for matching: "Tỉnh Lào Cai", "lao cai", "LÀO CAI" → "lao cai"."""
    folded = fold(name)
    for prefix in ("tinh ", "thanh pho ", "tp. ", "tp "):
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


def find_provinces(names: Iterable[str], provinces: Sequence[AdminArea]) -> list[AdminArea]:
    """The provinces called ``names`` (or with those official codes), each once, in the order asked.

    Raises :class:`UnknownProvince` naming the close matches for the first name not found.
    """
    by_key = {province_key(p.area_name): p for p in provinces}
    by_code = {p.official_code: p for p in provinces}
    found: dict[str, AdminArea] = {}
    for name in names:
        province = by_code.get(name.strip()) or by_key.get(province_key(name))
        if province is None:
            close = difflib.get_close_matches(province_key(name), list(by_key), n=5, cutoff=0.6)
            suggestions = [by_key[key].proper_name for key in close]
            raise UnknownProvince(
                _("No province called %(name)s in the snapshot.") % {"name": name},
                extra={"province": name, "suggestions": suggestions},
            )
        found[province.code] = province
    return list(found.values())


# Importing --------------------------------------------------------------------------------


@dataclass
class TierCounts:
    created: int = 0
    unchanged: int = 0
    renamed: int = 0


@dataclass
class ImportSummary:
    tiers: dict[str, TierCounts] = field(
        default_factory=lambda: {level: TierCounts() for level in UnitArea.Level.values}
    )
    created_ids: list[int] = field(default_factory=list)

    @property
    def created(self) -> int:
        return len(self.created_ids)


@dataclass
class _Importer:
    by: Any
    rename_on: dt.date
    kinds: dict[str, UnitKind]
    keeps_records: bool = True
    summary: ImportSummary = field(default_factory=ImportSummary)
    existing: dict[str, Unit] = field(default_factory=dict)

    def kind_for(self, area: AdminArea) -> UnitKind:
        if area.level == UnitArea.Level.PROVINCE:
            return self.kinds[PROVINCE_KIND]
        by_type = DISTRICT_KIND_BY_TYPE if area.level == UnitArea.Level.DISTRICT else COMMUNE_KIND_BY_TYPE
        return self.kinds[by_type[area.area_type]]

    def ensure(self, area: AdminArea, parent: Unit | None) -> Unit:
        """The unit for ``area``: created if missing, renamed if its name differs from the snapshot."""
        counts = self.summary.tiers[area.level]
        unit = self.existing.get(area.code)
        if unit is None:
            unit = unit_create(
                by=self.by,
                code=area.code,
                name=area.committee_name,
                kind=self.kind_for(area),
                opened_on=BASELINE,
                parent=parent,
                official_code=area.official_code,
                area_name=area.area_name,
                area_level=area.level,
                keeps_records=self.keeps_records,
                rebuild=False,  # one closure rebuild for the whole import, at the end
            )
            self.summary.created_ids.append(unit.pk)
            counts.created += 1
        elif (
            unit.name != area.committee_name
            and unit.is_open_on(self.rename_on)
            and unit.kind_id == self.kind_for(area).pk
        ):
            unit = unit_rename(by=self.by, unit=unit, name=area.committee_name, on=self.rename_on)
            counts.renamed += 1
        else:
            # Closed units (after a later reorganisation) keep the name they closed with, and a unit
            # whose kind changed since (an island district that became a special zone in 2025) is
            # no longer what the snapshot describes.
            counts.unchanged += 1
        return unit

    def import_province(self, province: AdminArea) -> None:
        # One query for every unit already under this province's codes.
        self.existing = {
            unit.code: unit
            for unit in Unit.objects.filter(Q(code=province.code) | Q(code__startswith=province.code + "-"))
        }
        province_unit = self.ensure(province, parent=None)
        for district in province.children:
            district_unit = self.ensure(district, parent=province_unit)
            for commune in district.children:
                self.ensure(commune, parent=district_unit)


@transaction.atomic
def import_provinces(
    provinces: Iterable[AdminArea],
    *,
    by: Any = None,
    rename_on: dt.date | None = None,
    keeps_records: bool = True,
) -> ImportSummary:
    """Create or update the units of ``provinces`` (from :func:`load_legacy_provinces`).

    ``by=None`` records the system as the author. Renames take effect on ``rename_on``
    (today by default). ``keeps_records=False`` marks the units it creates as keeping no
    records in Lantoa (a province imported only for its place in the tree): their figures
    show as missing, not zero. Units that already exist keep what they had.
    """
    importer = _Importer(
        by=by, rename_on=rename_on or today(), kinds=ensure_default_kinds(), keeps_records=keeps_records
    )
    for province in provinces:
        importer.import_province(province)
    rebuild_closure(importer.summary.created_ids)
    return importer.summary


def import_provinces_named(names: Iterable[str], *, by: Any = None, keeps_records: bool = True) -> ImportSummary:
    """Import the provinces called ``names`` (see :func:`find_provinces`)."""
    return import_provinces(find_provinces(names, load_legacy_provinces()), by=by, keeps_records=keeps_records)
