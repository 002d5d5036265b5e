import copy
import datetime as dt
import sqlite3
from contextlib import closing
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from lantoa.org import selectors, vn_reorganise, vn_units
from lantoa.org.models import RestructuringEvent, Succession, Unit, UnitArea

pytestmark = pytest.mark.django_db

MERGED = dt.date(2025, 6, 12)
ARRANGED = dt.date(2025, 7, 1)
BEFORE = dt.date(2022, 7, 1)


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import_vn_units", *args, stdout=out)
    return out.getvalue()


def new_lao_cai_communes() -> int:
    with closing(sqlite3.connect(f"file:{vn_units.dataset_path()}?mode=ro", uri=True)) as connection:
        [(count,)] = connection.execute("SELECT count(*) FROM admin_units WHERE provinceKey = 'tinhlaocai'").fetchall()
    return count


def tiers(units) -> dict[str, int]:
    counts: dict[str, int] = {}
    for unit in units:
        counts[unit.kind.tier.code] = counts.get(unit.kind.tier.code, 0) + 1
    return counts


def predecessors(code: str) -> set[str]:
    return set(Succession.objects.filter(successor__code=code).values_list("predecessor__code", flat=True))


@pytest.fixture
def output() -> str:
    return run_import("--province", "Lào Cai", "--province", "Yên Bái", "--reorganise-2025")


def test_the_new_lao_cai_has_its_communes_directly_under_the_province(output):
    province = Unit.objects.get(code="VN10")
    children = list(selectors.unit_children(province, as_of=ARRANGED))
    assert "district" not in tiers(children)
    assert tiers(children)["commune"] == new_lao_cai_communes() == 99
    assert tiers(selectors.unit_subtree(province, as_of=ARRANGED)) == {"province": 1, "commune": 99}
    # The province keeps its code and takes the new official one (Yên Bái's old code).
    assert selectors.unit_area(province, as_of=ARRANGED).official_code == "15"
    assert selectors.unit_area(province, as_of=BEFORE).official_code == "10"
    assert "Everything in the mapping was matched." in output


def test_yen_bai_closes_into_lao_cai_and_history_is_unchanged(output):
    yen_bai = Unit.objects.get(code="VN15")
    assert yen_bai.closed_on == MERGED
    [succession] = Succession.objects.filter(predecessor=yen_bai)
    assert succession.successor.code == "VN10"
    assert succession.event.kind == "merge"
    assert succession.event.legal_basis == "Nghị quyết 202/2025/QH15"
    # Between the two dates Yên Bái's districts sit under Lào Cai.
    assert tiers(selectors.unit_children(Unit.objects.get(code="VN10"), as_of=MERGED)) == {"district": 18}

    province = Unit.objects.get(code="VN10")
    assert tiers(selectors.unit_subtree(province, as_of=BEFORE)) == {"province": 1, "district": 9, "commune": 151}
    assert selectors.unit_children(province, as_of=BEFORE).count() == 9
    assert tiers(selectors.unit_subtree(yen_bai, as_of=BEFORE)) == {"province": 1, "district": 9, "commune": 168}


