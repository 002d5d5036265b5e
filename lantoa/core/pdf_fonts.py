"""The serif font embedded in PDFs and charts: Liberation Serif, metric-compatible with Times New
Roman. Version 2 (Debian ``fonts-liberation2``, installed beside ``fonts-liberation``) has the
Vietnamese letters with two marks (ậ, ề, ữ…); version 1 (``fonts-liberation``) lacks them and
would print boxes, so version 2 is looked for first and version 1 only as a last resort.

:func:`register_serif` registers the four styles with reportlab once, as one family, for every
app that draws a PDF (the reports' documents, the judged contests' certificates)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from lantoa.core.errors import ApplicationError

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
STYLES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}
SERIF = "LantoaSerif"
"""The family's name in reportlab; its styles are ``SERIF + "-Bold"``, ``"-Italic"``, ``"-BoldItalic"``."""


class FontMissing(ApplicationError):
    code = "font_missing"
    status = 503


@cache
def serif_files() -> dict[str, Path]:
    """The four Liberation Serif files, by style; a clear error naming the package when absent."""
    for folder in FONT_DIRS:
        files = {style: folder / name for style, name in STYLES.items()}
        if all(path.is_file() for path in files.values()):
            return files
    raise FontMissing(_("The Liberation Serif font is not installed: install the Debian package fonts-liberation2."))


def register_serif() -> str:
    """Register Liberation Serif (regular, bold, italic, bold italic) with reportlab as the family
    :data:`SERIF`, once per process; returns the family's name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if SERIF in pdfmetrics.getRegisteredFontNames():
        return SERIF
    files = serif_files()
    for style, suffix in (("regular", ""), ("bold", "-Bold"), ("italic", "-Italic"), ("bolditalic", "-BoldItalic")):
        pdfmetrics.registerFont(TTFont(SERIF + suffix, str(files[style])))
    pdfmetrics.registerFontFamily(
        SERIF, normal=SERIF, bold=SERIF + "-Bold", italic=SERIF + "-Italic", boldItalic=SERIF + "-BoldItalic"
    )
    return SERIF
