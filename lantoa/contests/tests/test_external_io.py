"""Results from another platform, read from XLSX or CSV: every bad row reported with its row
number, units outside the contest answering like unknown ones, limits checked while reading."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lantoa.contests.external_io import (
    MAX_FIGURE,
    MAX_ROWS,
    external_results_read,
    external_results_template,
)
from lantoa.contests.tests.factories import make_contest
from lantoa.core.errors import ImportRejected

pytestmark = pytest.mark.django_db

HEADER = ["Mã đơn vị", "Đợt thi", "Đến ngày", "Số người dự thi", "Số lượt dự thi"]


def workbook(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_good_rows_are_read_from_xlsx_and_csv(tree):
    contest = make_contest(tree.district_a)
    rows = [["P-A-1", "Tuần 1", "09/05/2021", 120, 310], ["P-A-1-C1", "Tuần 1", "09/05/2021", "1.200", "3 100"]]
    figures = external_results_read(contest=contest, file=workbook(rows))
    assert [(f.row, f.unit, f.period, f.day, f.participants, f.entries) for f in figures] == [
        (2, tree.commune_a1, "Tuần 1", dt.date(2021, 5, 9), 120, 310),
        (3, tree.cell_a1, "Tuần 1", dt.date(2021, 5, 9), 1200, 3100),
    ]
    csv = b"Unit code,Period,Date,Participants,Entries\nP-A-1,Week 2,2021-05-16,5,7\n"
    (figure,) = external_results_read(contest=contest, file=csv)
    assert (figure.unit, figure.period, figure.day, figure.participants, figure.entries) == (
        tree.commune_a1,
        "Week 2",
        dt.date(2021, 5, 16),
        5,
        7,
    )


def test_every_bad_row_is_reported_with_its_row(tree):
    contest = make_contest(tree.district_a)
    rows = [
        ["P-A-1", "Tuần 1", "09/05/2021", 10, 20],  # good
        ["NO-SUCH", "Tuần 1", "09/05/2021", 10, 20],  # unknown unit
        ["P-B-1", "Tuần 1", "09/05/2021", 10, 20],  # another district: answers like unknown
        ["P-A-1-C1", "Tuần 1", "09/05/2021", -1, 20],  # negative
        ["P-A-1-C1", "Tuần 2", "09/05/2021", 1, MAX_FIGURE + 1],  # too large
        ["P-A-1-C1", "Tuần 3", "09/05/2021", 30, 20],  # more people than entries
        ["P-A-1", "tuần 1", "09/05/2021", 1, 1],  # the same unit and period again
        ["P-A-1-C1", "Tuần 4", "31/02/2021", 1, 1],  # not a date
        ["P-A-1-C1", "", "09/05/2021", "mười", 1.5],  # empty period, not numbers
    ]
    with translation.override("vi"), pytest.raises(ImportRejected) as rejected:
        external_results_read(contest=contest, file=workbook(rows))
    places = {(d["row"], d["column"]) for d in rejected.value.extra["details"]}
    assert places == {
        (3, "Mã đơn vị"),
        (4, "Mã đơn vị"),
        (5, "Số người dự thi"),
        (6, "Số lượt dự thi"),
        (7, "Số người dự thi"),
        (8, "Đợt thi"),
        (9, "Đến ngày"),
        (10, "Đợt thi"),
        (10, "Số người dự thi"),
        (10, "Số lượt dự thi"),
    }
    messages = " ".join(rejected.value.extra["errors"])
    assert 'không có đơn vị mã "NO-SUCH" trong cuộc thi này' in messages
    assert 'không có đơn vị mã "P-B-1" trong cuộc thi này' in messages
    assert "đã có ở dòng 2" in messages
    assert "30 người dự thi nhưng chỉ 20 lượt dự thi" in messages


def test_wrong_headers_too_many_rows_and_broken_files_are_refused(tree):
    contest = make_contest(tree.province)
    with pytest.raises(ImportRejected) as rejected:
        external_results_read(contest=contest, file=workbook([["P-A-1", 1]], header=["Mã đơn vị", "Người"]))
    assert "Đợt thi" in " ".join(rejected.value.extra["errors"])
    many = "Mã đơn vị,Đợt thi,Đến ngày,Số người dự thi,Số lượt dự thi\n" + "P-A-1,Tuần 1,09/05/2021,1,1\n" * (
        MAX_ROWS + 1
    )
    with pytest.raises(ImportRejected) as rejected:
        external_results_read(contest=contest, file=many.encode())
    assert rejected.value.extra["total"] == 1
    with pytest.raises(ImportRejected):
        external_results_read(contest=contest, file=b"PK\x03\x04 not a zip")
    with pytest.raises(ImportRejected):
        external_results_read(contest=contest, file=b"x" * (6 * 1024 * 1024))


def test_the_template_reads_back(tree):
    content = external_results_template(english=False)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == HEADER
    contest = make_contest(tree.province)
    (figure,) = external_results_read(contest=contest, file=content)
    assert (figure.unit, figure.participants, figure.entries) == (tree.commune_a1, 120, 310)
    english = load_workbook(io.BytesIO(external_results_template(english=True))).active
    assert english is not None
    assert [cell.value for cell in english[1]] == ["Unit code", "Period", "Date", "Participants", "Entries"]


def test_importing_stores_the_rows_and_again_replaces_the_periods(tree, admin_user):
    from lantoa.contests.models import ExternalResult
    from lantoa.contests.services.external import external_results_import
    from lantoa.core.models import AuditEntry

    contest = make_contest(tree.district_a)
    rows = [["P-A-1", "Tuần 1", "09/05/2021", 120, 310], ["P-A-1-C1", "Tuần 1", "09/05/2021", 20, 30]]
    first = external_results_import(by=admin_user, contest=contest, file=workbook(rows))
    assert (first.rows, first.replaced, first.periods) == (2, 0, ["Tuần 1"])
    again = external_results_import(by=admin_user, contest=contest, file=workbook(rows))
    assert (again.rows, again.replaced) == (2, 2)
    stored = ExternalResult.objects.filter(contest=contest)
    assert sorted(stored.values_list("unit__code", "participants", "entries")) == [
        ("P-A-1", 120, 310),
        ("P-A-1-C1", 20, 30),
    ]
    # A corrected file for the period replaces it whole; another period is kept.
    external_results_import(by=admin_user, contest=contest, file=workbook([["P-A-1", "Tuần 2", "16/05/2021", 5, 6]]))
    external_results_import(
        by=admin_user, contest=contest, file=workbook([["P-A-1", "tuần 1", "09/05/2021", 100, 300]])
    )
    assert sorted(stored.values_list("period_key", "unit__code", "participants", "entries")) == [
        ("tuan 1", "P-A-1", 100, 300),
        ("tuan 2", "P-A-1", 5, 6),
    ]
    # A file with a bad row writes nothing.
    with pytest.raises(ImportRejected):
        external_results_import(
            by=admin_user,
            contest=contest,
            file=workbook([["P-A-1", "Tuần 2", "16/05/2021", 1, 1], ["P-B-1", "Tuần 2", "16/05/2021", 1, 1]]),
        )
    assert stored.get(period_key="tuan 2").entries == 6
    entries = AuditEntry.objects.filter(action="lantoa.contests.external.imported")
    assert entries.count() == 4
