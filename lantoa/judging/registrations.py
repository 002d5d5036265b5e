"""What the judging module contributes: the labels of its audit entries and its indicators
(units that held a staged contest, reporters entered in best-reporter contests)."""

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
    NavItem(
        key="judging",
        label=_("Judged contests"),
        url_name="judging:competition_list",
        order=19,
        capability="view_documents",
    )
)

register_audit_labels(
    actions={
        "lantoa.judging.competition.created": _("Judged contest created"),
        "lantoa.judging.rubric.created": _("Rubric created"),
        "lantoa.judging.rubric.revised": _("Rubric revised"),
        "lantoa.judging.stage.created": _("Contest stage created"),
        "lantoa.judging.entry.created": _("Contest entry created"),
        "lantoa.judging.votes.recorded": _("Audience votes recorded"),
        "lantoa.judging.juror.added": _("Jury member added"),
        "lantoa.judging.conflict.declared": _("Conflict of interest declared"),
        "lantoa.judging.stage.assigned": _("Entries assigned to jurors"),
        "lantoa.judging.sheet.submitted": _("Score sheet submitted"),
        "lantoa.judging.sheet.reopened": _("Score sheet reopened"),
        "lantoa.judging.sheet.typed_in": _("Paper score sheet typed in for its juror"),
        "lantoa.judging.stage.results": _("Stage results computed"),
        "lantoa.judging.stage.advanced": _("Entries advanced to the next stage"),
        "lantoa.judging.prize.awarded": _("Prize awarded"),
        "lantoa.judging.stage.published": _("Stage results published"),
        "lantoa.judging.stage.unpublished": _("Stage results withdrawn"),
        "lantoa.judging.certificates.printed": _("Prize certificates printed"),
        "lantoa.judging.vote.opened": _("Audience vote opened or re-timed"),
        "lantoa.judging.vote.closed": _("Audience vote closed"),
        "lantoa.judging.vote.ballots": _("Audience ballots generated"),
        "lantoa.judging.assessment.campaign_created": _("Assessment campaign created"),
        "lantoa.judging.assessment.self_saved": _("Self-assessment saved"),
        "lantoa.judging.assessment.submitted": _("Self-assessment submitted"),
        "lantoa.judging.assessment.verified": _("Assessment verified"),
        "lantoa.judging.assessment.reopened": _("Assessment reopened"),
        "lantoa.judging.assessment.evidence_added": _("Evidence file added to an assessment"),
        "lantoa.judging.assessment.evidence_removed": _("Evidence file removed from an assessment"),
    },
    fields={
        "criteria": _("criteria"),
        "audience_votes": _("audience votes"),
        "status": _("status"),
        "prize": _("prize"),
        "opens_at": _("voting opens"),
        "closes_at": _("voting closes"),
        "scores": _("scores"),
        "passed": _("passed"),
    },
)

# --- Indicators -------------------------------------------------------------------------------
# A staged contest counts for its organising unit on its first day; the indicator counts the
# distinct units that held one, so a committee with two contests in the period counts once.
register_source(
    RecordSource(
        key="judging.staged_competitions",
        model="judging.Competition",
        unit_field="unit",
        date_field="starts_on",
        measures={"committees": Measure.distinct("unit_id")},
        filters={"kind": "staged"},
    )
)
register_indicator(
    Indicator(
        module="judging",
        code="staged_contest_committees",
        name_vi="Đơn vị tổ chức hội thi sân khấu hóa",
        name_en="Units that held a staged contest",
        measure_vi="đơn vị",
        measure_en="units",
        aggregation=Aggregation.DISTINCT,
        counting=Counting.UNITS,
        reallocation=Reallocation.RECOMPUTE,
        source="judging.staged_competitions",
        measure="committees",
        description_vi="Số đơn vị khác nhau đã tổ chức hội thi sân khấu hóa bắt đầu trong kỳ.",
        description_en="Distinct units that held a staged contest starting in the period.",
    )
)
# An entrant counts in every stage they took part in, attached to the unit they entered for on
# the stage's first day; the indicator counts distinct persons, so a reporter who went from the
# district stage to the provincial one counts once.
register_source(
    RecordSource(
        key="judging.best_reporter_entries",
        model="judging.EntryStage",
        unit_field="unit",
        date_field="entered_on",
        measures={"reporters": Measure.distinct("person_id")},
        filters={"kind": "best_reporter", "person__isnull": False},
    )
)
register_indicator(
    Indicator(
        module="judging",
        code="best_reporter_entries",
        name_vi="Báo cáo viên dự hội thi báo cáo viên giỏi",
        name_en="Reporters entered in best-reporter contests",
        measure_vi="người",
        measure_en="people",
        aggregation=Aggregation.DISTINCT,
        counting=Counting.PEOPLE,
        reallocation=Reallocation.RECOMPUTE,
        source="judging.best_reporter_entries",
        measure="reporters",
        description_vi="Số báo cáo viên khác nhau dự thi ở bất kỳ vòng nào bắt đầu trong kỳ.",
        description_en="Distinct reporters entered in any stage starting in the period.",
    )
)
# An assessment passed counts once, on the last day of the period assessed, for the subject's
# unit as it was fixed at verification (``counted_unit``, never moved): a commune merged later
# keeps its 2024 result in 2024's tree, and the rollup carries it whole to the successor in
# today's structure (decision 0033).
register_source(
    RecordSource(
        key="judging.assessments_passed",
        model="judging.Assessment",
        unit_field="counted_unit",
        date_field="counted_on",
        measures={"count": Measure.count()},
        filters={"passed": True},
    )
)
register_indicator(
    Indicator(
        module="judging",
        code="assessments_passed",
        name_vi="Đơn vị, mô hình đạt tiêu chí khi đánh giá",
        name_en="Units and models passing a criteria assessment",
        measure_vi="đơn vị, mô hình",
        measure_en="subjects",
        aggregation=Aggregation.SUM,
        counting=Counting.ITEMS,
        reallocation=Reallocation.WHOLE_TO_DEFAULT,
        source="judging.assessments_passed",
        measure="count",
        description_vi='Số đơn vị và mô hình "Dân vận khéo" được cấp trên thẩm định đạt trong các đợt đánh giá '
        "theo bộ tiêu chí có kỳ đánh giá kết thúc trong kỳ (tính cho đơn vị được đánh giá lúc thẩm định).",
        description_en='Units and "Dân vận khéo" models verified as passing a criteria assessment whose period '
        "ends in the period (counted for the assessed unit as it was at verification).",
    )
)
