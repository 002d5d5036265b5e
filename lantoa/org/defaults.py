"""The tiers and unit kinds of a Vietnamese provincial Party organisation.

They are data: a deployment may add its own (a ministry, a union, a school network). These
defaults are created by ``import_vn_units`` and by the demo, and are safe to run again.
"""

from __future__ import annotations

from django.db import transaction

from lantoa.core.kinds import KindSeed, kind_seeds, register_kind_seeds
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


def _ensure_tiers() -> dict[str, Tier]:
    tiers = {tier.code: tier for tier in Tier.objects.filter(code__in=[code for code, *_ in TIERS])}
    for code, vi, en, rank in TIERS:
        tier = tiers.get(code)
        if tier is None or (tier.name_vi, tier.name_en, tier.rank) != (vi, en, rank):
            tiers[code] = tier_ensure(code=code, name_vi=vi, name_en=en, rank=rank)
    return tiers


@transaction.atomic
def ensure_default_kinds() -> dict[str, UnitKind]:
    """The default tiers and unit kinds, brought to their default names and tiers; rows are
    written only where they differ, so a second call reads and writes nothing more."""
    seeds = kind_seeds("org.UnitKind")
    tiers = _ensure_tiers()
    kinds = {
        kind.code: kind for kind in UnitKind.objects.select_related("tier").filter(code__in=[s.code for s in seeds])
    }
    for seed in seeds:
        tier, territorial = tiers[seed.fields["tier_code"]], seed.fields["is_territorial"]
        kind = kinds.get(seed.code)
        wanted = (tier.pk, seed.name_vi, seed.name_en, territorial)
        if kind is None or (kind.tier_id, kind.name_vi, kind.name_en, kind.is_territorial) != wanted:
            kinds[seed.code] = unit_kind_ensure(
                code=seed.code, tier=tier, name_vi=seed.name_vi, name_en=seed.name_en, is_territorial=territorial
            )
    return {seed.code: kinds[seed.code] for seed in seeds}


def _load_unit_kinds(model: type[UnitKind], seeds: tuple[KindSeed, ...]) -> None:
    # No migration seeds unit kinds (they need their tiers): the importers, the demo and the
    # tests create them here, through the services.
    ensure_default_kinds()


register_kind_seeds(
    "org.UnitKind",
    (
        KindSeed(code, vi, en, {"tier_code": tier, "is_territorial": territorial})
        for code, tier, vi, en, territorial in KINDS
    ),
    ranked=False,
    load=_load_unit_kinds,
)
