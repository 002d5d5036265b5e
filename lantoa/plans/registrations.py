"""What the plans module contributes: navigation, "my work", its indicators, the restructuring
pointer handler and the labels of its audit entries.

Programmes count for the unit that issued them, on the day they were issued; recommendations for
the unit that sent them, on the day they were sent. Both go whole to the default successor
across a split. Two figures are stored when their facts are known, so that the rollup counts
rows: a programme's ``on_time`` (set when it is issued, and again when a requirement is set or
changed) and a recommendation's ``answered_on_time`` (set by its first answer).
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

register_nav(NavItem(key="plans", label=_("Programmes"), url_name="plans:index", order=19, capability="view_documents"))


def _my_work(user, unit):  # type: ignore[no-untyped-def]
    from lantoa.plans.selectors import my_work_items

    return my_work_items(user, unit)


register_my_work("plans", _my_work)

register_source(
    RecordSource(
        key="plans.programmes",
        model="plans.ActionProgramme",
        unit_field="origin_unit",
        date_field="issued_on",
        measures={"count": Measure.count()},
    )
)
register_source(
    RecordSource(
        key="plans.programmes.on_time",
        model="plans.ActionProgramme",
        unit_field="origin_unit",
        date_field="issued_on",
        measures={"count": Measure.count()},
        filters={"on_time": True},
    )
)
register_source(
    RecordSource(
        key="plans.recommendations",
        model="plans.Recommendation",
        unit_field="unit",
        date_field="sent_on",
        measures={"count": Measure.count()},
    )
)
register_source(
    RecordSource(
        key="plans.recommendations.answered_on_time",
        model="plans.Recommendation",
        unit_field="unit",
        date_field="sent_on",
        measures={"count": Measure.count()},
        filters={"answered_on_time": True},
    )
)
register_source(
    RecordSource(
        key="plans.inspections",
        model="plans.Inspection",
        unit_field="unit",
        date_field="ends_on",
        measures={"count": Measure.count()},
    )
)
# A follow-up is open from its inspection's last day (when the conclusion is drawn) until the
# day it is closed (exclusive), at the unit that had to carry it out then (``origin_unit``, never
# moved: ``owner_unit`` passes to a successor, and history must not).
register_source(
    RecordSource(
        key="plans.follow_ups",
        model="plans.FollowUp",
        unit_field="origin_unit",
        date_field="conclusion__inspection__ends_on",
        valid_to_field="closed_on",
        measures={"count": Measure.count()},
    )
)

# Tasks count for ``counted_unit`` (the owner unit, or the programme's unit for a role's task) on
# their deadline; done means 100 % today.
register_source(
    RecordSource(
        key="plans.tasks",
        model="plans.ProgrammeTask",
        unit_field="counted_unit",
        date_field="due_on",
        measures={"count": Measure.count()},
    )
)
register_source(
    RecordSource(
        key="plans.tasks.done",
        model="plans.ProgrammeTask",
        unit_field="counted_unit",
        date_field="due_on",
        measures={"count": Measure.count()},
        filters={"percent_done": 100},
    )
)


def _count(code: str, vi: str, en: str, measure_vi: str, measure_en: str, source: str, description_vi: str,
           description_en: str) -> None:  # fmt: skip
    register_indicator(
        Indicator(
            code=code,
            name_vi=vi,
            name_en=en,
            measure_vi=measure_vi,
            measure_en=measure_en,
            aggregation=Aggregation.SUM,
            counting=Counting.ITEMS,
            reallocation=Reallocation.WHOLE_TO_DEFAULT,
            module="plans",
            source=source,
            measure="count",
            description_vi=description_vi,
            description_en=description_en,
        )
    )


_count(
    "action_programmes_issued",
    "Chương trình hành động, kế hoạch thực hiện đã ban hành",
    "Action programmes issued",
    "văn bản",
    "programmes",
    "plans.programmes",
    "Chương trình, kế hoạch do các đơn vị ban hành trong kỳ (theo ngày ban hành, tính cho đơn vị ban hành).",
    "Programmes issued in the period (by their date of issue, counted for the issuing unit).",
)
_count(
    "action_programmes_on_time",
    "Chương trình hành động ban hành đúng hạn",
    "Action programmes issued on time",
    "văn bản",
    "programmes",
    "plans.programmes.on_time",
    "Chương trình ban hành trong kỳ, không muộn hơn thời hạn cấp trên đã định cho đơn vị ban hành.",
    "Programmes issued in the period by the deadline a unit above set for their issuing unit.",
)
_count(
    "recommendations_sent",
    "Kiến nghị, đề xuất đã gửi",
    "Recommendations sent",
    "kiến nghị",
    "recommendations",
    "plans.recommendations",
    "Kiến nghị, đề xuất các đơn vị gửi trong kỳ (theo ngày gửi, tính cho đơn vị gửi).",
    "Recommendations sent in the period (by the day sent, counted for the sending unit).",
)
_count(
    "recommendations_answered_on_time",
    "Kiến nghị được trả lời đúng hạn",
    "Recommendations answered on time",
    "kiến nghị",
    "recommendations",
    "plans.recommendations.answered_on_time",
    "Kiến nghị gửi trong kỳ có hạn trả lời và được trả lời lần đầu không muộn hơn hạn đó.",
    "Recommendations sent in the period with a deadline, first answered by that deadline.",
)

_count(
    "inspections_held",
    "Cuộc kiểm tra, giám sát đã tiến hành",
    "Inspections and supervisions held",
    "cuộc",
    "inspections",
    "plans.inspections",
    "Cuộc kiểm tra, giám sát kết thúc trong kỳ (theo ngày kết thúc, tính cho đơn vị ghi nhận cuộc kiểm tra).",
    "Inspections and supervisions that ended in the period (by their last day, counted for the unit that "
    "recorded them).",
)
_count(
    "programme_tasks_due",
    "Nhiệm vụ của chương trình đến hạn",
    "Programme tasks due",
    "nhiệm vụ",
    "tasks",
    "plans.tasks",
    "Nhiệm vụ của các chương trình hành động có hạn hoàn thành trong kỳ (tính cho đơn vị chủ trì, hoặc đơn vị "
    "ban hành chương trình khi chủ trì là một chức danh).",
    "Programme tasks whose deadline falls in the period (counted for their owner unit, or for the programme's "
    "unit when a role owns them).",
)
_count(
    "programme_tasks_done",
    "Nhiệm vụ của chương trình đến hạn đã hoàn thành",
    "Programme tasks due and done",
    "nhiệm vụ",
    "tasks",
    "plans.tasks.done",
    "Trong số nhiệm vụ đến hạn trong kỳ, những nhiệm vụ đã báo cáo hoàn thành 100%.",
    "Of the tasks due in the period, those reported 100 % done.",
)
register_indicator(
    Indicator(
        code="programme_tasks_done_rate",
        name_vi="Tỷ lệ nhiệm vụ của chương trình hoàn thành",
        name_en="Programme tasks done rate",
        measure_vi="%",
        measure_en="%",
        aggregation=Aggregation.RATIO,
        counting=Counting.OTHER,
        reallocation=Reallocation.RECOMPUTE,
        module="plans",
        numerator="programme_tasks_done",
        denominator="programme_tasks_due",
        scale=100,
        description_vi="Nhiệm vụ đến hạn trong kỳ đã hoàn thành ÷ nhiệm vụ đến hạn trong kỳ.",
        description_en="Tasks due in the period and done ÷ tasks due in the period.",
    )
)
register_indicator(
    Indicator(
        code="inspection_conclusions_open",
        name_vi="Kết luận kiểm tra chưa thực hiện xong",
        name_en="Inspection conclusions still open",
        measure_vi="kết luận",
        measure_en="conclusions",
        aggregation=Aggregation.SNAPSHOT,
        counting=Counting.ITEMS,
        reallocation=Reallocation.RECOMPUTE,
        module="plans",
        source="plans.follow_ups",
        measure="count",
        description_vi="Kết luận kiểm tra yêu cầu thực hiện còn chưa hoàn thành vào ngày cuối kỳ "
        "(tính cho đơn vị phải thực hiện).",
        description_en="Inspection conclusions that ask for action and were still open on the period's last day "
        "(counted for the unit that must carry them out).",
    )
)


def _register_pointer_handlers() -> None:
    from lantoa.org.restructuring import register_pointer_handler
    from lantoa.plans.services import open_work_follows_successor, programmes_follow_successor

    register_pointer_handler("action_programmes", programmes_follow_successor)
    register_pointer_handler("plans_open_work", open_work_follows_successor)


_register_pointer_handlers()

register_audit_labels(
    actions={
        "lantoa.plans.requirement.created": _("Programme deadline set"),
        "lantoa.plans.requirement.updated": _("Programme deadline changed"),
        "lantoa.plans.programme.created": _("Action programme recorded"),
        "lantoa.plans.programme.transferred": _("Action programme moved to the successor unit"),
        "lantoa.plans.task.added": _("Programme task added"),
        "lantoa.plans.tasks.imported": _("Programme tasks imported from a spreadsheet"),
        "lantoa.plans.progress.recorded": _("Task progress recorded"),
        "lantoa.plans.recommendation.sent": _("Recommendation sent"),
        "lantoa.plans.recommendation.received": _("Recommendation received"),
        "lantoa.plans.recommendation.considering": _("Recommendation being considered"),
        "lantoa.plans.recommendation.answered": _("Recommendation answered"),
        "lantoa.plans.recommendation.implemented": _("Recommendation implemented"),
        "lantoa.plans.recommendation.declined": _("Recommendation declined"),
        "lantoa.plans.inspection.created": _("Inspection recorded"),
        "lantoa.plans.inspection.member_added": _("Inspection team member added"),
        "lantoa.plans.inspection.concluded": _("Inspection conclusion recorded"),
        "lantoa.plans.inspection.file_added": _("Inspection paper uploaded"),
        "lantoa.plans.inspection_plan.created": _("Inspection plan recorded"),
        "lantoa.plans.inspection_plan.item_added": _("Inspection added to the plan"),
        "lantoa.plans.follow_up.closed": _("Follow-up closed"),
        "lantoa.plans.reminder.requirement": _("Reminded to issue the action programme"),
        "lantoa.plans.reminder.tasks": _("Reminded of an overdue programme task"),
        "lantoa.plans.reminder.follow_ups": _("Reminded of an overdue follow-up"),
        "lantoa.plans.reminder.recommendation": _("Reminded to answer a recommendation"),
        "lantoa.plans.work.transferred": _("Open tasks, follow-ups or recommendations moved to the successor unit"),
    },
    fields={
        "percent": _("percent done"),
        "on": _("date"),
        "inspected": _("inspected units"),
        "team": _("team"),
        "conclusions": _("conclusions"),
        "follow_up": _("follow-up"),
        "files": _("papers"),
        "items": _("planned inspections"),
        "tasks": _("tasks"),
        "reminded": _("reminded"),
    },
)
