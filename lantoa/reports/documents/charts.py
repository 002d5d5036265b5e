"""A report's bar chart drawn for paper: as reportlab vector graphics for the PDF and as a PNG
(drawn with Pillow, at print resolution) for the DOCX. Both read the same
:class:`~lantoa.core.charts.BarChart` the dashboard draws as SVG, so the page, the PDF and the
DOCX show the same bars, labels and printed values."""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from lantoa.core.charts import BarChart
from lantoa.reports.documents.fonts import serif_files

BAR_COLOUR = "#1f4e79"
TEXT_COLOUR = "#000000"
ROW_PT = 16.0  # one bar and its gap, in points
BAR_PT = 11.0
FONT_PT = 10.0
TITLE_PT = 11.0
LABEL_SHARE = 0.38  # of the width: the units' names
VALUE_SHARE = 0.14  # the printed values


def _fit(text: str, width: float, measure: Callable[[str], float]) -> str:
    """``text``, shortened with "…" until ``measure`` says it fits in ``width``."""
    if measure(text) <= width:
        return text
    while text and measure(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _fractions(chart: BarChart) -> list[float]:
    """Each bar's length as a share of the plot (the chart's own scale)."""
    return [bar.width / chart.plot_width if chart.plot_width else 0.0 for bar in chart.bars]


def height_pt(chart: BarChart) -> float:
    return TITLE_PT * 2 + ROW_PT * max(len(chart.bars), 1)


def drawing(chart: BarChart, width: float, font: str) -> Drawing:
    """The chart as reportlab vector graphics, ``width`` points wide, in ``font`` (registered)."""
    height = height_pt(chart)
    canvas = Drawing(width, height)
    canvas.add(String(0, height - TITLE_PT, chart.title, fontName=font + "-Bold", fontSize=TITLE_PT))
    label_width = width * LABEL_SHARE
    plot_width = width * (1 - LABEL_SHARE - VALUE_SHARE)
    for index, (bar, share) in enumerate(zip(chart.bars, _fractions(chart), strict=True)):
        top = height - TITLE_PT * 2 - ROW_PT * index
        y = top - BAR_PT
        label = _fit(bar.label, label_width - 8, lambda text: stringWidth(text, font, FONT_PT))
        canvas.add(String(label_width - 4, y + 2, label, fontName=font, fontSize=FONT_PT, textAnchor="end"))
        length = plot_width * share
        if length > 0:
            canvas.add(Rect(label_width, y, length, BAR_PT, fillColor=HexColor(BAR_COLOUR), strokeColor=None))
        canvas.add(String(label_width + length + 4, y + 2, bar.shown, fontName=font, fontSize=FONT_PT))
    return canvas


def png(chart: BarChart, *, width_pt: float = 450, dpi: int = 200) -> bytes:
    """The chart as a PNG, ``width_pt`` points wide at ``dpi`` (the DOCX places it at that width)."""
    scale = dpi / 72
    width, height = round(width_pt * scale), round(height_pt(chart) * scale)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    files = serif_files()
    regular = ImageFont.truetype(str(files["regular"]), round(FONT_PT * scale))
    bold = ImageFont.truetype(str(files["bold"]), round(TITLE_PT * scale))
    draw.text((0, 0), chart.title, font=bold, fill=TEXT_COLOUR)
    label_width = width * LABEL_SHARE
    plot_width = width * (1 - LABEL_SHARE - VALUE_SHARE)
    for index, (bar, share) in enumerate(zip(chart.bars, _fractions(chart), strict=True)):
        top = (TITLE_PT * 2 + ROW_PT * index) * scale
        bottom = top + BAR_PT * scale
        middle = (top + bottom) / 2
        label = _fit(bar.label, label_width - 8 * scale, regular.getlength)
        draw.text((label_width - 4 * scale, middle), label, font=regular, fill=TEXT_COLOUR, anchor="rm")
        length = plot_width * share
        if length > 0:
            draw.rectangle((label_width, top, label_width + length, bottom), fill=BAR_COLOUR)
        draw.text((label_width + length + 4 * scale, middle), bar.shown, font=regular, fill=TEXT_COLOUR, anchor="lm")
    output = io.BytesIO()
    image.save(output, format="PNG", dpi=(dpi, dpi))
    return output.getvalue()
