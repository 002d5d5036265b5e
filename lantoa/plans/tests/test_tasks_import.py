"""A programme's task table from a spreadsheet: all or nothing, every bad row named with its row
and column, owners in the importer's scope, the page and the API."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from lantoa.accounts.tests.factories import make_user
from lantoa.core.errors import ImportRejected
from lantoa.core.models import AuditEntry
from lantoa.org.tests.factories import make_unit
from lantoa.plans import services
from lantoa.plans.models import ProgrammeTask
from lantoa.plans.permissions import owner_lookup
from lantoa.plans.tasks_io import tasks_template
from lantoa.plans.tests.factories import make_document, make_programme, make_task

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Người/chức danh chủ trì", "Ngày bắt đầu", "Hạn hoàn thành",
          "Kết quả dự kiến"]  # fmt: skip


def workbook(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    [1, "Tổ chức hội nghị quán triệt nghị quyết", "P-A-1", "", "01/04/2021", "30/06/2021", "100% đảng viên học tập"],
    [2, "Xây dựng chuyên mục trên cổng thông tin", "", "Ban Tuyên giáo", dt.datetime(2021, 4, 1), "31/12/2021", ""],
]


@pytest.fixture
def programme(tree):  # type: ignore[no-untyped-def]
    return make_programme(tree.district_a, make_document(tree.province))


def test_every_row_becomes_a_task_numbered_after_those_there(tree, admin_user, programme):
    make_task(programme)
    result = services.tasks_import(by=admin_user, programme=programme, file=workbook(GOOD),
                                   lookup=owner_lookup(admin_user))  # fmt: skip
    assert (result.added, result.first, result.last) == (2, 2, 3)
    tasks = list(ProgrammeTask.objects.filter(programme=programme).order_by("position"))
    assert [(t.position, t.owner_unit_id, t.owner_role, t.starts_on, t.due_on) for t in tasks[1:]] == [
        (2, tree.commune_a1.pk, "", dt.date(2021, 4, 1), dt.date(2021, 6, 30)),
        (3, None, "Ban Tuyên giáo", dt.date(2021, 4, 1), dt.date(2021, 12, 31)),
    ]
    assert tasks[1].expected_result == "100% đảng viên học tập"
    entry = AuditEntry.objects.get(action="lantoa.plans.tasks.imported")
    assert entry.unit_id == tree.district_a.pk


def test_a_file_with_bad_rows_writes_nothing_and_names_every_problem(tree, admin_user, programme):
    closed = make_unit(kind="commune_committee", parent=tree.district_a, code="P-A-9")
    closed.closed_on = dt.date(2021, 1, 1)
    closed.save(update_fields=["closed_on"])
    rows = [
        GOOD[0],
        [2, "", "P-A-1", "", "01/04/2021", "30/06/2021", ""],  # no task
        [3, "Việc ba", "", "", "01/04/2021", "30/06/2021", ""],  # no owner
        [4, "Việc bốn", "NOPE", "", "31/02/2021", "30/06/2021", ""],  # unknown unit, no such date
        [5, "Việc năm", "P-A-1", "", "01/07/2021", "30/06/2021", ""],  # deadline before start
        [6, "Tổ chức hội nghị quán triệt nghị quyết", "P-A-1", "", "01/04/2021", "30/06/2021", ""],  # twice
        [7, "Việc bảy", "P-A-9", "", "01/04/2021", "30/06/2021", ""],  # closed before it starts
        [8, "x" * 301, "", "Ban", "01/04/2021", "", ""],  # too long, no deadline
    ]
    with pytest.raises(ImportRejected) as rejected:
        services.tasks_import(by=admin_user, programme=programme, file=workbook(rows), lookup=owner_lookup(admin_user))
    found = {(d["row"], d["column"]) for d in rejected.value.extra["details"]}
    assert found == {
        (3, "Nội dung nhiệm vụ"), (4, "Người/chức danh chủ trì"), (5, "Đơn vị chủ trì"), (5, "Ngày bắt đầu"),
        (6, "Hạn hoàn thành"), (7, "Nội dung nhiệm vụ"), (8, "Đơn vị chủ trì"), (9, "Nội dung nhiệm vụ"),
        (9, "Hạn hoàn thành"),
    }  # fmt: skip
    assert rejected.value.extra["total"] == 9
    assert not ProgrammeTask.objects.filter(programme=programme).exists()
    assert not AuditEntry.objects.filter(action="lantoa.plans.tasks.imported").exists()


def test_an_owner_outside_the_importers_scope_reads_like_an_unknown_one(tree, programme):
    district_officer = make_user(role="manager", unit=tree.district_a)
    rows = [[1, "Việc", "P-B-1", "", "01/04/2021", "30/06/2021", ""]]
    with pytest.raises(ImportRejected) as rejected:
        services.tasks_import(by=district_officer, programme=programme, file=workbook(rows),
                              lookup=owner_lookup(district_officer))  # fmt: skip
    (problem,) = rejected.value.extra["details"]
    assert (problem["row"], problem["column"]) == (2, "Đơn vị chủ trì") and "P-B-1" in problem["message"]


def test_missing_columns_and_a_full_programme_are_refused(admin_user, programme):
    with pytest.raises(ImportRejected) as missing:
        services.tasks_import(by=admin_user, programme=programme, file=workbook([["Việc"]], header=["Nhiệm vụ"]),
                              lookup=owner_lookup(admin_user))  # fmt: skip
    assert len(missing.value.extra["details"]) == 2  # start and deadline
    for _number in range(199):
        make_task(programme)
    with pytest.raises(ImportRejected) as full:
        services.tasks_import(by=admin_user, programme=programme, file=workbook(GOOD), lookup=owner_lookup(admin_user))
    assert full.value.extra["details"][0]["row"] == 3
    assert ProgrammeTask.objects.filter(programme=programme).count() == 199


def test_the_template_reads_back_as_one_task(tree, admin_user, programme):
    content = tasks_template(english=False)
    assert [c.value for c in load_workbook(io.BytesIO(content)).active[1]][:2] == [
        "Nội dung nhiệm vụ",
        "Đơn vị chủ trì",
    ]
    result = services.tasks_import(by=admin_user, programme=programme, file=content, lookup=owner_lookup(admin_user))
    assert result.added == 1
    english = load_workbook(io.BytesIO(tasks_template(english=True))).active
    assert english["A1"].value == "Task"


def test_the_page_lists_problems_and_imports_a_good_file(tree, admin_user, client_for, programme):
    client = client_for(admin_user)
    url = f"/plans/programmes/{programme.pk}/import/"
    assert client.get(url).status_code == 200
    assert 'data-testid="tasks-import-link"' in client.get(f"/plans/programmes/{programme.pk}/").content.decode()
    bad = SimpleUploadedFile("tasks.xlsx", workbook([[1, "Việc", "", "", "01/04/2021", "30/06/2021", ""]]))
    refused = client.post(url, {"file": bad})
    assert refused.status_code == 422 and refused.content.decode().count('data-testid="import-error"') == 1
    good = client.post(url, {"file": SimpleUploadedFile("tasks.xlsx", workbook(GOOD))})
    assert good.status_code == 302 and ProgrammeTask.objects.filter(programme=programme).count() == 2
    template = client.get("/plans/programmes/import-template.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")


def test_the_api_imports_and_refuses_with_every_problem(tree, admin_user, client_for, programme):
    client = client_for(admin_user)
    path = f"/api/v1/plans/programmes/{programme.pk}/tasks/import"
    bad = workbook([[1, "Việc", "", "", "01/04/2021", "bad", ""]])
    refused = client.post(path, {"file": SimpleUploadedFile("t.xlsx", bad)})
    assert refused.status_code == 422 and refused.json()["code"] == "import_rejected"
    assert not ProgrammeTask.objects.filter(programme=programme).exists()
    done = client.post(path, {"file": SimpleUploadedFile("t.xlsx", workbook(GOOD))})
    assert done.status_code == 200, done.content
    assert (done.json()["added"], done.json()["first"], done.json()["last"]) == (2, 1, 2)
    assert client.get("/api/v1/plans/tasks/import-template").status_code == 200


def test_someone_who_may_only_read_the_programme_cannot_import(tree, client_for, programme):
    commune = make_user(role="officer", unit=tree.commune_a1)
    make_task(programme, owner_unit=tree.commune_a1)  # the commune reads the programme through its task
    client = client_for(commune)
    answer = client.post(f"/api/v1/plans/programmes/{programme.pk}/tasks/import",
                         {"file": SimpleUploadedFile("t.xlsx", workbook(GOOD))})  # fmt: skip
    assert answer.status_code == 403
    assert ProgrammeTask.objects.filter(programme=programme).count() == 1
