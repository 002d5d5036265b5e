"""What the meetings module contributes: navigation, "my work" and its indicators.

Conferences count for the unit that organised them; sites and attendance count for the unit
where the site was, so a province conference relayed to 150 communes is one conference of the
province and 150 bridge points — and their attendances — of the communes
(docs/decisions/0011-attendance-lives-on-sites.md). Only conferences marked as held count.
"""

from django.utils.translation import gettext_lazy as _

from lantoa.core.audit import register_audit_labels
from lantoa.core.indicators import (
    Aggregation,
    Counting,
    Indicator,
    Measure,
    Reallocation,
    RecordSource,
    register_indicator,
    register_source,
)
from lantoa.core.registry import NavItem, register_my_work, register_nav

register_nav(
    NavItem(key="meetings", label=_("Conferences"), url_name="meetings:list", order=17, capability="view_aggregates")
)


def _my_work(user, unit):  # type: ignore[no-untyped-def]
    from lantoa.meetings.selectors import my_work_items

    return my_work_items(user, unit)


register_my_work("meetings", _my_work)

# A site's own copies of its conference's status and format (models.BridgePoint): the rollup reads
# the sites without joining their conferences.
HELD: dict[str, object] = {"conference_held": True}
RELAYED: dict[str, object] = {**HELD, "is_host": False, "conference_online": True}
LEVELS = [
    ("central", "trung ương", "central"),
    ("province", "cấp tỉnh", "province level"),
    ("district", "cấp huyện", "district level"),
    ("commune", "cấp xã", "commune level"),
    ("grassroots", "cơ sở", "grassroots level"),
]

register_source(
    RecordSource(
        key="meetings.conferences",
        model="meetings.Conference",
        unit_field="organiser",
        date_field="held_on",
        measures={"count": Measure.count()},
        filters={"status": "held"},
    )
)
register_source(
    RecordSource(
        key="meetings.points.relayed",
        model="meetings.BridgePoint",
        unit_field="unit",
        date_field="held_on",
        measures={"count": Measure.count()},
        filters=RELAYED,
    )
)
for level, _vi, _en in LEVELS:
    register_source(
        RecordSource(
            key=f"meetings.points.relayed.{level}",
            model="meetings.BridgePoint",
            unit_field="unit",
            date_field="held_on",
            measures={"count": Measure.count()},
            filters={**RELAYED, "level": level},
        )
    )
register_source(
    RecordSource(
        key="meetings.attendance",
        model="meetings.BridgePoint",
        unit_field="unit",
        date_field="held_on",
        measures={
            "present": Measure.sum("present"),
            "rated_members_present": Measure.sum("rated_members_present"),
            "members_expected": Measure.sum("members_expected"),
            "rated_present": Measure.sum("rated_present"),
            "summoned": Measure.sum("summoned"),
        },
        filters=HELD,
    )
)
register_source(
    RecordSource(
        key="meetings.reflections",
        model="meetings.StudyReflectionTally",
        unit_field="unit",
        date_field="recorded_on",
        measures={"submitted": Measure.sum("submitted")},
    )
)


def _summed(
    *,
    code: str,
    name_vi: str,
    name_en: str,
    measure_vi: str,
    measure_en: str,
    counting: Counting,
    source: str,
    measure: str,
) -> None:
    """Register a sum over the period of a meetings measure; each record goes whole to the default successor."""
    register_indicator(
        Indicator(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            measure_vi=measure_vi,
            measure_en=measure_en,
            aggregation=Aggregation.SUM,
            counting=counting,
            reallocation=Reallocation.WHOLE_TO_DEFAULT,
            module="meetings",
            source=source,
            measure=measure,
        )
    )


def _rate(
    *,
    code: str,
    name_vi: str,
    name_en: str,
    numerator: str,
    denominator: str,
    description_vi: str,
    description_en: str,
) -> None:
    """Register a percentage of two meetings indicators, recomputed in the new structure after a split."""
    register_indicator(
        Indicator(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            measure_vi="%",
            measure_en="%",
            aggregation=Aggregation.RATIO,
            counting=Counting.OTHER,
            reallocation=Reallocation.RECOMPUTE,
            module="meetings",
            numerator=numerator,
            denominator=denominator,
            scale=100,
            description_vi=description_vi,
            description_en=description_en,
        )
    )


