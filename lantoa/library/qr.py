"""Short links printed as QR codes: resolving a code, counting its reads, drawing the codes.

A read is counted as one more on the day's counter of the code (a print run's own code, or an
allocation's): nothing about the reader is kept — no address, no cookie, no account, no device.
Reads are added up in a buffered counter and written in batches; the counter row is created on
the first write of the day, and a writer racing another meets the unique constraint and adds
its reads to the row the other one created.

The label sheet is an A4 PDF drawn with ReportLab: the QR codes are vector squares (no raster),
the text is set in a TrueType font that has the Vietnamese letters (DejaVu Sans, else Liberation
Sans).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import segno
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lantoa.core import counters
from lantoa.core.errors import ApplicationError, NotFound
from lantoa.core.memo import ProcessMemo
from lantoa.core.text import fold
from lantoa.library.models import Allocation, Document, PrintRun, QrRead

# --- Resolving and counting -------------------------------------------------------------

# What a short link names, kept in the shared cache: a scan resolves its code without a query on
# Redis, with one small read on the database cache. The writers of print runs, allocations and
# documents delete the entries they change (signals.py), after their transaction commits.
LINK_CACHE_SECONDS = 24 * 60 * 60
_LINK_KEY = "lantoa:library:link:"
# And for a few seconds in the process, saving the cache read (a query on the database cache).
LINK_LOCAL_SECONDS = 5.0
_local_links = ProcessMemo(seconds=LINK_LOCAL_SECONDS)


@dataclass(frozen=True)
class ShortLink:
    """A print run's or an allocation's code, as a scan needs it: plain values, no model."""

    code: str
    document_id: int
    document_slug: str
    document_public: bool
    print_run_id: int
    allocation_id: int | None
    slot: int  # the allocation's id, or 0 for the run's own code (the counter's key)
    unit_id: int  # the unit the read counts for: the allocation's, else the run's printer
    version_number: int  # the version the run printed


@dataclass(frozen=True)
class ReadTarget:
    document: Document
    print_run: PrintRun
    allocation: Allocation | None


def normal_link_code(code: str) -> str:
    return (code or "").strip().lower()


def link_cache_key(code: str) -> str:
    return _LINK_KEY + code


def _load_link(code: str) -> ShortLink | None:
    fields = ("document_id", "document__slug", "document__visibility", "version__number", "unit_id", "pk")
    run = PrintRun.objects.filter(code=code).values(*fields).first()
    if run is not None:
        return _link(code, run, allocation_id=None, unit_id=run["unit_id"])
    allocation = (
        Allocation.objects.filter(code=code).values("pk", "unit_id", *(f"print_run__{name}" for name in fields)).first()
    )
    if allocation is None:
        return None
    run = {name: allocation[f"print_run__{name}"] for name in fields}
    return _link(code, run, allocation_id=allocation["pk"], unit_id=allocation["unit_id"])


def _link(code: str, run: dict[str, Any], *, allocation_id: int | None, unit_id: int) -> ShortLink:
    return ShortLink(
        code=code,
        document_id=run["document_id"],
        document_slug=run["document__slug"],
        document_public=run["document__visibility"] == Document.Visibility.PUBLIC,
        print_run_id=run["pk"],
        allocation_id=allocation_id,
        slot=allocation_id or 0,
        unit_id=unit_id,
        version_number=run["version__number"],
    )


def short_link(code: str) -> ShortLink | None:
    """What the short link ``code`` names, or None; from the cache when it can. Counts nothing."""
    code = normal_link_code(code)
    if not code or len(code) > 16:
        return None
    link = _local_links.get(code)
    if link is not None:
        return link  # type: ignore[no-any-return]
    key = link_cache_key(code)
    link = cache.get(key)
    if link is None:
        link = _load_link(code)
        if link is None:
            return None  # unknown codes are not cached: a code made later must work at once
        cache.set(key, link, LINK_CACHE_SECONDS)
    _local_links.put(code, link)
    return link  # type: ignore[no-any-return]


def forget_links(codes: Iterable[str | None]) -> None:
    """Drop cached short links (their document, run or allocation changed)."""
    known = [code for code in codes if code]
    for code in known:
        _local_links.forget(code)
    if known:
        cache.delete_many([link_cache_key(code) for code in known])


def resolve_code(code: str) -> ReadTarget | None:
    """The print run (and allocation) a short link names, as models, or None. Counts nothing."""
    link = short_link(code)
    if link is None:
        return None
    run = PrintRun.objects.select_related("document__kind", "version", "unit").get(pk=link.print_run_id)
    allocation = Allocation.objects.select_related("unit").get(pk=link.allocation_id) if link.allocation_id else None
    return ReadTarget(document=run.document, print_run=run, allocation=allocation)


def record_read(code: str) -> ShortLink:
    """Count one read of the short link ``code`` today (local date) and say what it names.

    The read goes to a buffered counter (:mod:`lantoa.core.counters`): the day's row grows at
    the next flush. Raises NotFound for a code that names nothing."""
    link = short_link(code)
    if link is None:
        raise NotFound(_("No such short link."), extra={"code": code})
    _reads.add((link.print_run_id, link.allocation_id, link.slot, link.unit_id, timezone.localdate()))
    return link


def _write_reads(batch: Mapping[Hashable, int]) -> None:
    with transaction.atomic():
        for key, amount in batch.items():
            run_id, allocation_id, slot, unit_id, day = cast(tuple[int, int | None, int, int, dt.date], key)
            _count_one(run_id=run_id, allocation_id=allocation_id, slot=slot, unit_id=unit_id, day=day, amount=amount)


def _count_one(*, run_id: int, allocation_id: int | None, slot: int, unit_id: int, day: dt.date, amount: int) -> None:
    counter = QrRead.objects.filter(print_run_id=run_id, slot=slot, day=day)
    with transaction.atomic():
        if counter.update(count=F("count") + amount):
            return
        try:
            # A savepoint: losing the race must not spoil an enclosing transaction.
            with transaction.atomic():
                QrRead.objects.create(
                    print_run_id=run_id, allocation_id=allocation_id, slot=slot, unit_id=unit_id, day=day, count=amount
                )
        except IntegrityError:
            counter.update(count=F("count") + amount)


_reads = counters.counter("library.qr_reads", _write_reads)


def flush_reads() -> int:
    """Write the buffered reads of this process now; the number written."""
    return _reads.flush()


# --- QR codes ------------------------------------------------------------------------------


def make_qr(url: str) -> segno.QRCode:
    # Level M survives a smudge or a fold and keeps the code small enough for a label.
    return segno.make_qr(url, error="m", boost_error=False)


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="svg", scale=8, border=4, xmldecl=True, svgclass=None, lineclass=None, title=url)
    return buffer.getvalue()


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def download_name(run: PrintRun, suffix: str, code: str | None = None) -> str:
    """An ASCII file name such as ``qr-01-kl-tw-abcd2345.svg``."""
    number = slugify(fold(run.document.number).replace("/", "-"))[:40].strip("-")
    parts = ["qr", number, code or run.code]
    return "-".join(part for part in parts if part) + suffix


# --- The label sheet -----------------------------------------------------------------------

FONT_NAME = "LantoaLabelSans"
FONT_BOLD_NAME = "LantoaLabelSans-Bold"
# (regular, bold) pairs, best first: DejaVu has every Vietnamese letter; Liberation Sans too.
FONT_CANDIDATES: list[tuple[str, str]] = [
    ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf"),
    ("liberation-sans/LiberationSans-Regular.ttf", "liberation-sans/LiberationSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
]
FONT_DIRS: list[Path] = [
    Path("/usr/share/fonts/truetype"),
    Path("/usr/share/fonts"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/usr/local/share/fonts/truetype"),
]


class LabelFontMissing(ApplicationError):
    code = "label_font_missing"
    status = 503


def find_label_fonts() -> tuple[Path, Path]:
    """Paths of a regular and a bold TrueType font with Vietnamese letters."""
    for regular, bold in FONT_CANDIDATES:
        for folder in FONT_DIRS:
            regular_path = folder / regular
            if regular_path.is_file():
                bold_path = folder / bold
                return regular_path, bold_path if bold_path.is_file() else regular_path
    raise LabelFontMissing(
        _(
            "Labels cannot be drawn: no font with Vietnamese letters is installed on the server. "
            "Install DejaVu Sans (Debian: fonts-dejavu-core) or Liberation Sans (fonts-liberation)."
        )
    )


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = find_label_fonts()
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD_NAME, str(bold)))


@dataclass(frozen=True)
class LabelGroup:
    """Labels that share one short link: a print run's own, or one allocation's."""

    code: str
    url: str
    unit_name: str
    count: int


@dataclass(frozen=True)
class SheetLayout:
    """A4 with 3 × 8 labels of 70 × 37 mm (the common office label sheet)."""

    columns: int = 3
    rows: int = 8
    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    label_width_mm: float = 70.0
    label_height_mm: float = 37.0
    padding_mm: float = 2.5

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


LAYOUT = SheetLayout()
MAX_LABELS = 2400  # a hundred pages; more is a mistake in the request


def label_groups(run: PrintRun, allocations: Sequence[Allocation], url_for: Any, per: int | None) -> list[LabelGroup]:
    """The run's own labels (for the copies no coded allocation covers) and one group per
    allocation with a short link. ``per`` labels in each group; by default a full sheet for a
    run without coded allocations and one row per group otherwise."""
    coded = [a for a in allocations if a.code]
    covered = sum(a.copies for a in coded)
    groups: list[LabelGroup] = []
    if not coded:
        count = per or LAYOUT.per_page
        return [LabelGroup(code=run.code, url=url_for(run.code), unit_name=run.unit.name, count=count)]
    count = per or LAYOUT.columns
    if covered < run.copies:
        groups.append(LabelGroup(code=run.code, url=url_for(run.code), unit_name=run.unit.name, count=count))
    for allocation in coded:
        code = allocation.code or ""
        groups.append(LabelGroup(code=code, url=url_for(code), unit_name=allocation.unit.name, count=count))
    return groups


def _shown_link(url: str) -> str:
    """The link as people type it: without the scheme."""
    return url.split("://", 1)[-1]


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    lines = simpleSplit(" ".join(text.split()), font, size, width)
    if len(lines) <= max_lines:
        return list(lines)
    kept = list(lines[:max_lines])
    kept[-1] = _fit(kept[-1] + " " + lines[max_lines], font, size, width)
    if not kept[-1].endswith("…"):
        kept[-1] = _fit(kept[-1] + "…", font, size, width)
    return kept


def _draw_qr(canvas: Any, matrix: Sequence[Sequence[int]], x: float, y: float, size: float) -> None:
    """The code's dark modules as filled rectangles (runs of a row merged into one)."""
    modules = len(matrix)
    quiet = 2  # modules of quiet zone inside ``size`` on each side (the label's margin adds more)
    cell = size / (modules + 2 * quiet)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (quiet + row_index) * cell
        column = 0
        while column < modules:
            if row[column]:
                start = column
                while column < modules and row[column]:
                    column += 1
                path.rect(x + (quiet + start) * cell, top - cell, (column - start) * cell, cell)
            else:
                column += 1
    canvas.drawPath(path, stroke=0, fill=1)


