"""A restricted contest's list of eligible people in and out of spreadsheets.

In: XLSX or CSV, one row per person, columns (:data:`COLUMNS`; Vietnamese or English headers, any
order, other columns ignored) "Họ và tên" (Full name), "Mã đơn vị" (Unit code) and, optional,
"Chức vụ" (Position). Every row is checked first (:mod:`lantoa.core.importing`): a unit unknown,
closed or outside the contest's organiser answers the same way, and the same person (name folded,
unit) may be on the list once. Any problem and :class:`~lantoa.core.errors.ImportRejected` lists
every one; the caller writes nothing.

Out: the list with each person's registration code, for the units to hand them out.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lantoa.contests.models import NAME_MAX, POSITION_MAX, Contest, EligiblePerson
from lantoa.core.importing import Column, Row, read_rows, run_import, template_workbook
from lantoa.core.text import fold
from lantoa.org.models import Unit
from lantoa.org.selectors import unit_by_code, unit_is_within

MAX_ROWS = 20_000  # a province's cadres of one rank; larger lists are imported in parts

COLUMNS = (
    Column("name", ("Họ và tên", "Họ tên", "Full name")),
    Column("unit_code", ("Mã đơn vị", "Unit code")),
    Column("position", ("Chức vụ", "Position"), required=False),
)
TEMPLATE_EXAMPLE = ("Nguyễn Thị Hoa", "P-A-1", "Phó Bí thư Đảng ủy")


@dataclass(frozen=True)
class EligibleRow:
    row: int
    name: str
    unit: Unit
    position: str


def person_key(name: str, unit_id: int) -> tuple[str, int]:
    """One person on one list: the name folded (case, diacritics, spaces) and the unit."""
    return fold(name), unit_id


class _RowCheck:
    def __init__(self, contest: Contest, listed: set[tuple[str, int]]):
        self.contest = contest
        self.listed = listed
        self.today = timezone.localdate()
        self.units: dict[str, Unit | None] = {}
        self.first_row_of: dict[tuple[str, int], int] = {}

    def __call__(self, row: Row) -> EligibleRow | None:
        name = row.text("name", max_length=NAME_MAX)
        code = row.text("unit_code", max_length=50)
        position = row.text("position", required=False, max_length=POSITION_MAX)
        unit = self.unit(row, code) if code else None
        if unit is not None and name:
            key = person_key(name, unit.pk)
            if key in self.listed:
                row.fail("name", _("%(name)s of this unit is already on the list") % {"name": name})
            elif key in self.first_row_of:
                row.fail("name", _("the same person is in row %(row)s") % {"row": self.first_row_of[key]})
            else:
                self.first_row_of[key] = row.number
        if row.errors or unit is None:
            return None
        return EligibleRow(row.number, name, unit, position)

    def unit(self, row: Row, code: str) -> Unit | None:
        if code not in self.units:
            unit = unit_by_code(code)
            inside = unit is not None and unit_is_within(unit.pk, [self.contest.unit_id], as_of=self.today)
            self.units[code] = unit if inside else None
        if self.units[code] is None:
            # Unknown and outside units read the same, so nobody learns what exists elsewhere.
            row.fail("unit_code", _('no unit with code "%(value)s" in this contest') % {"value": code})
        return self.units[code]


def eligible_read(*, contest: Contest, file: IO[bytes] | bytes) -> list[EligibleRow]:
    """Every row of ``file``, checked against the units of the contest and its list as it stands
    (ImportRejected lists every problem with its row)."""
    listed = {person_key(name, unit_id) for name, unit_id in contest.eligible.values_list("name", "unit_id")}
    table = read_rows(file, columns=COLUMNS, max_rows=MAX_ROWS)
    return run_import(table.rows, validate=_RowCheck(contest, listed), apply=lambda rows: rows)


def eligible_template(*, english: bool) -> bytes:
    return template_workbook(COLUMNS, english=english, example=TEMPLATE_EXAMPLE)


def shown_code(invitation: str) -> str:
    """A code as printed: two groups of four, easier to read out and type."""
    return f"{invitation[:4]}-{invitation[4:]}"


def eligible_xlsx(people: Iterable[EligiblePerson], *, english: bool) -> bytes:
    """The list with each person's registration code and whether it was used."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("List" if english else "Danh sách")
    sheet.append(
        ["Full name", "Unit code", "Unit", "Position", "Registration code", "Registered"]
        if english
        else ["Họ và tên", "Mã đơn vị", "Đơn vị", "Chức vụ", "Mã đăng ký", "Đã đăng ký"]
    )
    yes, no = ("yes", "no") if english else ("có", "chưa")
    for person in people:
        sheet.append(
            [
                person.name,
                person.unit.code,
                person.unit.name,
                person.position,
                shown_code(person.invitation),
                yes if person.contestant_id else no,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
