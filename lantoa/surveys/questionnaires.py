"""Ready questionnaires an organiser copies into a new survey and then adapts.

None asks who the respondent is; each ends with an optional short free text (shown with the
warning that free text can identify people).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantoa.surveys.models import QuestionKind
from lantoa.surveys.services import QuestionFields

_AGREE = (
    ("Rất đồng ý", "Strongly agree"),
    ("Đồng ý", "Agree"),
    ("Phân vân", "Not sure"),
    ("Không đồng ý", "Disagree"),
)


@dataclass(frozen=True)
class Template:
    key: str
    name: str | Promise
    sections: tuple[tuple[str, str, tuple[QuestionFields, ...]], ...]


STUDY_CONFERENCE = Template(
    key="study_conference",
    name=_("After a study conference"),
    sections=(
        (
            "Nội dung hội nghị",
            "The conference's content",
            (
                QuestionFields(
                    kind=QuestionKind.SINGLE,
                    text_vi="Nội dung nghị quyết được truyền đạt có dễ hiểu không?",
                    text_en="Was the resolution's content presented clearly?",
                    options=(
                        ("Rất dễ hiểu", "Very clear"),
                        ("Dễ hiểu", "Clear"),
                        ("Khó hiểu ở một số phần", "Unclear in parts"),
                        ("Khó hiểu", "Unclear"),
                    ),
                    required=True,
                ),
                QuestionFields(
                    kind=QuestionKind.RATING,
                    text_vi="Đánh giá chung về chất lượng báo cáo viên (1 = kém, 5 = rất tốt)",
                    text_en="Overall quality of the reporter (1 = poor, 5 = very good)",
                    scale=5,
                    required=True,
                ),
                QuestionFields(
                    kind=QuestionKind.MULTIPLE,
                    text_vi="Những nội dung nào cần được giới thiệu thêm?",
                    text_en="Which topics need more explanation?",
                    options=(
                        ("Những điểm mới của nghị quyết", "What is new in the resolution"),
                        ("Nhiệm vụ của địa phương", "The local tasks"),
                        ("Cách tổ chức thực hiện", "How to carry it out"),
                        ("Tài liệu tham khảo", "Reference materials"),
                    ),
                ),
            ),
        ),
        (
            "Tổ chức hội nghị",
            "How the conference was run",
            (
                QuestionFields(
                    kind=QuestionKind.SINGLE,
                    text_vi="Chất lượng âm thanh, hình ảnh tại điểm cầu",
                    text_en="Sound and picture at the bridge point",
                    options=(("Tốt", "Good"), ("Đạt yêu cầu", "Acceptable"), ("Chưa tốt", "Poor")),
                ),
                QuestionFields(
                    kind=QuestionKind.TEXT,
                    text_vi="Góp ý thêm (không bắt buộc)",
                    text_en="Further comments (optional)",
                ),
            ),
        ),
    ),
)

PRINTED_DOCUMENT = Template(
    key="printed_document",
    name=_("Reach of a printed document"),
    sections=(
        (
            "Tài liệu",
            "The document",
            (
                QuestionFields(
                    kind=QuestionKind.SINGLE,
                    text_vi="Tài liệu đã đến được thôn, tổ dân phố của đồng chí chưa?",
                    text_en="Has the document reached your village or residential group?",
                    options=(("Đã nhận", "Received"), ("Chưa nhận", "Not received"), ("Không rõ", "Don't know")),
                    required=True,
                ),
                QuestionFields(
                    kind=QuestionKind.SINGLE,
                    text_vi="Đồng chí đã đọc tài liệu ở mức nào?",
                    text_en="How much of the document have you read?",
                    options=(
                        ("Đọc hết", "All of it"),
                        ("Đọc một phần", "Part of it"),
                        ("Chưa đọc", "None yet"),
                    ),
                    required=True,
                ),
                QuestionFields(
                    kind=QuestionKind.NUMBER,
                    text_vi="Số bản tài liệu đơn vị đã nhận",
                    text_en="Copies your unit received",
                    minimum=0,
                    maximum=10_000,
                ),
                QuestionFields(
                    kind=QuestionKind.RATING,
                    text_vi="Mức độ hữu ích của tài liệu (1 = không hữu ích, 5 = rất hữu ích)",
                    text_en="How useful the document is (1 = not useful, 5 = very useful)",
                    scale=5,
                ),
            ),
        ),
    ),
)

PUBLIC_SERVICE = Template(
    key="public_service",
    name=_("Satisfaction with a public service"),
    sections=(
        (
            "Mức độ hài lòng",
            "Satisfaction",
            (
                QuestionFields(
                    kind=QuestionKind.RATING,
                    text_vi="Mức độ hài lòng chung (1 = rất không hài lòng, 5 = rất hài lòng)",
                    text_en="Overall satisfaction (1 = very dissatisfied, 5 = very satisfied)",
                    scale=5,
                    required=True,
                ),
                QuestionFields(
                    kind=QuestionKind.SINGLE,
                    text_vi="Thủ tục được giải quyết đúng hẹn",
                    text_en="The procedure was handled on time",
                    options=_AGREE,
                ),
                QuestionFields(
                    kind=QuestionKind.SINGLE,
                    text_vi="Cán bộ tiếp nhận hướng dẫn tận tình",
                    text_en="The staff gave helpful guidance",
                    options=_AGREE,
                ),
                QuestionFields(
                    kind=QuestionKind.TEXT,
                    text_vi="Điều cần cải thiện (không bắt buộc)",
                    text_en="What should improve (optional)",
                ),
            ),
        ),
    ),
)

TEMPLATES: dict[str, Template] = {t.key: t for t in (STUDY_CONFERENCE, PRINTED_DOCUMENT, PUBLIC_SERVICE)}
