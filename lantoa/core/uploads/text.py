"""Reading the text out of PDF, DOCX and ODT files (for search, the reader and the secrecy check).

:func:`read_text` reads a whole document, or a sample of it; parsers are imported when first used.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

MB = 1024 * 1024
SAMPLE_CHARS = 5_000
SAMPLE_PAGES = 5
# Uncompressed size above which a DOCX/ODT is not opened for its text (a "zip bomb" guard).
MAX_UNZIPPED_BYTES = 300 * MB

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PDF = "application/pdf"
TEXT_TYPES = frozenset({PDF, DOCX, ODT})


@dataclass(frozen=True)
class ReadText:
    text: str  # the document's text, for search and the reader
    checked: str  # all text that is checked for a secrecy stamp (the text plus headers, footers)


def read_text(
    stream: IO[bytes], content_type: str, *, sample: bool = False, progress: Callable[[int], None] | None = None
) -> ReadText:
    """Read the text of a PDF (page by page), DOCX (paragraphs and tables, text boxes, headers
    and footers) or ODT (headings and paragraphs). ``sample``: the first pages / ~5,000 characters
    only. ``progress`` is called with 0–100 as PDF pages are read. Raises on a file it cannot
    parse. Recoverable warnings of the parsers are silenced: a readable file is read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if content_type == PDF:
            return _read_pdf(stream, sample=sample, progress=progress)
        if content_type == DOCX:
            result = _read_docx(stream)
        elif content_type == ODT:
            result = _read_odt(stream)
        else:
            raise ValueError(content_type)
    if sample:
        return ReadText(result.text[:SAMPLE_CHARS], result.checked[: SAMPLE_CHARS * 2])
    return result


def _read_pdf(stream: IO[bytes], *, sample: bool, progress: Callable[[int], None] | None) -> ReadText:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    if reader.is_encrypted:
        reader.decrypt("")
    pages = reader.pages
    count = len(pages)
    step = max(1, count // 20)
    parts: list[str] = []
    length = 0
    for number, page in enumerate(pages, start=1):
        part = page.extract_text() or ""
        parts.append(part)
        length += len(part)
        if sample and (length >= SAMPLE_CHARS or number >= SAMPLE_PAGES):
            break
        if progress is not None and number % step == 0 and number < count:
            progress(number * 100 // count)
    text = "\n".join(parts).strip()
    return ReadText(text, text)


def _zip_guard(stream: IO[bytes]) -> None:
    with zipfile.ZipFile(stream) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise ValueError("archive too large when unpacked")
    stream.seek(0)


def _docx_paragraph_text(paragraph: Any, qn: Callable[[str], str]) -> str:
    """Text of one w:p, without the text of paragraphs nested in it (text boxes)."""
    p_tag, t_tag, tab_tag, br_tag = qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br")
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    pieces = []
    for element in paragraph.iter(t_tag, tab_tag, br_tag):
        owner = next(element.iterancestors(p_tag, fallback), None)
        if owner is not paragraph:
            continue
        pieces.append(element.text or "" if element.tag == t_tag else ("\t" if element.tag == tab_tag else "\n"))
    return "".join(pieces)


def _docx_blocks(root: Any, qn: Callable[[str], str], *, skip_cells: bool = False) -> list[str]:
    """Text of every w:p under ``root`` (itself included), one block each."""
    fallback = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    blocks = []
    for paragraph in root.iter(qn("w:p")):
        if next(paragraph.iterancestors(fallback), None) is not None:
            continue  # the same text box again, for old readers
        if skip_cells and next(paragraph.iterancestors(qn("w:tc")), None) is not None:
            continue
        text = _docx_paragraph_text(paragraph, qn).strip()
        if text:
            blocks.append(text)
    return blocks


def _read_docx(stream: IO[bytes]) -> ReadText:
    import docx
    from docx.oxml.ns import qn

    _zip_guard(stream)
    document = docx.Document(stream)  # type: ignore[arg-type]
    body = document.element.body
    blocks: list[str] = []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = []
                for cell in row.iterchildren(qn("w:tc")):
                    lines = [_docx_paragraph_text(p, qn).strip() for p in cell.iterchildren(qn("w:p"))]
                    cells.append("\n".join(line for line in lines if line))
                cells = [cell for cell in cells if cell]
                if cells:
                    blocks.append("\n".join(cells))
        else:
            blocks.extend(_docx_blocks(child, qn, skip_cells=child.tag == qn("w:p")))
    margins: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.even_page_header):
            if not part.is_linked_to_previous:
                margins.extend(_docx_blocks(part._element, qn))
    text = "\n\n".join(blocks)
    return ReadText(text, "\n\n".join([*margins, text]))


_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _odf_tag(name: str) -> str:
    return f"{{{_ODF_TEXT}}}{name}"


def _odf_inline(element: Any, out: list[str]) -> None:
    if element.text:
        out.append(element.text)
    for child in element:
        tag = child.tag
        if tag in (_odf_tag("p"), _odf_tag("h"), _odf_tag("note")):
            pass  # nested paragraphs (notes) are blocks of their own
        elif tag == _odf_tag("s"):
            out.append(" " * int(child.get(_odf_tag("c"), "1") or 1))
        elif tag == _odf_tag("tab"):
            out.append("\t")
        elif tag == _odf_tag("line-break"):
            out.append("\n")
        else:
            _odf_inline(child, out)
        if child.tail:
            out.append(child.tail)


def _odf_blocks(root: Any) -> list[str]:
    blocks = []
    for element in root.iter(_odf_tag("p"), _odf_tag("h")):
        out: list[str] = []
        _odf_inline(element, out)
        text = "".join(out).strip()
        if text:
            blocks.append(text)
    return blocks


def _read_odt(stream: IO[bytes]) -> ReadText:
    from lxml import etree

    _zip_guard(stream)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    with zipfile.ZipFile(stream) as archive:
        content = etree.fromstring(archive.read("content.xml"), parser)
        try:
            styles = etree.fromstring(archive.read("styles.xml"), parser)
        except KeyError:
            styles = None
    text = "\n\n".join(_odf_blocks(content))
    margins: list[str] = []
    if styles is not None:
        for tag in ("header", "footer", "header-first", "footer-first", "header-left", "footer-left"):
            for part in styles.iter(f"{{{_ODF_STYLE}}}{tag}"):
                margins.extend(_odf_blocks(part))
    return ReadText(text, "\n\n".join([*margins, text]))
