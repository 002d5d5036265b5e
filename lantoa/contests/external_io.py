"""Results of a contest run on another platform, read from a spreadsheet (XLSX or CSV) and
checked, one row per unit and period, so unit participation can be counted in one place.

Columns (:data:`COLUMNS`; headers in Vietnamese or English, in any order, other columns
ignored): "Mã đơn vị" (Unit code), "Đợt thi" (Period: the round's name, as the other platform
calls it), "Đến ngày" (Date: the period's last day, the day the figures count on), "Số người dự
thi" (Participants: people, each counted once) and "Số lượt dự thi" (Entries: attempts, the same
person counted again).

Every row is checked before anything else happens (:mod:`lantoa.core.importing`, which checks
the file's size and its number of rows while reading): a unit unknown, closed or outside the
contest's organiser answers the same way (nobody learns what exists elsewhere), figures must be
whole numbers from 0 to :data:`MAX_FIGURE`, a unit cannot have more participants than entries,
and a unit and period may appear once. Any problem and :class:`~lantoa.core.errors.ImportRejected`
lists every one with its row; the caller writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from lantoa.contests.models import Contest
from lantoa.core.importing import Column, Row, read_rows, run_import, show, template_workbook
from lantoa.core.text import fold
from lantoa.org.models import Unit
from lantoa.org.selectors import unit_by_code, unit_is_within

MAX_ROWS = 10_000  # a province's units for a few periods; a national contest imports per province
MAX_FIGURE = 100_000_000  # more than the largest national contest's entries
PERIOD_MAX_LENGTH = 100

COLUMNS = (
    Column("unit_code", ("Mã đơn vị", "Unit code")),
    Column("period", ("Đợt thi", "Vòng thi", "Tuần thi", "Round", "Period")),
    Column("day", ("Đến ngày", "Ngày", "Date")),
    Column("participants", ("Số người dự thi", "Người dự thi", "Participants")),
    Column("entries", ("Số lượt dự thi", "Lượt dự thi", "Entries")),
)
TEMPLATE_EXAMPLE = ("P-A-1", "Tuần 1", "09/05/2021", 120, 310)

_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


@dataclass(frozen=True)
class ExternalFigure:
    """One checked row: a unit's participants and entries for one period."""

    row: int
    unit: Unit
    period: str
    day: dt.date
    participants: int
    entries: int


def read_figure(row: Row, key: str) -> int | None:
    """A whole number from 0 to :data:`MAX_FIGURE`: a number cell, or text with or without
    thousands separators ("1.234", "1,234", "1 234")."""
    value = row.raw(key)
    text = show(value)
    if not text:
        row.fail(key, _("is empty"))
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() else None
    else:
        digits = text.strip()
        if _GROUPED.match(digits):
            digits = re.sub(r"[.,\s]", "", digits)
        if re.fullmatch(r"-?\d+", digits):
            number = int(digits)
    if number is None:
        row.fail(key, _('"%(value)s" is not a whole number') % {"value": text})
        return None
    if not 0 <= number <= MAX_FIGURE:
        row.fail(key, _("must be from 0 to %(max)s") % {"max": MAX_FIGURE})
        return None
    return number


class _RowCheck:
    """Checks one row at a time, remembering the units already looked up and the unit and
    period pairs already seen."""

    def __init__(self, contest: Contest):
        self.contest = contest
        self.units: dict[tuple[str, dt.date], Unit | None] = {}
        self.first_row_of: dict[tuple[int, str], int] = {}

    def __call__(self, row: Row) -> ExternalFigure | None:
        code = row.text("unit_code", max_length=50)
        period = row.text("period", max_length=PERIOD_MAX_LENGTH)
        day = row.date("day")
        participants = read_figure(row, "participants")
        entries = read_figure(row, "entries")
        unit = self.unit(row, code, day) if code and day else None
        if participants is not None and entries is not None and participants > entries:
            row.fail(
                "participants",
                _("%(participants)s participants but %(entries)s entries: each participant makes at least one entry")
                % {"participants": participants, "entries": entries},
            )
        if unit is not None and period:
            key = (unit.pk, fold(period))
            if key in self.first_row_of:
                row.fail(
                    "period",
                    _("this unit and period already appear in row %(row)s") % {"row": self.first_row_of[key]},
                )
            else:
                self.first_row_of[key] = row.number
        if row.errors or unit is None or day is None or participants is None or entries is None:
            return None
        return ExternalFigure(row.number, unit, period, day, participants, entries)

    def unit(self, row: Row, code: str, day: dt.date) -> Unit | None:
        if (code, day) not in self.units:
            self.units[code, day] = self._unit_within(code, day)
        unit = self.units[code, day]
        if unit is None:
            # Unknown and outside units read the same, so nobody learns what exists elsewhere.
            row.fail("unit_code", _('no unit with code "%(value)s" in this contest') % {"value": code})
        return unit

    def _unit_within(self, code: str, day: dt.date) -> Unit | None:
        unit = unit_by_code(code)
        if unit is None or not unit_is_within(unit.pk, [self.contest.unit_id], as_of=day):
            return None
        return unit


def external_results_read(*, contest: Contest, file: IO[bytes] | bytes) -> list[ExternalFigure]:
    """Every row of ``file``, checked (ImportRejected lists every problem with its row)."""
    table = read_rows(file, columns=COLUMNS, max_rows=MAX_ROWS)
    return run_import(table.rows, validate=_RowCheck(contest), apply=lambda figures: figures)


def external_results_template(*, english: bool) -> bytes:
    """The XLSX template: the header row in the user's language and one example row."""
    return template_workbook(COLUMNS, english=english, example=TEMPLATE_EXAMPLE)
