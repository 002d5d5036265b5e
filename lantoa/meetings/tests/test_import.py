"""Importing past conferences from a workbook: the template, all-or-nothing checks, re-import,
the totals, the page and the API endpoint."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from lantoa.accounts.services import assignment_create
from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import ImportRejected
from lantoa.core.models import AuditEntry
from lantoa.meetings.importing import conferences_import, conferences_import_template
from lantoa.meetings.models import AttendanceCount, BridgePoint, Conference
from lantoa.org.tests.factories import make_unit

pytestmark = pytest.mark.django_db

CONFERENCES = "Hội nghị"
SITES = "Điểm cầu"
CONFERENCE_HEADERS = [
    "Mã hội nghị",
    "Tên hội nghị",
    "Loại hội nghị",
    "Đơn vị tổ chức",
    "Cấp",
    "Ngày",
    "Giờ bắt đầu",
    "Giờ kết thúc",
    "Hình thức",
    "Bắt buộc",
    "Trạng thái",
]
SITE_HEADERS = [
    "Mã hội nghị",
    "Mã đơn vị",
    "Điểm cầu chính",
    "Cấp",
    "Địa điểm",
    "Đảng viên dự",
    "Cán bộ dự",
    "Quần chúng dự",
    "Học sinh, sinh viên dự",
    "Người khác dự",
    "Đảng viên được triệu tập",
    "Đảng viên miễn sinh hoạt",
    "Tổng số triệu tập",
    "Đảng viên đến muộn",
]
GOOD_CONFERENCES: list[list[Any]] = [
    ["HN1", "Học tập Nghị quyết Đại hội XIII", "Hội nghị học tập, quán triệt nghị quyết", "P", "Cấp tỉnh",
     "10/05/2021", "7:30", "11h", "Kết hợp", "Có", "Đã tổ chức"],
    ["HN2", "Chuyên đề tháng 6", "thematic", "P-A-1", "xã", dt.date(2021, 6, 3), dt.time(14, 0), "16:30",
     "trực tiếp", "không", "đã tổ chức"],
    ["HN3", "Sơ kết 6 tháng", "Review conference", "P", "province", "2021-07-01", "08:00", "10:00", "online", "",
     "kế hoạch"],
]  # fmt: skip
GOOD_SITES: list[list[Any]] = [
    ["HN1", "P", "có", "", "Hội trường Tỉnh ủy", 120, 15, 30, 0, 0, 130, 5, 180, 3],
    ["HN1", "P-A-1", "", "", "Nhà văn hóa xã", 45, "5", 10, "", None, 50, 2, 70, 0],
    ["HN1", "P-B-1", "", "", "", 38, 2, 0, 12, 1, 40, 0, 60, 5],
    ["HN2", "P-A-1", "có", "", "Hội trường xã", 30, 0, 20, 0, 0, 35, 1, 60, 2],
]
PRESENT = slice(5, 10)  # the five "present" columns of a site row


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    default = book.active
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if default is not None:
        book.remove(default)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_file(conferences: list[list[Any]] = GOOD_CONFERENCES, sites: list[list[Any]] = GOOD_SITES) -> bytes:
    return workbook({CONFERENCES: [CONFERENCE_HEADERS, *conferences], SITES: [SITE_HEADERS, *sites]})


def number(value: Any) -> int:
    return int(value) if value not in ("", None) else 0


def problems(caught: pytest.ExceptionInfo[ImportRejected]) -> set[tuple[str, int, str]]:
    return {(d["sheet"], d["row"], d["column"]) for d in caught.value.extra["details"]}


def meetings_audit() -> int:
    return AuditEntry.objects.filter(action__startswith="lantoa.meetings").count()


def test_the_template_imports_once_its_codes_are_filled_in(admin_user, tree):
    for english, placeholder, unit in ((False, "MA-DON-VI", tree.province), (True, "UNIT-CODE", tree.commune_b1)):
        book = load_workbook(io.BytesIO(conferences_import_template(english=english)))
        names = ["Conferences", "Sites"] if english else [CONFERENCES, SITES]
        assert book.sheetnames == names
        header = [cell.value for cell in book[names[0]][1]]
        assert header[:2] == (["Ref", "Title"] if english else ["Mã hội nghị", "Tên hội nghị"])
        for sheet in book.worksheets:
            assert sheet.max_row == 2  # the headers and one example row
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if cell.value == placeholder:
                        cell.value = unit.code
        buffer = io.BytesIO()
        book.save(buffer)
        result = conferences_import(by=admin_user, file=buffer.getvalue())
        assert (len(result.created), result.held, result.sites) == (1, 1, 1)
        conference = Conference.objects.get(pk=result.created[0])
        assert (conference.status, conference.format, conference.is_mandatory) == ("held", "hybrid", True)
        assert timezone.localtime(conference.starts_at).time() == dt.time(7, 30)
        point = conference.points.get()
        assert (point.unit, point.is_host, point.present, point.members_present, point.late) == (
            unit,
            True,
            165,
            120,
            3,
        )
        assert (point.members_summoned, point.members_exempt, point.summoned) == (130, 5, 180)
    assert Conference.objects.count() == 2


def test_attendance_after_import_equals_the_sheet_sums(admin_user, tree):
    result = conferences_import(by=admin_user, file=good_file())
    assert (len(result.created), result.already_imported, result.held, result.sites) == (3, 0, 2, 5)

    points = BridgePoint.objects.all()
    sums = points.aggregate(
        present=Sum("present"), members=Sum("members_present"), late=Sum("late"), summoned=Sum("summoned")
    )
    assert sums["present"] == sum(number(v) for row in GOOD_SITES for v in row[PRESENT])
    assert sums["members"] == sum(row[5] for row in GOOD_SITES)
    assert sums["late"] == sum(row[13] for row in GOOD_SITES)
    assert sums["summoned"] == sum(row[12] for row in GOOD_SITES)
    categories = dict(AttendanceCount.objects.values_list("category").annotate(n=Sum("present")))
    assert categories["students"] == 12 and categories["cadres"] == 22

    first = Conference.objects.get(client_key="import:2021-05-10:HN1")
    assert (first.status, first.format, first.level, first.is_mandatory) == ("held", "hybrid", "province", True)
    assert [(p.unit.code, p.is_host, p.level) for p in first.points.order_by("-is_host", "pk")] == [
        ("P", True, "province"),
        ("P-A-1", False, "commune"),
        ("P-B-1", False, "commune"),
    ]
    assert timezone.localtime(first.ends_at).time() == dt.time(11, 0)
    second = Conference.objects.get(client_key="import:2021-06-03:HN2")
    assert (second.organiser, second.format, second.kind.code, second.status) == (
        tree.commune_a1,
        "in_person",
        "thematic",
        "held",
    )
    third = Conference.objects.get(client_key="import:2021-07-01:HN3")
    assert (third.status, third.kind.code) == ("planned", "review")
    assert [(p.unit, p.is_host, p.present) for p in third.points.all()] == [(tree.province, True, 0)]


def test_importing_the_same_file_again_creates_nothing_new(admin_user, tree):
    conferences_import(by=admin_user, file=good_file())
    counts = (Conference.objects.count(), BridgePoint.objects.count(), AttendanceCount.objects.count())
    audit = meetings_audit()

    again = conferences_import(by=admin_user, file=good_file())
    assert (again.created, again.already_imported, again.sites, again.held) == ([], 3, 0, 0)
    assert "3" in again.summary()
    assert (Conference.objects.count(), BridgePoint.objects.count(), AttendanceCount.objects.count()) == counts
    assert meetings_audit() == audit

    # A new row in the same file: only it is created.
    more = [*GOOD_CONFERENCES, ["HN4", "Chuyên đề tháng 8", "thematic", "P", "tỉnh", "05/08/2021", "08:00",
                                "10:00", "trực tiếp", "không", "held"]]  # fmt: skip
    third = conferences_import(by=admin_user, file=good_file(conferences=more))
    assert (len(third.created), third.already_imported) == (1, 3)


def test_every_problem_of_both_sheets_is_reported_and_nothing_is_written(tree):
    make_unit(kind="commune_committee", parent=tree.district_a, code="P-A-2", opened_on=dt.date(2022, 1, 1))
    # Records the work of commune A1, sees the province without recording there.
    user = make_user(role="officer", unit=tree.commune_a1, username="mixed")
    assignment_create(by=None, user=user, unit=tree.province, role="inspector", valid_from=dt.date(2020, 1, 1))
    conferences = [
        ["C1", "Tốt", "thematic", "P-A-1", "xã", "10/05/2021", "07:30", "09:00", "kết hợp", "không", "đã tổ chức"],
        ["C2", "Đơn vị lạ", "thematic", "NOPE", "xã", "10/05/2021", "07:30", "09:00", "kết hợp", "", "đã tổ chức"],
        ["C3", "Ngày sai", "thematic", "P-A-1", "xã", "31/02/2021", "07:30", "09:00", "kết hợp", "", "đã tổ chức"],
        ["C4", "Trực tiếp", "thematic", "P-A-1", "xã", "11/05/2021", "07:30", "09:00", "trực tiếp", "", "đã tổ chức"],
        ["C4", "Mã trùng", "thematic", "P-A-1", "xã", "12/05/2021", "07:30", "09:00", "kết hợp", "", "đã tổ chức"],
        ["C6", "Tỉnh", "thematic", "P", "tỉnh", "12/05/2021", "07:30", "09:00", "kết hợp", "", "đã tổ chức"],
        ["C7", "Giờ sai", "thematic", "P-A-1", "xã", "12/05/2021", "25:00", "09:00", "kết hợp", "", "đã tổ chức"],
        ["C8", "Loại lạ", "picnic", "P-A-1", "xã", "12/05/2021", "07:30", "06:00", "kết hợp", "hơi", "đã hủy"],
        ["C9", "Chưa mở", "thematic", "P-A-2", "xã", "12/05/2021", "07:30", "09:00", "kết hợp", "", "đã tổ chức"],
        ["C10", "Năm lạ", "thematic", "P-A-1", "xã", dt.date(1, 1, 1), "07:30", "09:00", "kết hợp", "", "đã tổ chức"],
    ]  # fmt: skip
    sites = [
        ["C1", "P-A-1", "có", "", "", 10, 0, 0, 0, 0, 10, 0, 10, 0],  # good
        ["C1", "P-A-1-C1", "có", "", "", 5, 0, 0, 0, 0, 5, 0, 5, 0],  # a second host
        ["C1", "P-A-1", "", "", "", 1, 0, 0, 0, 0, 0, 0, 0, 0],  # the same unit twice
        ["C1", "P-A-2", "", "", "", 1, 0, 0, 0, 0, 0, 0, 0, 0],  # not open yet
        ["CX", "P-A-1", "", "", "", 1, 0, 0, 0, 0, 0, 0, 0, 0],  # no such conference
        ["C4", "P-A-1", "có", "", "", 1, 0, 0, 0, 0, 0, 0, 0, 0],
        ["C4", "P-A-1-C1", "", "", "", 1, 0, 0, 0, 0, 0, 0, 0, 0],  # in person: one site only
        ["C1", "P-A-1-C1", "", "", "", 5, 0, 0, 0, 0, 5, 0, 5, 6],  # late > present (and a second time)
        ["C1", "P-A-1-C1", "", "cấp trời", "", "năm", 0, 0, 0, 0, 4, 5, 0, 0],  # level, number, exempt
    ]
    with pytest.raises(ImportRejected) as caught, translation.override("en"):
        conferences_import(by=user, file=good_file(conferences=conferences, sites=sites))
    assert problems(caught) == {
        (CONFERENCES, 3, "Đơn vị tổ chức"),
        (CONFERENCES, 4, "Ngày"),
        (CONFERENCES, 5, "Hình thức"),
        (CONFERENCES, 6, "Mã hội nghị"),
        (CONFERENCES, 7, "Đơn vị tổ chức"),
        (CONFERENCES, 8, "Giờ bắt đầu"),
        (CONFERENCES, 9, "Loại hội nghị"),
        (CONFERENCES, 9, "Giờ kết thúc"),
        (CONFERENCES, 9, "Bắt buộc"),
        (CONFERENCES, 9, "Trạng thái"),
        (CONFERENCES, 10, "Đơn vị tổ chức"),
        (CONFERENCES, 11, "Ngày"),
        (SITES, 3, "Điểm cầu chính"),
        (SITES, 4, "Mã đơn vị"),
        (SITES, 5, "Mã đơn vị"),
        (SITES, 6, "Mã hội nghị"),
        (SITES, 9, "Mã đơn vị"),
        (SITES, 9, "Đảng viên đến muộn"),
        (SITES, 10, "Mã đơn vị"),
        (SITES, 10, "Cấp"),
        (SITES, 10, "Đảng viên dự"),
        (SITES, 10, "Đảng viên miễn sinh hoạt"),
    }
    texts = caught.value.extra["errors"]
    assert any(text.startswith('sheet "Hội nghị", row 4, column "Ngày":') for text in texts)
    assert Conference.objects.count() == 0
    assert BridgePoint.objects.count() == 0
    assert meetings_audit() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Ma hoi nghi,Ten hoi nghi\nHN1,x\n", {("", 1, "")}),
        (workbook({"Ghi chú": [["x"], ["y"]], CONFERENCES: [CONFERENCE_HEADERS, GOOD_CONFERENCES[0]]}),
         {("Ghi chú", 1, "")}),
        (workbook({CONFERENCES: [CONFERENCE_HEADERS[:-1], GOOD_CONFERENCES[0][:-1]]}), {(CONFERENCES, 1, "")}),
        (workbook({SITES: [SITE_HEADERS, GOOD_SITES[0]]}), {("", 1, "")}),
        (workbook({CONFERENCES: [CONFERENCE_HEADERS, GOOD_CONFERENCES[0]], SITES: [SITE_HEADERS[:12], [1]]}),
         {(SITES, 1, "")}),
        (b"not a workbook", {("", 1, "")}),
    ],
)  # fmt: skip
def test_bad_files_are_refused_before_any_row(admin_user, tree, content, expected):
    with pytest.raises(ImportRejected) as caught:
        conferences_import(by=admin_user, file=content)
    assert problems(caught) == expected
    assert Conference.objects.count() == 0


def test_english_sheets_and_headers_are_read(admin_user, tree):
    english = workbook(
        {
            "Conferences": [
                ["Ref", "Title", "Kind", "Organiser", "Level", "Date", "Start time", "End time", "Format",
                 "Mandatory", "Status"],
                ["E1", "Monthly reporters", "reporters_monthly", "P", "province", "01/09/2021", "08:00", "11:30",
                 "hybrid", "yes", "held"],
            ],
            "Sites": [
                ["Conference ref", "Unit code", "Host", "Level", "Location", "Party members present",
                 "Cadres present", "Non-members present", "Students present", "Others present", "Members summoned",
                 "Members exempt", "Summoned"],
                ["E1", "P", "yes", "", "", 50, 0, 0, 0, 0, 60, 0, 0],
                ["E1", "P-B-1", "no", "commune", "", 20, 1, 0, 0, 0, 25, 3, 30],
            ],
        }
    )  # fmt: skip
    result = conferences_import(by=admin_user, file=english)
    assert (len(result.created), result.sites, result.held) == (1, 2, 1)
    assert BridgePoint.objects.aggregate(n=Sum("present"))["n"] == 71


# --- The page and the API ----------------------------------------------------------------------


def test_the_import_page(client_for, officer_a, inspector, tree):
    client = client_for(officer_a)
    page = client.get(reverse("meetings:import"))
    assert page.status_code == 200
    assert reverse("meetings:import_template") in page.content.decode()

    template = client.get(reverse("meetings:import_template"))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(template.content)).sheetnames == [CONFERENCES, SITES]

    bad = SimpleUploadedFile("hoi-nghi.xlsx", good_file())  # the province's rows are not officer A's
    refused = client.post(reverse("meetings:import"), {"file": bad})
    assert refused.status_code == 422
    assert 'data-testid="import-errors"' in refused.content.decode()
    assert Conference.objects.count() == 0

    own = good_file(conferences=[GOOD_CONFERENCES[1]], sites=[GOOD_SITES[3]])
    done = client.post(reverse("meetings:import"), {"file": SimpleUploadedFile("hoi-nghi.xlsx", own)}, follow=True)
    assert done.status_code == 200
    assert 'data-testid="flash"' in done.content.decode()
    assert Conference.objects.get().organiser == tree.commune_a1

    assert client_for(inspector).get(reverse("meetings:import")).status_code == 404
    assert client_for(inspector).get(reverse("meetings:import_template")).status_code == 404


def test_the_import_endpoint(client_for, admin_user, officer_a, inspector, tree):
    client = client_for(admin_user)
    url = "/api/v1/meetings/import"
    created = client.post(url, {"file": SimpleUploadedFile("hoi-nghi.xlsx", good_file())})
    assert created.status_code == 201, created.json()
    assert (created.json()["conferences_created"], created.json()["sites"], created.json()["held"]) == (3, 5, 2)
    again = client.post(url, {"file": SimpleUploadedFile("hoi-nghi.xlsx", good_file())})
    assert (again.status_code, again.json()["conferences_already_imported"]) == (200, 3)

    bad = good_file(sites=[[*GOOD_SITES[0][:13], 999], ["HN9", *GOOD_SITES[1][1:]]])
    refused = client_for(officer_a).post(url, {"file": SimpleUploadedFile("x.xlsx", bad)})
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "import_rejected"
    assert len(body["extra"]["errors"]) == len(body["extra"]["details"]) >= 4
    assert client_for(inspector).post(url, {"file": SimpleUploadedFile("x.xlsx", bad)}).status_code == 404
    assert client.post(url, {}).status_code == 422
    assert Conference.objects.count() == 3
