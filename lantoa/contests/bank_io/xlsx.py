"""Questions from and to a spreadsheet, one row per question, in the format offices already use.

Columns (:data:`COLUMNS`; headers in Vietnamese or English, in any order, other columns
ignored): "Câu hỏi" (Question), "Phương án A" … "Phương án F" (Option A…F; G and H are read
too), "Đáp án" (Correct: ``B`` or ``A, C``), and optionally "Loại câu hỏi" (Kind), "Cách chấm"
(Scoring), "Chủ đề" (Tags, separated by semicolons), "Mức độ" (Difficulty: 1–3, or
Dễ/Trung bình/Khó, or Nhận biết/Thông hiểu/Vận dụng), "Giải thích" (Explanation) and "Mã câu
hỏi" (Code). Without a kind, a row with one correct option is single choice and one with
several is multiple select.

Every row is checked (:mod:`lantoa.core.importing`): any problem — sheet, row and column — and
nothing is written. A row whose code the bank already has revises that question (a new version)
if it says something else and is left alone if it says the same, so importing the same file
twice adds nothing and an exported bank imported again is the same bank.
"""

from __future__ import annotations

import io
import re
from typing import IO, Any

from django.utils.translation import gettext as _

from lantoa.contests.bank_io.common import (
    ImportResult,
    Planned,
    apply_planned,
    existing_by_ref,
    plan_action,
)
from lantoa.contests.models import OPTION_KEYS, Difficulty, Kind, Question, QuestionBank, Scoring
from lantoa.contests.services import QuestionData, question_check
from lantoa.core.importing import Column, Row, RowError, read_rows, reject, run_import, show
from lantoa.core.text import fold

MAX_ROWS = 5_000
TEMPLATE_OPTIONS = 6  # A–F in the template; G and H are read when present

OPTION_COLUMNS = tuple(
    Column(f"option_{key.lower()}", (f"Phương án {key}", f"Lựa chọn {key}", key, f"Option {key}"), required=False)
    for key in OPTION_KEYS
)
COLUMNS = (
    Column("ref", ("Mã câu hỏi", "Mã", "Code"), required=False),
    Column("stem", ("Câu hỏi", "Nội dung câu hỏi", "Stem", "Question")),
    *OPTION_COLUMNS,
    Column("correct", ("Đáp án", "Đáp án đúng", "Answer", "Correct")),
    Column("kind", ("Loại câu hỏi", "Loại", "Type", "Kind"), required=False),
    Column("scoring", ("Cách chấm", "Cách tính điểm", "Scoring"), required=False),
    Column("tags", ("Chủ đề", "Chương", "Topic", "Tags"), required=False),
    Column("difficulty", ("Mức độ", "Độ khó", "Difficulty"), required=False),
    Column("explanation", ("Giải thích", "Explanation"), required=False),
)
TEMPLATE_COLUMNS = tuple(c for c in COLUMNS if c not in OPTION_COLUMNS[TEMPLATE_OPTIONS:])

_KINDS: dict[str, tuple[str, ...]] = {
    Kind.SINGLE: ("Một đáp án", "một lựa chọn", "đơn", "chọn một", "single", "single choice", "multichoice"),
    Kind.MULTIPLE: ("Nhiều đáp án", "nhiều lựa chọn", "chọn nhiều", "multiple", "multiple select", "multi"),
    Kind.TRUE_FALSE: ("Đúng/Sai", "đúng sai", "đúng hoặc sai", "true_false", "true/false", "true or false"),
}
_SCORINGS: dict[str, tuple[str, ...]] = {
    Scoring.ALL_OR_NOTHING: ("Đúng hết mới có điểm", "tất cả hoặc không", "all_or_nothing", "all or nothing"),
    Scoring.PARTIAL: ("Tính điểm từng phần", "từng phần", "partial", "partial credit"),
}
_DIFFICULTIES: dict[int, tuple[str, ...]] = {
    Difficulty.EASY: ("1", "Dễ", "nhận biết", "easy"),
    Difficulty.MEDIUM: ("2", "Trung bình", "thông hiểu", "medium"),
    Difficulty.HARD: ("3", "Khó", "vận dụng", "vận dụng cao", "hard"),
}
_SHOWN: dict[str, dict[str, str]] = {
    "vi": {
        Kind.SINGLE: "Một đáp án",
        Kind.MULTIPLE: "Nhiều đáp án",
        Kind.TRUE_FALSE: "Đúng/Sai",
        Scoring.ALL_OR_NOTHING: "Đúng hết mới có điểm",
        Scoring.PARTIAL: "Tính điểm từng phần",
    },
    "en": {
        Kind.SINGLE: "single",
        Kind.MULTIPLE: "multiple",
        Kind.TRUE_FALSE: "true/false",
        Scoring.ALL_OR_NOTHING: "all or nothing",
        Scoring.PARTIAL: "partial",
    },
}
# Which column a problem of the service's check belongs to.
_COLUMN_OF = {
    "stem": "stem",
    "options": "option_a",
    "correct": "correct",
    "kind": "kind",
    "scoring": "scoring",
    "explanation": "explanation",
    "tags": "tags",
    "difficulty": "difficulty",
    "ref": "ref",
}
_LETTERS = re.compile(r"[A-Za-z]+")


