"""Surveys for tests, made through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from lantoa.org.models import Unit
from lantoa.surveys import services
from lantoa.surveys.models import QuestionKind, Survey, SurveyMode, SurveyStatus

_counter = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


def make_survey(
    owner: Unit,
    *,
    audience_root: Unit | None = None,
    mode: str = SurveyMode.TOKENS,
    opens_on: dt.date | None = None,
    closes_on: dt.date | None = None,
    questions: bool = True,
    open_it: bool = True,
    **extra: Any,
) -> Survey:
    start = opens_on or today() - dt.timedelta(days=10)
    survey = services.survey_create(
        by=None,
        owner=owner,
        fields=services.SurveyFields(
            title_vi=f"Khảo sát {next(_counter)}",
            opens_on=start,
            closes_on=closes_on or today() + dt.timedelta(days=30),
            audience_root=audience_root or owner,
            mode=mode,
            **extra,
        ),
    )
    if questions:
        section = services.section_add(by=None, survey=survey, title_vi="Phần 1")
        services.question_add(
            by=None,
            section=section,
            fields=services.QuestionFields(
                kind=QuestionKind.SINGLE,
                text_vi="Nội dung hội nghị có dễ hiểu không?",
                options=(("Có", "Yes"), ("Không", "No")),
                required=True,
            ),
        )
        services.question_add(
            by=None,
            section=section,
            fields=services.QuestionFields(kind=QuestionKind.RATING, text_vi="Chất lượng báo cáo viên", scale=5),
        )
        services.question_add(
            by=None,
            section=section,
            fields=services.QuestionFields(
                kind=QuestionKind.MULTIPLE,
                text_vi="Nội dung cần bổ sung",
                options=(("Điểm mới", "New points"), ("Nhiệm vụ", "Tasks"), ("Tài liệu", "Materials")),
            ),
        )
        services.question_add(
            by=None,
            section=section,
            fields=services.QuestionFields(kind=QuestionKind.NUMBER, text_vi="Số buổi đã dự", minimum=0, maximum=50),
        )
        services.question_add(
            by=None, section=section, fields=services.QuestionFields(kind=QuestionKind.TEXT, text_vi="Góp ý thêm")
        )
    if open_it and questions:
        services.survey_set_status(by=None, survey=survey, status=SurveyStatus.OPEN)
        survey.refresh_from_db()
    return survey


def versions(survey: Survey) -> dict[str, Any]:
    """The current versions by kind (one question of each kind in :func:`make_survey`)."""
    return {version.kind: version for version in services.current_versions(survey)}


def values_for(
    survey: Survey, *, choice: int = 0, rating: int = 4, picks: tuple[int, ...] = (0,), number: int = 3, text: str = ""
) -> dict[int, list[str]]:
    found = versions(survey)
    single = found[QuestionKind.SINGLE]
    multiple = found[QuestionKind.MULTIPLE]
    values: dict[int, list[str]] = {
        single.question_id: [str(list(single.options.all())[choice].pk)],
        found[QuestionKind.RATING].question_id: [str(rating)],
        multiple.question_id: [str(list(multiple.options.all())[index].pk) for index in picks],
        found[QuestionKind.NUMBER].question_id: [str(number)],
    }
    if text:
        values[found[QuestionKind.TEXT].question_id] = [text]
    return values


def issue(survey: Survey, unit: Unit, size: int = 20) -> list[str]:
    batch = services.batch_issue(by=None, survey=survey, unit=unit, size=size)
    return list(batch.tokens.order_by("code").values_list("code", flat=True))


def answer_many(survey: Survey, unit: Unit, count: int, **values: Any) -> None:
    for code in issue(survey, unit, count):
        services.answer_with_token(code=code, values=values_for(survey, **values))
