"""What the contests module contributes: navigation, the labels of its audit entries and its
indicators (entries, participants and the participation rate)."""

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
        key="contests", label=_("Question banks"), url_name="contests:bank_list", order=18, capability="view_documents"
    )
)

register_audit_labels(
    actions={
        "lantoa.contests.bank.created": _("Question bank created"),
        "lantoa.contests.bank.updated": _("Question bank changed"),
        "lantoa.contests.bank.imported": _("Questions imported into a bank"),
        "lantoa.contests.question.created": _("Question created"),
        "lantoa.contests.question.revised": _("Question revised"),
        "lantoa.contests.question.retired": _("Question retired"),
        "lantoa.contests.contest.created": _("Contest created"),
        "lantoa.contests.contest.updated": _("Contest changed"),
        "lantoa.contests.round.created": _("Round created"),
        "lantoa.contests.round.updated": _("Round changed"),
        "lantoa.contests.round.closed": _("Round closed and ranked"),
        "lantoa.contests.round.reclosed": _("Round closed again and ranked anew"),
        "lantoa.contests.round.published": _("Round results published"),
        "lantoa.contests.round.withdrawn": _("Round results withdrawn"),
        "lantoa.contests.external.imported": _("Results of the contest held on another platform imported"),
        "lantoa.contests.certificates.printed": _("Prize certificates of a round printed"),
        "lantoa.contests.eligible.imported": _("People added to the contest's list"),
        "lantoa.contests.eligible.removed": _("Someone taken off the contest's list"),
        "lantoa.contests.duplicate.dismissed": _("Two contestants marked as not duplicates"),
        "lantoa.contests.contestant.excluded": _("Contestant excluded from the rankings"),
        "lantoa.contests.contestant.included": _("Contestant included in the rankings again"),
        "lantoa.contests.claim.viewed": _("Prize claim's payment details viewed"),
        "lantoa.contests.claim.paid": _("Prize marked paid"),
        "lantoa.contests.claim.exported": _("Payment list of a round's prizes downloaded"),
        "lantoa.contests.claim.erased": _("Prize claim's payment details erased"),
    },
    fields={
        "stem": _("question"),
        "options": _("options"),
        "correct": _("correct options"),
        "kind": _("kind"),
        "scoring": _("scoring"),
        "explanation": _("explanation"),
        "tags": _("tags"),
        "questions": _("questions"),
        "results": _("results"),
        "prediction_actual": _("actual figure"),
        "results_published_at": _("results published at"),
        "external": _("results from another platform"),
        "eligible": _("list of eligible people"),
    },
)

# --- Indicators: entries and participants, by the unit each attempt was made for -----------------
# An attempt carries its contestant's unit, copied when it starts, and the local day it was
# submitted: entries are summed over the period (attempts, the same person counted again),
# participants are distinct contestants. Both are recorded facts of that unit at that time, so a
# split recomputes them from the rows.
register_source(
    RecordSource(
        key="contests.attempts",
        model="contests.Attempt",
        unit_field="unit",
        date_field="submitted_on",
        measures={"entries": Measure.count(), "participants": Measure.distinct("contestant_id")},
        filters={"submitted_at__isnull": False},
    )
)
register_indicator(
    Indicator(
        module="contests",
        code="contest_entries",
        name_vi="Lượt dự thi trực tuyến",
        name_en="Online contest entries",
        measure_vi="lượt",
        measure_en="entries",
        aggregation=Aggregation.SUM,
        counting=Counting.ATTENDANCES,
        reallocation=Reallocation.RECOMPUTE,
        source="contests.attempts",
        measure="entries",
    )
)
register_indicator(
    Indicator(
        module="contests",
        code="contest_participants",
        name_vi="Người dự thi trực tuyến",
        name_en="Online contest participants",
        measure_vi="người",
        measure_en="people",
        aggregation=Aggregation.DISTINCT,
        counting=Counting.PEOPLE,
        reallocation=Reallocation.RECOMPUTE,
        source="contests.attempts",
        measure="participants",
    )
)
# --- Indicators: results of the contest run on another platform -------------------------------
# Offices report those per unit and period (decision 0028): figures, not people, so they are
# indicators of their own beside Lantoa's — a person counted by another platform cannot be told
# apart from one of Lantoa's contestants, and adding them into a distinct count would pretend so.
# They are additive reported figures: a split shares them by its weights.
register_source(
    RecordSource(
        key="contests.external",
        model="contests.ExternalResult",
        unit_field="unit",
        date_field="day",
        measures={"entries": Measure.sum("entries"), "participants": Measure.sum("participants")},
    )
)
register_indicator(
    Indicator(
        module="contests",
        code="contest_entries_external",
        name_vi="Lượt dự thi trên nền tảng khác",
        name_en="Contest entries on another platform",
        measure_vi="lượt",
        measure_en="entries",
        aggregation=Aggregation.SUM,
        counting=Counting.ATTENDANCES,
        reallocation=Reallocation.BY_WEIGHT,
        source="contests.external",
        measure="entries",
        description_vi="Lượt dự thi các đơn vị báo cáo từ cuộc thi tổ chức trên nền tảng khác (nhập từ tệp).",
        description_en="Entries units reported from contests held on another platform (imported from a file).",
    )
)
register_indicator(
    Indicator(
        module="contests",
        code="contest_participants_external",
        name_vi="Người dự thi trên nền tảng khác (cộng theo đợt)",
        name_en="Contest participants on another platform (summed over periods)",
        measure_vi="người",
        measure_en="people",
        aggregation=Aggregation.SUM,
        counting=Counting.PEOPLE,
        reallocation=Reallocation.BY_WEIGHT,
        source="contests.external",
        measure="participants",
        description_vi=(
            "Số người dự thi mỗi đợt do đơn vị báo cáo, cộng qua các đợt trong kỳ: "
            "một người dự thi hai đợt được tính hai lần."
        ),
        description_en=(
            "People taking part in each period as units reported them, summed over the periods "
            "of the range: a person taking part in two periods counts twice."
        ),
    )
)
# The denominator the founding case reports against: Party members (filed by units as reported
# figures, lantoa.org). Contests for the public or for students compare with ``population`` or
# ``students`` on the dashboards; this registered rate is the one for Party members.
register_indicator(
    Indicator(
        module="contests",
        code="contest_participation_rate",
        name_vi="Tỷ lệ đảng viên dự thi trực tuyến",
        name_en="Online contest participation of Party members",
        measure_vi="%",
        measure_en="%",
        aggregation=Aggregation.RATIO,
        counting=Counting.OTHER,
        reallocation=Reallocation.RECOMPUTE,
        numerator="contest_participants",
        denominator="party_members",
        scale=100,
        description_vi="Người dự thi trực tuyến trên số đảng viên của đơn vị.",
        description_en="Online contest participants per the unit's Party members.",
    )
)
