"""The roster in a spreadsheet: importing one sheet per role, exporting it, the pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import ImportRejected, ValidationFailed
from lantoa.core.models import AuditEntry
from lantoa.org.tests.factories import make_unit
from lantoa.people.models import GroupMembership, Person, RoleAssignment
from lantoa.people.roster_io import roster_export, roster_import
from lantoa.people.tests.factories import ensure_kinds, make_group, make_person, make_role, role_kind

pytestmark = pytest.mark.django_db

HEADERS = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Năm sinh",
    "Đơn vị",
    "Điện thoại",
    "Email",
    "Từ ngày",
    "Đến ngày",
    "Số quyết định",
    "Tổ/Ban",
]
TEAM = "Tổ tuyên vận thôn Phìn Ngan"


def vi(message: str, /, **values: Any) -> str:
    with translation.override("vi"):
        text = translation.gettext(message)
    return text % values if values else text


def workbook(sheets: dict[str, list[list[Any]]], *, headers: list[str] = HEADERS) -> bytes:
    """A workbook with one sheet per entry: the header row, then the rows (numbered in "STT")."""
    book = Workbook()
    default = book.active
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(headers)
        for number, row in enumerate(rows, start=1):
            sheet.append([number, *row] if headers[0] == "STT" else row)
    if default is not None:
        book.remove(default)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(*lines: str, header: str = "Họ và tên,Giới tính,Năm sinh,Đơn vị,Điện thoại,Từ ngày") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def problems(caught: pytest.ExceptionInfo[ImportRejected]) -> set[tuple[str, int, str]]:
    return {(d["sheet"], d["row"], d["column"]) for d in caught.value.extra["details"]}


def sheets_of(content: bytes) -> dict[str, list[list[Any]]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


@pytest.fixture
def team(tree):  # type: ignore[no-untyped-def]
    return make_group("outreach_team", tree.cell_a1, name=TEAM)


def good_workbook(tree) -> bytes:  # type: ignore[no-untyped-def]
    village, commune = tree.cell_a1.code, tree.commune_a1.code
    return workbook(
        {
            "Tuyên truyền viên": [
                ["Lò Văn Páo", "Nam", 1978, village, "0912 345 678", "pao@example.vn", "01/01/2024", "", "", TEAM],
                ["Nguyễn Thị Hoa", "Nữ", "1985", village, 987654321, "", "15/03/2024", "", "12-QĐ/ĐU", ""],
            ],
            # The English name of the role is a sheet name too.
            "Reporter": [
                ["Lò Văn Páo", "male", 1978, commune, "0912345678", "", dt.date(2024, 2, 1), "01/02/2026", "", ""],
            ],
        }
    )


# --- Import -----------------------------------------------------------------------------------


def test_a_two_sheet_workbook_records_persons_roles_and_a_group_membership(officer_a, tree, team):
    before = Person.objects.count()

    result = roster_import(by=officer_a, unit=tree.commune_a1, file=good_workbook(tree))

    # Lò Văn Páo is in both sheets (same name and phone): one person with two roles.
    assert (result.rows, result.persons_created, result.persons_reused, result.memberships) == (3, 2, 0, 1)
    assert Person.objects.count() == before + 2
    pao = Person.objects.get(given_name="Páo")
    assert (pao.family_name, pao.middle_name, pao.sex, pao.birth_year) == ("Lò", "Văn", "male", 1978)
    assert (pao.home_unit, pao.phone, pao.email) == (tree.cell_a1, "0912 345 678", "pao@example.vn")
    roles = {(r.role.code, r.unit.code, r.valid_from, r.valid_to) for r in RoleAssignment.objects.filter(person=pao)}
    assert roles == {
        ("propagandist", tree.cell_a1.code, dt.date(2024, 1, 1), None),  # given by the team membership
        ("reporter", tree.commune_a1.code, dt.date(2024, 2, 1), dt.date(2026, 2, 1)),
    }
    assert GroupMembership.objects.get(person=pao).group == team
    hoa = Person.objects.get(given_name="Hoa")
    assert RoleAssignment.objects.get(person=hoa).decision_ref == "12-QĐ/ĐU"
    assert hoa.phone == "0987654321"  # a number cell had lost the leading zero
    assert not GroupMembership.objects.filter(person=hoa).exists()
    actions = list(AuditEntry.objects.filter(actor=officer_a).values_list("action", flat=True))
    assert actions.count("lantoa.people.person.created") == 2
    assert actions.count("lantoa.people.role.assigned") == 3
    assert "lantoa.people.roster.imported" in actions


def test_every_bad_row_of_every_sheet_is_reported_and_nothing_is_written(officer_a, tree, team):
    village = tree.cell_a1.code
    content = workbook(
        {
            "Tuyên truyền viên": [
                ["Lò Văn Páo", "Nam", 1978, village, "", "", "01/01/2024", "", "", TEAM],  # good
                ["Vàng Thị Mỷ", "", "19x0", village, "", "", "01/01/2024", "", "", ""],
                ["", "", "", village, "", "", "01/01/2024", "", "", ""],
                ["Giàng A Lử", "", "", "NO-SUCH-UNIT", "", "", "01/01/2024", "", "", ""],
            ],
            "Báo cáo viên": [
                ["Hà Văn Tú", "Nam giới", "", tree.commune_a1.code, "", "tu@", "31/02/2024", "", "", ""],
                ["Hà Văn Tú", "", 1980, tree.commune_a1.code, "12", "", "01/03/2024", "01/01/2024", "", TEAM],
            ],
        }
    )
    before = (Person.objects.count(), RoleAssignment.objects.count(), GroupMembership.objects.count())

    with pytest.raises(ImportRejected) as caught:
        roster_import(by=officer_a, unit=tree.commune_a1, file=content)

    assert problems(caught) == {
        ("Tuyên truyền viên", 3, "Năm sinh"),
        ("Tuyên truyền viên", 4, "Họ và tên"),
        ("Tuyên truyền viên", 5, "Đơn vị"),
        ("Báo cáo viên", 2, "Giới tính"),
        ("Báo cáo viên", 2, "Email"),
        ("Báo cáo viên", 2, "Từ ngày"),
        ("Báo cáo viên", 3, "Điện thoại"),
        ("Báo cáo viên", 3, "Đến ngày"),
        ("Báo cáo viên", 3, "Tổ/Ban"),  # the team is in another unit
    }
    texts = caught.value.extra["errors"]
    assert (
        vi(
            'sheet "%(sheet)s", row %(row)s, column "%(column)s": %(message)s',
            sheet="Tuyên truyền viên",
            row=3,
            column="Năm sinh",
            message=vi('"%(value)s" is not a year', value="19x0"),
        )
        in texts
    )
    assert caught.value.message == vi("The file has %(count)s problem(s); nothing was imported.", count=9)
    assert (Person.objects.count(), RoleAssignment.objects.count(), GroupMembership.objects.count()) == before


def test_a_sheet_that_is_not_a_role_is_refused_naming_the_roles(officer_a, tree):
    content = workbook(
        {
            "Tuyên truyền viên": [["Lò Văn Páo", "", "", tree.cell_a1.code, "", "", "01/01/2024", "", "", ""]],
            "Ghi chú": [["anything"]],
            "Trống": [],  # a sheet with the header alone is skipped
        }
    )

    with pytest.raises(ImportRejected) as caught:
        roster_import(by=officer_a, unit=tree.commune_a1, file=content)

    [detail] = caught.value.extra["details"]
    assert (detail["sheet"], detail["row"]) == ("Ghi chú", 1)
    assert "Báo cáo viên" in detail["message"] and "Tuyên truyền viên" in detail["message"]
    assert not Person.objects.filter(given_name="Páo").exists()


def test_a_unit_outside_the_scope_reads_exactly_like_an_unknown_one(officer_a, tree):
    rows = [
        ["Lò Văn Páo", "", "", tree.commune_b1.code, "", "", "01/01/2024", "", "", ""],  # another district
        ["Lò Văn Chá", "", "", "NO-SUCH", "", "", "01/01/2024", "", "", ""],
        ["Lò Văn Sùng", "", "", tree.commune_a1.code, "", "", "01/01/2024", "", "", ""],  # above the page's unit
    ]

    with pytest.raises(ImportRejected) as caught:
        roster_import(by=officer_a, unit=tree.cell_a1, file=workbook({"Tuyên truyền viên": rows}))

    messages = {d["row"]: d["message"] for d in caught.value.extra["details"]}
    for row, code in ((2, tree.commune_b1.code), (3, "NO-SUCH"), (4, tree.commune_a1.code)):
        assert messages[row] == vi(
            'unknown unit "%(value)s": write the code of a unit under %(unit)s', value=code, unit=tree.cell_a1.name
        )
    assert tree.commune_b1.name not in str(caught.value.extra)
    assert not Person.objects.exists()


def test_someone_already_recorded_is_reused_and_rows_about_one_person_are_one(officer_a, tree):
    ensure_kinds()
    same_name = make_person(home_unit=tree.cell_a1, family_name="Lò", middle_name="Văn", given_name="Páo")
    same_phone = make_person(
        home_unit=tree.commune_a1, family_name="Hà", middle_name="Thị", given_name="Mai", phone="0987 654 321"
    )
    elsewhere = make_person(
        home_unit=tree.commune_b1, family_name="Sùng", middle_name="A", given_name="Dính", phone="0911 000 111"
    )
    before = Person.objects.count()
    village, commune = tree.cell_a1.code, tree.commune_a1.code
    content = workbook(
        {
            "Tuyên truyền viên": [
                ["Lò Văn Páo", "", 1980, village, "", "", "01/01/2024", "", "", ""],  # name, year and unit
                ["Hà Thị Mai", "", 1991, village, "+84 987 654 321", "", "01/01/2024", "", "", ""],  # phone
                ["Vàng Thị Dợ", "", 1990, village, "", "", "01/01/2024", "", "", ""],
                # Same phone as someone outside the officer's scope: not reused, not named.
                ["Sùng A Dính", "", 1970, village, "0911000111", "", "01/01/2024", "", "", ""],
            ],
            "Báo cáo viên": [["Vàng Thị Dợ", "", 1990, village, "", "", "01/06/2024", "", "", ""]],
            "Người có uy tín": [["Hà Thị Mai", "", "", commune, "0987654321", "", "01/01/2024", "", "", ""]],
        }
    )

    result = roster_import(by=officer_a, unit=tree.commune_a1, file=content)

    assert (result.rows, result.persons_created, result.persons_reused) == (6, 2, 2)
    assert Person.objects.count() == before + 2
    assert set(RoleAssignment.objects.filter(person=same_name).values_list("role__code", flat=True)) == {"propagandist"}
    assert set(RoleAssignment.objects.filter(person=same_phone).values_list("role__code", flat=True)) == {
        "propagandist",
        "prestigious_person",
    }
    assert Person.objects.get(given_name="Dợ").roles.count() == 2
    assert not elsewhere.roles.exists()
    assert Person.objects.filter(given_name="Dính").count() == 2
    assert same_phone.home_unit == tree.commune_a1  # a reused record is not changed by the file


def test_a_role_already_held_there_or_twice_in_the_file_is_an_error(officer_a, tree, team):
    pao = make_person(home_unit=tree.cell_a1, family_name="Lò", middle_name="Văn", given_name="Páo", birth_year=1978)
    make_role(pao, "propagandist", tree.cell_a1, valid_from=dt.date(2023, 1, 1))
    village = tree.cell_a1.code
    content = workbook(
        {
            "Tuyên truyền viên": [
                ["Lò Văn Páo", "", 1978, village, "", "", "01/01/2024", "", "", ""],
                ["Vàng Thị Dợ", "", 1990, village, "", "", "01/01/2024", "01/01/2025", "", ""],
                ["Vàng Thị Dợ", "", 1990, village, "", "", "01/06/2024", "01/09/2024", "", ""],
                ["Vàng Thị Dợ", "", 1990, village, "", "", "01/01/2025", "", "", ""],  # after both: fine
            ],
            "Báo cáo viên": [["Hà Thị Mai", "", 1991, village, "0912 345 678", "", "01/01/2024", "", "", ""]],
            "Người có uy tín": [["Hà Văn Mai", "", 1991, village, "0912345678", "", "01/01/2024", "", "", ""]],
        }
    )

    with pytest.raises(ImportRejected) as caught:
        roster_import(by=officer_a, unit=tree.commune_a1, file=content)

    messages = {(d["sheet"], d["row"], d["column"]): d["message"] for d in caught.value.extra["details"]}
    assert set(messages) == {
        ("Tuyên truyền viên", 2, "Từ ngày"),
        ("Tuyên truyền viên", 4, "Từ ngày"),
        ("Người có uy tín", 2, "Điện thoại"),  # one phone, two names
    }
    assert messages[("Tuyên truyền viên", 2, "Từ ngày")] == vi(
        "%(name)s already holds this role in %(unit)s from %(day)s", name="Lò Văn Páo", unit=village, day="01/01/2023"
    )
    assert "Vàng Thị Dợ" not in {p.full_name for p in Person.objects.all()}


def test_a_csv_file_carries_the_role_chosen_in_the_form(officer_a, tree):
    content = csv_file(f"Lò Văn Páo,Nam,1978,{tree.cell_a1.code},0912345678,01/01/2024")

    with pytest.raises(ValidationFailed) as caught:
        roster_import(by=officer_a, unit=tree.commune_a1, file=content)
    assert caught.value.extra == {"field": "role"}

    result = roster_import(by=officer_a, unit=tree.commune_a1, file=content, role=role_kind("reporter"))

    assert (result.rows, result.persons_created) == (1, 1)
    assert RoleAssignment.objects.get(person__given_name="Páo").role.code == "reporter"


def test_a_csv_role_column_names_each_rows_role(officer_a, tree):
    content = csv_file(
        f"Báo cáo viên,Lò Văn Páo,{tree.cell_a1.code},01/01/2024",
        f"propagandist,Lò Văn Páo,{tree.cell_a1.code},01/01/2024",
        f"Kế toán,Vàng Thị Dợ,{tree.cell_a1.code},01/01/2024",
        header="Vai trò,Họ và tên,Đơn vị,Từ ngày",
    )
    with pytest.raises(ImportRejected) as caught:
        roster_import(by=officer_a, unit=tree.commune_a1, file=content)
    assert problems(caught) == {("", 4, "Vai trò")}

    roster_import(by=officer_a, unit=tree.commune_a1, file=content.replace("Kế toán".encode(), b"reporter"))

    assert set(RoleAssignment.objects.values_list("person__given_name", "role__code")) == {
        ("Páo", "reporter"),
        ("Páo", "propagandist"),
        ("Dợ", "reporter"),
    }


# --- Export -----------------------------------------------------------------------------------


@pytest.fixture
def recorded(officer_a, tree, team):  # type: ignore[no-untyped-def]
    roster_import(by=officer_a, unit=tree.commune_a1, file=good_workbook(tree))


def test_the_export_masks_contacts_for_a_viewer_but_not_for_an_officer(client_for, officer_a, tree, recorded):
    viewer = make_user(role="viewer", unit=tree.commune_a1)
    url = reverse("people:roster_export", args=[tree.commune_a1.code])

    for_officer = sheets_of(client_for(officer_a).get(url, {"active_on": "2024-06-01"}).content)
    for_viewer_response = client_for(viewer).get(url, {"active_on": "2024-06-01"})
    for_viewer = sheets_of(for_viewer_response.content)

    assert for_viewer_response["Content-Disposition"] == (
        f'attachment; filename="lantoa-roster-{tree.commune_a1.code}-2024-06-01.xlsx"'
    )
    assert (
        list(for_officer)
        == list(for_viewer)
        == [
            "Báo cáo viên",
            "Tuyên truyền viên",
            "Cán bộ tuyên vận",
            "Cộng tác viên dư luận xã hội",
            "Người có uy tín",
            "Thành viên ban giám khảo",
            "Người trình bày",
        ]
    )
    header = HEADERS[1:]
    assert for_officer["Tuyên truyền viên"][0] == header
    # Vietnamese name order: Hoa before Páo.
    assert [row[0] for row in for_officer["Tuyên truyền viên"][1:]] == ["Nguyễn Thị Hoa", "Lò Văn Páo"]
    pao_officer = for_officer["Tuyên truyền viên"][2]
    pao_viewer = for_viewer["Tuyên truyền viên"][2]
    assert pao_officer[4:6] == ["0912 345 678", "pao@example.vn"]
    assert pao_viewer[4:6] == ["09******78", "p***@example.vn"]
    assert pao_viewer[:4] == ["Lò Văn Páo", "Nam", 1978, tree.cell_a1.code]
    assert pao_viewer[6] == dt.datetime(2024, 1, 1) and pao_viewer[9] == TEAM
    assert "0912" not in str(for_viewer)

    csv_text = client_for(viewer).get(url, {"format": "csv", "active_on": "2024-06-01"}).content.decode("utf-8-sig")
    assert "09******78" in csv_text and "0912 345 678" not in csv_text

    exports = AuditEntry.objects.filter(action="lantoa.people.roster.exported")
    assert exports.count() == 3
    assert all(entry.changed_fields == [] and entry.unit == tree.commune_a1 for entry in exports)


def test_the_export_filters_by_role_and_day(client_for, officer_a, tree, recorded):
    url = reverse("people:roster_export", args=[tree.commune_a1.code])

    reporters = client_for(officer_a).get(url, {"role": "reporter", "active_on": "2024-06-01", "format": "csv"})
    rows = list(csv.reader(io.StringIO(reporters.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Vai trò", "Họ và tên", "Giới tính"]
    assert rows[1:] == [
        [
            "Báo cáo viên",
            "Lò Văn Páo",
            "Nam",
            "1978",
            tree.commune_a1.code,
            "0912 345 678",
            "pao@example.vn",
            "01/02/2024",
            "01/02/2026",
            "",
            "",
        ],
    ]
    earlier = client_for(officer_a).get(url, {"active_on": "2024-01-15", "format": "csv"})
    assert [row[1] for row in csv.reader(io.StringIO(earlier.content.decode("utf-8-sig")))][1:] == ["Lò Văn Páo"]


def test_an_export_imports_again_into_a_fresh_unit(admin_user, client_for, tree, recorded):
    commune = make_unit(kind="commune_committee", parent=tree.district_a, code="P-A-9", name="Đảng bộ xã Mới")
    village = make_unit(kind="party_cell", parent=commune, code="P-A-9-C1", name="Chi bộ thôn Mới")
    make_group("outreach_team", village, name=TEAM)
    client = client_for(admin_user)
    params = {"active_on": "2024-06-01"}
    exported = client.get(reverse("people:roster_export", args=[tree.commune_a1.code]), params).content
    moved = load_workbook(io.BytesIO(exported))
    for sheet in moved.worksheets:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
            cell.value = cell.value.replace(tree.commune_a1.code, commune.code)
    buffer = io.BytesIO()
    moved.save(buffer)

    result = roster_import(by=admin_user, unit=commune, file=buffer.getvalue())

    assert (result.rows, result.memberships) == (3, 1)
    again = sheets_of(client.get(reverse("people:roster_export", args=[commune.code]), params).content)
    original = sheets_of(exported)
    for title, rows in original.items():
        assert [[str(cell).replace(tree.commune_a1.code, commune.code) for cell in row] for row in rows] == [
            [str(cell) for cell in row] for row in again[title]
        ]


def test_a_csv_export_of_every_role_imports_again(admin_user, client_for, tree, recorded):
    commune = make_unit(kind="commune_committee", parent=tree.district_a, code="P-A-9")
    village = make_unit(kind="party_cell", parent=commune, code="P-A-9-C1")
    make_group("outreach_team", village, name=TEAM)
    response = client_for(admin_user).get(
        reverse("people:roster_export", args=[tree.commune_a1.code]), {"format": "csv", "active_on": "2024-06-01"}
    )
    content = response.content.replace(tree.commune_a1.code.encode(), commune.code.encode())

    result = roster_import(by=admin_user, unit=commune, file=content)

    assert result.rows == 3
    assert RoleAssignment.objects.filter(unit__in=[commune, village]).count() == 3


def test_a_cell_that_looks_like_a_formula_is_written_as_text(officer_a, tree):
    make_role(
        make_person(home_unit=tree.cell_a1, given_name="=HYPERLINK(1)", family_name="", middle_name=""),
        "reporter",
        tree.cell_a1,
    )

    xlsx = roster_export(by=officer_a, unit=tree.commune_a1, role="reporter")
    csv_content = roster_export(by=officer_a, unit=tree.commune_a1, role="reporter", fmt="csv").content

    book = load_workbook(io.BytesIO(xlsx.content))
    cell = book["Báo cáo viên"]["A2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")
    assert "'=HYPERLINK(1)" in csv_content.decode("utf-8-sig")


# --- The pages --------------------------------------------------------------------------------


def test_an_inspector_has_no_roster_to_export(client_for, inspector, officer_a, tree):
    assert client_for(inspector).get(reverse("people:roster_export", args=[tree.commune_a1.code])).status_code == 404
    assert client_for(officer_a).get(reverse("people:roster_export", args=[tree.commune_b1.code])).status_code == 404
    assert client_for(inspector).get(reverse("people:roster_template")).status_code == 404
    assert not AuditEntry.objects.filter(action="lantoa.people.roster.exported").exists()


def test_the_import_page_lists_every_problem_with_its_sheet(client_for, officer_a, tree):
    client = client_for(officer_a)
    url = reverse("people:roster_import", args=[tree.commune_a1.code])
    assert 'data-testid="import-template"' in client.get(url).content.decode()
    content = workbook({"Tuyên truyền viên": [["Lò Văn Páo", "", "", "NO-SUCH", "", "", "31/02/2024", "", "", ""]]})

    response = client.post(url, {"file": SimpleUploadedFile("mang-luoi.xlsx", content)})

    assert response.status_code == 422
    html = response.content.decode()
    table = html[html.index('data-testid="import-errors"') :]
    assert "Tuyên truyền viên" in table and "NO-SUCH" in table and "31/02/2024" in table
    assert not Person.objects.exists()


def test_the_import_page_records_a_csv_and_says_how_many(client_for, officer_a, tree):
    client = client_for(officer_a)
    url = reverse("people:roster_import", args=[tree.commune_a1.code])
    ensure_kinds()
    content = csv_file(f"Lò Văn Páo,Nam,1978,{tree.cell_a1.code},0912345678,01/01/2024")

    refused = client.post(url, {"file": SimpleUploadedFile("bcv.csv", content)})
    assert refused.status_code == 422
    assert escape(vi('A CSV file carries one role: choose it, or add a "Vai trò" column.')) in refused.content.decode()

    response = client.post(url, {"file": SimpleUploadedFile("bcv.csv", content), "role": "reporter"}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    said = vi(
        "%(rows)s rows imported: %(created)s people added, %(reused)s already recorded; "
        "%(memberships)s of the roles came with a group membership.",
        rows=1,
        created=1,
        reused=0,
        memberships=0,
    )
    assert escape(said) in response.content.decode()
    assert RoleAssignment.objects.get(person__given_name="Páo").role.code == "reporter"


def test_only_those_who_record_the_units_work_may_import(client_for, inspector, officer_a, tree):
    viewer = make_user(role="viewer", unit=tree.commune_a1)
    url = reverse("people:roster_import", args=[tree.commune_a1.code])

    assert client_for(inspector).get(url).status_code == 403  # sees the unit, may not record
    assert client_for(viewer).post(url, {}).status_code == 403
    assert client_for(officer_a).get(reverse("people:roster_import", args=[tree.commune_b1.code])).status_code == 404


def test_the_template_has_the_headers_and_an_example_in_the_users_language(client_for, officer_a, tree):
    ensure_kinds()
    vietnamese = sheets_of(client_for(officer_a).get(reverse("people:roster_template")).content)
    assert list(vietnamese)[:2] == ["Báo cáo viên", "Tuyên truyền viên"]
    first = vietnamese["Báo cáo viên"]
    assert first[0] == HEADERS[1:]
    assert first[1][:3] == ["Nguyễn Thị Hoa", "Nữ", 1985]
    assert vietnamese["Tuyên truyền viên"] == [HEADERS[1:]]

    english_user = make_user(role="officer", unit=tree.commune_a1, language="en")
    english = sheets_of(client_for(english_user).get(reverse("people:roster_template")).content)
    assert list(english)[:2] == ["Reporter", "Propagandist"]
    assert english["Reporter"][0][:4] == ["Full name", "Sex", "Year of birth", "Unit"]
    assert english["Reporter"][1][1] == "Female"
