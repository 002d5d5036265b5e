"""What the org app contributes to the shared registries: navigation and its indicators."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels
from lantoa.core.indicators import Aggregation, Counting, Indicator, Reallocation, register_indicator
from lantoa.core.registry import NavItem, register_nav
from lantoa.org.models import RestructuringEvent

register_nav(NavItem(key="org", label=_("Organisation"), url_name="org:tree", order=10))


def _units_below(*, code: str, tier: str, name_vi: str, name_en: str) -> None:
    """Register a count of the units below a unit at the period's end, of ``tier`` ("" = every tier)."""
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


def _reported(
    *,
    code: str,
    name_vi: str,
    name_en: str,
    measure_vi: str,
    measure_en: str,
    counting: Counting,
    territorial_only: bool,
    max_value: Decimal,
) -> None:
    """Register a figure filed by commune-tier units, valid at the period's end and shared by weight after a split.

    ``territorial_only``: only units with an administrative area file it (population, households).
    ``max_value``: the largest figure one unit may file; a larger one is refused as a typo.
    """
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
            reporting_territorial_only=territorial_only,
            max_value=max_value,
        )
    )


# Units below a unit at the period's end, all tiers and per tier. Tiers are data, but these
# four are the ones every Vietnamese deployment has; a deployment may register more.
_units_below(code="units", tier="", name_vi="Đơn vị trực thuộc", name_en="Units below")
_units_below(code="units_district", tier="district", name_vi="Đơn vị cấp huyện", name_en="District-tier units")
_units_below(code="units_commune", tier="commune", name_vi="Đơn vị cấp xã", name_en="Commune-tier units")
_units_below(code="units_village", tier="village", name_vi="Chi bộ thôn, tổ dân phố", name_en="Village-tier units")

# Time-varying denominators for participation rates, filed by units as reported figures. No one
# unit's figure can pass the whole country's, so each bound is about twice the national figure
# (mid-2020s): room for growth, while a figure with a digit or two too many is caught.
_reported(
    code="party_members",
    name_vi="Đảng viên (trừ đảng viên miễn sinh hoạt)",
    name_en="Party members (excluding those exempt from activities)",
    measure_vi="người",
    measure_en="people",
    counting=Counting.PEOPLE,
    territorial_only=False,
    max_value=Decimal(10_000_000),  # about 5.7 million Party members in all
)
_reported(
    code="population",
    name_vi="Dân số",
    name_en="Population",
    measure_vi="người",
    measure_en="people",
    counting=Counting.PEOPLE,
    territorial_only=True,
    max_value=Decimal(200_000_000),  # about 101 million people in Viet Nam
)
_reported(
    code="households",
    name_vi="Số hộ gia đình",
    name_en="Households",
    measure_vi="hộ",
    measure_en="households",
    counting=Counting.ITEMS,
    territorial_only=True,
    max_value=Decimal(50_000_000),  # about 27 million households
)
_reported(
    code="students",
    name_vi="Số học sinh, sinh viên",
    name_en="Pupils and students",
    measure_vi="người",
    measure_en="people",
    counting=Counting.PEOPLE,
    territorial_only=False,
    max_value=Decimal(50_000_000),  # about 25 million pupils and students
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
