"""Bulk creation of officer accounts: all rows good → everything, any row bad → nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lantoa.accounts.importing import users_import
from lantoa.accounts.models import Assignment, User
from lantoa.accounts.tests.factories import make_user
from lantoa.accounts.tests.spreadsheets import EN_HEADER, csv_bytes, xlsx
from lantoa.core.errors import ImportRejected, PermissionDenied
from lantoa.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SITE = "https://lantoa.example.org/"

GOOD_ROWS = [
    ["lan.nguyen", "Nguyễn Thị Lan", "lan@example.org", "P-A-1", "officer", "01/07/2025"],
    ["minh.tran", "Trần Văn Minh", "minh@example.org", "P-A-1-C1", "Viewer", "2025-07-01"],
    ["hoa.le", "Lê Thị Hoa", "hoa@example.org", "P-A", "inspector", dt.date(2025, 8, 1)],
]


@pytest.fixture(autouse=True)
def english():
    """These tests read the English messages; Vietnamese ones are checked in test_vietnamese_errors."""
    with translation.override("en"):
        yield


@pytest.fixture
def manager_a(tree):  # type: ignore[no-untyped-def]
    """A manager of district A (not of district B)."""
    return make_user(role="manager", unit=tree.district_a, username="manager_a", language="en")


def test_good_file_creates_users_assignments_and_sends_emails(manager_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = users_import(by=manager_a, file=xlsx(GOOD_ROWS), site_url=SITE)

    assert [u.username for u in created] == ["lan.nguyen", "minh.tran", "hoa.le"]
    lan = User.objects.get(username="lan.nguyen")
    assert lan.full_name == "Nguyễn Thị Lan" and not lan.has_usable_password()
    assignment = Assignment.objects.get(user=lan)
    assert (assignment.unit.code, assignment.role, assignment.valid_from) == ("P-A-1", "officer", dt.date(2025, 7, 1))
    assert Assignment.objects.get(user__username="minh.tran").role == "viewer"
    assert Assignment.objects.get(user__username="hoa.le").valid_from == dt.date(2025, 8, 1)

    assert sorted(m.to[0] for m in mail.outbox) == ["hoa@example.org", "lan@example.org", "minh@example.org"]
    message = next(m for m in mail.outbox if m.to == ["lan@example.org"])
    assert "lan.nguyen" in message.body and f"{SITE}accounts/reset/" in message.body
    assert AuditEntry.objects.filter(action="lantoa.accounts.user.created", actor=manager_a).count() == 3
    assert AuditEntry.objects.filter(action="lantoa.accounts.assignment.created", actor=manager_a).count() == 3


def test_emailed_link_lets_the_new_user_choose_a_password(manager_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        users_import(by=manager_a, file=xlsx(GOOD_ROWS[:1]), site_url=SITE)
    path = mail.outbox[0].body.split(SITE, 1)[1].split()[0]
    client = Client()
    page = client.get("/" + path, follow=True)
    password = "my own chosen passphrase"
    done = client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    assert done.status_code == 302
    assert User.objects.get(username="lan.nguyen").check_password(password)


def test_emails_wait_for_the_commit(manager_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        users_import(by=manager_a, file=xlsx(GOOD_ROWS), site_url=SITE)
    assert mail.outbox == []
    assert len(callbacks) == 3


def test_bad_rows_are_all_reported_and_nothing_is_created(manager_a):
    make_user(username="taken")
    rows = [
        ["ok.one", "Người Một", "one@example.org", "P-A-1", "officer", "01/07/2025"],  # row 2: fine
        ["bad.date", "Người Hai", "two@example.org", "P-A-1", "officer", "31/02/2022"],  # row 3
        ["bad.unit", "Người Ba", "three@example.org", "NO-SUCH", "officer", ""],  # row 4
        ["bad.role", "Người Bốn", "four@example.org", "P-A-1", "chief", ""],  # row 5
        ["ok.one", "Người Năm", "five@example.org", "P-A-1", "officer", ""],  # row 6: repeats row 2
        ["taken", "Người Sáu", "six@example.org", "P-A-1", "officer", ""],  # row 7: exists already
        ["", "", "not-an-email", "P-A-1", "officer", ""],  # row 8
    ]
    users_before = User.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        users_import(by=manager_a, file=xlsx(rows), site_url=SITE)

    errors = rejected.value.extra["errors"]
    assert 'row 3, column "từ ngày": "31/02/2022" is not a date' in errors
    assert 'row 4, column "mã đơn vị": no unit with code "NO-SUCH" in your scope' in errors
    assert 'row 5, column "vai trò": "chief" is not a role' in errors
    assert 'row 6, column "tên đăng nhập": "ok.one" already appears in row 2' in errors
    assert 'row 7, column "tên đăng nhập": "taken" is already taken' in errors
    assert 'row 8, column "tên đăng nhập": is empty' in errors
    assert 'row 8, column "email": "not-an-email" is not an email address' in errors
    assert not any(e.startswith("row 2,") for e in errors)
    assert User.objects.count() == users_before
    assert not User.objects.filter(username="ok.one").exists()
    assert [d["row"] for d in rejected.value.extra["details"]] == sorted(
        d["row"] for d in rejected.value.extra["details"]
    )


def test_manager_cannot_import_into_a_unit_outside_their_scope(manager_a, tree):
    rows = [["b.person", "Người Huyện B", "b@example.org", "P-B-1", "officer", ""]]
    with pytest.raises(ImportRejected) as rejected:
        users_import(by=manager_a, file=xlsx(rows), site_url=SITE)
    assert rejected.value.extra["errors"] == ['row 2, column "mã đơn vị": no unit with code "P-B-1" in your scope']
    assert not User.objects.filter(username="b.person").exists()


def test_manager_may_give_only_delegable_roles(manager_a):
    rows = [["boss", "Người Quản Lý", "boss@example.org", "P-A-1", "manager", ""]]
    with pytest.raises(ImportRejected) as rejected:
        users_import(by=manager_a, file=xlsx(rows), site_url=SITE)
    assert rejected.value.extra["errors"] == ['row 2, column "vai trò": you may not give the role "manager"']


def test_administrator_may_give_any_role(admin_user):
    rows = [["boss", "Người Quản Lý", "boss@example.org", "P-A", "manager", ""]]
    users_import(by=admin_user, file=xlsx(rows), site_url=SITE)
    assert Assignment.objects.get(user__username="boss").role == "manager"


def test_someone_without_account_management_cannot_import(officer_a):
    with pytest.raises(PermissionDenied):
        users_import(by=officer_a, file=xlsx(GOOD_ROWS), site_url=SITE)


def test_csv_with_bom_and_english_headers(manager_a):
    rows = [["an.pham", "Phạm Văn An", "an@example.org", "P-A-1", "officer", "2025-07-01"]]
    users_import(by=manager_a, file=csv_bytes(rows, header=EN_HEADER), site_url=SITE)
    assert User.objects.get(username="an.pham").full_name == "Phạm Văn An"


def test_csv_without_bom_semicolons_and_headers_without_diacritics(manager_a):
    content = "ten dang nhap;Ho va ten;Email;Ma don vi;Vai tro\nbinh.vu;Vũ Thị Bình;binh@example.org;P-A-1;officer\n"
    users_import(by=manager_a, file=content.encode("utf-8"), site_url=SITE)
    assert Assignment.objects.get(user__username="binh.vu").unit.code == "P-A-1"


def test_missing_column_is_reported_before_any_row(manager_a):
    content = csv_bytes([["x", "y", "x@example.org", "P-A-1"]], header=["username", "full name", "email", "unit code"])
    with pytest.raises(ImportRejected) as rejected:
        users_import(by=manager_a, file=content, site_url=SITE)
    assert rejected.value.extra["errors"] == ['row 1: column "vai trò" (or "role") is missing']


def test_file_that_is_neither_xlsx_nor_utf8(manager_a):
    with pytest.raises(ImportRejected):
        users_import(by=manager_a, file="tên\n".encode("utf-16"), site_url=SITE)
    with pytest.raises(ImportRejected):
        users_import(by=manager_a, file=b"PK\x03\x04 broken zip", site_url=SITE)


# --- The page -------------------------------------------------------------------------------------


def test_import_page_lists_every_problem_in_a_table(manager_a, client_for):
    rows = [
        ["x.one", "Người Một", "one@example.org", "P-A-1", "officer", "31/02/2022"],
        ["x.two", "Người Hai", "two@example.org", "P-B-1", "officer", ""],
    ]
    upload = SimpleUploadedFile("can-bo.xlsx", xlsx(rows))
    response = client_for(manager_a).post(reverse("accounts:import_users"), {"file": upload})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "&quot;31/02/2022&quot; is not a date" in html
    assert "P-B-1" in html
    assert not User.objects.filter(username__startswith="x.").exists()


def test_import_page_creates_and_redirects(manager_a, client_for, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("can-bo.csv", csv_bytes(GOOD_ROWS[:2]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager_a).post(reverse("accounts:import_users"), {"file": upload})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:manage")
    assert User.objects.filter(username__in=["lan.nguyen", "minh.tran"]).count() == 2
    assert len(mail.outbox) == 2


def test_import_page_refuses_other_file_types(manager_a, client_for):
    upload = SimpleUploadedFile("notes.txt", b"hello")
    response = client_for(manager_a).post(reverse("accounts:import_users"), {"file": upload})
    assert response.status_code == 422
    assert b'data-testid="field-error"' in response.content


def test_template_download_is_a_workbook_that_imports(manager_a, client_for):
    manager_a.language = "vi"
    manager_a.save(update_fields=["language"])
    response = client_for(manager_a).get(reverse("accounts:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == [
        "tên đăng nhập",
        "họ và tên",
        "email",
        "mã đơn vị",
        "vai trò",
        "từ ngày",
    ]


def test_import_pages_are_not_found_for_officers(officer_a, client_for):
    client = client_for(officer_a)
    assert client.get(reverse("accounts:import_users")).status_code == 404
    assert client.get(reverse("accounts:import_template")).status_code == 404


def test_errors_read_in_vietnamese_by_default(manager_a):
    make_user(username="taken")
    rows = [["taken", "Người Một", "one@example.org", "P-A-1", "officer", "31/02/2022"]]
    with translation.override("vi"), pytest.raises(ImportRejected) as rejected:
        users_import(by=manager_a, file=xlsx(rows), site_url=SITE)
    assert 'dòng 2, cột "từ ngày": "31/02/2022" không phải là ngày hợp lệ' in rejected.value.extra["errors"]
