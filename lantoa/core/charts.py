"""Charts drawn on the server as SVG: they need no script, print well and pass the strict CSP.

A template gets a :class:`BarChart` and draws its bars with ``<rect>`` elements whose sizes are
computed here (see ``web/partials/_bar_chart.html``).
"""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 22
BAR_GAP = 6
LABEL_WIDTH = 260
PLOT_WIDTH = 420
VALUE_WIDTH = 90


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the chart prints it
    y: int
    width: float  # in SVG units, 0…PLOT_WIDTH


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
        return self.label_width + self.plot_width + 6


def bar_chart(title: str, items: list[tuple[str, float, str]], *, maximum: float | None = None) -> BarChart:
    """Horizontal bars for (label, value, printed value); ``maximum`` fixes the scale (100 for %)."""
    top = maximum if maximum is not None else max((value for _label, value, _shown in items), default=0)
    bars = []
    for index, (label, value, shown) in enumerate(items):
        width = PLOT_WIDTH * value / top if top else 0
        bars.append(Bar(label=label, value=value, shown=shown, y=index * (BAR_HEIGHT + BAR_GAP), width=round(width, 1)))
    return BarChart(title=title, bars=bars, height=max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT))
