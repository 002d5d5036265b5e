"""The two formats of an official report's header, number and date line.

- **Party** (Hướng dẫn 36-HD/VPTW): "ĐẢNG CỘNG SẢN VIỆT NAM" top right, underlined; the issuing
  body top left — the superior body above, the issuing body in bold below it, then "*"; the
  number ``Số 123-BC/BTGDVTU``.
- **State** (Nghị định 30/2020/NĐ-CP): the national title "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
  and the motto "Độc lập - Tự do - Hạnh phúc" underlined top right; the issuing body top left;
  the number ``Số: 123/BC-UBND``.

Both: the place and date in italics under the right column ("Lào Cai, ngày 05 tháng 8 năm
2022"; days below 10 and the months January and February written with a leading zero), A4,
Times New Roman 14 (Liberation Serif where Times is absent), margins top and bottom 20 mm, left
30 mm, right 15 mm.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lantoa.reports.documents.content import Document, Format

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
FONT_NAME = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
SMALL_PT = 12  # recipients, table cells
TITLE_PT = 15
NATIONAL_PT = 12  # the State's national title (NĐ 30: 12–13), so it holds on one line
LEFT_COLUMN_MM = 76  # the issuing body's column of the header; the rest is the national one
FIRST_LINE_INDENT_MM = 10


@dataclass(frozen=True)
class Header:
    """The two columns of the header, line by line: (text, bold, underlined, italic)."""

    left: list[tuple[str, bool, bool, bool]]
    right: list[tuple[str, bool, bool, bool]]


def date_line(place: str, day: dt.date) -> str:
    """ "Lào Cai, ngày 05 tháng 8 năm 2022" (NĐ 30/2020 and HD 36: a leading zero on days below 10
    and on months 1 and 2)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(document: Document) -> str:
    """ "Số 123-BC/BTGDVTU" (Party) or "Số: 123/BC-UBND" (State); a draft leaves the number blank
    for the office to write in ("Số     -BC/BTGDVTU")."""
    head = document.letterhead
    shown = str(document.number) if document.number is not None else "\u2007" * 4
    if head.format == "party":
        return f"Số {shown}-{document.type_code}/{head.issuer_abbreviation}"
    return f"Số: {shown}/{document.type_code}-{head.issuer_abbreviation}"


def header(document: Document) -> Header:
    head = document.letterhead
    left: list[tuple[str, bool, bool, bool]] = []
    if head.superior:
        left.append((head.superior.upper(), False, False, False))
    left.append((head.issuer.upper(), True, False, False))
    if head.format == "party":
        left.append(("*", False, False, False))
    else:
        left.append(("", False, False, False))
    left.append((number_line(document), False, False, False))
    right = national(head.format)
    right.append(("", False, False, False))
    right.append((date_line(head.place, document.day), False, False, True))
    return Header(left=left, right=right)


def national(format: Format) -> list[tuple[str, bool, bool, bool]]:
    if format == "party":
        return [("ĐẢNG CỘNG SẢN VIỆT NAM", True, True, False)]
    return [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False, False),  # drawn at NATIONAL_PT
        ("Độc lập - Tự do - Hạnh phúc", True, True, False),
    ]


def recipients_heading(format: Format) -> tuple[str, bool, bool, bool]:
    """ "Nơi nhận:" — underlined in the Party format, bold italic in the State format."""
    if format == "party":
        return ("Nơi nhận:", False, True, False)
    return ("Nơi nhận:", True, False, True)
