"""Charts drawn on the server: every number in the SVG reads as a number in every language."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import formats, translation

from lantoa.core.charts import bar_chart

SVG = "{http://www.w3.org/2000/svg}"
NUMERIC_ATTRIBUTES = ("x", "y", "width", "height")


def _large_chart():
    """Forty units (the chart is taller than 1,000 units) with attendances in the millions."""
    items = []
    for index in range(40):
        value = 2_500_000 + index * 137_411
        items.append((f"Đảng bộ xã {index}", float(value), formats.number_format(value, force_grouping=True)))
    return bar_chart("Attendances", items)


def _svg(html: str) -> ET.Element:
    markup = re.search(r"<svg.*</svg>", html, re.S)
    assert markup is not None
    return ET.fromstring(markup.group(0))  # noqa: S314 (markup rendered by the test itself)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_bar_chart_numbers_read_as_numbers_in_every_language(language):
    with translation.override(language):
        chart = _large_chart()
        html = render_to_string("web/partials/_bar_chart.html", {"chart": chart})
    svg = _svg(html)

    view_box = [float(part) for part in svg.attrib["viewBox"].split()]
    assert view_box == [0, 0, chart.width, chart.height]
    assert chart.height >= 1000
    for element in svg.iter():
        for name in NUMERIC_ATTRIBUTES:
            if name in element.attrib:
                assert re.fullmatch(r"\d+(\.\d)?", element.attrib[name]), (name, element.attrib[name])
    bars = svg.findall(f"{SVG}g/{SVG}rect")
    assert [float(bar.attrib["y"]) for bar in bars] == [bar.y for bar in chart.bars]
    assert float(bars[-1].attrib["y"]) >= 1000
    assert float(bars[-1].attrib["width"]) == 420.0  # the largest value spans the plot


@pytest.mark.parametrize(("language", "printed"), [("vi", "7.859.029"), ("en", "7,859,029")])
def test_bar_chart_prints_values_in_the_readers_language(language, printed):
    with translation.override(language):
        html = render_to_string("web/partials/_bar_chart.html", {"chart": _large_chart()})
    texts = [text.text for text in _svg(html).iter(f"{SVG}text")]
    assert printed in texts