def _lookup(choices: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    return {fold(spelling): value for value, spellings in choices.items() for spelling in (str(value), *spellings)}


_KIND_OF = _lookup(_KINDS)
_SCORING_OF = _lookup(_SCORINGS)
_DIFFICULTY_OF = _lookup(_DIFFICULTIES)


def split_tags(text: str) -> list[str]:
    """Tags of a cell: separated by semicolons or lines; a cell without either may separate
    them with commas."""
    parts = re.split(r"[;\n]", text) if ";" in text or "\n" in text else text.split(",")
    return [part.strip() for part in parts if part.strip()]


def join_tags(tags: list[str]) -> str:
    text = "; ".join(tags)
    return text + ";" if len(tags) == 1 and "," in tags[0] else text


def _choice(row: Row, key: str, lookup: dict[str, Any], choices: dict[Any, tuple[str, ...]]) -> Any:
    written = row.text(key, required=False)
    if not written:
        return None
    value = lookup.get(fold(written))
    if value is None:
        names = ", ".join(spellings[0] for spellings in choices.values())
        row.fail(key, _('"%(value)s" is not one of %(choices)s') % {"value": written, "choices": names})
    return value


def _options(row: Row) -> list[str]:
    texts = [row.text(column.key, required=False, multiline=False) for column in OPTION_COLUMNS]
    while texts and not texts[-1]:
        texts.pop()
    for position, text in enumerate(texts):
        if not text:
            row.fail(
                OPTION_COLUMNS[position].key,
                _("is empty, and a later option is not; write the options from A on without gaps"),
            )
            break
    return texts


_TRUE = {"dung", "d", "true", "t", "yes"}
_FALSE = {"sai", "s", "false", "f", "no"}


def _correct(row: Row, kind: str | None) -> list[str]:
    """Option letters (``B``, ``A, C``, ``A;C`` or ``AC``); for true or false also Đúng/Sai."""
    written = show(row.raw("correct"))
    if not written:
        row.fail("correct", _("is empty"))
        return []
    if kind == Kind.TRUE_FALSE and fold(written) in _TRUE | _FALSE:
        return ["A" if fold(written) in _TRUE else "B"]
    tokens = _LETTERS.findall(written)
    letters = [letter for token in tokens for letter in token.upper()]
    if (
        not letters
        or re.sub(r"[A-Za-z,;/\s.+&]", "", written)
        or any(len(token) > 1 and not set(token.upper()) <= set(OPTION_KEYS) for token in tokens)
    ):
        row.fail("correct", _('"%(value)s" is not a list of option letters such as B or A, C') % {"value": written})
        return []
    return letters


def _read(row: Row) -> QuestionData | None:
    stem = row.text("stem", multiline=True)
    options = _options(row)
    kind = _choice(row, "kind", _KIND_OF, _KINDS)
    correct = _correct(row, kind)
    if kind is None:
        kind = Kind.MULTIPLE if len(set(correct)) > 1 else Kind.SINGLE
    scoring = _choice(row, "scoring", _SCORING_OF, _SCORINGS) or Scoring.ALL_OR_NOTHING
    difficulty = _choice(row, "difficulty", _DIFFICULTY_OF, _DIFFICULTIES) or Difficulty.MEDIUM
    tags = split_tags(row.text("tags", required=False, multiline=True))
    explanation = row.text("explanation", required=False, multiline=True)
    ref = row.text("ref", required=False)
    if row.errors:
        return None
    return QuestionData(
        stem=stem,
        options=options,
        correct=correct,
        kind=kind,
        scoring=scoring,
        explanation=explanation,
        tags=tags,
        difficulty=int(difficulty),
        ref=ref,
    )


def questions_import_xlsx(*, by: Any, bank: QuestionBank, file: IO[bytes] | bytes) -> ImportResult:
    """Every question of ``file`` into ``bank``, or nothing (ImportRejected lists every problem)."""
    table = read_rows(file, columns=COLUMNS, max_rows=MAX_ROWS)
    read: dict[int, QuestionData] = {}
    refs: dict[str, Row] = {}
    for row in table.rows:
        data = _read(row)
        if data is None:
            continue
        if data.ref:
            if data.ref in refs:
                row.fail("ref", _("the same code is used in row %(row)s") % {"row": refs[data.ref].number})
                continue
            refs[data.ref] = row
        read[row.number] = data
    existing = existing_by_ref(bank, list(refs))
    planned: dict[int, Planned] = {}
    for row in table.rows:
        data = read.get(row.number)
        if data is None or row.errors:
            continue
        clean = question_check(data)
        for field_name, message in clean.problems.items():
            row.fail(_COLUMN_OF.get(field_name, "stem"), message)
        if clean.problems:
            continue
        item = Planned(data=data, clean=clean, existing=existing.get(clean.ref), where=row)
        if item.existing is not None and item.existing.retired_at is not None:
            row.fail("ref", _("the question with this code is retired in the bank"))
            continue
        plan_action(item)
        planned[row.number] = item

    def apply(items: list[Planned]) -> ImportResult:
        return apply_planned(by=by, bank=bank, planned=items, result=ImportResult())

    return run_import(table.rows, validate=lambda row: planned.get(row.number), apply=apply)


def _header(column: Column, english: bool) -> str:
    return column.english if english else column.vietnamese


def _workbook(rows: list[list[Any]], *, english: bool, options: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    columns = [c for c in COLUMNS if c not in OPTION_COLUMNS[options:]]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Questions" if english else "Câu hỏi"
    sheet.append([_header(column, english) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for position, column in enumerate(columns, start=1):
        wide = column.key in ("stem", "explanation")
        sheet.column_dimensions[get_column_letter(position)].width = 60 if wide else max(14, len(column.vietnamese) + 4)
        for cell in sheet[get_column_letter(position)][1:]:
            cell.number_format = "@"  # codes and letters stay text
            if wide:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(values: dict[str, Any], options: int) -> list[Any]:
    columns = [c for c in COLUMNS if c not in OPTION_COLUMNS[options:]]
    return [values.get(column.key, "") for column in columns]


def template_xlsx(*, english: bool) -> bytes:
    """The columns (in the user's language) with two example rows."""
    shown = _SHOWN["en" if english else "vi"]
    examples = [
        {
            "ref": "C1-01",
            "stem": "Đảng Cộng sản Việt Nam được thành lập vào năm nào?",
            "option_a": "1925",
            "option_b": "1930",
            "option_c": "1945",
            "option_d": "1954",
            "correct": "B",
            "kind": shown[Kind.SINGLE],
            "scoring": shown[Scoring.ALL_OR_NOTHING],
            "tags": "Chương 1",
            "difficulty": 1,
            "explanation": "Hội nghị hợp nhất các tổ chức cộng sản họp đầu năm 1930 tại Hương Cảng (Trung Quốc).",
        },
        {
            "ref": "C2-01",
            "stem": "Những nội dung nào là đột phá chiến lược được Đại hội XIII xác định?",
            "option_a": "Hoàn thiện đồng bộ thể chế phát triển",
            "option_b": "Phát triển nguồn nhân lực, nhất là nhân lực chất lượng cao",
            "option_c": "Xây dựng hệ thống kết cấu hạ tầng đồng bộ, hiện đại",
            "option_d": "Tăng dân số cơ học ở các đô thị lớn",
            "correct": "A, B, C",
            "kind": shown[Kind.MULTIPLE],
            "scoring": shown[Scoring.PARTIAL],
            "tags": "Chương 2",
            "difficulty": 2,
            "explanation": "",
        },
    ]
    return _workbook(
        [_row(example, TEMPLATE_OPTIONS) for example in examples], english=english, options=TEMPLATE_OPTIONS
    )


def export_xlsx(questions: list[Question], *, english: bool) -> bytes:
    """The questions (their current versions) in the import's format: imported again into the
    same bank they change nothing; into another they are the same questions."""
    shown = _SHOWN["en" if english else "vi"]
    widest = max([len(q.current.options) for q in questions if q.current is not None] or [TEMPLATE_OPTIONS])
    options = max(TEMPLATE_OPTIONS, widest)
    rows = []
    for question in questions:
        version = question.current
        if version is None:
            continue
        values: dict[str, Any] = {
            "ref": question.ref,
            "stem": version.stem,
            "correct": ", ".join(version.correct),
            "kind": shown[version.kind],
            "scoring": shown[version.scoring],
            "tags": join_tags([t.name for t in question.tags.all()]),
            "difficulty": question.difficulty,
            "explanation": version.explanation,
        }
        for option in version.options:
            values[f"option_{option['key'].lower()}"] = option["text"]
        rows.append(_row(values, options))
    return _workbook(rows, english=english, options=options)


def reject_file(message: str) -> Exception:
    return reject([RowError(1, "", message)])
