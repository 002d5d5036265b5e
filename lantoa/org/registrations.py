"""What the org app contributes to the shared registries: navigation and its indicators."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.indicators import Aggregation, Counting, Indicator, Reallocation, register_indicator
from lantoa.core.registry import NavItem, register_nav

register_nav(NavItem(key="org", label=_("Organisation"), url_name="org:tree", order=10))

# Units below a unit at the period's end, all tiers and per tier. Tiers are data, but these
# four are the ones every Vietnamese deployment has; a deployment may register more.
_UNITS_BY_TIER = [
    ("units", "", "Đơn vị trực thuộc", "Units below"),
    ("units_district", "district", "Đơn vị cấp huyện", "District-tier units"),
    ("units_commune", "commune", "Đơn vị cấp xã", "Commune-tier units"),
    ("units_village", "village", "Chi bộ thôn, tổ dân phố", "Village-tier units"),
]
for code, tier, name_vi, name_en in _UNITS_BY_TIER:
    register_indicator(
        Indicator(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            measure_vi="đơn vị",
            measure_en="units",
            aggregation=Aggregation.SNAPSHOT,
            counting=Counting.UNITS,
            reallocation=Reallocation.RECOMPUTE,
            module="org",
            unit_tier=tier,
        )
    )

# Time-varying denominators, filed by units as reported figures.
register_indicator(
    Indicator(
        code="party_members",
        name_vi="Đảng viên (trừ đảng viên miễn sinh hoạt)",
        name_en="Party members (excluding those exempt from activities)",
        measure_vi="người",
        measure_en="people",
        aggregation=Aggregation.SNAPSHOT,
        counting=Counting.PEOPLE,
        reallocation=Reallocation.BY_WEIGHT,
        module="org",
        reported=True,
        reporting_tiers=("commune",),
    )
)
register_indicator(
    Indicator(
        code="population",
        reporting_territorial_only=True,
        name_vi="Dân số",
        name_en="Population",
        measure_vi="người",
        measure_en="people",
        aggregation=Aggregation.SNAPSHOT,
        counting=Counting.PEOPLE,
        reallocation=Reallocation.BY_WEIGHT,
        module="org",
        reported=True,
        reporting_tiers=("commune",),
    )
)

# Further denominators for participation rates, filed the same way when a unit has them.
for code, name_vi, name_en, measure_vi, measure_en, territorial in [
    ("households", "Số hộ gia đình", "Households", "hộ", "households", True),
    ("students", "Số học sinh, sinh viên", "Pupils and students", "người", "people", False),
]:
    register_indicator(
        Indicator(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            measure_vi=measure_vi,
            measure_en=measure_en,
            aggregation=Aggregation.SNAPSHOT,
            counting=Counting.PEOPLE if code == "students" else Counting.ITEMS,
            reallocation=Reallocation.BY_WEIGHT,
            module="org",
            reported=True,
            reporting_tiers=("commune",),
            reporting_territorial_only=territorial,
        )
    )
