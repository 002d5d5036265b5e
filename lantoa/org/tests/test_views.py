from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def vi(message: str) -> str:
    """``message`` as the test users read it (they work in Vietnamese)."""
    with translation.override("vi"):
        return translation.gettext(message)


def _tree_url(**params: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse('org:tree')}?{urlencode(params)}" if params else reverse("org:tree")


def test_tree_shows_the_users_units_open_one_level(client_for, officer_a, tree):
    response = client_for(officer_a).get(_tree_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-unit="{tree.commune_a1.code}"' in html
    assert f'data-unit="{tree.cell_a1.code}"' in html  # the first level, drawn with the page
    assert reverse("org:unit_children", args=[tree.cell_a1.code]) in html  # deeper: loaded on opening
    assert tree.commune_b1.name not in html
    assert f'data-unit="{tree.district_a.code}"' not in html


def test_tree_children_are_in_vietnamese_order(client_for, admin_user, tree):
    html = client_for(admin_user).get(_tree_url()).content.decode()

    # "Bảo Yên" < "Bát Xát" < "Khối …" in Vietnamese order (byte order would put "Khối" first).
    positions = [html.index(f'data-unit="{unit.code}"') for unit in (tree.district_b, tree.district_a, tree.bloc)]
    assert positions == sorted(positions)


def test_tree_search_ignores_diacritics_and_stays_in_scope(client_for, officer_a, tree):
    client = client_for(officer_a)

    html = client.get(_tree_url(q="phin ngan")).content.decode()
    results = html[html.index('data-testid="unit-search-results"') :]
    assert tree.cell_a1.name in results

    html = client.get(_tree_url(q="luong son")).content.decode()
    results = html[html.index('data-testid="unit-search-results"') :]
    assert tree.commune_b1.name not in results


def test_tree_search_finds_a_code(client_for, admin_user, tree):
    html = client_for(admin_user).get(_tree_url(q=tree.commune_b1.code)).content.decode()

    results = html[html.index('data-testid="unit-search-results"') :]
    assert tree.commune_b1.name in results


def test_tree_as_of_a_day_before_the_units_existed_is_empty(client_for, officer_a, tree):
    html = client_for(officer_a).get(_tree_url(as_of="2019-06-01")).content.decode()

    assert 'value="2019-06-01"' in html
    assert f'data-unit="{tree.commune_a1.code}"' not in html
    assert vi("No unit in your scope on this date.") in html


def test_tree_answers_htmx_with_the_tree_body_only(client_for, officer_a, tree):
    response = client_for(officer_a).get(_tree_url(q="quang"), headers=HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="unit-search-results"' in html and 'data-testid="unit-tree"' in html


def test_children_fragment_for_htmx(client_for, admin_user, tree):
    url = reverse("org:unit_children", args=[tree.district_a.code])

    response = client_for(admin_user).get(url, {"as_of": "2024-01-01"}, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'data-unit="{tree.commune_a1.code}"' in html
    assert "as_of=2024-01-01" in html  # deeper levels keep the date


def test_children_of_a_leaf_say_so(client_for, officer_a, tree):
    response = client_for(officer_a).get(reverse("org:unit_children", args=[tree.cell_a1.code]), headers=HTMX)

    assert vi("No units below.") in response.content.decode()


def test_children_without_htmx_lead_to_the_unit_page(client_for, officer_a, tree):
    response = client_for(officer_a).get(reverse("org:unit_children", args=[tree.cell_a1.code]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:unit_detail", args=[tree.cell_a1.code]))


def test_children_of_a_unit_outside_the_scope_are_not_found(client_for, officer_a, tree):
    response = client_for(officer_a).get(reverse("org:unit_children", args=[tree.commune_b1.code]), headers=HTMX)

    assert response.status_code == 404
    assert tree.district_b.name not in response.content.decode()


def test_unit_detail_shows_the_unit_and_its_history(client_for, officer_a, tree):
    response = client_for(officer_a).get(reverse("org:unit_detail", args=[tree.commune_a1.code]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="h3 mb-0">{tree.commune_a1.name}</h1>' in html
    assert tree.cell_a1.name in html[html.index('data-testid="unit-children"') :]
    history = html[html.index('data-testid="unit-history"') :]
    assert tree.district_a.name in history  # the parent row
    assert "1/1/2020" in history  # Vietnamese date format
    assert history.count('<th scope="col">') >= 6


def test_unit_detail_links_only_ancestors_in_scope(client_for, officer_a, tree):
    html = client_for(officer_a).get(reverse("org:unit_detail", args=[tree.cell_a1.code])).content.decode()

    trail = html[html.index('data-testid="unit-trail"') :]
    trail = trail[: trail.index("</ol>")]
    assert tree.province.name in trail and tree.district_a.name in trail
    assert reverse("org:unit_detail", args=[tree.district_a.code]) not in trail
    assert reverse("org:unit_detail", args=[tree.commune_a1.code]) in trail


def test_officer_gets_the_404_page_for_another_communes_unit(client_for, officer_a, tree):
    response = client_for(officer_a).get(reverse("org:unit_detail", args=[tree.commune_b1.code]))

    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="error-page"' in html
    assert tree.commune_b1.name not in html


def test_unknown_unit_looks_like_a_unit_outside_the_scope(client_for, officer_a, tree):
    client = client_for(officer_a)

    hidden = client.get(reverse("org:unit_detail", args=[tree.commune_b1.code]))
    missing = client.get(reverse("org:unit_detail", args=["NO-SUCH-UNIT"]))

    assert hidden.status_code == missing.status_code == 404


def test_tree_needs_login(client, tree):
    response = client.get(reverse("org:tree"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- Figures on the unit page -----------------------------------------------------------------


def _file_population(unit, value, day):  # type: ignore[no-untyped-def]
    from lantoa.core.services import data_value_record, period_ensure

    period = period_ensure(kind="year", start=day.replace(month=1, day=1), end=day)
    data_value_record(by=None, indicator="population", unit=unit, period=period, value=value)


def test_figures_fragment_renders_for_an_inspector(client_for, inspector, tree):
    import datetime as dt

    _file_population(tree.commune_a1, 12345, dt.date(2022, 12, 31))
    url = reverse("org:unit_detail", args=[tree.province.code])
    params = {"start": "2022-01-01", "end": "2022-12-31", "structure": "historical"}

    response = client_for(inspector).get(url, params, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="unit-figures-table"' in html
    row = html[html.index('data-indicator="population"') :]
    row = row[: row.index("</tr>")]
    assert "12.345" in row  # Vietnamese thousands separator
    assert "<details>" in row and tree.commune_b1.code in row  # coverage: who filed nothing
    assert 'data-indicator="units_commune"' in html
    # Test-only indicators (codes "test_…", "prop_…") never reach the page.
    assert 'data-indicator="test_' not in html and 'data-indicator="prop_' not in html
    assert "2.022" not in html  # years are never grouped like numbers
    assert "31/12/2022" in html


def _figure_cell(html: str, indicator: str) -> str:
    """The value cell of ``indicator``'s row in the figures table."""
    row = html[html.index(f'data-indicator="{indicator}"') :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'<td class="text-end text-nowrap">(.*?)</td>', row, re.S)
    assert len(cells) == 1, row
    return cells[0].strip()


@pytest.mark.parametrize("htmx", [True, False], ids=["fragment", "page"])
def test_a_figure_nobody_filed_is_a_dash_never_zero(client_for, inspector, tree, htmx):
    import datetime as dt

    url = reverse("org:unit_detail", args=[tree.district_b.code])
    params = {"start": "2023-01-01", "end": "2023-12-31", "structure": "historical"}
    client = client_for(inspector)

    def population() -> str:
        response = client.get(url, params, headers=HTMX if htmx else {})
        assert response.status_code == 200
        return _figure_cell(response.content.decode(), "population")

    empty = population()
    assert empty == f'<span title="{vi("No value")}">—</span>'
    assert vi("No value") == "Chưa có số liệu"
    assert not re.search(r"\d", empty)  # no data is not 0
    _file_population(tree.commune_b1, 4321, dt.date(2023, 12, 31))
    filed = population()
    assert filed == "4.321" and "—" not in filed


def test_a_figure_filed_as_zero_is_zero_not_a_dash(client_for, inspector, tree):
    import datetime as dt

    _file_population(tree.commune_b1, 0, dt.date(2023, 12, 31))
    url = reverse("org:unit_detail", args=[tree.district_b.code])
    params = {"start": "2023-01-01", "end": "2023-12-31", "structure": "historical"}

    html = client_for(inspector).get(url, params, headers=HTMX).content.decode()

    assert _figure_cell(html, "population") == "0"


def test_unit_page_shows_figures_with_the_period_form(client_for, inspector, tree):
    html = client_for(inspector).get(reverse("org:unit_detail", args=[tree.district_a.code])).content.decode()

    figures = html[html.index('data-testid="unit-figures"') :]
    assert 'hx-get="' in figures and 'hx-target="#unit-figures"' in figures
    assert 'for="id_start"' in figures and 'for="id_structure"' in figures
    assert 'data-testid="unit-figures-table"' in figures
    assert 'data-testid="restructure-link"' not in html  # inspectors read, they do not restructure


def test_figures_in_the_tree_as_of_a_date_need_the_date(client_for, inspector, tree):
    url = reverse("org:unit_detail", args=[tree.province.code])

    response = client_for(inspector).get(url, {"structure": "as_of", "start": "2024-01-01"}, headers=HTMX)

    html = response.content.decode()
    assert 'data-testid="figures-errors"' in html and 'data-testid="unit-figures-table"' not in html
    ok = client_for(inspector).get(url, {"structure": "as_of", "structure_on": "2024-06-01"}, headers=HTMX)
    assert 'data-testid="unit-figures-table"' in ok.content.decode()


def test_figures_fragment_is_not_found_outside_the_scope(client_for, officer_a, tree):
    url = reverse("org:unit_detail", args=[tree.commune_b1.code])

    assert client_for(officer_a).get(url, headers=HTMX).status_code == 404


def test_unit_page_offers_restructuring_to_managers(client_for, admin_user, tree):
    html = client_for(admin_user).get(reverse("org:unit_detail", args=[tree.commune_a1.code])).content.decode()

    assert reverse("org:restructure", args=[tree.commune_a1.code]) in html
    assert reverse("org:tree_export", args=[tree.commune_a1.code]) in html
    assert 'data-testid="unit-events"' in html and 'data-testid="unit-predecessors"' in html


def test_tree_shows_names_as_they_were_on_the_chosen_day(client_for, admin_user, tree):
    import datetime as dt

    from lantoa.org.services import unit_rename

    unit_rename(by=None, unit=tree.district_a, name="Đảng bộ xã Bát Xát mới", on=dt.date(2025, 7, 1))
    client = client_for(admin_user)
    before = client.get("/org/", {"as_of": "2024-01-01"}).content.decode()
    after = client.get("/org/", {"as_of": "2025-08-01"}).content.decode()
    assert "Đảng bộ huyện Bát Xát" in before and "Bát Xát mới" not in before
    assert "Đảng bộ xã Bát Xát mới" in after
