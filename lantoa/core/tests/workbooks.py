"""Workbooks written by hand, part by part, for tests of the spreadsheet reader: what a
spreadsheet program writes, and what a hostile file holds (a huge declared dimension,
malformed XML, a zip bomb)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


def column_letters(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def inline_cell(reference: str, value: object) -> str:
    """A cell as a writer without shared strings writes it (numbers as numbers)."""
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(rows: Sequence[Sequence[object]], *, dimension: str = "", first_row: int = 1) -> str:
    """A worksheet of inline cells; ``dimension`` is what the sheet declares about its size."""
    body = []
    for offset, values in enumerate(rows):
        number = first_row + offset
        cells = "".join(
            inline_cell(f"{column_letters(position)}{number}", value)
            for position, value in enumerate(values)
            if value is not None and value != ""
        )
        body.append(f'<row r="{number}">{cells}</row>')
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    data = "".join(body)
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
    return f"{head}{declared}<sheetData>{data}</sheetData></worksheet>"


def workbook(
    sheets: Mapping[str, str],
    *,
    shared_strings: str | None = None,
    styles: str | None = None,
    workbook_xml: str | None = None,
    hidden: Sequence[str] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """An XLSX file whose worksheets are the given XML texts (name -> sheet XML)."""
    names = list(sheets)
    entries = "".join(
        f'<sheet name={quoteattr(name)} sheetId="{i + 1}" r:id="rId{i + 1}"'
        + (' state="hidden"' if name in hidden else "")
        + "/>"
        for i, name in enumerate(names)
    )
    relations = [
        f'<Relationship Id="rId{i + 1}" Type="{RELS}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(names))
    ]
    if shared_strings is not None:
        relations.append(f'<Relationship Id="rIdS" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>')
    if styles is not None:
        relations.append(f'<Relationship Id="rIdT" Type="{RELS}/styles" Target="styles.xml"/>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
        f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": workbook_xml
        or f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{entries}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE}">'
        + "".join(relations)
        + "</Relationships>",
    }
    for i, name in enumerate(names):
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = sheets[name]
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    if styles is not None:
        parts["xl/styles.xml"] = styles
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for path, text in parts.items():
            archive.writestr(path, text)
    return buffer.getvalue()


def one_sheet(rows: Sequence[Sequence[object]], *, name: str = "Sheet1", dimension: str = "") -> bytes:
    return workbook({name: sheet_xml(rows, dimension=dimension)})
