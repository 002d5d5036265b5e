"""The roster's writer: the roles held in a unit's subtree on a day as XLSX (one sheet per role)
or CSV, masked per viewer and audited; and the empty template."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from lantoa.accounts.roles import Capability
from lantoa.core.audit import audit_record
from lantoa.core.errors import NotFound, PermissionDenied
from lantoa.core.importing import Column
from lantoa.org.models import Unit
from lantoa.org.permissions import access_unit
from lantoa.org.selectors import subtree_ids, today, valid_on
from lantoa.people.models import GroupMembership, NetworkRoleKind
from lantoa.people.presenters import PersonView, person_views
from lantoa.people.roster_io.columns import (
    COLUMNS,
    FORMULA_START,
    ROLE_COLUMN,
    SEX_LABELS,
    day_text,
    in_english,
    sheet_title,
)
from lantoa.people.selectors import RosterFilter, role_kinds, roster_for_user
from lantoa.people.services import MEMBER_ROLES

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

# A plain number (a phone) is harmless, even when it starts like a formula.
_NUMBER_LIKE = re.compile(r"^[+\-]?[\d\s().,/-]*$")
_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


def _header(column: Column, english: bool) -> str:
    return column.english if english else column.vietnamese


# --- The gate of the export -----------------------------------------------------------------


def access_roster(*, by: Any, code: str) -> Unit:
    """The unit whose roster ``by`` may see. Without person-level access (inspectors) the
    roster does not exist for them: NotFound, as for a unit outside their scope."""
    try:
        return access_unit(by=by, code=code, capability=Capability.VIEW_PERSONS)
    except PermissionDenied as denied:
        raise NotFound(_("No unit with code %(code)s.") % {"code": code}, extra={"code": code}) from denied


# --- Export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    role: NetworkRoleKind
    person: PersonView
    unit_code: str
    valid_from: dt.date
    valid_to: dt.date | None
    decision_ref: str
    group: str

    def cells(self, *, english: bool) -> list[Any]:
        sex = SEX_LABELS["en" if english else "vi"].get(self.person.sex, "")
        return [
            self.person.full_name,
            sex,
            self.person.birth_year,
            self.unit_code,
            self.person.phone,
            self.person.email,
            self.valid_from,
            self.valid_to,
            self.decision_ref,
            self.group,
        ]


def roster_rows(
    by: Any, unit: Unit, *, role: str = "", tier: str = "", day: dt.date | None = None, q: str = ""
) -> list[RosterRow]:
    """The roles held in ``unit``'s subtree on ``day`` (today by default), in name order, each
    with the person as ``by`` may see them and the group that gave the role (if any).

    Anonymised persons are left out: they still count in the figures, but a list of people
    has nothing to say about them (and a file that names "—" cannot be imported again)."""
    day = day or today()
    found = roster_for_user(by, RosterFilter(unit=unit, role=role, tier=tier, active_on=day, q=q))
    assignments = [a for a in found if a.person.anonymised_at is None]
    persons = {a.person_id: a.person for a in assignments}
    views = {view.pk: view for view in person_views(by, persons.values())}
    groups: dict[tuple[int, int, str], str] = {}
    memberships = GroupMembership.objects.filter(
        valid_on(day), group__unit_id__in=subtree_ids(unit.pk, as_of=day)
    ).select_related("group__kind")
    for membership in memberships:
        code = MEMBER_ROLES.get(membership.group.kind.code)
        if code:
            groups.setdefault((membership.person_id, membership.group.unit_id, code), membership.group.name)
    return [
        RosterRow(
            role=a.role,
            person=views[a.person_id],
            unit_code=a.unit.code,
            valid_from=a.valid_from,
            valid_to=a.valid_to,
            decision_ref=a.decision_ref,
            group=groups.get((a.person_id, a.unit_id, a.role.code), ""),
        )
        for a in assignments
    ]


def _csv_safe(value: Any) -> Any:
    """A text cell a spreadsheet program would run as a formula gets a leading apostrophe
    (the import takes it off again)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER_LIKE.match(value):
        return "'" + value
    return value


