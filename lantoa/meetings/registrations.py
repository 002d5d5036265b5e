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

HELD: dict[str, object] = {"conference__status": "held"}
RELAYED: dict[str, object] = {**HELD, "is_host": False, "conference__format__in": ["online", "hybrid"]}
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

_ITEMS = (Aggregation.SUM, Counting.ITEMS, Reallocation.WHOLE_TO_DEFAULT)
_ATTENDANCES = (Aggregation.SUM, Counting.ATTENDANCES, Reallocation.WHOLE_TO_DEFAULT)
_INDICATORS = [
    # code, vi, en, measure vi/en, source, measure, (aggregation, counting, reallocation)
    ("conferences_held", "Hội nghị học tập, quán triệt đã tổ chức", "Study conferences held", "hội nghị", "conferences",
     "meetings.conferences", "count", _ITEMS),
    ("online_bridge_points", "Điểm cầu trực tuyến", "Online bridge points", "điểm cầu", "bridge points",
     "meetings.points.relayed", "count", _ITEMS),
    ("conference_attendances", "Lượt người dự hội nghị", "Conference attendances", "lượt người", "attendances",
     "meetings.attendance", "present", _ATTENDANCES),
    ("conference_members_present", "Lượt đảng viên dự hội nghị (nơi có số triệu tập)",
     "Party members present (where summoned counts were reported)", "lượt người", "attendances",
     "meetings.attendance", "rated_members_present", _ATTENDANCES),
    ("conference_members_expected", "Đảng viên được triệu tập (trừ miễn sinh hoạt)",
     "Party members summoned (less those exempt)", "lượt người", "attendances",
     "meetings.attendance", "members_expected", _ATTENDANCES),
    ("conference_present_of_summoned", "Lượt người dự (nơi có số triệu tập)",
     "Present (where summoned counts were reported)", "lượt người", "attendances",
     "meetings.attendance", "rated_present", _ATTENDANCES),
    ("conference_summoned", "Lượt người được triệu tập", "People summoned", "lượt người", "attendances",
     "meetings.attendance", "summoned", _ATTENDANCES),
    ("study_reflections_submitted", "Bài thu hoạch đã nộp", "Study reflections submitted", "bài", "reflections",
     "meetings.reflections", "submitted", _ITEMS),
]  # fmt: skip
for level, vi, en in LEVELS:
    _INDICATORS.append(
        (
            f"bridge_points_{level}",
            f"Điểm cầu trực tuyến {vi}",
            f"Online bridge points, {en}",
            "điểm cầu",
            "bridge points",
            f"meetings.points.relayed.{level}",
            "count",
            _ITEMS,
        )
    )
for code, name_vi, name_en, measure_vi, measure_en, source, measure, (
    aggregation,
    counting,
    reallocation,
) in _INDICATORS:
    register_indicator(
        Indicator(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            measure_vi=measure_vi,
            measure_en=measure_en,
            aggregation=aggregation,
            counting=counting,
            reallocation=reallocation,
            module="meetings",
            source=source,
            measure=measure,
        )
    )

_RATES = [
    ("member_attendance_rate", "Tỷ lệ đảng viên dự hội nghị", "Party member attendance rate",
     "conference_members_present", "conference_members_expected",
     "Đảng viên có mặt ÷ đảng viên của các đơn vị được triệu tập, trừ đảng viên miễn sinh hoạt (số liệu báo cáo).",
     "Party members present ÷ party members of the units summoned, less those exempt (reported figures)."),
    ("summoned_attendance_rate", "Tỷ lệ người dự so với triệu tập", "Attendance rate of those summoned",
     "conference_present_of_summoned", "conference_summoned",
     "Người có mặt ÷ người được triệu tập, ở những điểm cầu đã báo số triệu tập.",
     "Present ÷ summoned, at the sites that reported how many were summoned."),
]  # fmt: skip
for code, name_vi, name_en, numerator, denominator, description_vi, description_en in _RATES:
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