_summed(
    code="conferences_held",
    name_vi="Hội nghị học tập, quán triệt đã tổ chức",
    name_en="Study conferences held",
    measure_vi="hội nghị",
    measure_en="conferences",
    counting=Counting.ITEMS,
    source="meetings.conferences",
    measure="count",
)
_summed(
    code="online_bridge_points",
    name_vi="Điểm cầu trực tuyến",
    name_en="Online bridge points",
    measure_vi="điểm cầu",
    measure_en="bridge points",
    counting=Counting.ITEMS,
    source="meetings.points.relayed",
    measure="count",
)
_summed(
    code="conference_attendances",
    name_vi="Lượt người dự hội nghị",
    name_en="Conference attendances",
    measure_vi="lượt người",
    measure_en="attendances",
    counting=Counting.ATTENDANCES,
    source="meetings.attendance",
    measure="present",
)
_summed(
    code="conference_members_present",
    name_vi="Lượt đảng viên dự hội nghị (nơi có số triệu tập)",
    name_en="Party members present (where summoned counts were reported)",
    measure_vi="lượt người",
    measure_en="attendances",
    counting=Counting.ATTENDANCES,
    source="meetings.attendance",
    measure="rated_members_present",
)
_summed(
    code="conference_members_expected",
    name_vi="Đảng viên được triệu tập (trừ miễn sinh hoạt)",
    name_en="Party members summoned (less those exempt)",
    measure_vi="lượt người",
    measure_en="attendances",
    counting=Counting.ATTENDANCES,
    source="meetings.attendance",
    measure="members_expected",
)
_summed(
    code="conference_present_of_summoned",
    name_vi="Lượt người dự (nơi có số triệu tập)",
    name_en="Present (where summoned counts were reported)",
    measure_vi="lượt người",
    measure_en="attendances",
    counting=Counting.ATTENDANCES,
    source="meetings.attendance",
    measure="rated_present",
)
_summed(
    code="conference_summoned",
    name_vi="Lượt người được triệu tập",
    name_en="People summoned",
    measure_vi="lượt người",
    measure_en="attendances",
    counting=Counting.ATTENDANCES,
    source="meetings.attendance",
    measure="summoned",
)
_summed(
    code="study_reflections_submitted",
    name_vi="Bài thu hoạch đã nộp",
    name_en="Study reflections submitted",
    measure_vi="bài",
    measure_en="reflections",
    counting=Counting.ITEMS,
    source="meetings.reflections",
    measure="submitted",
)
for level, vi, en in LEVELS:
    _summed(
        code=f"bridge_points_{level}",
        name_vi=f"Điểm cầu trực tuyến {vi}",
        name_en=f"Online bridge points, {en}",
        measure_vi="điểm cầu",
        measure_en="bridge points",
        counting=Counting.ITEMS,
        source=f"meetings.points.relayed.{level}",
        measure="count",
    )

_rate(
    code="member_attendance_rate",
    name_vi="Tỷ lệ đảng viên dự hội nghị",
    name_en="Party member attendance rate",
    numerator="conference_members_present",
    denominator="conference_members_expected",
    description_vi=(
        "Đảng viên có mặt ÷ đảng viên của các đơn vị được triệu tập, trừ đảng viên miễn sinh hoạt (số liệu báo cáo)."
    ),
    description_en="Party members present ÷ party members of the units summoned, less those exempt (reported figures).",
)
_rate(
    code="summoned_attendance_rate",
    name_vi="Tỷ lệ người dự so với triệu tập",
    name_en="Attendance rate of those summoned",
    numerator="conference_present_of_summoned",
    denominator="conference_summoned",
    description_vi="Người có mặt ÷ người được triệu tập, ở những điểm cầu đã báo số triệu tập.",
    description_en="Present ÷ summoned, at the sites that reported how many were summoned.",
)

register_audit_labels(
    actions={
        "lantoa.meetings.attachment.added": _("Photo or minutes added"),
        "lantoa.meetings.attendance.recorded": _("Attendance recorded"),
        "lantoa.meetings.conference.cancelled": _("Conference cancelled"),
        "lantoa.meetings.conference.created": _("Conference planned"),
        "lantoa.meetings.conference.held": _("Conference marked as held"),
        "lantoa.meetings.conference.point_removed": _("Bridge point removed"),
        "lantoa.meetings.conference.points_added": _("Bridge points added"),
        "lantoa.meetings.conference.updated": _("Conference changed"),
        "lantoa.meetings.participants.registered": _("Participants registered"),
        "lantoa.meetings.point.updated": _("Bridge point changed"),
        "lantoa.meetings.reflections.recorded": _("Study reflections recorded"),
        "lantoa.meetings.roster.marked": _("Roster marked"),
        "lantoa.meetings.series.created": _("Conference series created"),
    },
    fields={
        "sites": _("bridge points"),
        "presenters": _("presenters"),
        "participants": _("participants"),
        "attachments": _("attachments"),
        "absent": _("absent"),
        "summoned": _("summoned"),
        "members_summoned": _("members summoned"),
    },
)
