"""Exporting a subtree to a spreadsheet and adding units from one."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from lantoa.core.errors import ImportRejected
from lantoa.core.importing import RowError
from lantoa.core.models import AuditEntry
from lantoa.org import selectors
from lantoa.org.models import Unit, UnitArea, UnitClosure, UnitName, UnitParent
from lantoa.org.restructuring import event_apply
from lantoa.org.tests.factories import make_unit
from lantoa.org.tree_io import tree_export_csv, tree_export_rows, tree_export_xlsx, tree_import

pytestmark = pytest.mark.django_db

HEADER = "mã,tên,tên viết tắt,loại,mã đơn vị cha,ngày thành lập,mã hành chính,tên địa bàn"


def vi(message: str, **values: str) -> str:
    with translation.override("vi"):
        text = translation.gettext(message)
    return text % values if values else text


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def _snapshot() -> dict[str, tuple[str, str, str, str, str]]:
    """code → (name, kind, parent code today, official code, area name)."""
    result = {}
    for unit in Unit.objects.select_related("kind"):
        parent = selectors.unit_parent(unit)
        area = selectors.unit_area(unit)
        result[unit.code] = (
            unit.name,
            unit.kind.code,
            parent.code if parent else "",
            area.official_code if area else "",
            area.area_name if area else "",
        )
    return result


def _empty_the_database() -> None:
    AuditEntry.objects.all().delete()
    UnitClosure.objects.all().delete()
    for model in (UnitName, UnitParent, UnitArea):
        model.objects.all().delete()
    Unit.objects.all().delete()


def test_export_lists_the_subtree_parents_first(tree):
    rows = tree_export_rows(tree.province, dt.date(2024, 1, 1))

    codes = [row.code for row in rows]
    assert sorted(codes) == sorted(["P", "P-A", "P-B", "P-A-1", "P-B-1", "P-A-1-C1", "P-K", "P-K-1"])
    for row in rows:
        if row.parent_code:
            assert codes.index(row.parent_code) < codes.index(row.code)
    cell = next(row for row in rows if row.code == "P-A-1-C1")
    assert (cell.parent_code, cell.kind, cell.tier) == ("P-A-1", "party_cell", "village")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_database(tree, file_format):
    make_unit(kind="commune_committee", parent=tree.district_b, code="P-B-2", official_code="08123", name="Xã Tám")
    expected = _snapshot()
    rows = tree_export_rows(tree.province, selectors.today())
    content = tree_export_csv(rows, english=False) if file_format == "csv" else tree_export_xlsx(rows, english=False)
    _empty_the_database()

    result = tree_import(by=None, file=content)

    assert sorted(result.created) == sorted(expected)
    assert _snapshot() == expected
    assert [u.code for u in selectors.unit_subtree(Unit.objects.get(code="P-A"))] != []
    assert sorted(u.code for u in selectors.unit_subtree(Unit.objects.get(code="P-A"))) == ["P-A", "P-A-1", "P-A-1-C1"]


def test_importing_an_export_again_skips_every_unit(tree):
    content = tree_export_csv(tree_export_rows(tree.province, selectors.today()), english=True)
    before = Unit.objects.count()

    result = tree_import(by=None, file=content)

    assert result.created == [] and len(result.skipped) == before
    assert Unit.objects.count() == before


def test_csv_export_has_a_bom_and_the_tree_of_the_date(tree):
    event_apply(by=None, kind="rename", effective_on=dt.date(2025, 1, 1), payload={"unit": "P-A-1", "name": "Xã Mới"})

    old = tree_export_csv(tree_export_rows(tree.district_a, dt.date(2024, 6, 1)), english=False)
    new = tree_export_csv(tree_export_rows(tree.district_a, dt.date(2025, 6, 1)), english=False)

    assert old.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(old.decode("utf-8-sig"))))
    assert table[0][:3] == ["Mã", "Tên", "Tên viết tắt"]
    assert [row[0] for row in table[1:]] == ["P-A", "P-A-1", "P-A-1-C1"]
    assert table[1][5] == "P"  # the subtree's top keeps its real parent
    assert "Đảng bộ xã Quang Kim" in old.decode("utf-8-sig")
    assert "Xã Mới" in new.decode("utf-8-sig")


def test_parents_may_come_after_their_children(tree):
    content = _csv(
        "P-A-9-C1,Chi bộ thôn Một,,party_cell,P-A-9,01/01/2024,,",
        "P-A-9,Đảng bộ xã Chín,,Đảng bộ xã,P-A,2024-01-01,08999,Xã Chín",
    )

    result = tree_import(by=None, file=content)

    assert result.created == ["P-A-9", "P-A-9-C1"]
    assert selectors.unit_parent(Unit.objects.get(code="P-A-9-C1")).code == "P-A-9"
    assert "P-A-9-C1" in {u.code for u in selectors.unit_subtree(tree.province)}
    assert selectors.unit_area(Unit.objects.get(code="P-A-9")).official_code == "08999"


def test_a_file_with_several_bad_rows_reports_them_all_and_writes_nothing(tree):
    content = _csv(
        "P-A-5,Đảng bộ xã Năm,,commune_committee,P-A,01/01/2024,,",  # row 2: good
        "P-A-6,Đảng bộ xã Sáu,,commune_committee,XYZ,01/01/2024,,",  # row 3: unknown parent
        "P-A-7,Đảng bộ xã Bảy,,not_a_kind,P-A,31/02/2024,,",  # row 4: kind and date
        "P-A-5,Trùng mã,,commune_committee,P-A,01/01/2024,,",  # row 5: code repeated
        "P-A-1,Tên khác,,commune_committee,P-A,01/01/2020,,",  # row 6: exists with other data
        "P-K-2,Chi bộ Sở Y tế,,grassroots_committee,P-K,01/01/2024,123,",  # row 7: functional with area
    )
    before = (Unit.objects.count(), UnitName.objects.count(), AuditEntry.objects.count())

    with pytest.raises(ImportRejected) as caught:
        tree_import(by=None, file=content)

    errors = caught.value.extra["errors"]
    with translation.override("vi"):
        message = vi('"%(value)s" is not a unit in the file or the tree', value="XYZ")
        expected = str(RowError(3, "mã đơn vị cha", message))
    assert expected in errors
    rows = sorted({detail["row"] for detail in caught.value.extra["details"]})
    assert rows == [3, 4, 5, 6, 7]
    columns = {(d["row"], d["column"]) for d in caught.value.extra["details"]}
    assert {(4, "loại"), (4, "ngày thành lập"), (5, "mã"), (6, "mã"), (7, "mã hành chính")} <= columns
    assert any("P-A-1" in e and vi("name") in e for e in errors)
    assert (Unit.objects.count(), UnitName.objects.count(), AuditEntry.objects.count()) == before


def test_loops_and_parents_closing_first_are_errors(tree):
    content = _csv(
        "L-1,Một,,commune_committee,L-2,01/01/2024,,",
        "L-2,Hai,,commune_committee,L-1,01/01/2024,,",
        "C-1,Con,,party_cell,P-A-1,01/01/2019,,",  # before its parent opened
    )

    with pytest.raises(ImportRejected) as caught:
        tree_import(by=None, file=content)

    details = caught.value.extra["details"]
    assert {d["row"] for d in details} == {2, 3, 4}
    assert Unit.objects.filter(code__in=["L-1", "L-2", "C-1"]).count() == 0


def test_closed_units_in_the_file_are_created_then_closed(tree):
    header = HEADER + ",ngày giải thể"
    content = _csv(
        "P-A-8,Xã Tám,,commune_committee,P-A,01/01/2021,,,01/01/2023",
        "P-A-8-C1,Chi bộ Một,,party_cell,P-A-8,01/01/2021,,,01/01/2023",
        header=header,
    )

    tree_import(by=None, file=content)

    unit = Unit.objects.get(code="P-A-8")
    assert unit.closed_on == dt.date(2023, 1, 1)
    assert "P-A-8-C1" in {u.code for u in selectors.unit_subtree(tree.district_a, as_of=dt.date(2022, 1, 1))}
    assert "P-A-8-C1" not in {u.code for u in selectors.unit_subtree(tree.district_a, as_of=dt.date(2023, 1, 1))}


def test_a_manager_adds_units_only_under_units_they_manage(tree):
    from lantoa.accounts.tests.factories import make_user

    manager = make_user(role="manager", unit=tree.district_a)
    content = _csv(
        "P-A-5,Đảng bộ xã Năm,,commune_committee,P-A,01/01/2024,,",
        "P-B-5,Đảng bộ xã Năm B,,commune_committee,P-B,01/01/2024,,",
        "TOP,Đảng bộ mới,,provincial_committee,,01/01/2024,,",
    )

    with pytest.raises(ImportRejected) as caught:
        tree_import(by=manager, file=content)

    messages = {d["row"]: d["message"] for d in caught.value.extra["details"]}
    assert set(messages) == {3, 4}
    assert messages[3] == vi('"%(value)s" is not a unit in the file or the tree', value="P-B")  # not "no right"
    assert not Unit.objects.filter(code="P-A-5").exists()

    result = tree_import(by=manager, file=_csv("P-A-5,Đảng bộ xã Năm,,commune_committee,P-A,01/01/2024,,"))
    assert result.created == ["P-A-5"]


# --- The pages ------------------------------------------------------------------------------


def test_export_view_answers_csv_and_xlsx(client_for, inspector, tree):
    client = client_for(inspector)
    url = reverse("org:tree_export", args=[tree.district_a.code])

    response = client.get(url, {"format": "csv", "as_of": "2024-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="lantoa-P-A-2024-01-01.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())

    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")
    assert tree_import(by=None, file=xlsx.content).created == []


def test_export_of_a_unit_outside_the_scope_is_not_found(client_for, officer_a, tree):
    response = client_for(officer_a).get(reverse("org:tree_export", args=[tree.commune_b1.code]))

    assert response.status_code == 404


def test_import_page_lists_every_problem(client_for, admin_user, tree):
    client = client_for(admin_user)
    upload = SimpleUploadedFile(
        "don-vi.csv",
        _csv(
            "P-A-5,Đảng bộ xã Năm,,commune_committee,XYZ,01/01/2024,,",
            "P-A-6,Đảng bộ xã Sáu,,commune_committee,P-A,31/02/2024,,",
        ),
        content_type="text/csv",
    )

    response = client.post(reverse("org:tree_import"), {"file": upload})

    assert response.status_code == 422
    html = response.content.decode()
    table = html[html.index('data-testid="import-errors"') :]
    assert "XYZ" in table and "31/02/2024" in table
    assert '<th scope="col">' in table
    assert not Unit.objects.filter(code__in=["P-A-5", "P-A-6"]).exists()


def test_import_page_creates_units_and_says_so(client_for, admin_user, tree):
    client = client_for(admin_user)
    upload = SimpleUploadedFile("don-vi.csv", _csv("P-A-5,Đảng bộ xã Năm,,commune_committee,P-A,01/01/2024,,"))

    response = client.post(reverse("org:tree_import"), {"file": upload}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("org:tree")
    assert Unit.objects.filter(code="P-A-5").exists()
    assert 'data-testid="flash"' in response.content.decode()


def test_import_page_needs_manage_units(client_for, officer_a, admin_user, tree):
    assert client_for(officer_a).get(reverse("org:tree_import")).status_code == 404
    assert 'data-testid="tree-import-link"' not in client_for(officer_a).get(reverse("org:tree")).content.decode()
    admin = client_for(admin_user)
    assert admin.get(reverse("org:tree_import")).status_code == 200
    assert 'data-testid="tree-import-link"' in admin.get(reverse("org:tree")).content.decode()
    template = admin.get(reverse("org:tree_import_template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")
