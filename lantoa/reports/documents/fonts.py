"""The serif font of the reports' documents: Liberation Serif, found and registered by
:mod:`lantoa.core.pdf_fonts` (shared with the other apps that draw PDFs)."""

from __future__ import annotations

from lantoa.core.pdf_fonts import FONT_DIRS, STYLES, FontMissing, serif_files

__all__ = ["FONT_DIRS", "STYLES", "FontMissing", "serif_files"]