def _positions(groups: Iterable[LabelGroup]) -> list[tuple[int, int, LabelGroup]]:
    """(page, slot on the page, group) for every label; each group starts on a new row."""
    placed = []
    slot = 0
    for group in groups:
        if slot % LAYOUT.columns:
            slot += LAYOUT.columns - slot % LAYOUT.columns
        for _index in range(group.count):
            placed.append((slot // LAYOUT.per_page, slot % LAYOUT.per_page, group))
            slot += 1
    return placed


def label_sheet_pdf(*, run: PrintRun, groups: Sequence[LabelGroup]) -> bytes:
    """The A4 PDF of labels for ``groups`` (see :func:`label_groups`)."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    _register_fonts()
    if sum(group.count for group in groups) > MAX_LABELS:
        raise ApplicationError(_("At most %(count)s labels at a time.") % {"count": MAX_LABELS}, code="too_many_labels")
    document = run.document
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(LAYOUT.page_width_mm * mm, LAYOUT.page_height_mm * mm))
    canvas.setTitle(f"{document.number} {document.title}".strip())
    canvas.setSubject(f"QR {document.number} {run.code}".strip())
    canvas.setCreator("Lantoa")

    label_w = LAYOUT.label_width_mm * mm
    label_h = LAYOUT.label_height_mm * mm
    margin_x = (LAYOUT.page_width_mm * mm - LAYOUT.columns * label_w) / 2
    margin_y = (LAYOUT.page_height_mm * mm - LAYOUT.rows * label_h) / 2
    pad = LAYOUT.padding_mm * mm
    link_size = 6.5
    qr_size = label_h - 2 * pad - link_size - 1.5 * mm
    text_x_offset = pad + qr_size + 1.5 * mm
    text_w = label_w - text_x_offset - pad
    title = document.title
    number = document.number
    kind = document.kind.name if document.kind_id else ""
    matrices: dict[str, list[list[int]]] = {}

    current_page = 0
    for page, slot, group in _positions(groups):
        if page != current_page:
            canvas.showPage()
            current_page = page
        column, row = slot % LAYOUT.columns, slot // LAYOUT.columns
        left = margin_x + column * label_w
        bottom = LAYOUT.page_height_mm * mm - margin_y - (row + 1) * label_h
        # A faint outline to cut along on plain paper (pre-cut sheets hide it).
        canvas.setStrokeGray(0.85)
        canvas.setLineWidth(0.3)
        canvas.rect(left, bottom, label_w, label_h, stroke=1, fill=0)
        canvas.setFillGray(0)
        if group.code not in matrices:
            matrices[group.code] = [list(r) for r in make_qr(group.url).matrix]
        qr_bottom = bottom + label_h - pad - qr_size
        _draw_qr(canvas, matrices[group.code], left + pad, qr_bottom, qr_size)

        # Text beside the code: the number (or kind), the shortened title, the receiving unit.
        text_x = left + text_x_offset
        top = qr_bottom + qr_size
        y = top - 8
        heading = number or kind
        if heading:
            canvas.setFont(FONT_BOLD_NAME, 8.5)
            canvas.drawString(text_x, y, _fit(heading, FONT_BOLD_NAME, 8.5, text_w))
            y -= 9.5
        unit_lines = _wrap(group.unit_name, FONT_BOLD_NAME, 6.5, text_w, 2)
        unit_top = qr_bottom + 1 + 7.5 * (len(unit_lines) - 1)
        title_lines = max(1, int((y - unit_top - 7.5) // 8.2) + 1)
        canvas.setFont(FONT_NAME, 7)
        for line in _wrap(title, FONT_NAME, 7, text_w, title_lines):
            canvas.drawString(text_x, y, line)
            y -= 8.2
        canvas.setFont(FONT_BOLD_NAME, 6.5)
        for line in unit_lines:
            canvas.drawString(text_x, unit_top, line)
            unit_top -= 7.5
        # The short link under the code, for those who type it.
        canvas.setFont(FONT_NAME, link_size)
        shown = _shown_link(group.url)
        canvas.drawString(left + pad, bottom + pad, _fit(shown, FONT_NAME, link_size, label_w - 2 * pad))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def labels_file_name(run: PrintRun) -> str:
    return download_name(run, ".pdf").replace("qr-", "qr-labels-", 1)


__all__ = [
    "LAYOUT",
    "LabelFontMissing",
    "LabelGroup",
    "ReadTarget",
    "ShortLink",
    "find_label_fonts",
    "flush_reads",
    "forget_links",
    "label_groups",
    "label_sheet_pdf",
    "labels_file_name",
    "qr_png",
    "qr_svg",
    "record_read",
    "resolve_code",
    "short_link",
]
