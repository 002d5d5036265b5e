"""An existing programme's task table, read from a spreadsheet (XLSX or CSV) and checked, one row
per task, so a programme issued as a Word file gets its tasks without typing them again.

Columns (:data:`COLUMNS`; headers in Vietnamese or English, in any order, other columns such as
"STT" ignored): "Nội dung nhiệm vụ" (Task), "Đơn vị chủ trì" (Owner unit: a unit's code) and/or
"Người/chức danh chủ trì" (Owner role), "Ngày bắt đầu" (Start), "Hạn hoàn thành" (Deadline) and
"Kết quả dự kiến" (Expected result). The two owner columns may each be left out of the file, but
every row must name its owner in one of them.

Every row is checked before anything is written (:mod:`lantoa.core.importing`): a unit unknown,
out of the importer's scope or closed before the task starts answers the same way (nobody learns
what exists elsewhere), the deadline may not come before the start, a task may not appear twice,
and the programme may hold at most :data:`~lantoa.plans.models.TASKS_MAX` tasks. Any problem and
:class:`~lantoa.core.errors.ImportRejected` lists every one with its row and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from lantoa.core.importing import Column, Row, RowError, read_rows, reject, run_import, template_workbook
from lantoa.core.text import fold
from lantoa.org.models import Unit
from lantoa.plans.models import ROLE_MAX, TASKS_MAX, TEXT_MAX, TITLE_MAX

MAX_ROWS = TASKS_MAX  # a programme holds at most this many tasks; the reader stops past it
UNIT_CODE_MAX = 64

COLUMNS = (
    Column("title", ("Nội dung nhiệm vụ", "Nhiệm vụ", "Task")),
    Column("owner_unit", ("Đơn vị chủ trì", "Mã đơn vị chủ trì", "Owner unit"), required=False),
    Column("owner_role", ("Người/chức danh chủ trì", "Chức danh chủ trì", "Owner role"), required=False),
    Column("starts_on", ("Ngày bắt đầu", "Start")),
    Column("due_on", ("Hạn hoàn thành", "Thời hạn", "Deadline")),
    Column("expected_result", ("Kết quả dự kiến", "Expected result"), required=False),
)
TEMPLATE_EXAMPLE = (
    "Tổ chức hội nghị học tập, quán triệt nghị quyết",
    "P-A-1",
    "Ban Tuyên giáo chủ trì",
    "01/04/2021",
    "30/06/2021",
    "100% cán bộ, đảng viên được học tập",
)

# Looks a unit up by its code for the importing user: the unit, or None when it is unknown or
# outside what the user may see (both read the same).
UnitLookup = Callable[[str], Unit | None]


@dataclass(frozen=True)
class TaskRow:
    """One checked row: a task to add."""

    row: int
    title: str
    starts_on: dt.date
    due_on: dt.date
    owner_unit: Unit | None
    owner_role: str
    expected_result: str


class _RowCheck:
    """Checks one row at a time, remembering the units already looked up and the tasks seen."""

    def __init__(self, lookup: UnitLookup):
        self.lookup = lookup
        self.units: dict[str, Unit | None] = {}
        self.first_row_of: dict[tuple[str, dt.date], int] = {}

    def __call__(self, row: Row) -> TaskRow | None:
        title = row.text("title", max_length=TITLE_MAX)
        code = row.text("owner_unit", required=False, max_length=UNIT_CODE_MAX)
        role = row.text("owner_role", required=False, max_length=ROLE_MAX)
        starts_on = row.date("starts_on")
        due_on = row.date("due_on")
        expected = row.text("expected_result", required=False, max_length=TEXT_MAX, multiline=True)
        unit = self.unit(row, code, starts_on) if code else None
        if not code and not role:
            column = "owner_role" if "owner_role" in row.headers else "owner_unit"
            row.fail(column, _("name the unit or the role that carries out the task"))
        if starts_on and due_on and due_on < starts_on:
            row.fail("due_on", _("the deadline comes before the start"))
        if title and due_on:
            key = (fold(title), due_on)
            if key in self.first_row_of:
                row.fail("title", _("the same task already appears in row %(row)s") % {"row": self.first_row_of[key]})
            else:
                self.first_row_of[key] = row.number
        if row.errors or starts_on is None or due_on is None:
            return None
        return TaskRow(row.number, title, starts_on, due_on, unit, role, expected)

    def unit(self, row: Row, code: str, starts_on: dt.date | None) -> Unit | None:
        if code not in self.units:
            self.units[code] = self.lookup(code)
        unit = self.units[code]
        if unit is None or (starts_on is not None and unit.closed_on is not None and unit.closed_on <= starts_on):
            row.fail("owner_unit", _('no unit with code "%(value)s" open on the start day') % {"value": code})
            return None
        return unit


def tasks_read(*, file: IO[bytes] | bytes, lookup: UnitLookup, room: int = TASKS_MAX) -> list[TaskRow]:
    """Every row of ``file``, checked (ImportRejected lists every problem with its row); ``room``
    is how many tasks the programme may still take."""
    table = read_rows(file, columns=COLUMNS, max_rows=MAX_ROWS)
    checked = run_import(table.rows, validate=_RowCheck(lookup), apply=lambda tasks: tasks)
    if len(checked) > room:
        message = _("the programme can take %(room)s more task(s), the file has %(count)s") % {
            "room": room,
            "count": len(checked),
        }
        raise reject([RowError(checked[room].row, "", message)])
    return checked


def tasks_template(*, english: bool) -> bytes:
    """The XLSX template: the header row in the user's language and one example row."""
    return template_workbook(COLUMNS, english=english, example=TEMPLATE_EXAMPLE)
