"""What an official report holds, ready to draw: the letterhead, the number, the title, the
body's blocks (headings, paragraphs with generated numbers, tables, charts), the signature and
the recipients. The DOCX and PDF renderers read the same :class:`Document`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from lantoa.core.charts import BarChart
from lantoa.reports.narrative import Part

Format = Literal["party", "state"]
FORMATS: tuple[Format, ...] = ("party", "state")


@dataclass(frozen=True)
class Letterhead:
    format: Format
    superior: str  # the body above the issuer: "TỈNH ỦY LÀO CAI" (may be empty)
    issuer: str  # "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    issuer_abbreviation: str  # "BTGDVTU" (Party) or "UBND" (State), used in the number
    place: str  # "Lào Cai"


@dataclass(frozen=True)
class Signature:
    on_behalf: str  # "T/M BAN THƯỜNG VỤ", "TM. ỦY BAN NHÂN DÂN" or empty
    position: str  # "PHÓ TRƯỞNG BAN"
    name: str  # the signer's name


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    parts: list[Part]


@dataclass(frozen=True)
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]  # every cell as printed ("—" for no data)
    total: list[str] | None = None  # the last row, in bold
    note: str = ""


@dataclass(frozen=True)
class Chart:
    chart: BarChart  # the bars from lantoa.core.charts: one definition for page and report


Block = Heading | Paragraph | Table | Chart


@dataclass(frozen=True)
class Document:
    letterhead: Letterhead
    number: int | None  # None while a draft: the number is given when the report is issued
    type_code: str  # "BC" for a report
    day: dt.date
    title: str  # "BÁO CÁO"
    subtitle: str  # "Kết quả công tác …"
    blocks: list[Block]
    signature: Signature
    recipients: list[str] = field(default_factory=list)
