import datetime as dt
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lantoa.org import selectors, vn_reorganise, vn_units
from lantoa.org.models import Unit, UnitArea
from lantoa.org.services import unit_rename

pytestmark = pytest.mark.django_db


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import_vn_units", *args, stdout=out)
    return out.getvalue()


def tier_counts(units) -> dict[str, int]:
    counts: dict[str, int] = {}
    for unit in units:
        counts[unit.kind.tier.code] = counts.get(unit.kind.tier.code, 0) + 1
    return counts


@pytest.fixture(scope="module")
def provinces() -> list[vn_units.AdminArea]:
    return vn_units.load_legacy_provinces()


def test_snapshot_has_63_provinces_and_lao_cai_has_9_districts_and_151_communes(provinces):
    assert len(provinces) == 63
    [lao_cai] = vn_units.find_provinces(["Lào Cai"], provinces)
    assert lao_cai.code == "VN10"
    assert len(lao_cai.children) == 9
    assert sum(len(district.children) for district in lao_cai.children) == 151


@pytest.mark.parametrize("name", ["Lào Cai", "lao cai", "LÀO CAI", "Tỉnh Lào Cai", "tinh lao cai", "10"])
def test_province_names_match_ignoring_diacritics_case_and_prefix(provinces, name):
    assert [p.code for p in vn_units.find_provinces([name], provinces)] == ["VN10"]


def test_centrally_run_cities_match_with_or_without_their_prefix(provinces):
    found = vn_units.find_provinces(["Thành phố Hà Nội", "ha noi", "Đà Nẵng"], provinces)
    assert [p.code for p in found] == ["VN01", "VN48"]  # Hà Nội once, though asked twice
    assert found[0].committee_name == "Đảng bộ thành phố Hà Nội"


def test_unknown_province_names_close_matches(provinces):
    with pytest.raises(vn_units.UnknownProvince) as error:
        vn_units.find_provinces(["Lao Kai"], provinces)
    assert "Lào Cai" in error.value.extra["suggestions"]


@pytest.mark.parametrize("heavy", ["numpy", "shapely", "geopy"])
def test_the_snapshot_is_read_without_the_packages_heavy_dependencies(monkeypatch, heavy):
    # The locks install the dataset package without its dependencies: importing it must not be needed.
    for name in [n for n in sys.modules if n == "vietnamadminunits" or n.startswith("vietnamadminunits.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, heavy, None)  # any import of it now fails
    assert len(vn_units.load_legacy_provinces()) == 63
    assert vn_reorganise.converter_path().is_file()


def test_a_missing_dataset_is_said_plainly(monkeypatch):
    monkeypatch.setattr(vn_units.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(vn_units.DatasetMissing) as error:
        vn_units.dataset_path()
    assert "requirements-data.txt" in error.value.message
    with pytest.raises(CommandError, match=r"requirements-data\.txt"):
        run_import("--province", "Lào Cai")


def test_import_lao_cai_on_an_empty_database():
    output = run_import("--province", "Lào Cai")

    province = Unit.objects.get(code="VN10")
    assert province.name == "Đảng bộ tỉnh Lào Cai"
    assert province.kind.code == "provincial_committee"
    assert selectors.unit_parent(province) is None
    subtree = list(selectors.unit_subtree(province, as_of=vn_units.BASELINE))
    assert tier_counts(subtree) == {"province": 1, "district": 9, "commune": 151}
    assert len(selectors.unit_subtree(province)) == 161  # still so today
    assert selectors.unit_children(province).count() == 9
    assert UnitArea.objects.filter(unit__in=subtree, valid_from=vn_units.BASELINE).count() == 161
    assert "commune         151" in output


@pytest.mark.parametrize(
    ("code", "name", "kind", "parent_code", "level", "official_code", "area_name"),
    [
        ("VN10", "Đảng bộ tỉnh Lào Cai", "provincial_committee", None, "province", "10", "Tỉnh Lào Cai"),
        ("VN10-082", "Đảng bộ huyện Bát Xát", "district_committee", "VN10", "district", "082", "Huyện Bát Xát"),
        ("VN10-080", "Đảng bộ thành phố Lào Cai", "city_committee", "VN10", "district", "080", "Thành phố Lào Cai"),
        ("VN10-088", "Đảng bộ thị xã Sa Pa", "town_committee", "VN10", "district", "088", "Thị xã Sa Pa"),
        (
            "VN10-080-02635",
            "Đảng bộ phường Duyên Hải",
            "ward_committee",
            "VN10-080",
            "commune",
            "02635",
            "Phường Duyên Hải",
        ),
    ],
)
def test_imported_units_have_their_kind_parent_and_area(code, name, kind, parent_code, level, official_code, area_name):
    vn_units.import_provinces_named(["Lào Cai"])

    unit = Unit.objects.get(code=code)
    assert (unit.name, unit.kind.code, unit.opened_on) == (name, kind, vn_units.BASELINE)
    parent = selectors.unit_parent(unit)
    assert (parent.code if parent else None) == parent_code
    area = selectors.unit_area(unit)
    assert (area.level, area.official_code, area.area_name) == (level, official_code, area_name)


def test_every_commune_sits_under_its_district():
    vn_units.import_provinces_named(["Lào Cai"])

    for district in selectors.unit_children(Unit.objects.get(code="VN10")):
        communes = selectors.unit_children(district)
        assert communes.exists()
        assert all(commune.code.startswith(district.code + "-") for commune in communes)
        assert {commune.kind.tier.code for commune in communes} == {"commune"}


def test_running_again_creates_nothing():
    run_import("--province", "Lào Cai")
    units, areas = Unit.objects.count(), UnitArea.objects.count()

    output = run_import("--province", "lao cai", "--province", "10")

    assert (Unit.objects.count(), UnitArea.objects.count()) == (units, areas)
    assert Unit.objects.filter(kind__code="provincial_committee").count() == 1
    assert "commune           0        151        0" in output


def test_running_again_restores_a_changed_name_from_today():
    vn_units.import_provinces_named(["Lào Cai"])
    bat_xat = Unit.objects.get(code="VN10-082")
    unit_rename(by=None, unit=bat_xat, name="Huyện ủy Bát Xát", on=dt.date(2021, 1, 1))

    summary = vn_units.import_provinces_named(["Lào Cai"])

    bat_xat.refresh_from_db()
    assert bat_xat.name == "Đảng bộ huyện Bát Xát"
    assert summary.tiers["district"].renamed == 1
    assert summary.created == 0
    assert selectors.unit_names(bat_xat).last().valid_from == selectors.today()


def test_urban_districts_and_districts_without_communes():
    vn_units.import_provinces_named(["Đà Nẵng"])

    hai_chau = Unit.objects.get(code="VN48-492")
    assert (hai_chau.name, hai_chau.kind.code) == ("Đảng bộ quận Hải Châu", "urban_district_committee")
    hoang_sa = Unit.objects.get(code="VN48-498")  # an island district with no communes in the snapshot
    assert not selectors.unit_children(hoang_sa).exists()


def test_unknown_province_is_a_command_error_with_suggestions():
    with pytest.raises(CommandError, match="Lào Cai"):
        run_import("--province", "Lao Kai")
    assert not Unit.objects.exists()


def test_province_or_all_is_required():
    with pytest.raises(CommandError):
        run_import()
