"""The dashboard's figures as the page writes them, in both languages: the same text as Django's
``intcomma`` and ``floatformat`` gave when each cell was an included template."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils import translation

from lantoa.org.rollup import Coverage
from lantoa.reports.selectors import Column, Figure
from lantoa.reports.templatetags.dashboard_figures import figure_cells, figure_change, figure_value


def figure(value, previous=None, *, rate=False) -> Figure:
    return Figure("x", value, previous, Coverage(), rate)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("value", [0, 7, 1_000, 6_808_919, -12_345, Decimal("1234.50"), Decimal("118215")])
def test_counts_are_grouped_as_intcomma_groups_them(language, value):
    with translation.override(language):
        assert figure_value(figure(value)) == intcomma(value)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("value", [Decimal("91.13"), Decimal("100"), Decimal("0.05"), 97])
def test_rates_have_one_decimal_as_floatformat_gives(language, value):
    with translation.override(language):
        assert figure_value(figure(value, rate=True)) == f"{floatformat(value, 1)} %"


def test_words_and_signs():
    with translation.override("vi"):
        assert figure_value(figure(None)).startswith('<span class="text-body-secondary" title="')
        assert figure_change(figure(1_500, 300)) == "+1.200"
        assert figure_change(figure(300, 1_500)) == "-1.200"
        assert figure_change(figure(Decimal("91.5"), Decimal("90"), rate=True)).endswith(">+1,5</span>")
        assert "—" in figure_change(figure(5, None))
    with translation.override("en"):
        assert figure_change(figure(1_500, 300)) == "+1,200"


def test_a_rows_cells_escape_the_column_and_write_each_figure():
    column = Column(code="a<b", name='Hội nghị "đã tổ chức"', measure="", rate=False, counting="items")
    with translation.override("vi"):
        html = figure_cells([(column, figure(2_688)), (column, figure(None))])
    assert html.count("<td ") == 2
    assert 'data-label="Hội nghị &quot;đã tổ chức&quot;" data-code="a&lt;b">2.688</td>' in html
    assert "—" in html
