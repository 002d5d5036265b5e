"""The all-or-nothing importer: read a spreadsheet, check every row, then write all or nothing.

A module describes its columns (each accepting Vietnamese and English headers), a row
validator and an apply function::

    rows = read_rows(upload, columns=COLUMNS)            # header = spreadsheet row 1
    result = run_import(rows, validate=check_row, apply=create_all)

A workbook whose sheets each carry a part of the data (one sheet per role, say) is read with
:func:`read_sheets`: every sheet has its own header row, and messages name the sheet.

``check_row(row)`` reads cells through :class:`Row` helpers (``row.text``, ``row.date`` …),
which record problems such as ``row 14, column "ngày": "31/02/2022" is not a date`` instead
of stopping. Every row is checked; if any problem was found, :class:`ImportRejected` is raised
with all of them in ``extra["errors"]`` and nothing is written. Otherwise ``apply`` receives
the cleaned rows inside one ``transaction.atomic``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core.errors import ImportRejected
from lantoa.core.text import fold

T = TypeVar("T")
R = TypeVar("R")

MAX_ROWS = 10_000
HEADER_ROW = 1
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
_XLSX_MAGIC = b"PK\x03\x04"
_READ_LIMIT = 100_000  # rows read from a sheet at most, blank ones included


@dataclass(frozen=True)
class Column:
    """One column the importer understands. ``headers`` are the accepted spellings (first
    Vietnamese, then English); they match ignoring case, diacritics and extra spaces."""

    key: str
    headers: tuple[str, ...]
    required: bool = True

    @property
    def vietnamese(self) -> str:
        return self.headers[0]

    @property
    def english(self) -> str:
        return self.headers[-1]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str
    sheet: str = ""  # the worksheet's name, for files read with read_sheets

    def __str__(self) -> str:
        values = {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}
        if self.sheet and self.column:
            return _('sheet "%(sheet)s", row %(row)s, column "%(column)s": %(message)s') % values
        if self.sheet:
            return _('sheet "%(sheet)s", row %(row)s: %(message)s') % values
        if not self.column:
            return _("row %(row)s: %(message)s") % values
        return _('row %(row)s, column "%(column)s": %(message)s') % values

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": str(self),
        }


def reject(errors: Sequence[RowError]) -> ImportRejected:
    """The error to raise for ``errors``: every message as text, and the parts for a table."""
    return ImportRejected(
        _("The file has %(count)s problem(s); nothing was imported.") % {"count": len(errors)},
        extra={"errors": [str(e) for e in errors], "details": [e.as_dict() for e in errors]},
    )


def show(value: Any) -> str:
    """A cell value as the user typed it, for messages."""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != dt.time(0) else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


@dataclass
class Row:
    """One spreadsheet row. Reading a cell through a helper records a problem instead of raising."""

    number: int
    cells: dict[str, Any]
    headers: dict[str, str]  # column key -> the header as written in the file
    errors: list[RowError] = field(default_factory=list)
    sheet: str = ""  # the worksheet's name, for files read with read_sheets

    def fail(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.headers.get(key, key), message, self.sheet))

    def raw(self, key: str) -> Any:
        return self.cells.get(key)

    def text(self, key: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = show(self.cells.get(key))
        if required and not value:
            self.fail(key, _("is empty"))
        elif max_length is not None and len(value) > max_length:
            self.fail(key, _("is longer than %(max)s characters") % {"max": max_length})
        return value

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        """A date written d/m/Y or Y-m-d (or a spreadsheet date cell)."""
        value = self.cells.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = show(value)
        if not text:
            if required:
                self.fail(key, _("is empty"))
            return None
        parsed = parse_date(text)
        if parsed is None:
            self.fail(key, _('"%(value)s" is not a date') % {"value": text})
        return parsed


def parse_date(text: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class Table:
    rows: list[Row]
    headers: dict[str, str]


# --- Reading files --------------------------------------------------------------------------


def _raw_table(content: bytes) -> list[tuple[int, list[Any]]]:
    """(spreadsheet row number, cell values) for every row of the first sheet or the CSV."""
    if content.startswith(_XLSX_MAGIC):
        return _xlsx_rows(content)
    return _csv_rows(content)


def _open_workbook(content: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        # Files saved by other programs often carry extensions openpyxl does not know; it says
        # so with a warning, which is noise for the user (and an error under the test settings).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise reject([RowError(HEADER_ROW, "", _("the file is not a readable XLSX workbook"))]) from exc


def _sheet_rows(sheet: Any) -> list[tuple[int, list[Any]]]:
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        rows.append((number, list(values)))
        if len(rows) > _READ_LIMIT:  # enough to tell the user the file is too long
            break
    return rows


def _xlsx_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    workbook = _open_workbook(content)
    try:
        return _sheet_rows(workbook.worksheets[0])
    finally:
        workbook.close()


def _xlsx_sheets(content: bytes) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    """(name, rows) for every visible worksheet, in the workbook's order. Hidden sheets (the
    lists behind drop-down cells, say) are not data."""
    workbook = _open_workbook(content)
    try:
        return [
            (sheet.title, _sheet_rows(sheet))
            for sheet in workbook.worksheets
            if getattr(sheet, "sheet_state", "visible") == "visible"
        ]
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")  # spreadsheet programs add a BOM; plain UTF-8 works too
    except UnicodeDecodeError as exc:
        raise reject([RowError(HEADER_ROW, "", _("the file is neither XLSX nor UTF-8 CSV"))]) from exc
    first_line = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(enumerate(csv.reader(io.StringIO(text), dialect), start=1))


def _header_positions(
    header_cells: list[Any], columns: Sequence[Column], *, sheet: str = ""
) -> tuple[dict[int, str], dict[str, str], list[RowError]]:
    """Which file position holds which column, and every missing or repeated column."""
    accepted = {fold(spelling): column.key for column in columns for spelling in column.headers}
    positions: dict[int, str] = {}
    written: dict[str, str] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(header_cells):
        header = show(cell)
        key = accepted.get(fold(header))
        if key is None:
            continue  # extra columns (notes, numbering) are allowed and ignored
        if key in written:
            errors.append(RowError(HEADER_ROW, header, _("appears twice"), sheet))
            continue
        positions[position] = key
        written[key] = header
    for column in columns:
        if column.required and column.key not in written:
            message = _('column "%(vi)s" (or "%(en)s") is missing') % {"vi": column.vietnamese, "en": column.english}
            errors.append(RowError(HEADER_ROW, "", message, sheet))
    return positions, written, errors


def _match_headers(header_cells: list[Any], columns: Sequence[Column]) -> tuple[dict[int, str], dict[str, str]]:
    """Which file position holds which column; raises with every missing or repeated column."""
    positions, written, errors = _header_positions(header_cells, columns)
    if errors:
        raise reject(errors)
    return positions, written


def _is_blank(cells: Sequence[Any]) -> bool:
    return all(show(cell) == "" for cell in cells)


def read_rows(file: IO[bytes] | bytes, *, columns: Sequence[Column], max_rows: int = MAX_ROWS) -> Table:
    """Read an XLSX or CSV file into rows keyed by column. Blank rows are skipped but keep
    their numbers, so messages point at the right spreadsheet row."""
    content = file if isinstance(file, bytes) else file.read()
    raw = _raw_table(content)
    if not raw:
        raise reject([RowError(HEADER_ROW, "", _("the file is empty"))])
    _number, header_cells = raw[0]
    positions, written = _match_headers(header_cells, columns)
    rows = []
    for number, cells in raw[1:]:
        if all(show(cell) == "" for cell in cells):
            continue
        values = {key: cells[position] if position < len(cells) else None for position, key in positions.items()}
        rows.append(Row(number=number, cells=values, headers=written))
    if not rows:
        raise reject([RowError(HEADER_ROW + 1, "", _("the file has a header but no rows"))])
    if len(rows) > max_rows:
        raise reject([RowError(HEADER_ROW, "", _("the file has more than %(max)s rows") % {"max": max_rows})])
    return Table(rows=rows, headers=written)


def read_sheets(
    file: IO[bytes] | bytes,
    *,
    columns: Sequence[Column],
    max_rows: int = MAX_ROWS,
    check_name: Callable[[str], str | None] | None = None,
) -> list[tuple[str, Table]]:
    """Read every sheet of an XLSX workbook: ``[(sheet name, table), …]`` in workbook order.

    Each sheet has its own header row (its row 1) and keeps its own row numbers; every problem
    names its sheet (``sheet "Tuyên truyền viên", row 14, column "năm sinh": …``). Sheets with
    no rows under the header, blank sheets and hidden sheets are skipped. ``check_name`` may
    refuse a sheet by its name: it returns the reason (or None), and a refused sheet's header
    is not checked. Problems of every sheet are reported together; ``max_rows`` counts the rows
    of all sheets. A CSV file is read as one sheet whose name is empty (``check_name`` is not
    asked about it).
    """
    content = file if isinstance(file, bytes) else file.read()
    is_workbook = content.startswith(_XLSX_MAGIC)
    sheets = _xlsx_sheets(content) if is_workbook else [("", _csv_rows(content))]
    errors: list[RowError] = []
    tables: list[tuple[str, Table]] = []
    header_only = False
    total = 0
    for name, raw in sheets:
        data = [(number, cells) for number, cells in raw[1:] if not _is_blank(cells)]
        if not data:
            header_only = header_only or (bool(raw) and not _is_blank(raw[0][1]))
            continue
        problem = check_name(name) if check_name is not None and is_workbook else None
        if problem:
            errors.append(RowError(HEADER_ROW, "", problem, name))
            continue
        positions, written, header_errors = _header_positions(raw[0][1], columns, sheet=name)
        if header_errors:
            errors.extend(header_errors)
            continue
        rows = [
            Row(
                number=number,
                cells={key: cells[position] if position < len(cells) else None for position, key in positions.items()},
                headers=written,
                sheet=name,
            )
            for number, cells in data
        ]
        total += len(rows)
        tables.append((name, Table(rows=rows, headers=written)))
    if errors:
        raise reject(errors)
    if not tables:
        if header_only:
            raise reject([RowError(HEADER_ROW + 1, "", _("the file has a header but no rows"))])
        raise reject([RowError(HEADER_ROW, "", _("the file is empty"))])
    if total > max_rows:
        raise reject([RowError(HEADER_ROW, "", _("the file has more than %(max)s rows") % {"max": max_rows})])
    return tables


# --- Checking and applying -------------------------------------------------------------------


def run_import(
    rows: Iterable[Row],
    *,
    validate: Callable[[Row], T | None],
    apply: Callable[[list[T]], R],
) -> R:
    """Check every row; if all are good, apply them all in one transaction, else raise.

    ``validate`` records problems on the row (``row.fail`` or the reading helpers) and returns
    the cleaned value; a row with problems is never applied.
    """
    errors: list[RowError] = []
    cleaned: list[T] = []
    for row in rows:
        value = validate(row)
        if row.errors:
            errors.extend(row.errors)
        elif value is not None:
            cleaned.append(value)
    if errors:
        raise reject(errors)
    with transaction.atomic():
        return apply(cleaned)


def template_workbook(columns: Sequence[Column], *, english: bool, example: Sequence[Any] = ()) -> bytes:
    """An XLSX file with the header row (in the user's language) and an optional example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.append([column.english if english else column.vietnamese for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for position, column in enumerate(columns):
        sheet.column_dimensions[cell_letter(position)].width = max(14, len(column.vietnamese) + 4)
    if example:
        sheet.append(list(example))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cell_letter(position: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)
