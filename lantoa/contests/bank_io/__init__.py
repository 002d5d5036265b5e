"""Question banks in and out of files: a spreadsheet, one row per question (:mod:`.xlsx`), and
Moodle XML as Moodle exports it (:mod:`.moodle`). Both check everything first and write all or
nothing through the services; both export a bank in the format they import, so a round trip
gives the same questions.

:func:`questions_import` picks the reader by the file's content: an XLSX workbook (a zip), XML
(``<``), or CSV text.
"""

from __future__ import annotations

from typing import IO, Any

from lantoa.contests.bank_io.common import XLSX_TYPE, XML_TYPE, ImportResult, Skipped
from lantoa.contests.bank_io.moodle import MAX_BYTES, export_moodle, questions_import_moodle
from lantoa.contests.bank_io.xlsx import COLUMNS, TEMPLATE_COLUMNS, export_xlsx, questions_import_xlsx, template_xlsx
from lantoa.contests.models import QuestionBank

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "TEMPLATE_COLUMNS",
    "XLSX_TYPE",
    "XML_TYPE",
    "ImportResult",
    "Skipped",
    "export_moodle",
    "export_xlsx",
    "is_moodle_xml",
    "questions_import",
    "template_xlsx",
]


def is_moodle_xml(content: bytes) -> bool:
    return content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def questions_import(*, by: Any, bank: QuestionBank, file: IO[bytes] | bytes) -> ImportResult:
    """Import an XLSX or CSV file (one row per question) or a Moodle XML export into ``bank``."""
    content = file if isinstance(file, bytes) else file.read(MAX_BYTES + 1)
    if is_moodle_xml(content):
        return questions_import_moodle(by=by, bank=bank, file=content)
    return questions_import_xlsx(by=by, bank=bank, file=content)
