"""What the org app contributes to the shared registries: navigation and its indicators."""

from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels
from lantoa.core.indicators import Aggregation, Counting, Indicator, Reallocation, register_indicator
from lantoa.core.registry import NavItem, register_nav
from lantoa.org.models import RestructuringEvent

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

# Time-varying denominators for participation rates, filed by units as reported figures.
_REPORTED = [
    # code, Vietnamese, English, measure vi/en, what it counts, filed only by units with an area
    (
        "party_members",
        "Đảng viên (trừ đảng viên miễn sinh hoạt)",
        "Party members (excluding those exempt from activities)",
        "người",
        "people",
        Counting.PEOPLE,
        False,
    ),
    ("population", "Dân số", "Population", "người", "people", Counting.PEOPLE, True),
    ("households", "Số hộ gia đình", "Households", "hộ", "households", Counting.ITEMS, True),
    ("students", "Số học sinh, sinh viên", "Pupils and students", "người", "people", Counting.PEOPLE, False),
]
for code, name_vi, name_en, measure_vi, measure_en, counting, territorial in _REPORTED:
    register_indicator(
        Indicator(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            measure_vi=measure_vi,
            measure_en=measure_en,
            aggregation=Aggregation.SNAPSHOT,
            counting=counting,
            reallocation=Reallocation.BY_WEIGHT,
            module="org",
            reported=True,
            reporting_tiers=("commune",),
            reporting_territorial_only=territorial,
        )
    )

register_audit_labels(
    actions={
        **{f"lantoa.org.event.{kind.value}": kind.label for kind in RestructuringEvent.Kind},
        "lantoa.org.tree.imported": _("Tree imported"),
        "lantoa.org.unit.area_changed": _("Administrative area changed"),
        "lantoa.org.unit.closed": _("Unit closed"),
        "lantoa.org.unit.created": _("Unit created"),
        "lantoa.org.unit.kind_changed": _("Unit kind changed"),
        "lantoa.org.unit.moved": _("Unit moved"),
        "lantoa.org.unit.renamed": _("Unit renamed"),
    },
    fields={"units": _("units"), "structure": _("structure")},
)
