"""The unit's dashboard: the same figures as the rollup, no data as "—", the previous period,
siblings, drill-down, scope, and the home page it has become."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from lantoa.accounts.tests.factories import make_user
from lantoa.core.charts import bar_chart, stacked
from lantoa.org.rollup import rollup
from lantoa.reports.selectors import MAIN_CODES, Period, main_columns, unit_dashboard
from lantoa.reports.tests.conftest import PERIOD, PREVIOUS

pytestmark = pytest.mark.django_db

QUERY = {"start": PERIOD[0], "end": PERIOD[1]}


def _period() -> Period:
    return Period(dt.date.fromisoformat(PERIOD[0]), dt.date.fromisoformat(PERIOD[1]))


def test_the_previous_period_has_the_same_length_and_ends_the_day_before():
    period = _period()
    previous = period.previous()
    assert (previous.start, previous.end) == PREVIOUS
    assert previous.days == period.days


def test_only_registered_main_indicators_are_read():
    codes = [column.code for column in main_columns()]
    assert codes == [code for code in MAIN_CODES if code in codes]
    assert {"conferences_held", "conference_attendances", "outreach_teams", "qr_reads"} <= set(codes)


@pytest.mark.parametrize("structure", ["historical", "current"])
def test_every_figure_equals_the_rollup(figures, admin_user, structure):
    tree = figures
    period = _period()
    board = unit_dashboard(by=admin_user, unit=tree.district_a, period=period, structure=structure)
    codes = [column.code for column in board.columns]
    units = [tree.district_a, tree.district_b, tree.bloc, tree.commune_a1]
    table = rollup(units=units, periods=[period.pair, PREVIOUS], codes=codes, structure=structure)

    rows = {row.unit.code: row for row in [board.total, *board.siblings, *board.children]}
    assert set(rows) == {unit.code for unit in units}
    for unit in units:
        for code in codes:
            figure = rows[unit.code].figures[code]
            assert figure.value == table.value(unit, period.pair, code), (unit.code, code)
            assert figure.previous == table.value(unit, PREVIOUS, code), (unit.code, code)
    total = board.total.figures
    # District A: its own conference; attendance at its own site and at commune A1's, twice.
    assert total["conferences_held"].value == 1
    assert total["conference_attendances"].value == 12_500 + 1_234 * 2
    assert total["conference_attendances"].previous == 300
    assert total["conference_attendances"].change == 12_500 + 1_234 * 2 - 300


def test_the_page_shows_the_figures_the_previous_period_and_the_change(client_for, figures, admin_user):
    tree = figures
    response = client_for(admin_user).get(reverse("reports:dashboard"), {"unit": tree.province.code, **QUERY})

    assert response.status_code == 200
    board = response.context["board"]
    assert board.total.figures["conference_attendances"].value == 12_500 * 3 + 1_234 * 2
    html = response.content.decode()
    row = html[html.index('data-code="conference_attendances"') :]
    row = row[: row.index("</tr>")]
    assert "39.968" in row  # 37,500 + 2,468, as Vietnamese writes it
    assert "600" in row  # the previous period: 300 at each of two sites
    assert "+39.368" in row


def test_no_data_is_a_dash_with_a_title_never_zero(client_for, figures, admin_user):
    tree = figures
    response = client_for(admin_user).get(reverse("reports:dashboard"), {"unit": tree.province.code, **QUERY})

    # Nobody reported how many were summoned: the rate has no denominator.
    assert response.context["board"].total.figures["member_attendance_rate"].value is None
    html = response.content.decode()
    row = html[html.index('data-testid="indicator-row" data-code="member_attendance_rate"') :]
    row = row[: row.index("</tr>")]
    assert "—" in row and 'title="' in row
    value = row[row.index('data-testid="indicator-value"') :]
    value = value[: value.index("</td>")]
    assert ">0<" not in value and "—" in value


def test_coverage_names_the_units_without_data_and_links_to_them(client_for, figures, admin_user):
    tree = figures
    response = client_for(admin_user).get(reverse("reports:dashboard"), {"unit": tree.province.code, **QUERY})

    figure = response.context["board"].total.figures["conference_attendances"]
    assert not figure.coverage.complete and figure.coverage.missing_count >= 1
    named = {missing.code: missing.name for missing in figure.missing}
    assert named and set(named) <= set(figure.coverage.missing_units)
    html = response.content.decode()
    code, name = next(iter(named.items()))
    assert f"?unit={code}&amp;start={PERIOD[0]}" in html and name in html


def test_siblings_are_the_other_children_of_the_parent(client_for, figures, admin_user):
    tree = figures
    response = client_for(admin_user).get(reverse("reports:dashboard"), {"unit": tree.district_a.code, **QUERY})

    board = response.context["board"]
    assert board.parent == tree.province
    assert [row.unit.code for row in board.siblings] == sorted(
        [tree.district_b.code, tree.bloc.code],
        key=lambda code: next(r.name for r in board.siblings if r.unit.code == code),
    )
    html = response.content.decode()
    assert 'data-testid="dashboard-siblings"' in html
    sibling_b = board.siblings[[row.unit for row in board.siblings].index(tree.district_b)]
    assert sibling_b.figures["conference_attendances"].value == 12_500


def test_siblings_out_of_the_users_scope_are_not_shown(client_for, figures):
    tree = figures
    manager = make_user(role="manager", unit=tree.district_a, username="manager_a")
    board = unit_dashboard(by=manager, unit=tree.district_a, period=_period())

    assert board.siblings == []


def test_each_child_links_to_its_own_dashboard(client_for, figures, admin_user):
    tree = figures
    client = client_for(admin_user)
    response = client.get(reverse("reports:dashboard"), {"unit": tree.province.code, **QUERY, "structure": "current"})

    html = response.content.decode()
    children = {row.unit.code for row in response.context["board"].children}
    assert {tree.district_a.code, tree.district_b.code, tree.bloc.code} <= children
    link = f'href="/?unit={tree.district_a.code}&amp;start={PERIOD[0]}&amp;end={PERIOD[1]}&amp;structure=current"'
    assert link in html
    child = client.get("/", {"unit": tree.district_a.code, **QUERY, "structure": "current"})
    assert child.status_code == 200 and child.context["board"].unit == tree.district_a


def test_a_chart_per_indicator_over_the_children(client_for, figures, admin_user):
    tree = figures
    response = client_for(admin_user).get(reverse("reports:dashboard"), {"unit": tree.province.code, **QUERY})

    charts = {column.code: chart for column, chart, _count in response.context["charts"]}
    chart = charts["conference_attendances"]
    assert {bar.label for bar in chart.bars} == {tree.district_a.name, tree.district_b.name, tree.bloc.name}
    assert "member_attendance_rate" not in charts  # no child has data for it
    html = response.content.decode()
    assert html.count('data-testid="bar-chart"') == len(charts)
    assert 'width="80%"' in html  # the largest bar, as a share of the chart's width


@pytest.mark.parametrize("language", ["vi", "en"])
def test_charts_write_large_numbers_without_grouping_and_long_names_whole(client_for, figures, admin_user, language):
    name = "Đảng bộ xã Nậm Chày, huyện Văn Bàn, tỉnh Lào Cai (trước sắp xếp năm 2025)"
    with translation.override(language):
        chart = stacked(bar_chart("t", [(name, 1_930_000.0, "1.930.000"), ("B", 2_772.0, "2.772")]))
    long, short = chart.bars
    assert long.svg_width == "80%" and short.svg_width == "0.1%"
    assert long.svg_value_y == "31" and short.svg_label_y == "54"
    assert chart.svg_height == "80"
    response = client_for(admin_user).get(
        reverse("reports:dashboard"), {"unit": figures.province.code, **QUERY}, HTTP_ACCEPT_LANGUAGE=language
    )
    svg = response.content.decode()
    svg = svg[svg.index("<svg") : svg.rindex("</svg>")]
    numbers = re.findall(r'(?:width|height|x|y)="([^"]+)"', svg)
    assert all(re.fullmatch(r"[0-9.]+%?", number) for number in numbers), numbers


def test_a_unit_out_of_scope_answers_like_a_missing_one(client_for, figures, officer_a):
    tree = figures
    client = client_for(officer_a)

    hidden = client.get(reverse("reports:dashboard"), {"unit": tree.commune_b1.code, **QUERY})
    missing = client.get(reverse("reports:dashboard"), {"unit": "NO-SUCH-UNIT", **QUERY})

    assert hidden.status_code == missing.status_code == 404
    assert tree.commune_b1.name not in hidden.content.decode()


def test_the_home_page_is_the_current_units_dashboard_with_my_work_first(client_for, figures, officer_a):
    tree = figures
    response = client_for(officer_a).get(reverse("web:home"))

    assert response.status_code == 200
    assert response.context["board"].unit == tree.commune_a1
    html = response.content.decode()
    assert html.index('id="my-work-heading"') < html.index('data-testid="dashboard-indicators"')


def test_a_user_without_a_unit_sees_only_what_waits(client_for, tree):
    from lantoa.accounts.models import User

    user = User.objects.create_user(username="nobody", password="x" * 20)
    response = client_for(user).get(reverse("web:home"))

    assert response.status_code == 200
    assert response.context["board"] is None
    assert "dashboard-indicators" not in response.content.decode()


def test_the_form_answers_htmx_with_the_results_only(client_for, figures, admin_user):
    response = client_for(admin_user).get(
        reverse("reports:dashboard"), {"unit": figures.province.code, **QUERY}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.startswith('<div id="dashboard-results"') and "<html" not in html


def test_a_period_that_ends_before_it_starts_falls_back_to_this_year(client_for, figures, admin_user):
    response = client_for(admin_user).get(
        reverse("reports:dashboard"), {"unit": figures.province.code, "start": "2022-06-01", "end": "2022-01-01"}
    )

    assert response.status_code == 200
    assert response.context["period"].start.month == 1 and response.context["period"].start.day == 1
    assert "dashboard-end-error" in response.content.decode()


def test_dates_out_of_the_years_kept_fall_back_to_this_year(client_for, figures, admin_user):
    response = client_for(admin_user).get(
        reverse("reports:dashboard"), {"unit": figures.province.code, "start": "0001-01-01", "end": "9999-12-31"}
    )

    assert response.status_code == 200
    assert response.context["period"].start.year == response.context["period"].end.year
