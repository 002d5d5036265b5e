"""Reading uploads within limits (lantoa.core.spreadsheets), through the importer's readers:
hostile workbooks and CSV files are refused with a clear problem, before or while reading."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
import zipfile

import pytest
from django.utils import translation

from lantoa.core import spreadsheets
from lantoa.core.errors import ImportRejected
from lantoa.core.importing import Column, Row, RowError, read_rows, read_sheets, reject, run_import
from lantoa.core.tests.workbooks import MAIN, one_sheet, sheet_xml, workbook

COLUMNS = (Column("name", ("tên", "name")), Column("day", ("ngày", "date"), required=False))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refusal(content: bytes, **kwargs) -> dict:
    with pytest.raises(ImportRejected) as caught:
        read_rows(content, columns=COLUMNS, **kwargs)
    return caught.value.extra["details"][0]


def peak_while(read) -> int:
    tracemalloc.start()
    try:
        read()
    except ImportRejected:
        pass
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


# --- The declared dimension is not trusted ---------------------------------------------------


def test_a_sheet_declaring_the_largest_dimension_is_read_by_its_cells():
    content = one_sheet([["tên", "ngày"], ["An", "01/02/2022"], ["Bình", None]], dimension="A1:XFD1048576")
    peak = peak_while(lambda: read_rows(content, columns=COLUMNS))
    table = read_rows(content, columns=COLUMNS)
    assert [row.cells for row in table.rows] == [{"name": "An", "day": "01/02/2022"}, {"name": "Bình", "day": None}]
    assert peak < 2 * spreadsheets.MB  # not 16,384 cells a row


def test_every_sheet_declaring_the_largest_dimension_is_read_by_its_cells():
    declared = "A1:XFD1048576"
    content = workbook(
        {
            "Một": sheet_xml([["tên"], ["An"]], dimension=declared),
            "Hai": sheet_xml([["name"], ["Bình"]], dimension=declared),
        }
    )
    peak = peak_while(lambda: read_sheets(content, columns=COLUMNS))
    sheets = read_sheets(content, columns=COLUMNS)
    assert [(name, [row.cells["name"] for row in table.rows]) for name, table in sheets] == [
        ("Một", ["An"]),
        ("Hai", ["Bình"]),
    ]
    assert peak < 2 * spreadsheets.MB


# --- Rows, columns, cells: stop at the first one past the limit -----------------------------


def test_reading_stops_at_the_first_row_past_the_limit():
    rows = [["tên"], *[[f"Người {n}"] for n in range(30)]]
    assert refusal(one_sheet(rows), max_rows=10) == {
        "sheet": "",
        "row": 12,  # header on row 1, ten rows allowed on rows 2–11
        "column": "",
        "message": "the file has more than 10 rows",
        "text": "row 12: the file has more than 10 rows",
    }
    csv_rows = "tên\n" + "".join(f"Người {n}\n" for n in range(30))
    assert refusal(csv_rows.encode(), max_rows=10)["row"] == 12


def test_the_default_limit_is_ten_thousand_data_rows():
    lines = "tên\n" + "An\n" * (spreadsheets.MAX_ROWS + 5)
    assert refusal(lines.encode())["row"] == spreadsheets.MAX_ROWS + 2
    assert len(read_rows(("tên\n" + "An\n" * spreadsheets.MAX_ROWS).encode(), columns=COLUMNS).rows) == 10_000


def test_the_row_limit_counts_every_sheet_and_names_the_sheet_where_it_stopped():
    content = workbook({"Một": sheet_xml([["tên"], *[["An"]] * 6]), "Hai": sheet_xml([["tên"], *[["Bình"]] * 6])})
    with pytest.raises(ImportRejected) as caught:
        read_sheets(content, columns=COLUMNS, max_rows=10)
    assert caught.value.extra["errors"] == ['sheet "Hai", row 6: the file has more than 10 rows']


def test_a_value_beyond_the_column_limit_is_refused():
    wide = ["tên", *[None] * spreadsheets.MAX_COLUMNS, "too far"]
    assert refusal(one_sheet([wide, ["An"]]))["message"] == "the file has more than 100 columns"
    assert refusal(",".join(wide[:1] + [""] * 100 + ["x"]).encode())["message"] == "the file has more than 100 columns"


def test_blank_cells_beyond_the_column_limit_are_ignored():
    trailing = "," * 500
    table = read_rows(f"tên{trailing}\nAn{trailing}\n".encode(), columns=COLUMNS)
    assert [row.cells["name"] for row in table.rows] == ["An"]


def test_too_many_filled_cells_are_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_CELLS", 5)
    assert refusal(one_sheet([["tên", "ngày"], ["An", "1/2/2022"], ["Bình", "2/2/2022"]]))["message"] == (
        "the file has more than 5 filled cells"
    )


def test_a_cell_longer_than_a_spreadsheet_allows_is_refused():
    assert refusal(f"tên\n{'x' * 40_000}\n".encode())["message"] == "a cell has more than 32767 characters"
    assert refusal(one_sheet([["tên"], ["x" * 40_000]]))["message"] == "a cell has more than 32767 characters"


# --- Bytes and the unpacked size ------------------------------------------------------------


def test_a_file_over_five_megabytes_is_refused_without_reading_the_rest():
    class Endless(io.RawIOBase):
        def __init__(self):
            self.given = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            buffer[: len(buffer)] = b"a" * len(buffer)
            self.given += len(buffer)
            return len(buffer)

    upload = io.BufferedReader(Endless())
    assert refusal(upload)["message"] == "the file is larger than 5 MB"  # type: ignore[arg-type]
    assert upload.raw.given <= spreadsheets.MAX_IMPORT_BYTES + 2 * io.DEFAULT_BUFFER_SIZE


def test_a_workbook_that_declares_a_huge_unpacked_size_is_refused_before_inflating():
    padding = " " * (spreadsheets.MAX_UNCOMPRESSED_BYTES + 1)
    content = workbook({"Sheet1": sheet_xml([["tên"], ["An"]]).replace("<sheetData>", padding + "<sheetData>")})
    assert len(content) < 200_000
    assert refusal(content)["message"] == "the workbook unpacks to more than 50 MB"


def test_a_part_compressed_far_beyond_what_spreadsheets_do_is_refused():
    padding = " " * (3 * spreadsheets.MB)  # inflates about a thousand times
    content = workbook({"Sheet1": sheet_xml([["tên"], ["An"]]).replace("<sheetData>", padding + "<sheetData>")})
    assert refusal(content)["message"] == "the workbook is compressed suspiciously well (a zip bomb?)"


def test_a_part_inflating_beyond_its_declared_size_is_refused():
    sheet = sheet_xml([["tên"], ["An"]]).encode()
    content = workbook({"Sheet1": sheet_xml([["tên"], ["An"]])})
    archive = zipfile.ZipFile(io.BytesIO(content))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Make the declared size lie: the local header and the directory both claim fewer bytes.
    patched = bytearray(content)
    declared = info.file_size.to_bytes(4, "little")
    smaller = (len(sheet) // 2).to_bytes(4, "little")
    start = patched.find(b"xl/worksheets/sheet1.xml") - 30  # the local header of that part
    patched[start + 22 : start + 26] = smaller
    directory = patched.rfind(b"xl/worksheets/sheet1.xml") - 46
    assert patched[directory + 24 : directory + 28] == declared
    patched[directory + 24 : directory + 28] = smaller
    assert refusal(bytes(patched))["message"].startswith("the file is not a readable XLSX workbook")


# --- Malformed parts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "part",
    ["sheet", "shared strings", "workbook", "styles", "relations", "missing sheet", "doctype", "bad reference"],
)
def test_a_valid_zip_with_malformed_parts_is_a_clear_problem(part):
    good_sheet = sheet_xml([["tên"], ["An"]])
    shared = f'<sst xmlns="{MAIN}"><si><t>tên</t></si></sst>'
    kwargs: dict = {}
    sheets = {"Sheet1": good_sheet}
    if part == "sheet":
        sheets = {"Sheet1": good_sheet[:-30]}
    elif part == "shared strings":
        kwargs["shared_strings"] = shared[:-8]
    elif part == "workbook":
        kwargs["workbook_xml"] = "<workbook><sheets><sheet"
    elif part == "styles":
        kwargs["styles"] = f'<styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="x"/></cellXfs></styleSheet>'
    elif part == "relations":
        kwargs["workbook_xml"] = f'<workbook xmlns="{MAIN}"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>'
    elif part == "missing sheet":
        kwargs["workbook_xml"] = (
            f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/><sheet name="T" sheetId="2" r:id="rId2"/></sheets>'
            "</workbook>"
        )
    elif part == "doctype":
        sheets = {"Sheet1": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + good_sheet[21:]}
    elif part == "bad reference":
        sheets = {"Sheet1": good_sheet.replace('r="A2"', 'r="2A"')}
    content = workbook(sheets, **kwargs)
    with pytest.raises(ImportRejected) as caught:
        read_sheets(content, columns=COLUMNS)
    assert caught.value.extra["errors"][0].startswith("row 1: the file is not a readable XLSX workbook")
    with pytest.raises(ImportRejected):
        read_rows(content, columns=COLUMNS)


def test_a_truncated_zip_is_a_clear_problem():
    content = one_sheet([["tên"], ["An"]])
    for length in (4, 40, len(content) // 2, len(content) - 10):
        assert refusal(content[:length])["message"].startswith("the file is not")


# --- What a workbook holds --------------------------------------------------------------------


def test_shared_and_inline_strings_numbers_dates_and_gaps_are_read():
    shared = (
        f'<sst xmlns="{MAIN}"><si><t>tên</t></si>'
        "<si><r><t>Nguyễn </t></r><r><t>An</t></r><rPh><t>x</t></rPh></si></sst>"
    )
    styles = (
        f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
        '<cellStyleXfs><xf numFmtId="0"/></cellStyleXfs>'
        '<cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    )
    sheet = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>ngày</t></is></c></row>'
        '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="C3" s="1"><v>44593</v></c></row>'
        '<row><c t="inlineStr"><is><t>Bình</t></is></c><c/><c s="2"><v>44594</v></c></row>'
        '<row r="9"><c r="A9" t="str"><f>A3</f><v>Chi</v></c><c r="C9"><v>12.5</v></c></row>'
        "</sheetData></worksheet>"
    )
    table = read_rows(workbook({"S": sheet}, shared_strings=shared, styles=styles), columns=COLUMNS)
    assert [(row.number, row.cells) for row in table.rows] == [
        (3, {"name": "Nguyễn An", "day": dt.datetime(2022, 2, 1)}),
        (4, {"name": "Bình", "day": dt.datetime(2022, 2, 2)}),
        (9, {"name": "Chi", "day": 12.5}),
    ]


def test_dates_of_the_1904_calendar_are_read():
    styles = f'<styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>tên</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>ngày</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>An</t></is></c><c r="B2" s="1"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    book = (
        f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<workbookPr date1904="1"/><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    table = read_rows(workbook({"S": sheet}, styles=styles, workbook_xml=book), columns=COLUMNS)
    assert table.rows[0].cells["day"] == dt.datetime(1904, 1, 2)


def test_a_workbook_saved_by_openpyxl_reads_as_before():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Date", None, "Ignored"])
    sheet.append(["An", dt.date(2022, 2, 1), None, 1])
    sheet.append([None, None])
    sheet.append(["Bình", dt.datetime(2022, 2, 2, 8, 30), None, True])
    hidden = book.create_sheet("Lists")
    hidden.append(["Name"])
    hidden.append(["not data"])
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_rows(buffer.getvalue(), columns=COLUMNS)
    assert [(row.number, row.cells) for row in table.rows] == [
        (2, {"name": "An", "day": dt.datetime(2022, 2, 1)}),
        (4, {"name": "Bình", "day": dt.datetime(2022, 2, 2, 8, 30)}),
    ]
    assert [name for name, _table in read_sheets(buffer.getvalue(), columns=COLUMNS)] == ["Sheet"]


# --- CSV ---------------------------------------------------------------------------------------


def test_a_csv_file_that_is_not_utf8_says_so_and_where():
    content = "tên\nAn\nBình\n".encode() + b"\xd0\xe0o\n"  # "Đào" saved in Windows-1258
    assert refusal(content) == {
        "sheet": "",
        "row": 4,
        "column": "",
        "message": "the file is neither XLSX nor UTF-8 text (line 4): save it as XLSX, or as CSV in UTF-8",
        "text": "row 4: the file is neither XLSX nor UTF-8 text (line 4): save it as XLSX, or as CSV in UTF-8",
    }


def test_nul_bytes_and_invisible_characters_never_reach_a_row():
    content = "\ufefftên;ngày\nA\x00n;01/02/2022\n\u200b\u200d;02/02/2022\n".encode()
    rows = read_rows(content, columns=COLUMNS).rows
    assert [row.cells["name"] for row in rows] == ["An", None]
    assert (rows[1].text("name"), [str(e) for e in rows[1].errors]) == ("", ['row 3, column "tên": is empty'])


def test_zero_width_text_in_a_workbook_is_empty():
    # A writer escapes characters XML cannot hold as _xHHHH_ (here NUL).
    rows = read_rows(one_sheet([["tên"], ["\u200b\u2060"], ["B_x0000_ình\u200b"]]), columns=COLUMNS).rows
    assert [row.cells["name"] for row in rows] == ["Bình"]  # the first row is blank


def test_text_keeps_line_breaks_only_where_asked():
    row = read_rows('tên\n"Dòng một\nDòng hai"\n'.encode(), columns=COLUMNS).rows[0]
    assert row.text("name") == "Dòng một Dòng hai"
    assert row.text("name", multiline=True) == "Dòng một\nDòng hai"


def test_a_csv_field_beyond_the_csv_modules_own_limit_is_refused():
    content = b'ten\n"' + b"x" * 200_000 + b'"\n'
    assert refusal(content)["message"] == "a cell has more than 32767 characters"


# --- Problems are listed up to a cap, with the total ------------------------------------------


def test_problems_are_listed_up_to_the_cap_with_the_total():
    content = ("tên\n" + "\n".join(f"x{n},\u200b" for n in range(500)) + "\n").encode()
    rows = read_rows(content, columns=(Column("name", ("tên",)), Column("other", ("khác",), required=False))).rows
    with pytest.raises(ImportRejected) as caught:
        run_import(rows, validate=lambda row: row.fail("name", "is wrong"), apply=lambda rows: rows)
    extra = caught.value.extra
    assert (len(extra["errors"]), len(extra["details"]), extra["total"], extra["more"]) == (200, 200, 500, 300)
    assert caught.value.message == "The file has 500 problem(s); nothing was imported."


def test_a_short_list_of_problems_is_complete():
    extra = reject([RowError(2, "tên", "is empty")]).extra
    assert (extra["total"], extra["more"], extra["errors"]) == (1, 0, ['row 2, column "tên": is empty'])


def test_rows_read_through_the_helpers_are_unchanged():
    row = Row(number=2, cells={"name": "  An  "}, headers={"name": "tên"})
    assert row.text("name") == "An"
