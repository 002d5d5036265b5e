"""The library's own part of its files: extraction queued in the background, and paragraphs for
the reader.

Checking uploads by content, refusing classified material and reading text out of files are
shared by every app that takes files: :mod:`lantoa.core.uploads`.

* :func:`enqueue_extraction` queues the extraction task of :mod:`lantoa.library.tasks`, which
  reads a file's text with :func:`lantoa.core.uploads.read_text`.
* :func:`text_to_paragraphs` turns extracted text into readable paragraphs.
"""

from __future__ import annotations

import re

from lantoa.core.uploads import normalise

# --- Extraction in the background ----------------------------------------------------------------


def enqueue_extraction(file_id: int) -> None:
    """Queue :func:`lantoa.library.tasks.extract_file_text` for the file."""
    from lantoa.library.tasks import extract_file_text

    extract_file_text.enqueue(file_id)


# --- Paragraphs for the reader -------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE
)
_LIST_START = re.compile(
    r"^(?:[-–•+*▪●○]\s|\d{1,3}[.)]\s|[a-zđ][)]\s|[IVXLC]{1,6}[.)]\s|"
    r"(?:Điều|Chương|Mục|Phần|Article|Chapter)\s+[\dIVXLC]+\b)"
)
_SENTENCE_END = re.compile(r"[.!?:;…”\")]$")


def _is_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(line) <= 120 and len(letters) >= 3 and all(c.isupper() for c in letters)


def text_to_paragraphs(text: str) -> list[str]:
    """Readable paragraphs from extracted text.

    Lines that hold only a page number ("12", "- 12 -", "Trang 3", "3/12") are dropped; a word
    hyphenated at a line end is joined when the next line goes on in lower case; wrapped lines are
    merged into one paragraph. A paragraph ends at a blank line, before a list item, article or
    chapter ("- ", "1. ", "a) ", "II. ", "Điều 5"), around upper-case headings, and after a line
    clearly shorter than the text's usual line (the last line of a paragraph, or a title) when it
    ends a sentence or the next line does not go on in lower case.
    """
    lines = [" ".join(line.split()) for line in normalise(text or "").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if not (line and _PAGE_NUMBER.match(line))]
    widths = sorted(len(line) for line in lines if line)
    usual = widths[int(len(widths) * 0.8)] if widths else 0
    paragraphs: list[str] = []
    current = ""
    previous = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current, previous = "", ""
            continue
        starts_new = (
            not current
            or _LIST_START.match(line) is not None
            or _is_heading(line) != _is_heading(previous)
            or (len(previous) < 0.8 * usual and (_SENTENCE_END.search(previous) is not None or not line[:1].islower()))
        )
        if starts_new:
            if current:
                paragraphs.append(current)
            current = line
        elif re.search(r"\w-$", current) and line[:1].islower():
            current = current[:-1] + line
        else:
            current = f"{current} {line}"
        previous = line
    if current:
        paragraphs.append(current)
    return paragraphs
