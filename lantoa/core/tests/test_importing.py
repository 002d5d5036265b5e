"""The shared all-or-nothing importer, with a toy row validator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from lantoa.core.errors import ImportRejected
from lantoa.core.importing import Column, Row, parse_date, read_rows, run_import, template_workbook

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
