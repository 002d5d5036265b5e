"""The questionnaire editor, token batches and answers."""

from __future__ import annotations

import datetime as dt

import pytest

from lantoa.core.errors import Conflict, NotFound, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.surveys import services
from lantoa.surveys.models import (
    Answer,
    AnswerItem,
    Question,
    QuestionKind,
    QuestionVersion,
    Survey,
    SurveyStatus,
    Token,
)
from lantoa.surveys.questionnaires import TEMPLATES
from lantoa.surveys.tests.factories import issue, make_survey, today, values_for, versions

pytestmark = pytest.mark.django_db


def _ask(survey: Survey, text: str, *, kind: str = QuestionKind.TEXT, text_en: str = "") -> Question:
    section = survey.sections.get()
    return services.question_add(
        by=None, section=section, fields=services.QuestionFields(kind=kind, text_vi=text, text_en=text_en)
    )


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Họ và tên của đồng chí", "name"),
        ("HO TEN người trả lời", "name"),
        ("Số điện thoại liên hệ", "phone"),
        ("Số CCCD", "id_number"),
        ("Số căn cước công dân", "id_number"),
        ("Số CMND", "id_number"),
        ("Địa chỉ nơi ở", "address"),
        ("Email của bạn", "email"),
        ("Your full name", "name"),
        ("Your phone number", "phone"),
        ("Home address", "address"),
    ],
)
def test_identifying_questions_are_refused(tree, text: str, topic: str) -> None:
    survey = make_survey(tree.province, open_it=False)
    before = QuestionVersion.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        _ask(survey, text)
    assert caught.value.code == "identifying_question"
    assert caught.value.extra["topic"] == topic
    assert QuestionVersion.objects.count() == before


def test_identifying_english_text_or_option_is_refused_too(tree) -> None:
    survey = make_survey(tree.province, open_it=False)
    with pytest.raises(ValidationFailed):
        _ask(survey, "Thông tin liên hệ", text_en="E-mail address")
    with pytest.raises(ValidationFailed):
        services.question_add(
            by=None,
            section=survey.sections.get(),
            fields=services.QuestionFields(
                kind=QuestionKind.SINGLE, text_vi="Cách liên hệ", options=(("Số điện thoại", ""), ("Thư", ""))
            ),
        )


@pytest.mark.parametrize(
    "text", ["Tôn giáo của đồng chí", "Đồng chí có phải đảng viên?", "Quan điểm chính trị", "Your religion"]
)
def test_sensitive_questions_are_kept_with_a_flag(tree, text: str) -> None:
    survey = make_survey(tree.province, open_it=False)
    question = _ask(survey, text)
    assert question.current is not None and question.current.sensitive


def test_plain_questions_carry_no_flag(tree) -> None:
    survey = make_survey(tree.province, open_it=False)
    assert not _ask(survey, "Hội nghị có bổ ích không?").current.sensitive  # type: ignore[union-attr]


def test_edit_before_answers_changes_in_place_and_after_makes_a_version(tree) -> None:
    survey = make_survey(tree.province)
    single = versions(survey)[QuestionKind.SINGLE]
    question = single.question
    fields = services.QuestionFields(
        kind=QuestionKind.SINGLE, text_vi="Nội dung có rõ ràng không?", options=(("Có", ""), ("Không", ""))
    )
    services.question_edit(by=None, question=question, fields=fields)
    question.refresh_from_db()
    assert question.current_id == single.pk
    assert question.versions.count() == 1

    code = issue(survey, tree.commune_a1, 1)[0]
    answer = services.answer_with_token(code=code, values=values_for(survey))
    old = question.current_id
    services.question_edit(
        by=None,
        question=question,
        fields=services.QuestionFields(
            kind=QuestionKind.SINGLE, text_vi="Nội dung có rõ ràng không? (sửa)", options=(("Có", ""), ("Chưa", ""))
        ),
    )
    question.refresh_from_db()
    assert question.current_id != old
    assert question.versions.count() == 2
    kept = QuestionVersion.objects.get(pk=old)
    assert kept.text_vi == "Nội dung có rõ ràng không?"
    assert AnswerItem.objects.filter(answer=answer, version_id=old).exists()
    assert AuditEntry.objects.filter(action="lantoa.surveys.question.versioned").exists()


