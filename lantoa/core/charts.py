"""Charts drawn on the server as SVG: they need no script, print well and pass the strict CSP.

A template gets a :class:`BarChart` and draws its bars with ``<rect>`` elements whose sizes are
computed here (see ``web/partials/_bar_chart.html``). Every number that goes into an SVG
attribute is written here as a plain string (:func:`svg_number`): the page's locale would
otherwise add its thousand separator ("2.772" in Vietnamese, "2,772" in English), which SVG
reads as another number or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 22
BAR_GAP = 6
LABEL_WIDTH = 260
PLOT_WIDTH = 420
VALUE_WIDTH = 90
# Where a bar's text sits: its baseline below the bar's top, and the label's gap before the plot.
TEXT_BASELINE = 15
LABEL_GAP = 8
VALUE_GAP = 6


def svg_number(value: float) -> str:
    """A coordinate or length as SVG reads it: ASCII digits, a dot for decimals, no grouping,
    at most one decimal (``2772``, ``12.5``)."""
    text = f"{float(value):.1f}"
    return text.removesuffix(".0")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the chart prints it (localised by the caller: it is text, not a coordinate)
    y: int
    width: float  # in SVG units, 0…PLOT_WIDTH

    @property
    def svg_y(self) -> str:
        return svg_number(self.y)

    @property
    def svg_text_y(self) -> str:
        return svg_number(self.y + TEXT_BASELINE)

    @property
    def svg_width(self) -> str:
        return svg_number(self.width)


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH
    value_width: int = VALUE_WIDTH

    @property
    def width(self) -> int:
        return self.label_width + self.plot_width + self.value_width

    @property
    def value_x(self) -> int:
        return self.label_width + self.plot_width + VALUE_GAP

    @property
    def svg_view_box(self) -> str:
        return f"0 0 {svg_number(self.width)} {svg_number(self.height)}"

    @property
    def svg_label_x(self) -> str:
        return svg_number(self.label_width - LABEL_GAP)

    @property
    def svg_plot_x(self) -> str:
        return svg_number(self.label_width)

    @property
    def svg_value_x(self) -> str:
        return svg_number(self.value_x)

    @property
    def svg_bar_height(self) -> str:
        return svg_number(BAR_HEIGHT)


def bar_chart(title: str, items: list[tuple[str, float, str]], *, maximum: float | None = None) -> BarChart:
    """Horizontal bars for (label, value, printed value); ``maximum`` fixes the scale (100 for %)."""
    top = maximum if maximum is not None else max((value for _label, value, _shown in items), default=0)
    bars = []
    for index, (label, value, shown) in enumerate(items):
        width = PLOT_WIDTH * value / top if top else 0
        bars.append(Bar(label=label, value=value, shown=shown, y=index * (BAR_HEIGHT + BAR_GAP), width=round(width, 1)))
    return BarChart(title=title, bars=bars, height=max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT))


# Names above their bars: for charts read on phones, whose units have long names ("Đảng bộ xã
# Bản Xèo, huyện Bát Xát"). Drawn side by side in a fixed viewBox (above), long names are cut
# and the text shrinks with the screen; this layout has no viewBox: its text is in CSS pixels at
# any width, each bar's length is a percentage of the chart's width (the bar's width over the
# plot width, scaled to PLOT_SHARE so the printed value fits after the longest bar), and the
# value follows its bar. Drawn by web/partials/_stacked_bar_chart.html.
STACKED_ROW = 40  # px per unit: its name, then its bar
STACKED_LABEL_BASELINE = 14
STACKED_BAR_TOP = 19
STACKED_BAR_HEIGHT = 14
STACKED_VALUE_BASELINE = 31
PLOT_SHARE = 80  # the longest bar, in percent of the chart's width
STACKED_LABEL_CHARS = 60  # longer names are shortened on the line (the bar's title keeps them whole)


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
    svg_bar_height: str = svg_number(STACKED_BAR_HEIGHT)
    label_chars: int = STACKED_LABEL_CHARS


def stacked(chart: BarChart) -> StackedChart:
    """The same bars, each name on its own line above its bar."""
    bars = []
    for index, bar in enumerate(chart.bars):
        top = index * STACKED_ROW
        share = PLOT_SHARE * bar.width / PLOT_WIDTH
        bars.append(
            StackedBar(
                label=bar.label,
                shown=bar.shown,
                svg_label_y=svg_number(top + STACKED_LABEL_BASELINE),
                svg_bar_y=svg_number(top + STACKED_BAR_TOP),
                svg_value_y=svg_number(top + STACKED_VALUE_BASELINE),
                svg_width=f"{svg_number(share)}%",
                svg_value_x=f"{svg_number(share)}%",
            )
        )
    return StackedChart(title=chart.title, bars=bars, svg_height=svg_number(max(len(bars), 1) * STACKED_ROW))
