"""Questions from a spreadsheet: every bad row is reported (sheet, row, column) and nothing is
written; good files create, revise or leave questions by their code."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from lantoa.contests.bank_io import questions_import, template_xlsx
from lantoa.contests.models import Kind, Question, QuestionVersion, Scoring
from lantoa.contests.tests.factories import make_bank
from lantoa.core.errors import ImportRejected

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã câu hỏi",
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Đáp án",
    "Loại câu hỏi",
    "Chủ đề",
    "Mức độ",
    "Giải thích",
]


def workbook(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Câu hỏi"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    ["C1-01", "Đảng ra đời năm nào?", "1925", "1930", "1945", "1954", "B", "", "Chương 1", "Nhận biết", "Năm 1930."],
    [
        "C1-02",
        "Chọn các đột phá chiến lược",
        "Thể chế",
        "Nhân lực",
        "Hạ tầng",
        "Du lịch",
        "A, B, C",
        "",
        "Chương 2; Đại hội XIII",
        2,
        "",
    ],
    ["C1-03", "Đại hội XIII họp năm 2021.", "", "", "", "", "Đúng", "Đúng/Sai", "Chương 2", "Dễ", ""],
]


def test_a_good_file_creates_every_question(tree, admin_user):
    bank = make_bank(tree.province)
    result = questions_import(by=admin_user, bank=bank, file=workbook(GOOD))
    assert (len(result.created), len(result.revised), result.unchanged) == (3, 0, 0)
    single, multi, truth = Question.objects.filter(bank=bank).order_by("ref").select_related("current")
    assert (single.current.kind, single.current.correct, single.difficulty) == (Kind.SINGLE, ["B"], 1)
    assert (multi.current.kind, multi.current.correct) == (Kind.MULTIPLE, ["A", "B", "C"])
    assert sorted(t.name for t in multi.tags.all()) == ["Chương 2", "Đại hội XIII"]
    assert (truth.current.kind, truth.current.correct, [o["text"] for o in truth.current.options]) == (
        Kind.TRUE_FALSE,
        ["A"],
        ["Đúng", "Sai"],
    )


def test_english_headers_and_csv_are_read_too(tree, admin_user):
    bank = make_bank(tree.province)
    text = 'Question,Option A,Option B,Correct,Scoring,Tags\nIs it?,Yes,No,A,,Chapter 1\nPick,One,Two,"A,B",partial,\n'
    result = questions_import(by=admin_user, bank=bank, file=text.encode())
    assert len(result.created) == 2
    pick = Question.objects.get(current__stem="Pick")
    assert (pick.current.kind, pick.current.scoring) == (Kind.MULTIPLE, Scoring.PARTIAL)


def test_every_bad_row_is_reported_and_nothing_is_written(tree, admin_user):
    bank = make_bank(tree.province)
    rows = [
        GOOD[0],
        ["X-1", "", "a", "b", "", "", "A", "", "", "", ""],  # no stem
        ["X-2", "Câu hỏi", "a", "", "c", "", "A", "", "", "", ""],  # a gap in the options
        ["X-3", "Câu hỏi", "a", "b", "", "", "E", "", "", "", ""],  # E is no option
        ["X-4", "Câu hỏi", "a", "b", "", "", "A, B", "Một đáp án", "", "", ""],  # single with two
        ["X-5", "Câu hỏi", "a", "b", "", "", "không biết", "", "", "", ""],
        ["X-6", "Câu hỏi", "a", "b", "", "", "A", "tự luận", "", "rất khó", ""],
        ["C1-01", "Câu hỏi", "a", "b", "", "", "A", "", "", "", ""],  # a code twice
        ["X-8", "Câu hỏi", "a", "a", "", "", "A", "", "", "", ""],  # two options alike
    ]
    with pytest.raises(ImportRejected) as rejected:
        questions_import(by=admin_user, bank=bank, file=workbook(rows))
    places = {(d["row"], d["column"]) for d in rejected.value.extra["details"]}
    assert places == {
        (3, "Câu hỏi"),
        (4, "Phương án B"),
        (5, "Đáp án"),
        (6, "Đáp án"),
        (7, "Đáp án"),
        (8, "Loại câu hỏi"),
        (8, "Mức độ"),
        (9, "Mã câu hỏi"),
        (10, "Phương án A"),
    }
    assert rejected.value.extra["total"] == 9
    assert not Question.objects.exists()


def test_missing_columns_and_broken_files_are_one_clear_problem(tree, admin_user):
    bank = make_bank(tree.province)
    with pytest.raises(ImportRejected) as rejected:
        questions_import(by=admin_user, bank=bank, file=workbook([["a"]], header=["Câu hỏi"]))
    assert "Đáp án" in rejected.value.extra["errors"][0]
    with pytest.raises(ImportRejected):
        questions_import(by=admin_user, bank=bank, file=b"PK\x03\x04 not a zip")
    with pytest.raises(ImportRejected):
        questions_import(by=admin_user, bank=bank, file="Câu hỏi;Đáp án\n".encode("utf-16"))
    assert not Question.objects.exists()


def test_importing_again_revises_changed_rows_and_leaves_the_others(tree, admin_user):
    bank = make_bank(tree.province)
    questions_import(by=admin_user, bank=bank, file=workbook(GOOD))
    again = questions_import(by=admin_user, bank=bank, file=workbook(GOOD))
    assert (len(again.created), len(again.revised), again.unchanged) == (0, 0, 3)
    changed = [list(GOOD[0]), *GOOD[1:]]
    changed[0][1] = "Đảng Cộng sản Việt Nam ra đời năm nào?"
    third = questions_import(by=admin_user, bank=bank, file=workbook(changed))
    assert (len(third.created), len(third.revised), third.unchanged) == (0, 1, 2)
    question = Question.objects.get(ref="C1-01")
    assert question.version_count == 2
    assert QuestionVersion.objects.get(question=question, number=1).stem == "Đảng ra đời năm nào?"


def test_the_template_is_read_by_the_import(tree, admin_user):
    bank = make_bank(tree.province)
    for english in (False, True):
        content = template_xlsx(english=english)
        header = [cell.value for cell in load_workbook(io.BytesIO(content)).active[1]]
        assert ("Question" if english else "Câu hỏi") in header
    result = questions_import(by=admin_user, bank=bank, file=template_xlsx(english=False))
    assert len(result.created) == 2
    assert Question.objects.get(ref="C2-01").current.scoring == Scoring.PARTIAL
