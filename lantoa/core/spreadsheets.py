"""Reading uploaded spreadsheets (XLSX and CSV) within limits, one row at a time.

Every limit is checked before or while reading, never after: the upload's bytes, the
uncompressed size of an XLSX (the sum of the sizes its zip declares, the bytes actually
inflated, and the ratio of each large part to its compressed size, so a zip bomb is refused
before it is inflated), the number of rows, columns, filled cells and characters per cell.
The first row past a limit stops the reading at once with :class:`FileRefused`, whose message
names the limit.

**Why a reader of our own for XLSX.** openpyxl (which writes Lantoa's templates) reads a sheet
either whole, or in read-only mode padded to the width and height the sheet *declares*
(``<dimension ref="A1:XFD1048576"/>``: 16,384 cells per row), after loading every shared string
and style into memory, and it reports malformed parts with whatever exception its parser
raises. The reader here opens the zip with :mod:`zipfile` and streams each XML part through
:class:`xml.etree.ElementTree.XMLPullParser`, 64 KB at a time, counting bytes as they are
inflated; every element is dropped as soon as it has been read, so memory follows the cells
kept, not the file. It ignores the declared dimension (a cell's position comes from its
``r`` reference, or follows the previous cell when a writer leaves ``r`` out), reads shared
strings, inline strings, numbers, booleans, formula results (the cached value; a formula is
never evaluated), error values and ISO date cells, and turns numbers whose style is a date
format into dates (openpyxl's own format tests and serial-date conversion, 1900 and 1904
calendars). A document type declaration (which no spreadsheet program writes, and which is
how entity-expansion attacks start) refuses the file. Anything malformed — a broken zip, a
missing part, XML that does not parse, a cell reference that is not one — is a
:class:`FileRefused` with a plain message, never another exception.

CSV is UTF-8, with or without the byte order mark spreadsheet programs add; a file in another
encoding is refused with the line where decoding failed. Its delimiter (comma, semicolon or
tab) is guessed from the first line; NUL bytes are dropped like every control character.

Text cells are cleaned with :func:`lantoa.core.text.clean_text` (line breaks kept), so a cell
holding only zero-width characters reads as empty and control characters are never stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

from lantoa.core.text import clean_text

MB = 1024 * 1024
MAX_IMPORT_BYTES = 5 * MB  # an upload, XLSX or CSV
MAX_UNCOMPRESSED_BYTES = 50 * MB  # the XML parts of an XLSX, once inflated
MAX_COMPRESSION_RATIO = 100  # inflated / compressed, for parts larger than RATIO_CHECKED_FROM
RATIO_CHECKED_FROM = 1 * MB  # small parts compress as they like
MAX_ZIP_ENTRIES = 1_000
MAX_ROWS = 10_000  # data rows (below the header), the default of every import
MAX_ROW_ELEMENTS = 100_000  # rows read from one file, blank ones included
MAX_COLUMNS = 100
MAX_CELLS = 1_000_000  # filled cells read from one file
MAX_CELL_CHARS = 32_767  # what a spreadsheet program itself allows in a cell
MAX_CELL_PARTS = 1_000  # elements inside one cell or shared string (rich-text runs)
MAX_PROBLEMS = 200  # problems listed in an error; the total is always given

_CHUNK = 64 * 1024
_XLSX_MAGIC = b"PK\x03\x04"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})?")
_DOCTYPE = b"<!DOCTYPE"
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


class FileRefused(Exception):
    """The file cannot be read within the limits, or is not a readable spreadsheet. ``row`` is
    the spreadsheet row the reading stopped at (1 when the file as a whole is refused)."""

    def __init__(self, message: str, *, row: int = 1, sheet: str = ""):
        super().__init__(message)
        self.message = message
        self.row = row
        self.sheet = sheet


@dataclass
class Budget:
    """What is left to read of one file; shared by its sheets."""

    inflated: int = 0
    row_elements: int = 0
    cells: int = 0

    def take_bytes(self, count: int) -> None:
        self.inflated += count
        if self.inflated > MAX_UNCOMPRESSED_BYTES:
            raise FileRefused(_too_large_uncompressed())

    def take_row(self, number: int, sheet: str) -> None:
        self.row_elements += 1
        if self.row_elements > MAX_ROW_ELEMENTS:
            message = _("the file has more than %(max)s rows, blank ones included") % {"max": MAX_ROW_ELEMENTS}
            raise FileRefused(message, row=number, sheet=sheet)

    def take_cell(self, number: int, sheet: str) -> None:
        self.cells += 1
        if self.cells > MAX_CELLS:
            message = _("the file has more than %(max)s filled cells") % {"max": MAX_CELLS}
            raise FileRefused(message, row=number, sheet=sheet)


def _too_large_uncompressed() -> str:
    return _("the workbook unpacks to more than %(mb)s MB") % {"mb": MAX_UNCOMPRESSED_BYTES // MB}


def _unreadable(detail: str = "") -> FileRefused:
    if detail:
        return FileRefused(_("the file is not a readable XLSX workbook (%(detail)s)") % {"detail": detail})
    return FileRefused(_("the file is not a readable XLSX workbook"))


@dataclass
class Sheet:
    """One worksheet: ``rows`` yields (spreadsheet row number, values by column position) for
    every row that has an element in the file, in order; a value is None for an empty cell."""

    name: str
    rows: Iterator[tuple[int, list[Any]]]
    visible: bool = True


def is_workbook(content: bytes) -> bool:
    return content.startswith(_XLSX_MAGIC)


def read_upload(file: Any) -> bytes:
    """The bytes of an upload, refused beyond :data:`MAX_IMPORT_BYTES` without reading more."""
    content = file if isinstance(file, bytes) else file.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        raise FileRefused(_("the file is larger than %(mb)s MB") % {"mb": MAX_IMPORT_BYTES // MB})
    return content


def sheets(content: bytes) -> Iterator[Sheet]:
    """Every worksheet of an XLSX (hidden ones marked), or the CSV as one sheet named ""."""
    if not is_workbook(content):
        yield Sheet("", csv_rows(content))
        return
    budget = Budget()
    workbook = _Workbook(content, budget)
    for name, path, visible in workbook.sheet_parts:
        yield Sheet(name, workbook.rows(path, name), visible=visible)


# --- CSV -------------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        message = _("the file is neither XLSX nor UTF-8 text (line %(line)s): save it as XLSX, or as CSV in UTF-8") % {
            "line": line
        }
        raise FileRefused(message, row=line) from exc


def _dialect(text: str) -> Any:
    first_line = text.split("\n", 1)[0][:4096]  # the header; a huge first line guesses no better
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(content)
    budget = Budget()
    reader = csv.reader(io.StringIO(text.replace("\x00", "")), _dialect(text))
    number = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):  # the csv module's own bound, far above a cell's
                raise FileRefused(_cell_too_long(), row=number + 1) from exc
            raise FileRefused(_("the file is not a readable CSV file"), row=number + 1) from exc
        number += 1  # the record, as a spreadsheet program shows it (a quoted field may span lines)
        budget.take_row(number, "")
        if len(fields) > MAX_COLUMNS and any(value.strip() for value in fields[MAX_COLUMNS:]):
            raise FileRefused(_too_many_columns(), row=number)
        values: list[Any] = []
        for value in fields[:MAX_COLUMNS]:
            values.append(_text_cell(value, number, "") if value else None)
            if value:
                budget.take_cell(number, "")
        yield number, values


def _too_many_columns() -> str:
    return _("the file has more than %(max)s columns") % {"max": MAX_COLUMNS}


def _cell_too_long() -> str:
    return _("a cell has more than %(max)s characters") % {"max": MAX_CELL_CHARS}


def _text_cell(value: str, number: int, sheet: str) -> str | None:
    if len(value) > MAX_CELL_CHARS:
        raise FileRefused(_cell_too_long(), row=number, sheet=sheet)
    return clean_text(value, multiline=True) or None


# --- XLSX ------------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


@dataclass
class _Styles:
    date_styles: set[int] = field(default_factory=set)
    duration_styles: set[int] = field(default_factory=set)


class _Workbook:
    def __init__(self, content: bytes, budget: Budget):
        self.budget = budget
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(content))
        except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError) as exc:
            raise _unreadable() from exc
        self._check_declared_sizes()
        base = self._office_document()
        relations = self._relations(base)
        self.epoch, sheets = self._workbook_sheets(base, relations)
        self.shared = self._shared_strings(relations)
        self.styles = self._styles(relations)
        self.sheet_parts = sheets

    def _check_declared_sizes(self) -> None:
        entries = self.zip.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise _unreadable(_("more than %(max)s parts") % {"max": MAX_ZIP_ENTRIES})
        if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
            raise FileRefused(_too_large_uncompressed())
        for entry in entries:
            if entry.file_size > RATIO_CHECKED_FROM and entry.file_size > MAX_COMPRESSION_RATIO * max(
                entry.compress_size, 1
            ):
                raise FileRefused(_("the workbook is compressed suspiciously well (a zip bomb?)"))

    # Each part is read as a stream of "records" (the elements named in ``records``): a record is
    # handed over whole, with its parent's name, at its end and then dropped; other elements are
    # dropped at their end unless they sit inside a record. What is held at once stays small.
    def _events(self, path: str, records: frozenset[str]) -> Iterator[tuple[ET.Element, str]]:
        try:
            stream = self.zip.open(path)
        except KeyError as exc:
            raise _unreadable(_("the part %(name)s is missing") % {"name": path[:100]}) from exc
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, zlib.error) as exc:
            raise _unreadable() from exc
        parser: Any = ET.XMLPullParser(events=("start", "end"))
        stack: list[ET.Element] = []
        in_record = 0
        held = 0  # elements kept inside records
        tail = b""
        with stream:
            while True:
                try:
                    chunk = stream.read(_CHUNK)
                    if chunk:
                        self.budget.take_bytes(len(chunk))
                        if _DOCTYPE in tail + chunk:
                            raise _unreadable(_("document type declarations are not allowed"))
                        tail = chunk[-len(_DOCTYPE) :]
                        parser.feed(chunk)
                    else:
                        parser.close()
                    events: list[tuple[str, Any]] = list(parser.read_events())
                except ET.ParseError as exc:
                    raise _unreadable(_("%(name)s is malformed") % {"name": path[:100]}) from exc
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
                    raise _unreadable() from exc
                for event, element in events:
                    assert isinstance(element, ET.Element)
                    name = _local(element.tag)
                    if event == "start":
                        stack.append(element)
                        if in_record:
                            held += 1
                            if held > MAX_CELL_PARTS:
                                raise _unreadable(_("%(name)s is malformed") % {"name": path[:100]})
                        if name in records:
                            in_record += 1
                        continue
                    stack.pop()
                    parent = stack[-1] if stack else None
                    is_record = name in records
                    if is_record:
                        in_record -= 1
                        yield element, _local(parent.tag) if parent is not None else ""
                    if parent is not None and (is_record or not in_record):
                        parent.remove(element)
                        if is_record:
                            held -= sum(1 for _node in element.iter()) - (0 if in_record else 1)
                if not chunk:
                    return

    def _office_document(self) -> str:
        for element, _parent in self._events("_rels/.rels", frozenset({"Relationship"})):
            if element.get("Type", "").endswith("/officeDocument"):
                return element.get("Target", "").lstrip("/")
        return "xl/workbook.xml"

    def _relations(self, base: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, part path) of the workbook part."""
        folder, _slash, filename = base.rpartition("/")
        path = f"{folder}/_rels/{filename}.rels" if folder else f"_rels/{filename}.rels"
        relations: dict[str, tuple[str, str]] = {}
        for element, _parent in self._events(path, frozenset({"Relationship"})):
            target = element.get("Target", "")
            resolved = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}" if folder else target
            relations[element.get("Id", "")] = (element.get("Type", "").rpartition("/")[2], resolved)
        return relations

    def _workbook_sheets(
        self, base: str, relations: dict[str, tuple[str, str]]
    ) -> tuple[dt.datetime, list[tuple[str, str, bool]]]:
        epoch = WINDOWS_EPOCH
        found: list[tuple[str, str, bool]] = []
        for element, _parent in self._events(base, frozenset({"workbookPr", "sheet"})):
            if _local(element.tag) == "workbookPr":
                if element.get("date1904", "").lower() in {"1", "true"}:
                    epoch = MAC_EPOCH
                continue
            name = clean_text(element.get("name", ""))
            if element.get(_REL, "") not in relations:
                raise _unreadable(_('the sheet "%(name)s" has no part') % {"name": name[:100]})
            kind, path = relations[element.get(_REL, "")]
            if kind != "worksheet":
                continue  # chart sheets and dialog sheets hold no rows
            found.append((name, path, element.get("state", "visible") == "visible"))
        if not found:
            raise _unreadable(_("it has no worksheet"))
        return epoch, found

    def _part(self, relations: dict[str, tuple[str, str]], kind: str) -> str | None:
        return next((path for found, path in relations.values() if found == kind), None)

    def _shared_strings(self, relations: dict[str, tuple[str, str]]) -> list[str | None]:
        path = self._part(relations, "sharedStrings")
        if path is None:
            return []
        strings: list[str | None] = []
        for element, _parent in self._events(path, frozenset({"si"})):
            if len(strings) >= MAX_CELLS:
                raise FileRefused(_("the file has more than %(max)s filled cells") % {"max": MAX_CELLS})
            strings.append(_text_cell(_rich_text(element), 1, ""))
        return strings

    def _styles(self, relations: dict[str, tuple[str, str]]) -> _Styles:
        styles = _Styles()
        path = self._part(relations, "styles")
        if path is None:
            return styles
        formats: dict[int, str] = dict(BUILTIN_FORMATS)
        position = 0
        # numFmts come before cellXfs in the part; a cell's s= counts the xf elements of cellXfs
        # (those of cellStyleXfs are the named styles).
        for element, parent in self._events(path, frozenset({"numFmt", "xf"})):
            if _local(element.tag) == "numFmt":
                formats[_int(element.get("numFmtId") or "0")] = element.get("formatCode", "")
            elif parent == "cellXfs":
                code = formats.get(_int(element.get("numFmtId") or "0"), "")
                if is_timedelta_format(code):
                    styles.duration_styles.add(position)
                elif is_date_format(code):
                    styles.date_styles.add(position)
                position += 1
        return styles

    def rows(self, path: str, sheet: str) -> Iterator[tuple[int, list[Any]]]:
        number = 0  # the last row handed over
        values: list[Any] = []
        column = -1
        for element, _parent in self._events(path, frozenset({"c", "row"})):
            if _local(element.tag) == "c":
                column, row = self._cell_position(element, column, number)
                value = self._cell_value(element, row, sheet)
                if value is None:
                    continue
                if column >= MAX_COLUMNS:
                    raise FileRefused(_too_many_columns(), row=row, sheet=sheet)
                self.budget.take_cell(row, sheet)
                values.extend([None] * (column + 1 - len(values)))
                values[column] = value
                continue
            row_number = _int(element.get("r")) if element.get("r") else number + 1
            if row_number <= number:
                raise _unreadable(_("rows are out of order in sheet %(name)s") % {"name": sheet})
            self.budget.take_row(row_number, sheet)
            yield row_number, values
            number, values, column = row_number, [], -1

    @staticmethod
    def _cell_position(element: ET.Element, previous: int, number: int) -> tuple[int, int]:
        """(column position, row number) of a cell; a cell without a reference follows the
        previous one."""
        reference = element.get("r")
        if not reference:
            return previous + 1, number + 1
        matched = _CELL_REF.fullmatch(reference)
        if matched is None:
            raise _unreadable(_('"%(ref)s" is not a cell reference') % {"ref": reference[:20]})
        position = _column_index(matched.group(1))
        if position <= previous:
            raise _unreadable(_("cells are out of order"))
        return position, int(matched.group(2)) if matched.group(2) else number + 1

    def _cell_value(self, element: ET.Element, number: int, sheet: str) -> Any:
        kind = element.get("t", "n")
        if kind == "inlineStr":
            inline = next((child for child in element if _local(child.tag) == "is"), None)
            return None if inline is None else _text_cell(_rich_text(inline), number, sheet)
        raw = next((child.text for child in element if _local(child.tag) == "v"), None)
        if raw is None or raw == "":
            return None
        if kind == "s":
            index = _int(raw)
            if not 0 <= index < len(self.shared):
                raise _unreadable(_("a cell points at a shared string that does not exist"))
            return self.shared[index]
        if kind in {"str", "e"}:
            return _text_cell(raw, number, sheet)
        if kind == "b":
            return raw.strip() in {"1", "true"}
        if kind == "d":
            try:
                return dt.datetime.fromisoformat(raw.strip())
            except ValueError:
                return _text_cell(raw, number, sheet)
        return self._number(raw, _int(element.get("s") or "0"), number, sheet)

    def _number(self, raw: str, style: int, number: int, sheet: str) -> Any:
        text = raw.strip()
        try:
            value: int | float = int(text) if text.lstrip("-").isdigit() else float(text)
        except ValueError:
            return _text_cell(raw, number, sheet)
        if not math.isfinite(value) or len(text) > 400:
            return _text_cell(raw[:400], number, sheet)
        if style in self.styles.date_styles or style in self.styles.duration_styles:
            try:
                return from_excel(value, self.epoch, timedelta=style in self.styles.duration_styles)
            except (OverflowError, ValueError):
                return value  # a serial beyond any calendar: shown as the number it is
        return value


def _rich_text(element: ET.Element) -> str:
    """The text of a shared or inline string: its runs, without phonetic guides (``rPh``), with
    the ``_xHHHH_`` escapes writers use for characters XML cannot hold decoded."""
    parts: list[str] = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(grand.text or "" for grand in child if _local(grand.tag) == "t")
    return _ESCAPED.sub(lambda found: chr(int(found.group(1), 16)), "".join(parts))


def _int(text: str | None) -> int:
    if text is None or not text.strip().isdigit() or len(text.strip()) > 9:
        raise _unreadable(_('"%(value)s" is not a number where one is expected') % {"value": (text or "")[:20]})
    return int(text)
