"""Liberation Serif registered with reportlab once, as one family, for every app's PDFs."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from lantoa.core.pdf_fonts import SERIF, register_serif, serif_files


def test_the_four_styles_are_registered_once_under_one_family():
    assert set(serif_files()) == {"regular", "bold", "italic", "bolditalic"}
    assert register_serif() == SERIF
    assert register_serif() == SERIF
    names = pdfmetrics.getRegisteredFontNames()
    for suffix in ("", "-Bold", "-Italic", "-BoldItalic"):
        assert names.count(SERIF + suffix) == 1
    assert pdfmetrics.getFont(SERIF).face.name  # a TrueType face, embedded when drawn