def test_successions_follow_the_mapping(output):
    # Phường Lào Cai (02647, the code of the old Phường Kim Tân) = 4 wards of the city + Vạn Hòa + Bản Phiệt.
    ward = Unit.objects.get(code="VN10-25-02647")
    assert ward.name == "Đảng bộ phường Lào Cai"
    assert ward.kind.code == "ward_committee"
    assert selectors.unit_parent(ward, as_of=ARRANGED).code == "VN10"
    area = selectors.unit_area(ward, as_of=ARRANGED)
    assert (area.official_code, area.area_name, area.level) == ("02647", "Phường Lào Cai", UnitArea.Level.COMMUNE)
    assert predecessors("VN10-25-02647") == {
        "VN10-080-02635",  # Duyên Hải
        "VN10-080-02641",  # Lào Cai
        "VN10-080-02644",  # Cốc Lếu
        "VN10-080-02647",  # Kim Tân
        "VN10-080-02665",  # Vạn Hòa
        "VN10-086-02911",  # Bản Phiệt
    }
    event = RestructuringEvent.objects.get(successions__successor=ward, successions__predecessor__code="VN10-080-02635")
    assert (event.legal_basis, event.decided_on) == ("Nghị quyết 1673/NQ-UBTVQH15", dt.date(2025, 6, 16))
    assert Unit.objects.get(code="VN10-080-02647").closed_on == ARRANGED

    # Xã A Mú Sung = A Mú Sung + Nậm Chạc (Bát Xát).
    assert predecessors("VN10-25-02686") == {"VN10-082-02686", "VN10-082-02689"}
    # Sa Pa: keys that keep their diacritics ('phườngsapa', 'phườngsapả') are matched exactly.
    assert {"VN10-088-03001", "VN10-088-03002"} <= predecessors("VN10-25-03006")

    # Xã Ngũ Chỉ Sơn continues unchanged: no new unit, now directly under the province.
    ngu_chi_son = Unit.objects.get(name="Đảng bộ xã Ngũ Chỉ Sơn")
    assert ngu_chi_son.closed_on is None
    assert selectors.unit_parent(ngu_chi_son, as_of=ARRANGED).code == "VN10"
    assert selectors.unit_parent(ngu_chi_son, as_of=BEFORE).code == "VN10-088"
    # Districts close into the province.
    assert set(Succession.objects.filter(predecessor__code="VN10-082").values_list("successor__code", flat=True)) == {
        "VN10"
    }


def test_running_again_changes_nothing(output):
    counts = (Unit.objects.count(), RestructuringEvent.objects.count(), Succession.objects.count())
    again = run_import("--province", "Lào Cai", "--province", "Yên Bái", "--reorganise-2025")
    assert "events recorded: 0 (none)" in again
    assert (Unit.objects.count(), RestructuringEvent.objects.count(), Succession.objects.count()) == counts


def test_what_cannot_be_matched_is_reported(output):
    converter = copy.deepcopy(vn_reorganise.load_converter())
    wards = converter["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhlaocai"]
    wards["phuonglaocai"].append("tinhlaocai_thanhpholaocai_phuongkhongco")  # no such old ward
    wards["xakhongco"] = ["tinhlaocai_huyenbatxat_xaamusung"]  # no such new ward
    mapping = vn_reorganise.build_mapping(converter)
    found = {(item.what, item.key) for item in mapping.unmatched}
    assert ("old_key", "tinhlaocai_thanhpholaocai_phuongkhongco") in found
    assert ("new_ward", "xakhongco") in found
    assert ("old_key", "tinhlaocai_huyenbatxat_xaamusung") in found  # its new ward is unknown
    assert all(item.province == "tinhlaocai" for item in mapping.unmatched)

    # A predecessor whose unit is not in the database is reported too; nothing else is applied again.
    plan = mapping.provinces["tinhlaocai"]
    ghost = vn_reorganise.OldArea("tinhlaocai_x_y", "10", "999", "99999", "Xã Ma", "xama")
    plan.wards[0].predecessors.append(ghost)
    provinces = vn_units.find_provinces(["Lào Cai", "Yên Bái"], vn_units.load_legacy_provinces())
    report = vn_reorganise.reorganise_2025(provinces, mapping=mapping)
    assert report.event_count == 0
    assert ("unit", "tinhlaocai_x_y") in {(item.what, item.key) for item in report.unmatched}
    assert len(report.unmatched) == len(mapping.unmatched) + 1


def test_a_province_that_merges_needs_its_partner():
    with pytest.raises(CommandError, match="Yên Bái"):
        run_import("--province", "Lào Cai", "--reorganise-2025")
    assert not Unit.objects.exists()


def test_no_records_marks_the_units_of_that_run():
    run_import("--province", "Yên Bái", "--no-records")
    run_import("--province", "Lào Cai", "--reorganise-2025")
    assert not Unit.objects.filter(code__startswith="VN15", records_since__isnull=False).exists()
    assert Unit.objects.get(code="VN10").records_since == vn_units.BASELINE
    # A Yên Bái commune that kept no records does not continue: a new unit succeeds it (5 of them),
    # while Lào Cai's two unchanged communes continue.
    assert Unit.objects.filter(code__startswith="VN10-25-", records_since=ARRANGED).count() == 92 + 5
    [cat_thinh] = predecessors("VN10-25-04693")
    assert Unit.objects.get(code=cat_thinh).name == "Đảng bộ xã Cát Thịnh"
