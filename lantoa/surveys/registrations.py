"""What the surveys module contributes: navigation, audit labels and its indicators.

Answers count for the unit of the card's batch (or of the open link) on their day; cards issued
count for the batch's unit on the day they were issued. Each record goes whole to the default
successor in today's structure and stays at its own unit in the historical one (the rollup does
both); the response rate is recomputed from the two sums in whichever structure is asked.
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
from lantoa.core.registry import NavItem, register_nav

register_nav(
    NavItem(key="surveys", label=_("Surveys"), url_name="surveys:list", order=21, capability="view_aggregates")
)

register_audit_labels(
    actions={
        "lantoa.surveys.survey.created": _("Survey created"),
        "lantoa.surveys.survey.changed": _("Survey changed"),
        "lantoa.surveys.survey.open": _("Survey opened"),
        "lantoa.surveys.survey.closed": _("Survey closed"),
        "lantoa.surveys.links.sent": _("Survey links sent by e-mail"),
        "lantoa.surveys.section.created": _("Survey section created"),
        "lantoa.surveys.section.changed": _("Survey section renamed"),
        "lantoa.surveys.section.moved": _("Survey section moved"),
        "lantoa.surveys.section.removed": _("Survey section removed"),
        "lantoa.surveys.question.moved": _("Survey question moved"),
        "lantoa.surveys.question.created": _("Survey question created"),
        "lantoa.surveys.question.changed": _("Survey question changed"),
        "lantoa.surveys.question.versioned": _("Survey question changed (new version)"),
        "lantoa.surveys.question.removed": _("Survey question removed"),
        "lantoa.surveys.batch.issued": _("Survey cards issued"),
    }
)

register_source(
    RecordSource(
        key="surveys.answers",
        model="surveys.Answer",
        unit_field="unit",
        date_field="day",
        measures={"count": Measure.count()},
    )
)
register_source(
    RecordSource(
        key="surveys.tokens",
        model="surveys.TokenBatch",
        unit_field="unit",
        date_field="issued_on",
        measures={"issued": Measure.sum("size")},
    )
)
register_indicator(
    Indicator(
        module="surveys",
        code="survey_answers",
        name_vi="Phiếu khảo sát đã trả lời",
        name_en="Survey answers",
        measure_vi="phiếu",
        measure_en="answers",
        aggregation=Aggregation.SUM,
        counting=Counting.ITEMS,
        reallocation=Reallocation.WHOLE_TO_DEFAULT,
        source="surveys.answers",
        measure="count",
        description_vi="Số phiếu khảo sát ẩn danh đã được trả lời trong kỳ.",
        description_en="Anonymous survey answers received in the period.",
    )
)
register_indicator(
    Indicator(
        module="surveys",
        code="survey_tokens_issued",
        name_vi="Mã phiếu khảo sát đã phát",
        name_en="Survey cards issued",
        measure_vi="mã phiếu",
        measure_en="cards",
        aggregation=Aggregation.SUM,
        counting=Counting.ITEMS,
        reallocation=Reallocation.WHOLE_TO_DEFAULT,
        source="surveys.tokens",
        measure="issued",
        description_vi="Số mã phiếu khảo sát dùng một lần đã phát trong kỳ.",
        description_en="One-time survey cards issued in the period.",
    )
)
register_indicator(
    Indicator(
        module="surveys",
        code="survey_response_rate",
        name_vi="Tỷ lệ trả lời phiếu khảo sát",
        name_en="Survey response rate",
        measure_vi="%",
        measure_en="%",
        aggregation=Aggregation.RATIO,
        counting=Counting.OTHER,
        reallocation=Reallocation.RECOMPUTE,
        numerator="survey_answers",
        denominator="survey_tokens_issued",
        scale=100,
        description_vi="Số phiếu đã trả lời trên số mã phiếu đã phát trong kỳ.",
        description_en="Answers received per card issued in the period.",
    )
)


def _register_restructuring_handlers() -> None:
    from lantoa.org.restructuring import register_pointer_handler
    from lantoa.surveys.restructuring import surveys_follow_successor

    register_pointer_handler("surveys", surveys_follow_successor)


_register_restructuring_handlers()
