"""The tree in a spreadsheet: export a subtree as it stood on a date, import new units.

One row per unit with the columns of :data:`COLUMNS` (Vietnamese or English headers). An
import only *adds* units: a row whose code exists with the same data is skipped, a row whose
code exists with different data is an error (history changes through restructuring events,
never through a file). Every row is checked before anything is written, parents may come
after their children in the file, and nothing is written unless every row is good (see
:mod:`lantoa.core.importing`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.audit import audit_record
from lantoa.core.errors import ApplicationError, PermissionDenied
from lantoa.core.importing import Column, Row, RowError, read_rows, reject, run_import, show
from lantoa.core.text import fold
from lantoa.org.closure import rebuild_closure
from lantoa.org.models import Unit, UnitArea, UnitClosure, UnitKind, UnitName, UnitParent
from lantoa.org.selectors import today, unit_subtree, valid_on
from lantoa.org.services import unit_close, unit_create

COLUMNS = (
    Column("code", ("mã", "code")),
    Column("name", ("tên", "name")),
    Column("short_name", ("tên viết tắt", "short name"), required=False),
    Column("kind", ("loại", "kind")),
    Column("tier", ("cấp", "tier"), required=False),
    Column("parent_code", ("mã đơn vị cha", "parent code"), required=False),
    Column("opened_on", ("ngày thành lập", "opened on")),
    Column("closed_on", ("ngày giải thể", "closed on"), required=False),
    Column("official_code", ("mã hành chính", "official code"), required=False),
    Column("area_name", ("tên địa bàn", "area name"), required=False),
)
KEYS = [column.key for column in COLUMNS]


# --- Export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeRow:
    code: str
    name: str
    short_name: str
    kind: str
    tier: str
    parent_code: str
    opened_on: dt.date
    closed_on: dt.date | None
    official_code: str
    area_name: str

    def cells(self) -> list[Any]:
        return [getattr(self, key) for key in KEYS]


def tree_export_rows(unit: Unit, as_of: dt.date) -> list[TreeRow]:
    """The subtree of ``unit`` as it stood on ``as_of``: names, parents and areas of that day,
    each parent before its children (children in code order)."""
    units = {u.pk: u for u in unit_subtree(unit, as_of=as_of)}
    ids = list(units)
    names = {
        row["unit_id"]: row
        for row in UnitName.objects.filter(valid_on(as_of), unit_id__in=ids).values("unit_id", "name", "short_name")
    }
    parents = dict(UnitParent.objects.filter(valid_on(as_of), unit_id__in=ids).values_list("unit_id", "parent_id"))
    parent_codes = dict(Unit.objects.filter(pk__in=set(parents.values())).values_list("pk", "code"))
    areas = {
        row["unit_id"]: row
        for row in UnitArea.objects.filter(valid_on(as_of), unit_id__in=ids).values(
            "unit_id", "official_code", "area_name"
        )
    }
    depth = dict(
        UnitClosure.objects.filter(valid_on(as_of), ancestor=unit, descendant_id__in=ids).values_list(
            "descendant_id", "depth"
        )
    )
    children: dict[int, list[Unit]] = defaultdict(list)
    for member in units.values():
        if member.pk != unit.pk and parents.get(member.pk) in units:
            children[parents[member.pk]].append(member)

    ordered: list[Unit] = []
    stack = [unit] if unit.pk in units else []
    while stack:
        current = stack.pop()
        ordered.append(current)
        stack.extend(sorted(children[current.pk], key=lambda u: u.code, reverse=True))
    # Anything the walk missed (it should not happen) still goes out, by depth.
    seen = {u.pk for u in ordered}
    ordered += sorted((u for u in units.values() if u.pk not in seen), key=lambda u: (depth.get(u.pk, 0), u.code))

    rows = []
    for member in ordered:
        name = names.get(member.pk, {"name": member.name, "short_name": member.short_name})
        area = areas.get(member.pk, {"official_code": "", "area_name": ""})
        rows.append(
            TreeRow(
                code=member.code,
                name=name["name"],
                short_name=name["short_name"],
                kind=member.kind.code,
                tier=member.kind.tier.code,
                parent_code=parent_codes.get(parents.get(member.pk), ""),  # type: ignore[arg-type]
                opened_on=member.opened_on,
                closed_on=member.closed_on,
                official_code=area["official_code"],
                area_name=area["area_name"],
            )
        )
    return rows


def _headers(english: bool) -> list[str]:
    return [capfirst(column.english if english else column.vietnamese) for column in COLUMNS]


def tree_export_csv(rows: list[TreeRow], *, english: bool) -> bytes:
    """UTF-8 with a BOM (so spreadsheet programs read Vietnamese); dates as YYYY-MM-DD."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers(english))
    for row in rows:
        writer.writerow([cell.isoformat() if isinstance(cell, dt.date) else cell for cell in row.cells()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def tree_export_xlsx(rows: list[TreeRow], *, english: bool, title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = (title or "Lantoa")[:31]
    sheet.append(_headers(english))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row.cells())
    widths = {"code": 16, "name": 40, "short_name": 20, "kind": 24, "parent_code": 16, "area_name": 30}
    for position, key in enumerate(KEYS, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = widths.get(key, 14)
        if key in ("opened_on", "closed_on"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                cell.number_format = "DD/MM/YYYY"
        else:  # codes stay text even when they look like numbers ("08" is not 8)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Import ---------------------------------------------------------------------------------


@dataclass
class NewUnit:
    row: int
    code: str
    name: str
    short_name: str
    kind: UnitKind
    parent_code: str
    opened_on: dt.date
    closed_on: dt.date | None
    official_code: str
    area_name: str
    skip: bool = False  # the unit exists with exactly these data


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _kind_lookup() -> dict[str, UnitKind]:
    """Folded spelling → kind: the code and the names in both languages."""
    lookup: dict[str, UnitKind] = {}
    for kind in UnitKind.objects.select_related("tier"):
        for spelling in (kind.name_vi, kind.name_en, kind.code):
            lookup[fold(spelling)] = kind
    return lookup


def _area_level(kind: UnitKind) -> str:
    return kind.tier.code if kind.tier.code in UnitArea.Level.values else UnitArea.Level.COMMUNE


def _reference_day(unit: Unit) -> dt.date:
    """The day whose state an existing unit is compared on: today, or its last open day."""
    day = today()
    if unit.closed_on is not None and unit.closed_on <= day:
        day = unit.closed_on - dt.timedelta(days=1)
    return max(day, unit.opened_on)


class _Check:
    """Checks rows one at a time, then across rows (parents, loops, dates)."""

    def __init__(self, by: Any, rows: list[Row], present: set[str]):
        self.by = by
        self.present = present  # the columns the file has: only those are compared
        self.kinds = _kind_lookup()
        self.first_row_of: dict[str, int] = {}
        codes = {show(row.raw("code")) for row in rows} | {show(row.raw("parent_code")) for row in rows}
        codes.discard("")
        self.existing = {u.code: u for u in Unit.objects.filter(code__in=codes).select_related("kind__tier")}
        self.cleaned: dict[int, NewUnit] = {}

    # One row at a time --------------------------------------------------------------------

    def row(self, row: Row) -> NewUnit | None:
        code = row.text("code", max_length=64)
        if code:
            if code in self.first_row_of:
                row.fail(
                    "code",
                    _('"%(value)s" already appears in row %(row)s') % {"value": code, "row": self.first_row_of[code]},
                )
            self.first_row_of.setdefault(code, row.number)
        name = row.text("name", max_length=255)
        short_name = row.text("short_name", required=False, max_length=120)
        kind = self.kind(row)
        parent_code = row.text("parent_code", required=False, max_length=64)
        if parent_code and parent_code == code:
            row.fail("parent_code", _("a unit cannot be its own parent"))
        opened_on = row.date("opened_on")
        closed_on = row.date("closed_on", required=False)
        if opened_on and closed_on and closed_on <= opened_on:
            row.fail("closed_on", _('"%(value)s" is not after the opening date') % {"value": show(closed_on)})
        official_code = row.text("official_code", required=False, max_length=20)
        area_name = row.text("area_name", required=False, max_length=255)
        if kind is not None and official_code and not kind.is_territorial:
            row.fail(
                "official_code",
                _("a %(kind)s is a functional unit and has no administrative area") % {"kind": kind.name},
            )
        if area_name and not official_code:
            row.fail("official_code", _("is empty; an area needs its official code"))
        if row.errors or kind is None or opened_on is None:
            return None
        unit = NewUnit(
            row.number, code, name, short_name, kind, parent_code, opened_on, closed_on, official_code, area_name
        )
        if code in self.existing:
            unit.skip = self.same_as_existing(row, unit, self.existing[code])
            if not unit.skip:
                return None
        self.cleaned[row.number] = unit
        return unit

    def kind(self, row: Row) -> UnitKind | None:
        text = row.text("kind")
        if not text:
            return None
        kind = self.kinds.get(fold(text))
        if kind is None:
            row.fail("kind", _('"%(value)s" is not a unit kind') % {"value": text})
            return None
        tier = row.text("tier", required=False)
        if tier and fold(tier) not in {fold(kind.tier.code), fold(kind.tier.name_vi), fold(kind.tier.name_en)}:
            row.fail("tier", _('"%(value)s" is not the tier of a %(kind)s') % {"value": tier, "kind": kind.name})
        return kind

    def same_as_existing(self, row: Row, new: NewUnit, unit: Unit) -> bool:
        """True if ``unit`` already has exactly the row's data; otherwise records why not."""
        day = _reference_day(unit)
        if self.by is not None and not has_capability(self.by, Capability.VIEW_UNITS, unit, as_of=day):
            row.fail(
                "code", _('"%(value)s" is already used by another unit; codes are never reused') % {"value": new.code}
            )
            return False
        parent = UnitParent.objects.filter(valid_on(day), unit=unit).select_related("parent").first()
        area = UnitArea.objects.filter(valid_on(day), unit=unit).first()
        expected_area_name = (new.area_name or new.name) if new.official_code else ""
        pairs = [
            ("name", _("name"), new.name, unit.name),
            ("short_name", _("short name"), new.short_name, unit.short_name),
            ("kind", _("kind"), new.kind.pk, unit.kind_id),
            ("parent_code", _("parent"), new.parent_code, parent.parent.code if parent else ""),
            ("opened_on", _("opening date"), new.opened_on, unit.opened_on),
            ("closed_on", _("closing date"), new.closed_on, unit.closed_on),
            ("official_code", _("official code"), new.official_code, area.official_code if area else ""),
            ("area_name", _("area name"), expected_area_name, area.area_name if area else ""),
        ]
        differences = [str(label) for key, label, mine, theirs in pairs if key in self.present and mine != theirs]
        if differences:
            row.fail(
                "code",
                _(
                    '"%(value)s" already exists with a different %(fields)s; an import never changes a unit\'s '
                    "history: record a restructuring event instead"
                )
                % {"value": new.code, "fields": ", ".join(differences)},
            )
            return False
        return True

    # Across rows ---------------------------------------------------------------------------

    def across(self, rows: list[Row]) -> None:
        by_number = {row.number: row for row in rows}
        new = {unit.code: unit for unit in self.cleaned.values() if not unit.skip}
        skipped = {unit.code for unit in self.cleaned.values() if unit.skip}
        failed_codes = {show(row.raw("code")) for row in rows if row.errors}
        for unit in new.values():
            row = by_number[unit.row]
            if not unit.parent_code:
                if self.by is not None and not getattr(self.by, "is_superuser", False):
                    row.fail("parent_code", _("is empty; a new unit must sit under a unit you manage"))
                continue
            if unit.parent_code in new:
                self.check_parent_in_file(row, unit, new[unit.parent_code])
            elif unit.parent_code in self.existing and (
                unit.parent_code in skipped or unit.parent_code not in self.first_row_of
            ):
                self.check_parent_in_tree(row, unit, self.existing[unit.parent_code])
            elif unit.parent_code not in failed_codes:
                row.fail(
                    "parent_code",
                    _('"%(value)s" is not a unit in the file or the tree') % {"value": unit.parent_code},
                )
        self.check_loops(new, by_number)
        self.check_closings(new, by_number)

    def check_parent_in_file(self, row: Row, unit: NewUnit, parent: NewUnit) -> None:
        if unit.opened_on < parent.opened_on or (parent.closed_on and unit.opened_on >= parent.closed_on):
            row.fail(
                "opened_on",
                _("%(day)s is outside the life of its parent %(parent)s (row %(row)s)")
                % {"day": show(unit.opened_on), "parent": parent.code, "row": parent.row},
            )

    def check_parent_in_tree(self, row: Row, unit: NewUnit, parent: Unit) -> None:
        if self.by is not None and not has_capability(self.by, Capability.MANAGE_UNITS, parent, as_of=unit.opened_on):
            if has_capability(self.by, Capability.VIEW_UNITS, parent):
                row.fail("parent_code", _('you may not add units under "%(value)s"') % {"value": parent.code})
            else:
                row.fail("parent_code", _('"%(value)s" is not a unit in the file or the tree') % {"value": parent.code})
            return
        if not parent.is_open_on(unit.opened_on):
            row.fail(
                "opened_on",
                _("%(parent)s is not open on %(day)s") % {"parent": parent.code, "day": show(unit.opened_on)},
            )

    def check_loops(self, new: dict[str, NewUnit], by_number: dict[int, Row]) -> None:
        reported: set[str] = set()
        for start in new.values():
            chain = [start.code]
            current = start
            while current.parent_code in new and current.parent_code not in reported:
                current = new[current.parent_code]
                if current.code in chain:
                    loop = chain[chain.index(current.code) :]
                    rows = ", ".join(str(new[code].row) for code in loop)
                    for code in loop:
                        if code not in reported:
                            by_number[new[code].row].fail(
                                "parent_code", _("the parents make a loop (rows %(rows)s)") % {"rows": rows}
                            )
                    reported.update(loop)
                    break
                chain.append(current.code)

    def check_closings(self, new: dict[str, NewUnit], by_number: dict[int, Row]) -> None:
        for unit in new.values():
            parent = new.get(unit.parent_code)
            if parent is None or parent.closed_on is None:
                continue
            if unit.closed_on is None or unit.closed_on > parent.closed_on:
                by_number[unit.row].fail(
                    "closed_on",
                    _("its parent %(parent)s (row %(row)s) closes on %(day)s; this unit must close by then")
                    % {"parent": parent.code, "row": parent.row, "day": show(parent.closed_on)},
                )


def _depth_order(units: list[NewUnit]) -> list[NewUnit]:
    """Parents before children (rows in file order within a level)."""
    by_code = {unit.code: unit for unit in units}

    def depth(unit: NewUnit) -> int:
        level = 0
        while unit.parent_code in by_code:
            unit = by_code[unit.parent_code]
            level += 1
        return level

    return sorted(units, key=lambda unit: (depth(unit), unit.row))


def tree_import(*, by: Any, file: IO[bytes] | bytes) -> ImportResult:
    """Create every new unit in ``file``, or nothing (raises ImportRejected with every problem).

    ``by`` needs ``manage_units`` on the parent of every new unit that sits under an existing
    unit; only the system (``by=None``) and superusers may add units at the top of the tree.
    """
    if by is not None and not has_capability(by, Capability.MANAGE_UNITS):
        raise PermissionDenied(_("You may not change the tree."))
    table = read_rows(file, columns=COLUMNS)
    check = _Check(by, table.rows, present=set(table.headers))
    for row in table.rows:
        check.row(row)
    check.across(table.rows)

    def apply(rows: list[NewUnit]) -> ImportResult:
        result = ImportResult(skipped=[unit.code for unit in rows if unit.skip])
        created: dict[str, Unit] = {}
        ordered = _depth_order([unit for unit in rows if not unit.skip])
        current = None
        try:
            for current in ordered:
                parent = created.get(current.parent_code) or check.existing.get(current.parent_code)
                made = unit_create(
                    by=by,
                    code=current.code,
                    name=current.name,
                    short_name=current.short_name,
                    kind=current.kind,
                    opened_on=current.opened_on,
                    parent=parent,
                    official_code=current.official_code,
                    area_name=current.area_name,
                    area_level=_area_level(current.kind),
                    rebuild=False,  # one closure rebuild for the whole file
                )
                created[current.code] = made
                result.created.append(current.code)
            rebuild_closure([unit.pk for unit in created.values()])
            closing = sorted((u for u in ordered if u.closed_on), key=lambda u: (u.closed_on, -ordered.index(u)))
            for current in closing:
                unit_close(by=by, unit=created[current.code], on=current.closed_on)  # type: ignore[arg-type]
        except ApplicationError as error:  # a concurrent change since the check: nothing is kept
            raise reject([RowError(current.row if current else 1, "", error.message)]) from error
        if created:
            top = next(iter(created.values()))
            audit_record(action="lantoa.org.tree.imported", by=by, target=top, unit=top, changed=["units"])
        return result

    return run_import(table.rows, validate=lambda row: check.cleaned.get(row.number), apply=apply)
