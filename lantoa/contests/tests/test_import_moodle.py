"""Moodle XML as Moodle exports it: multichoice (single, multiple with split fractions),
truefalse, categories as tags; every other type and every embedded file named and not imported;
broken, hostile and oversized files refused as one clear problem, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from lantoa.contests.bank_io import questions_import
from lantoa.contests.bank_io.moodle import MAX_BYTES, category_tag, html_to_text
from lantoa.contests.models import Kind, Question, Scoring
from lantoa.contests.tests.factories import make_bank
from lantoa.core.errors import ImportRejected

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():  # type: ignore[no-untyped-def]
    # The assertions read the problems' English wording; the Vietnamese is the catalogue's.
    with translation.override("en"):
        yield


FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = (FIXTURES / "moodle_lich_su_dang.xml").read_bytes()


def quiz(*questions: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "</quiz>").encode()


def multichoice(name: str, answers: str, single: str = "true", stem: str = "<p>Câu hỏi?</p>") -> str:
    return (
        f'<question type="multichoice"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text><![CDATA[{stem}]]></text></questiontext>'
        f"<single>{single}</single>{answers}</question>"
    )


def test_a_moodle_export_is_imported_with_its_categories_as_tags(tree, admin_user):
    bank = make_bank(tree.province)
    result = questions_import(by=admin_user, bank=bank, file=EXPORT)
    assert len(result.created) == 4
    questions = {q.ref: q for q in Question.objects.filter(bank=bank).select_related("current")}
    founded = questions["LSD-001"].current
    assert founded.stem == "Đảng Cộng sản Việt Nam được thành lập vào năm nào?"
    assert (founded.kind, founded.correct, [o["text"] for o in founded.options]) == (
        Kind.SINGLE,
        ["B"],
        ["1925", "1930", "1945", "1954"],
    )
    assert founded.explanation == "Hội nghị hợp nhất họp từ ngày 6/1 đến 7/2/1930 tại Hương Cảng (Trung Quốc)."
    assert sorted(t.name for t in questions["LSD-001"].tags.all()) == ["Lịch sử", "Lịch sử Đảng/Chương 1"]
    truth = questions["LSD-002"].current
    assert (truth.kind, truth.correct) == (Kind.TRUE_FALSE, ["A"])
    breakthroughs = questions["LSD-003"].current
    assert (breakthroughs.kind, breakthroughs.correct, breakthroughs.scoring) == (
        Kind.MULTIPLE,
        ["A", "B", "C"],
        Scoring.PARTIAL,
    )
    assert breakthroughs.stem == "Đại hội XIII xác định những đột phá chiến lược nào?\n(Chọn tất cả các đáp án đúng)"
    assert [t.name for t in questions["LSD-004"].tags.all()] == ["Lịch sử Đảng/Chương 2"]
    assert questions["LSD-004"].current.scoring == Scoring.PARTIAL


def test_every_question_not_imported_is_named_with_its_type(tree, admin_user):
    result = questions_import(by=admin_user, bank=make_bank(tree.province), file=EXPORT)
    skipped = {(s.type, s.name): s.reason for s in result.skipped}
    assert set(skipped) == {
        ("shortanswer", "Số đại biểu dự Đại hội XIII"),
        ("essay", "Bài thu hoạch"),
        ("multichoice", "Ảnh Hội nghị thành lập Đảng"),
        ("matching", "Nối sự kiện với năm"),
        ("description", "Hướng dẫn làm bài"),
    }
    assert "embedded" in skipped[("multichoice", "Ảnh Hội nghị thành lập Đảng")]
    assert "shortanswer" in skipped[("shortanswer", "Số đại biểu dự Đại hội XIII")]
    assert "not imported" in result.summary()


def test_importing_the_same_export_again_adds_nothing(tree, admin_user):
    bank = make_bank(tree.province)
    questions_import(by=admin_user, bank=bank, file=EXPORT)
    again = questions_import(by=admin_user, bank=bank, file=EXPORT)
    assert (len(again.created), len(again.revised), again.unchanged) == (0, 0, 4)


@pytest.mark.parametrize(
    ("answers", "single", "scoring", "correct"),
    [
        (
            '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>',
            "false",
            "all_or_nothing",
            ["A"],
        ),
        (
            '<answer fraction="50"><text>a</text></answer><answer fraction="50"><text>b</text></answer>'
            '<answer fraction="-50"><text>c</text></answer>',
            "false",
            "partial",
            ["A", "B"],
        ),
        (
            '<answer fraction="100"><text>a</text></answer><answer fraction="-100"><text>b</text></answer>',
            "false",
            "partial",
            ["A"],
        ),
    ],
)
def test_fractions_decide_the_correct_options_and_partial_credit(tree, admin_user, answers, single, scoring, correct):
    bank = make_bank(tree.province)
    questions_import(by=admin_user, bank=bank, file=quiz(multichoice("Q", answers, single=single)))
    version = Question.objects.get().current
    assert (version.kind, version.scoring, version.correct) == (Kind.MULTIPLE, scoring, correct)


def test_a_question_lantoa_cannot_hold_refuses_the_file_with_every_problem(tree, admin_user):
    bank = make_bank(tree.province)
    no_correct = multichoice(
        "Không có đáp án", '<answer fraction="0"><text>a</text></answer><answer fraction="0"><text>b</text></answer>'
    )
    split_single = multichoice(
        "Một lựa chọn chia điểm",
        '<answer fraction="100"><text>a</text></answer><answer fraction="50"><text>b</text></answer>',
    )
    good = multichoice(
        "Tốt", '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>'
    )
    with pytest.raises(ImportRejected) as rejected:
        questions_import(by=admin_user, bank=bank, file=quiz(good, no_correct, split_single))
    names = [d["column"] for d in rejected.value.extra["details"]]
    assert names == ["Không có đáp án", "Một lựa chọn chia điểm"]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><quiz><question type="multichoice"><name><text>x</text></name>',
        b"<html><body>not moodle</body></html>",
        '<?xml version="1.0" encoding="UTF-16"?><quiz></quiz>'.encode("utf-16"),
        b"<quiz></quiz>",
        b"<quiz>\xff\xfe</quiz>",
    ],
)
def test_a_broken_file_is_one_clear_problem(tree, admin_user, content):
    with pytest.raises(ImportRejected) as rejected:
        questions_import(by=admin_user, bank=make_bank(tree.province), file=content)
    assert rejected.value.extra["total"] == 1
    assert not Question.objects.exists()


def test_an_entity_expansion_attempt_is_refused_before_parsing(tree, admin_user):
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        b'<quiz><question type="truefalse"><name><text>&lol2;</text></name></question></quiz>'
    )
    with pytest.raises(ImportRejected) as rejected:
        questions_import(by=admin_user, bank=make_bank(tree.province), file=laughs)
    assert "entities" in rejected.value.extra["errors"][0]
    external = b'<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://example.invalid/x.dtd"><quiz/>'
    with pytest.raises(ImportRejected):
        questions_import(by=admin_user, bank=make_bank(tree.province, name="B"), file=external)


def test_an_oversized_file_is_refused(tree, admin_user):
    padding = b" " * (MAX_BYTES + 1)
    with pytest.raises(ImportRejected) as rejected:
        questions_import(by=admin_user, bank=make_bank(tree.province), file=b"<quiz>" + padding + b"</quiz>")
    assert "MB" in rejected.value.extra["errors"][0]


def test_html_becomes_plain_text_safely():
    text, media = html_to_text("<p>Một &amp; hai&nbsp;ba</p><script>alert(1)</script><div>Dòng<br>mới</div>")
    assert (text, media) == ("Một & hai ba\nDòng\nmới", False)
    assert html_to_text('<p>Ảnh <img src="x.png"></p>')[1] is True


def test_category_paths_become_tags():
    assert category_tag("$course$/top/Lịch sử Đảng/Chương 1") == "Lịch sử Đảng/Chương 1"
    assert category_tag("$system$/top") == ""
    assert category_tag("$course$/Đề 1//2021") == "Đề 1/2021"


def test_too_many_questions_refuse_the_file(tree, admin_user, monkeypatch):
    from lantoa.contests.bank_io import moodle

    monkeypatch.setattr(moodle, "MAX_QUESTIONS", 2)
    answers = '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>'
    content = quiz(*(multichoice(f"Q{n}", answers) for n in range(3)))
    with pytest.raises(ImportRejected) as rejected:
        questions_import(by=admin_user, bank=make_bank(tree.province), file=content)
    assert "more than 2 questions" in rejected.value.extra["errors"][0]
    assert not Question.objects.exists()