def test_templates_copy_into_draft_surveys(tree) -> None:
    assert set(TEMPLATES) == {"study_conference", "printed_document", "public_service"}
    for key in TEMPLATES:
        survey = services.survey_from_template(
            by=None,
            key=key,
            owner=tree.province,
            fields=services.SurveyFields(
                title_vi="Mẫu", opens_on=today(), closes_on=today(), audience_root=tree.province
            ),
        )
        assert survey.status == SurveyStatus.DRAFT
        assert Question.objects.filter(section__survey=survey).count() >= 3


def test_batch_size_and_audience_are_checked(tree) -> None:
    survey = make_survey(tree.district_a)
    with pytest.raises(ValidationFailed):
        services.batch_issue(by=None, survey=survey, unit=tree.commune_a1, size=5001)
    with pytest.raises(ValidationFailed):
        services.batch_issue(by=None, survey=survey, unit=tree.commune_a1, size=0)
    with pytest.raises(ValidationFailed):
        services.batch_issue(by=None, survey=survey, unit=tree.commune_b1, size=5)
    batch = services.batch_issue(by=None, survey=survey, unit=tree.commune_a1, size=30)
    codes = list(batch.tokens.values_list("code", flat=True))
    assert len(set(codes)) == 30 and all(len(code) == 10 for code in codes)


def test_a_card_answers_once(tree) -> None:
    survey = make_survey(tree.province)
    code = issue(survey, tree.commune_a1, 1)[0]
    answer = services.answer_with_token(code=code.lower(), values=values_for(survey))
    assert answer.unit_id == tree.commune_a1.pk
    assert Token.objects.get(code=code).used_on == today()
    with pytest.raises(Conflict) as caught:
        services.answer_with_token(code=code, values=values_for(survey))
    assert caught.value.code == "token_used"
    assert Answer.objects.count() == 1


def test_bad_answers_store_nothing_and_keep_the_card(tree) -> None:
    survey = make_survey(tree.province)
    code = issue(survey, tree.commune_a1, 1)[0]
    found = versions(survey)
    values = values_for(survey, rating=9, number=51)
    del values[found[QuestionKind.SINGLE].question_id]
    values[999_999] = ["x"]
    with pytest.raises(ValidationFailed) as caught:
        services.answer_with_token(code=code, values=values)
    errors = caught.value.extra["errors"]
    assert set(errors) == {
        str(found[QuestionKind.SINGLE].question_id),
        str(found[QuestionKind.RATING].question_id),
        str(found[QuestionKind.NUMBER].question_id),
        "999999",
    }
    assert Answer.objects.count() == 0 and AnswerItem.objects.count() == 0
    assert Token.objects.get(code=code).used_on is None


def test_closed_or_unknown(tree) -> None:
    survey = make_survey(
        tree.province, opens_on=today() - dt.timedelta(days=30), closes_on=today() - dt.timedelta(days=1)
    )
    code = issue(survey, tree.commune_a1, 1)[0]
    with pytest.raises(Conflict):
        services.answer_with_token(code=code, values=values_for(survey))
    with pytest.raises(NotFound):
        services.answer_with_token(code="ZZZZZZZZZZ", values={})


def test_open_link_answers_are_limited_per_address(tree) -> None:
    from lantoa.core import ratelimit

    ratelimit.reset()
    survey = make_survey(tree.province, mode="open_link")
    assert survey.link_code
    for _ in range(services.OPEN_LINK_LIMIT):
        services.answer_open_link(survey=survey, unit=tree.commune_a1, values=values_for(survey), client="10.0.0.1")
    from lantoa.core.errors import TooManyRequests

    with pytest.raises(TooManyRequests):
        services.answer_open_link(survey=survey, unit=None, values=values_for(survey), client="10.0.0.1")
    services.answer_open_link(survey=survey, unit=None, values=values_for(survey), client="10.0.0.2")
    assert Answer.objects.filter(unit=tree.province).count() == 1
    assert Answer.objects.filter(unit=tree.commune_a1).count() == services.OPEN_LINK_LIMIT
    ratelimit.reset()


def test_opening_needs_a_question(tree) -> None:
    survey = make_survey(tree.province, questions=False)
    with pytest.raises(Conflict):
        services.survey_set_status(by=None, survey=survey, status=SurveyStatus.OPEN)
