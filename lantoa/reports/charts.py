"""The dashboard's bar charts: core's geometry (:func:`lantoa.core.charts.bar_chart`), drawn
with each unit's name on its own line above its bar.

A dashboard names units in full ("Đảng bộ xã Bản Xèo, huyện Bát Xát") and is read on phones.
Drawn side by side in a fixed viewBox (``web/partials/_bar_chart.html``), the names are cut and
the text shrinks with the screen; here the SVG has no viewBox: its text is in CSS pixels at any
width, each bar's length is a percentage of the chart's width (core's bar width over its plot
width, scaled to :data:`PLOT_SHARE` so the printed value fits after the longest bar), and the
value follows its bar. Numbers in SVG attributes are written by :func:`svg_number` (no locale
grouping).
"""

from __future__ import annotations

from dataclasses import dataclass

from lantoa.core.charts import PLOT_WIDTH, BarChart, svg_number

ROW = 40  # px per unit: its name, then its bar
LABEL_BASELINE = 14
BAR_TOP = 19
BAR_HEIGHT = 14
VALUE_BASELINE = 31
PLOT_SHARE = 80  # the longest bar, in percent of the chart's width
LABEL_CHARS = 60  # longer names are shortened on the line (the bar's title keeps them whole)


@dataclass(frozen=True)
class StackedBar:
    label: str
    shown: str
    svg_label_y: str
    svg_bar_y: str
    svg_value_y: str
    svg_width: str  # a percentage, "0%" … "80%"
    svg_value_x: str  # where the value starts: just after the bar


@dataclass(frozen=True)
class StackedChart:
    title: str
    bars: list[StackedBar]
    svg_height: str
    svg_bar_height: str = svg_number(BAR_HEIGHT)
    label_chars: int = LABEL_CHARS


def stacked(chart: BarChart) -> StackedChart:
    bars = []
    for index, bar in enumerate(chart.bars):
        top = index * ROW
        share = PLOT_SHARE * bar.width / PLOT_WIDTH
        bars.append(
            StackedBar(
                label=bar.label,
                shown=bar.shown,
                svg_label_y=svg_number(top + LABEL_BASELINE),
                svg_bar_y=svg_number(top + BAR_TOP),
                svg_value_y=svg_number(top + VALUE_BASELINE),
                svg_width=f"{svg_number(share)}%",
                svg_value_x=f"{svg_number(share)}%",
            )
        )
    return StackedChart(title=chart.title, bars=bars, svg_height=svg_number(max(len(bars), 1) * ROW))