def roster_csv(rows: Iterable[RosterRow], *, english: bool) -> bytes:
    """UTF-8 with a BOM (so spreadsheet programs read Vietnamese); dates as 31/12/2025."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_header(column, english) for column in (ROLE_COLUMN, *COLUMNS)])
    for row in rows:
        cells = [row.role.name, *row.cells(english=english)]
        writer.writerow([day_text(c) if isinstance(c, dt.date) else "" if c is None else _csv_safe(c) for c in cells])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_WIDTHS = {"full_name": 28, "unit": 16, "phone": 16, "email": 28, "decision_ref": 26, "group": 24}


def _write_sheet(sheet: Any, rows: Sequence[Sequence[Any]], *, english: bool) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append([_header(column, english) for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(list(values))
    for position, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = _WIDTHS.get(column.key, 14)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
            if column.key in ("valid_from", "valid_to"):
                cell.number_format = "DD/MM/YYYY"
            elif column.key == "birth_year":
                cell.number_format = "0"
            else:  # codes and phones stay text ("0912…" is not a number)
                cell.number_format = "@"
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a value, never a formula
    sheet.freeze_panes = "A2"


def _sheet_names(roles: Iterable[NetworkRoleKind]) -> dict[int, str]:
    names: dict[int, str] = {}
    used: set[str] = set()
    for role in roles:
        title = sheet_title(role.name) or role.code[:31]
        if title.lower() in used:
            title = role.code[:31]
        used.add(title.lower())
        names[role.pk] = title
    return names


def roster_xlsx(rows: Sequence[RosterRow], *, roles: Sequence[NetworkRoleKind], english: bool) -> bytes:
    """One sheet per role of ``roles`` (in that order), named in the user's language."""
    from openpyxl import Workbook

    workbook = Workbook()
    default = workbook.active
    by_role: dict[int, list[list[Any]]] = defaultdict(list)
    for row in rows:
        by_role[row.role.pk].append(row.cells(english=english))
    for role_pk, title in _sheet_names(roles).items():
        _write_sheet(workbook.create_sheet(title), by_role.get(role_pk, []), english=english)
    if default is not None and len(workbook.worksheets) > 1:
        workbook.remove(default)
    elif default is not None:  # no role at all: the headers alone
        _write_sheet(default, [], english=english)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    content_type: str
    filename: str


def roster_export(
    *,
    by: Any,
    unit: Unit,
    fmt: str = "xlsx",
    role: str = "",
    tier: str = "",
    day: dt.date | None = None,
    q: str = "",
) -> ExportedFile:
    """The roster of ``unit``'s subtree on ``day`` as a file; the export is audited (no values)."""
    day = day or today()
    english = in_english()
    rows = roster_rows(by, unit, role=role, tier=tier, day=day, q=q)
    filename = _UNSAFE_IN_FILENAME.sub(
        "_", f"lantoa-roster-{unit.code}-{day.isoformat()}" + (f"-{role}" if role else "")
    )
    if fmt == "csv":
        exported = ExportedFile(roster_csv(rows, english=english), CSV_TYPE, f"{filename}.csv")
    else:
        present = {row.role.pk: row.role for row in rows}
        kinds = [r for r in role_kinds() if not role or r.code == role]
        kinds += [r for pk, r in present.items() if pk not in {k.pk for k in kinds}]
        kinds.sort(key=lambda r: (r.rank, r.code))
        exported = ExportedFile(roster_xlsx(rows, roles=kinds, english=english), XLSX_TYPE, f"{filename}.xlsx")
    audit_record(action="lantoa.people.roster.exported", by=by, target=unit, unit=unit, changed=[])
    return exported


def roster_template(*, english: bool) -> bytes:
    """A workbook with one sheet per role and its headers, and an example row on the first."""
    from openpyxl import Workbook

    roles = list(role_kinds())
    example = [
        "Nguyễn Thị Hoa",
        SEX_LABELS["en" if english else "vi"]["female"],
        1985,
        _("UNIT-CODE"),
        "0912 345 678",
        "hoa@example.vn",
        dt.date(2025, 1, 1),
        None,
        "123-QĐ/ĐU",
        "",
    ]
    workbook = Workbook()
    default = workbook.active
    for position, title in enumerate(_sheet_names(roles).values()):
        _write_sheet(workbook.create_sheet(title), [example] if position == 0 else [], english=english)
    if default is not None and len(workbook.worksheets) > 1:
        workbook.remove(default)
    elif default is not None:
        _write_sheet(default, [example], english=english)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
