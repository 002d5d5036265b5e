"""The shared all-or-nothing importer, with a toy row validator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from lantoa.core.errors import ImportRejected
from lantoa.core.importing import (
    Column,
    Row,
    RowError,
    parse_date,
    read_rows,
    read_sheets,
    run_import,
    template_workbook,
)

pytestmark = pytest.mark.django_db  # applying opens a transaction

COLUMNS = (
    Column("name", ("tên", "name")),
    Column("day", ("ngày", "date")),
    Column("note", ("ghi chú", "note"), required=False),
)


def check(row: Row) -> tuple[str, dt.date | None]:
    return row.text("name"), row.date("day")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_every_bad_row_is_reported_and_apply_never_runs():
    content = "tên,ngày\nAn,01/02/2022\n,31/02/2022\n\nBình,hôm qua\n".encode()
    applied: list = []
    with pytest.raises(ImportRejected) as rejected:
        run_import(read_rows(content, columns=COLUMNS).rows, validate=check, apply=applied.extend)
    assert rejected.value.extra["errors"] == [
        'row 3, column "tên": is empty',
        'row 3, column "ngày": "31/02/2022" is not a date',
        'row 5, column "ngày": "hôm qua" is not a date',  # the blank row 4 keeps its number
    ]
    assert applied == []


def test_good_rows_are_applied_together():
    content = "\ufeffName;Date;Extra\nAn;2022-02-01;x\nBình;1/2/2022;y\n".encode()
    result = run_import(read_rows(content, columns=COLUMNS).rows, validate=check, apply=lambda rows: rows)
    assert result == [("An", dt.date(2022, 2, 1)), ("Bình", dt.date(2022, 2, 1))]


def test_xlsx_round_trip_with_date_cells():
    from io import BytesIO

    from openpyxl import load_workbook

    content = template_workbook(COLUMNS, english=False, example=["An", dt.date(2022, 2, 1), ""])
    assert [c.value for c in load_workbook(BytesIO(content)).active[1]] == ["tên", "ngày", "ghi chú"]
    table = read_rows(content, columns=COLUMNS)
    assert table.headers == {"name": "tên", "day": "ngày", "note": "ghi chú"}
    assert run_import(table.rows, validate=check, apply=lambda rows: rows) == [("An", dt.date(2022, 2, 1))]


def test_header_problems():
    with pytest.raises(ImportRejected) as rejected:
        read_rows("tên,name\nAn,Bình\n".encode(), columns=COLUMNS)
    assert rejected.value.extra["errors"] == [
        'row 1, column "name": appears twice',
        'row 1: column "ngày" (or "date") is missing',
    ]
    with pytest.raises(ImportRejected):
        read_rows(b"", columns=COLUMNS)
    with pytest.raises(ImportRejected):
        read_rows("tên,ngày\n".encode(), columns=COLUMNS)


def test_too_many_rows():
    content = ("tên,ngày\n" + "An,01/01/2022\n" * 4).encode()
    with pytest.raises(ImportRejected):
        read_rows(content, columns=COLUMNS, max_rows=3)


def test_parse_date_accepts_both_formats_only():
    assert parse_date("8/8/2022") == dt.date(2022, 8, 8)
    assert parse_date("2022-08-08") == dt.date(2022, 8, 8)
    assert parse_date("08.08.2022") is None


def _workbook(sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    default = book.active
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    book.remove(default)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_every_sheet_is_read_with_its_own_header_and_named_in_messages():
    content = _workbook(
        {
            "Tổ 1": [["tên", "ngày"], ["An", "01/02/2022"], [None, None], ["Bình", "hôm qua"]],
            "Blank": [],
            "Header only": [["tên", "ngày"]],
            "Lists": [["whatever"], ["x"]],  # hidden: the lists behind drop-down cells
            "Group 2": [["Date", "Name", "Note"], ["2022-03-01", "", "x"]],
        },
        hidden=("Lists",),
    )

    sheets = read_sheets(content, columns=COLUMNS)

    assert [name for name, _table in sheets] == ["Tổ 1", "Group 2"]
    assert sheets[1][1].headers == {"day": "Date", "name": "Name", "note": "Note"}
    assert [(row.sheet, row.number) for _name, table in sheets for row in table.rows] == [
        ("Tổ 1", 2),
        ("Tổ 1", 4),  # the blank row 3 keeps its number
        ("Group 2", 2),
    ]
    with pytest.raises(ImportRejected) as rejected:
        run_import([row for _name, table in sheets for row in table.rows], validate=check, apply=list)
    assert rejected.value.extra["errors"] == [
        'sheet "Tổ 1", row 4, column "ngày": "hôm qua" is not a date',
        'sheet "Group 2", row 2, column "Name": is empty',
    ]
    assert rejected.value.extra["details"][0]["sheet"] == "Tổ 1"


def test_header_problems_and_refused_names_of_every_sheet_come_together():
    content = _workbook(
        {
            "One": [["tên"], ["An"]],
            "Two": [["tên", "ngày", "name"], ["An", "01/01/2022", "x"]],
            "Notes": [["anything"], ["at all"]],
        }
    )

    with pytest.raises(ImportRejected) as rejected:
        read_sheets(content, columns=COLUMNS, check_name=lambda name: "not wanted" if name == "Notes" else None)

    assert rejected.value.extra["errors"] == [
        'sheet "One", row 1: column "ngày" (or "date") is missing',
        'sheet "Two", row 1, column "name": appears twice',
        'sheet "Notes", row 1: not wanted',
    ]


def test_limits_and_files_of_one_sheet():
    with pytest.raises(ImportRejected) as rejected:
        read_sheets(_workbook({"A": [["tên", "ngày"]], "B": []}), columns=COLUMNS)
    assert rejected.value.extra["errors"] == ["row 2: the file has a header but no rows"]
    rows = [["An", "01/01/2022"]] * 2
    with pytest.raises(ImportRejected):
        read_sheets(
            _workbook({"A": [["tên", "ngày"], *rows], "B": [["tên", "ngày"], *rows]}), columns=COLUMNS, max_rows=3
        )

    [(name, table)] = read_sheets("tên,ngày\nAn,01/02/2022\n".encode(), columns=COLUMNS, check_name=lambda n: "no")
    assert (name, [row.sheet for row in table.rows]) == ("", [""])
    assert str(RowError(3, "ngày", "is empty")) == 'row 3, column "ngày": is empty'  # unchanged without a sheet
