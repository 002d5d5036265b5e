"""The demo's anonymous survey: after the XIV Congress study conference of February 2026, the
provincial committee asks today's Lào Cai communes (the conference's sites) what they understood.

Cards are issued per commune — most communes a few dozen, a few small ones only a handful — and
answered through the same service as the phone page, on days in the fortnight after the
conference, at rates that differ between communes (from about a fifth to nearly all). The small
communes' cells fall under ten answers, so the results page shows suppression at work. The
answers of those past days are then resealed, as the task worker would have done, and the survey
closed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from lantoa.meetings.models import Conference
from lantoa.org.models import Tier, Unit
from lantoa.org.selectors import unit_children
from lantoa.surveys import services
from lantoa.surveys.models import QuestionKind, Survey, SurveyStatus

SEED = "lantoa-demo-surveys"
XIV_DAY = dt.date(2026, 2, 26)
OPENS_ON = dt.date(2026, 2, 27)
CLOSES_ON = dt.date(2026, 3, 13)
TITLE = "Khảo sát sau Hội nghị học tập, quán triệt Nghị quyết Đại hội XIV của Đảng"
COMMENTS = [
    "Nên có thêm tài liệu tóm tắt bằng tiếng dân tộc.",
    "Đường truyền tại điểm cầu có lúc bị gián đoạn.",
    "Báo cáo viên trình bày dễ hiểu, có nhiều ví dụ thực tế.",
    "Đề nghị tổ chức thêm buổi trao đổi ở thôn.",
    "Thời gian hội nghị hơi dài.",
    "Cần gửi tài liệu trước để nghiên cứu.",
]


def _conference(province: Unit) -> Conference | None:
    return (
        Conference.objects.filter(organiser=province, starts_at__date=XIV_DAY, title__contains="XIV")
        .order_by("pk")
        .first()
    )


def _values(survey_versions: list[Any], rng: random.Random, lean: float) -> dict[int, list[str]]:
    """One respondent's answers; ``lean`` (0…1) tilts a commune towards the better options."""
    values: dict[int, list[str]] = {}
    for version in survey_versions:
        options = [str(option.pk) for option in version.options.all()]
        if version.kind == QuestionKind.SINGLE:
            weights = [max(0.05, (1 - index / len(options)) * lean + 0.15) for index in range(len(options))]
            values[version.question_id] = [rng.choices(options, weights)[0]]
        elif version.kind == QuestionKind.RATING:
            top = version.scale or 5
            values[version.question_id] = [str(min(top, max(1, round(rng.gauss(2 + lean * (top - 2), 0.9)))))]
        elif version.kind == QuestionKind.MULTIPLE:
            picked = [option for option in options if rng.random() < 0.35]
            if picked:
                values[version.question_id] = picked
        elif version.kind == QuestionKind.TEXT and rng.random() < 0.12:
            values[version.question_id] = [rng.choice(COMMENTS)]
    return values


def build_surveys(province: Unit, *, today: dt.date) -> Survey | None:
    """The survey, its card batches and its answers; returns the survey (None without the conference)."""
    conference = _conference(province)
    if conference is None:
        return None
    rng = random.Random(SEED)
    survey = services.survey_from_template(
        by=None,
        key="study_conference",
        owner=province,
        fields=services.SurveyFields(
            title_vi=TITLE,
            title_en="Survey after the study conference on the XIV Congress resolution",
            intro_vi=(
                "Phiếu khảo sát ẩn danh: không ghi tên, không lưu thời gian hay thiết bị. "
                "Kết quả chỉ hiển thị theo nhóm từ 10 phiếu trở lên."
            ),
            opens_on=OPENS_ON,
            closes_on=CLOSES_ON,
            audience_root=province,
            audience_tier=Tier.objects.filter(code="commune").first(),
            audience_conference=conference,
        ),
    )
    services.survey_set_status(by=None, survey=survey, status=SurveyStatus.OPEN)
    survey.refresh_from_db()
    survey_versions = services.current_versions(survey)
    communes = list(
        unit_children(province, as_of=XIV_DAY)
        .filter(kind__tier__code="commune", pk__in=conference.points.values("unit_id"))
        .order_by("code")
    )
    for number, commune in enumerate(communes):
        small = number % 9 == 4
        size = rng.randint(6, 12) if small else rng.randint(30, 60)
        rate = rng.uniform(0.2, 0.95)
        lean = rng.uniform(0.3, 0.9)
        batch = services.batch_issue(by=None, survey=survey, unit=commune, size=size, today=OPENS_ON)
        codes = list(batch.tokens.order_by("code").values_list("code", flat=True))
        for code in codes[: round(size * rate)]:
            day = OPENS_ON + dt.timedelta(days=rng.randrange((CLOSES_ON - OPENS_ON).days + 1))
            services.answer_with_token(code=code, values=_values(survey_versions, rng, lean), today=day)
    services.answers_reseal(today=today)
    return services.survey_set_status(by=None, survey=survey, status=SurveyStatus.CLOSED)
