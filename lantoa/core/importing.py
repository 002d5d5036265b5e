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
and nothing is written: ``extra["errors"]`` (text) and ``extra["details"]`` (parts for a table)
list the first :data:`~lantoa.core.spreadsheets.MAX_PROBLEMS`, ``extra["total"]`` counts them
all and ``extra["more"]`` says how many were left out. Otherwise ``apply`` receives the
cleaned rows inside one ``transaction.atomic``.

Files are read by :mod:`lantoa.core.spreadsheets`, which streams XLSX and CSV within limits
(bytes, unpacked size, rows, columns, cells) checked while reading: the first row past
``max_rows`` (10,000 by default) stops the reading, and a file that cannot be read — a
malformed workbook, a CSV that is not UTF-8 — is one problem on row 1, never another
exception. Cell text is cleaned there (:func:`lantoa.core.text.clean_text`), and
``Row.text`` cleans it again on one line (or keeps line breaks with ``multiline=True``), so
a cell of zero-width characters is empty and control characters are never stored.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core.errors import ImportRejected
from lantoa.core.spreadsheets import MAX_PROBLEMS, MAX_ROWS, FileRefused, is_workbook, read_upload, sheets
from lantoa.core.text import clean_text, fold

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["MAX_ROWS", "Column", "Row", "RowError", "Table", "read_rows", "read_sheets", "reject", "run_import", "show"]

HEADER_ROW = 1
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


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
    """The error to raise for ``errors``: the first :data:`MAX_PROBLEMS` as text and as parts
    for a table, with the total (``extra["total"]``) and how many were left out (``"more"``)."""
    listed = errors[:MAX_PROBLEMS]
    return ImportRejected(
        _("The file has %(count)s problem(s); nothing was imported.") % {"count": len(errors)},
        extra={
            "errors": [str(e) for e in listed],
            "details": [e.as_dict() for e in listed],
            "total": len(errors),
            "more": len(errors) - len(listed),
        },
    )


def _written(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != dt.time(0) else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def show(value: Any) -> str:
    """A cell value as the user typed it, on one line and cleaned, for messages and codes."""
    return clean_text(_written(value))


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

    def text(self, key: str, *, required: bool = True, max_length: int | None = None, multiline: bool = False) -> str:
        """The cell as clean text (:func:`clean_text`: invisible and control characters
        removed), so a cell of zero-width characters is empty; ``multiline`` keeps line breaks."""
        value = clean_text(_written(self.cells.get(key)), multiline=multiline)
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


def _refused(exc: FileRefused) -> ImportRejected:
    return reject([RowError(exc.row, "", exc.message, exc.sheet)])


def _split_header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[list[Any], Iterator[tuple[int, list[Any]]]] | None:
    """The header cells (spreadsheet row 1, empty if the file has no row 1) and the rows below;
    None for a sheet without a single row."""
    first = next(rows, None)
    if first is None:
        return None
    number, cells = first
    if number == HEADER_ROW:
        return cells, rows
    return [], itertools.chain([first], rows)


def _data_rows(rows: Iterable[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    return ((number, cells) for number, cells in rows if not _is_blank(cells))


def _too_many_rows(max_rows: int, number: int, sheet: str = "") -> ImportRejected:
    return reject([RowError(number, "", _("the file has more than %(max)s rows") % {"max": max_rows}, sheet)])


def _make_rows(
    data: Iterable[tuple[int, list[Any]]],
    positions: dict[int, str],
    written: dict[str, str],
    *,
    sheet: str,
    room: int,
    max_rows: int,
) -> list[Row]:
    """The rows of ``data`` keyed by column; stops at the first row past ``room``."""
    rows: list[Row] = []
    for number, cells in data:
        if len(rows) >= room:
            raise _too_many_rows(max_rows, number, sheet)
        values = {key: cells[position] if position < len(cells) else None for position, key in positions.items()}
        rows.append(Row(number=number, cells=values, headers=written, sheet=sheet))
    return rows


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
    """Read an XLSX (its first sheet) or CSV file into rows keyed by column. Blank rows are
    skipped but keep their numbers, so messages point at the right spreadsheet row; the first
    row past ``max_rows`` stops the reading."""
    try:
        content = read_upload(file)
        first = next(sheets(content), None)
        split = _split_header(first.rows) if first is not None else None
        if split is None:
            raise reject([RowError(HEADER_ROW, "", _("the file is empty"))])
        header_cells, below = split
        positions, written = _match_headers(header_cells, columns)
        rows = _make_rows(_data_rows(below), positions, written, sheet="", room=max_rows, max_rows=max_rows)
    except FileRefused as exc:
        raise _refused(exc) from exc
    if not rows:
        raise reject([RowError(HEADER_ROW + 1, "", _("the file has a header but no rows"))])
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
    of all sheets, and the first row past it stops the reading. A CSV file is read as one sheet
    whose name is empty (``check_name`` is not asked about it).
    """
    try:
        return _read_sheets(read_upload(file), columns=columns, max_rows=max_rows, check_name=check_name)
    except FileRefused as exc:
        raise _refused(exc) from exc


def _read_sheets(
    content: bytes,
    *,
    columns: Sequence[Column],
    max_rows: int,
    check_name: Callable[[str], str | None] | None,
) -> list[tuple[str, Table]]:
    workbook = is_workbook(content)
    errors: list[RowError] = []
    tables: list[tuple[str, Table]] = []
    header_only = False
    total = 0
    for sheet in sheets(content):
        # Hidden sheets (the lists behind drop-down cells, say) are not data.
        split = _split_header(sheet.rows) if sheet.visible else None
        if split is None:
            continue
        header_cells, below = split
        data = _data_rows(below)
        first = next(data, None)
        if first is None:
            header_only = header_only or not _is_blank(header_cells)
            continue
        problem = check_name(sheet.name) if check_name is not None and workbook else None
        if problem:
            errors.append(RowError(HEADER_ROW, "", problem, sheet.name))
            continue
        positions, written, header_errors = _header_positions(header_cells, columns, sheet=sheet.name)
        if header_errors:
            errors.extend(header_errors)
            continue
        room = max_rows - total
        rows = _make_rows(
            itertools.chain([first], data), positions, written, sheet=sheet.name, room=room, max_rows=max_rows
        )
        total += len(rows)
        tables.append((sheet.name, Table(rows=rows, headers=written)))
    if errors:
        raise reject(errors)
    if not tables:
        if header_only:
            raise reject([RowError(HEADER_ROW + 1, "", _("the file has a header but no rows"))])
        raise reject([RowError(HEADER_ROW, "", _("the file is empty"))])
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
