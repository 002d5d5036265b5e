"""The tiers and unit kinds of a Vietnamese provincial Party organisation.

They are data: a deployment may add its own (a ministry, a union, a school network). These
defaults are created by ``import_vn_units`` and by the demo, and are safe to run again.
"""

from __future__ import annotations

from django.db import transaction

from lantoa.org.models import Tier, UnitKind
from lantoa.org.services import tier_ensure, unit_kind_ensure

TIERS = [
    # code, Vietnamese, English, rank
    ("province", "Cấp tỉnh", "Province tier", 10),
    ("district", "Cấp huyện", "District tier", 20),
    ("commune", "Cấp xã", "Commune tier", 30),
    ("village", "Thôn, tổ dân phố", "Village tier", 40),
]

KINDS = [
    # code, tier, Vietnamese, English, territorial
    ("provincial_committee", "province", "Đảng bộ tỉnh", "Provincial party committee", True),
    ("commission", "province", "Ban của Tỉnh ủy", "Commission of the provincial committee", False),
    ("district_committee", "district", "Đảng bộ huyện", "District party committee", True),
    ("town_committee", "district", "Đảng bộ thị xã", "Town party committee", True),
    ("city_committee", "district", "Đảng bộ thành phố", "City party committee", True),
    ("urban_district_committee", "district", "Đảng bộ quận", "Urban district party committee", True),
    ("bloc_committee", "district", "Đảng bộ khối", "Bloc party committee", False),
    ("armed_forces_committee", "district", "Đảng bộ lực lượng vũ trang", "Armed forces party committee", False),
    ("commune_committee", "commune", "Đảng bộ xã", "Commune party committee", True),
    ("ward_committee", "commune", "Đảng bộ phường", "Ward party committee", True),
    ("township_committee", "commune", "Đảng bộ thị trấn", "Township party committee", True),
    ("special_zone_committee", "commune", "Đảng bộ đặc khu", "Special zone party committee", True),
    ("grassroots_committee", "commune", "Tổ chức cơ sở đảng", "Grassroots party organisation", False),
    ("party_cell", "village", "Chi bộ", "Party cell", False),
]

# Administrative unit types in the package's data → the kind of the party committee that covers them.
DISTRICT_KIND_BY_TYPE = {
    "Huyện": "district_committee",
    "Thị xã": "town_committee",
    "Thành phố": "city_committee",
    "Quận": "urban_district_committee",
}
COMMUNE_KIND_BY_TYPE = {
    "Xã": "commune_committee",
    "Phường": "ward_committee",
    "Thị trấn": "township_committee",
    "Đặc khu": "special_zone_committee",
}


@transaction.atomic
def ensure_default_kinds() -> dict[str, UnitKind]:
    tiers: dict[str, Tier] = {
        code: tier_ensure(code=code, name_vi=vi, name_en=en, rank=rank) for code, vi, en, rank in TIERS
    }
    return {
        code: unit_kind_ensure(code=code, tier=tiers[tier], name_vi=vi, name_en=en, is_territorial=territorial)
        for code, tier, vi, en, territorial in KINDS
    }
