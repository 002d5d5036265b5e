"""Reading the numbers a page writes into its server-drawn SVG charts."""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d+(\.\d+)?")
GROUPED = re.compile(r"\d{1,3}([.,]\d{3})+")
NUMERIC_ATTRIBUTES = ("x", "y", "width", "height")


def svg_numbers(html: str) -> list[str]:
    """Every number written into an attribute of the page's ``<svg>`` elements and of what they
    hold: each viewBox's four, then x, y, width and height."""
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert svgs, "the page draws no SVG"
    numbers: list[str] = []
    for svg in svgs:
        for tag in re.findall(r"<[a-zA-Z]+\b[^>]*>", svg):
            view_box = re.search(r'\sviewBox="([^"]*)"', tag)
            if view_box:
                numbers += view_box.group(1).split()
            for name in NUMERIC_ATTRIBUTES:
                numbers += re.findall(rf'\s{name}="([^"]*)"', tag)
    return numbers


def assert_plain_svg_numbers(html: str) -> list[str]:
    """Every SVG number of the page is ASCII digits with at most a dot for decimals, never
    grouped by a locale ("2.772", "2,772"): SVG would read another number or none. Returns the
    numbers for further checks."""
    numbers = svg_numbers(html)
    for number in numbers:
        assert NUMBER.fullmatch(number), number
        assert not GROUPED.fullmatch(number), number
    return numbers
