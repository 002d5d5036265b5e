"""The roster's reader: every row of a file checked, alone and with the others, then all
recorded through the services — or nothing (see the package's doc)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import units_for
from lantoa.accounts.roles import Capability
from lantoa.core.audit import audit_record
from lantoa.core.errors import ApplicationError, ValidationFailed
from lantoa.core.importing import Row, RowError, Table, read_sheets, reject, run_import, show
from lantoa.core.masking import phone_digits
from lantoa.core.text import fold, split_full_name
from lantoa.org.models import Unit
from lantoa.org.selectors import subtree_ids
from lantoa.people.models import GroupMembership, NetworkGroup, NetworkRoleKind, Person, RoleAssignment
from lantoa.people.permissions import persons_in_scope
from lantoa.people.roster_io.columns import FORMULA_START, IMPORT_COLUMNS, SEX_LABELS, day_text, in_english, sheet_title
from lantoa.people.selectors import role_kinds
from lantoa.people.services import (
    MEMBER_ROLES,
    PersonData,
    group_member_add,
    group_member_end,
    person_create,
    person_duplicates,
    person_validate,
    role_assign,
)

MAX_ROWS = 10_000
_CHUNK = 500  # values per IN (…) of a lookup query

# The import reads the words of both languages.
_SEX_WORDS = {fold(label): value for labels in SEX_LABELS.values() for value, label in labels.items()}
# Person fields the services name in ValidationFailed → the roster column that holds them.
_FIELD_COLUMNS = {
    "given_name": "full_name",
    "family_name": "full_name",
    "middle_name": "full_name",
    "sex": "sex",
    "birth_year": "birth_year",
    "phone": "phone",
    "email": "email",
}
# The longest family, middle and given name Person stores.
_NAME_LIMITS = (60, 80, 60)


def _where(row: Row) -> str:
    if row.sheet:
        return _('sheet "%(sheet)s", row %(row)s') % {"sheet": row.sheet, "row": row.number}
    return _("row %(row)s") % {"row": row.number}


def _overlaps(a_from: dt.date, a_to: dt.date | None, b_from: dt.date, b_to: dt.date | None) -> bool:
    return (b_to is None or a_from < b_to) and (a_to is None or b_from < a_to)


@dataclass
class _Person:
    """A person of the file: an existing record to reuse, or the data of a new one."""

    data: PersonData
    existing: Person | None
    first: Row
    full_name: str


@dataclass
class _Line:
    row: Row
    role: NetworkRoleKind
    unit: Unit
    values: dict[str, Any]  # the person's cleaned values (services.person_validate)
    data: PersonData
    full_name: str
    valid_from: dt.date
    valid_to: dt.date | None
    decision_ref: str
    group: NetworkGroup | None
    person: int = -1  # index into _Check.persons


@dataclass
class ImportResult:
    rows: int = 0
    persons_created: int = 0
    persons_reused: int = 0
    roles: int = 0
    memberships: int = 0


def _role_lookup() -> dict[str, NetworkRoleKind]:
    """Folded spelling → role: the code, and both names as written and as sheet names."""
    lookup: dict[str, NetworkRoleKind] = {}
    for role in role_kinds():
        for spelling in (role.code, role.name_vi, role.name_en):
            if spelling:
                lookup.setdefault(fold(spelling), role)
                lookup.setdefault(fold(sheet_title(spelling)), role)
    return lookup


class _Check:
    """Reads and checks every row, then what rows say together (same person, overlaps)."""

    def __init__(self, by: Any, unit: Unit, tables: list[tuple[str, Table]], roles: dict[str, NetworkRoleKind]):
        self.by = by
        self.page_unit = unit
        self.roles = roles
        rows = [row for _name, table in tables for row in table.rows]
        codes = {show(row.raw("unit")) for row in rows} - {""}
        inside = Unit.objects.filter(pk__in=subtree_ids(unit.pk)).filter(
            pk__in=units_for(by, Capability.EDIT_RECORDS).values("pk")
        )
        self.units = {u.code: u for u in inside.filter(code__in=codes).select_related("kind__tier")}
        self.groups: dict[int, list[NetworkGroup]] = defaultdict(list)
        if any(show(row.raw("group")) for row in rows):
            for group in NetworkGroup.objects.filter(unit__in=list(self.units.values())).select_related("kind"):
                self.groups[group.unit_id].append(group)
        self.member_roles = {role.code: role for role in self.roles.values()}
        self.lines: list[_Line] = []
        self.persons: list[_Person] = []

    # One row at a time ----------------------------------------------------------------------

    def text(self, row: Row, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = row.text(key, required=required, max_length=max_length)
        # An exported cell that looked like a formula was written with a leading apostrophe.
        if value.startswith("'") and value[1:2] in FORMULA_START:
            value = value[1:]
        return value

    def row(self, row: Row, sheet_role: NetworkRoleKind | None) -> None:
        role = self.role(row, sheet_role)
        full_name = " ".join(self.text(row, "full_name", required=True).split())
        family, middle, given = split_full_name(full_name)
        if any(len(part) > limit for part, limit in zip((family, middle, given), _NAME_LIMITS, strict=True)):
            row.fail("full_name", _("is too long for a name"))
        sex = self.sex(row)
        birth_year = self.year(row)
        unit = self.unit(row)
        phone = self.text(row, "phone", max_length=20)
        if isinstance(row.raw("phone"), int | float) and re.fullmatch(r"[1-9]\d{8}", phone):
            phone = "0" + phone  # a number cell dropped the leading zero of a mobile number
        email = self.text(row, "email", max_length=254)
        for key, value in (("phone", phone), ("email", email)):
            if "*" in value:
                row.fail(key, _("is masked (as in some exports); write it in full or leave it empty"))
        if email and "*" not in email:
            try:
                validate_email(email)
            except ValidationError:
                row.fail("email", _('"%(value)s" is not an e-mail address') % {"value": email})
        valid_from = row.date("valid_from")
        valid_to = row.date("valid_to", required=False)
        if valid_from and valid_to and valid_to <= valid_from:
            row.fail("valid_to", _('"%(value)s" is not after the start date') % {"value": day_text(valid_to)})
        decision_ref = self.text(row, "decision_ref", max_length=120)
        if unit is not None and valid_from is not None and not unit.is_open_on(valid_from):
            row.fail(
                "valid_from", _("%(unit)s is not open on %(day)s") % {"unit": unit.code, "day": day_text(valid_from)}
            )
        group = self.group(row, unit, valid_from, role)
        data = PersonData(
            family_name=family,
            middle_name=middle,
            given_name=given,
            home_unit=unit or self.page_unit,
            sex=sex,
            birth_year=birth_year,
            phone=phone if "*" not in phone else "",
            email=email if "*" not in email else "",
        )
        values: dict[str, Any] = {}
        if given:
            try:
                values = person_validate(data)
            except ValidationFailed as problem:
                column = _FIELD_COLUMNS.get(problem.extra.get("field", ""), "full_name")
                header = row.headers.get(column, column)
                if not any(error.column == header for error in row.errors):  # one problem per cell
                    row.fail(column, problem.message)
        if row.errors or role is None or unit is None or valid_from is None:
            return
        self.lines.append(_Line(row, role, unit, values, data, full_name, valid_from, valid_to, decision_ref, group))

    def role(self, row: Row, sheet_role: NetworkRoleKind | None) -> NetworkRoleKind | None:
        written = self.text(row, "role")
        if not written:
            if sheet_role is None:
                row.fail("role", _("is empty; choose the role in the form or write it in this column"))
            return sheet_role
        role = self.roles.get(fold(written))
        if role is None:
            row.fail("role", _('"%(value)s" is not a network role') % {"value": written})
        elif sheet_role is not None and row.sheet and role.pk != sheet_role.pk:
            row.fail(
                "role",
                _('"%(value)s" is not the role of this sheet (%(role)s)') % {"value": written, "role": sheet_role.name},
            )
        return role

    def sex(self, row: Row) -> str:
        written = self.text(row, "sex")
        if not written:
            return ""
        sex = _SEX_WORDS.get(fold(written))
        if sex is None:
            choices = ", ".join(SEX_LABELS["en" if in_english() else "vi"].values())
            row.fail("sex", _('"%(value)s" is not one of %(choices)s') % {"value": written, "choices": choices})
            return ""
        return sex

    def year(self, row: Row) -> int | None:
        value = row.raw("birth_year")
        if isinstance(value, bool | dt.date):
            row.fail("birth_year", _('"%(value)s" is not a year') % {"value": show(value)})
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        written = show(value)
        if not written:
            return None
        if not re.fullmatch(r"\d{4}", written):
            row.fail("birth_year", _('"%(value)s" is not a year') % {"value": written})
            return None
        return int(written)

    def unit(self, row: Row) -> Unit | None:
        code = self.text(row, "unit", required=True)
        if not code:
            return None
        unit = self.units.get(code)
        if unit is None:
            # The same words for a code nobody uses and one outside the user's scope.
            row.fail(
                "unit",
                _('unknown unit "%(value)s": write the code of a unit under %(unit)s')
                % {"value": code, "unit": self.page_unit.name},
            )
        return unit

    def group(
        self, row: Row, unit: Unit | None, day: dt.date | None, role: NetworkRoleKind | None
    ) -> NetworkGroup | None:
        written = self.text(row, "group")
        if not written or unit is None or day is None:
            return None
        candidates = [g for g in self.groups.get(unit.pk, []) if g.is_open_on(day)]
        if written.isdigit():
            found = [g for g in candidates if g.pk == int(written)]
        else:
            found = [g for g in candidates if fold(g.name) == fold(written)]
        if not found:
            row.fail(
                "group",
                _('"%(value)s" is not a group of %(unit)s on %(day)s')
                % {"value": written, "unit": unit.code, "day": day_text(day)},
            )
            return None
        if len(found) > 1:
            row.fail(
                "group",
                _('several groups of %(unit)s are called "%(value)s"; write the group\'s number')
                % {"value": written, "unit": unit.code},
            )
            return None
        group = found[0]
        carried = self.member_roles.get(MEMBER_ROLES.get(group.kind.code, ""))
        if carried is not None and role is not None and carried.pk != role.pk:
            row.fail(
                "group",
                _("the members of %(group)s are %(carried)s, not %(role)s")
                % {"group": group.name, "carried": carried.name, "role": role.name},
            )
        return group

    # Across rows ----------------------------------------------------------------------------

    def same_persons(self) -> None:
        """Which rows are the same person, and who is already recorded (see the module's doc)."""
        by_name: dict[tuple[str, int | None, int], int] = {}
        by_phone: dict[str, int] = {}
        by_existing: dict[int, int] = {}
        kept: list[_Line] = []
        self.find_candidates()
        for line in self.lines:
            folded = fold(line.full_name)
            name_key = (folded, line.values["birth_year"], line.unit.pk)
            digits = phone_digits(line.values["phone"])
            index = by_name.get(name_key)
            if index is None and digits in by_phone:
                index = by_phone[digits]
                other = self.persons[index]
                if fold(other.full_name) != folded:
                    line.row.fail(
                        "phone",
                        _("the same phone number is in %(where)s with another name; one phone, one person")
                        % {"where": _where(other.first)},
                    )
                    continue
            if index is None:
                maybe = name_key in self.candidate_names or digits in self.candidate_phones
                existing = self.existing_match(line, folded) if maybe else None
                if line.row.errors:
                    continue
                if existing is not None and existing.pk in by_existing:
                    index = by_existing[existing.pk]
                else:
                    index = len(self.persons)
                    self.persons.append(_Person(line.data, existing, line.row, line.full_name))
                    if existing is not None:
                        by_existing[existing.pk] = index
            by_name.setdefault(name_key, index)
            if digits:
                by_phone.setdefault(digits, index)
            line.person = index
            kept.append(line)
        self.lines = kept

    def find_candidates(self) -> None:
        """Everyone who might be a row's person, in a few queries, so that only the rows with a
        candidate ask :func:`~lantoa.people.services.person_duplicates` (the rule itself)."""
        names = sorted({fold(line.full_name) for line in self.lines})
        phones = sorted({phone_digits(line.values["phone"]) for line in self.lines} - {""})
        units = sorted({line.unit.pk for line in self.lines})
        self.candidate_names: set[tuple[str, int | None, int]] = set()
        self.candidate_phones: set[str] = set()
        found: list[int] = []
        for start in range(0, max(len(names), len(phones)), _CHUNK):
            same = Q(name_folded__in=names[start : start + _CHUNK], home_unit_id__in=units)
            same |= Q(phone_digits__in=phones[start : start + _CHUNK])
            for pk, name, year, unit_id, digits in Person.objects.filter(same, anonymised_at__isnull=True).values_list(
                "pk", "name_folded", "birth_year", "home_unit_id", "phone_digits"
            ):
                self.candidate_names.add((name, year, unit_id))
                if digits:
                    self.candidate_phones.add(digits)
                found.append(pk)
        # Someone outside the user's scope is neither reused nor named: a new record is made.
        self.visible: set[int] = set()
        for start in range(0, len(found), _CHUNK):
            chunk = found[start : start + _CHUNK]
            self.visible |= set(persons_in_scope(self.by).filter(pk__in=chunk).values_list("pk", flat=True))

    def existing_match(self, line: _Line, folded: str) -> Person | None:
        matches = [p for p in person_duplicates(line.values) if p.pk in self.visible]
        if not matches:
            return None
        same_name = [p for p in matches if p.name_folded == folded]
        if same_name:
            return min(same_name, key=lambda p: (p.birth_year != line.values["birth_year"], p.pk))
        if matches:  # the same phone under another name: a shared family phone, or a typo
            line.row.fail(
                "phone",
                _(
                    "this phone number is recorded for %(name)s (%(unit)s); write the same name for the same "
                    "person, or leave the phone empty"
                )
                % {"name": matches[0].full_name, "unit": matches[0].home_unit.code},
            )
        return None

    def overlaps(self) -> None:
        """A role held twice at once, or a group joined twice — in the file or already recorded.

        The services' own rules apply: a role overlaps any holding of the same period; a group
        member's role starts open-ended, and a membership clashes with any that ends after
        the start. Rows of the file are applied in date order, so they are compared so too.
        """
        existing_ids = {p.existing.pk: i for i, p in enumerate(self.persons) if p.existing is not None}
        held: dict[tuple[int, int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        member: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        if existing_ids:
            for assignment in RoleAssignment.objects.filter(
                person_id__in=list(existing_ids),
                role_id__in={line.role.pk for line in self.lines},
                unit_id__in={line.unit.pk for line in self.lines},
            ).only("person_id", "role_id", "unit_id", "valid_from", "valid_to"):
                key = (existing_ids[assignment.person_id], assignment.role_id, assignment.unit_id)
                held[key].append((assignment.valid_from, assignment.valid_to))
            group_ids = {line.group.pk for line in self.lines if line.group is not None}
            if group_ids:
                for membership in GroupMembership.objects.filter(
                    person_id__in=list(existing_ids), group_id__in=group_ids
                ).only("person_id", "group_id", "valid_from", "valid_to"):
                    key2 = (existing_ids[membership.person_id], membership.group_id)
                    member[key2].append((membership.valid_from, membership.valid_to))
        for line in self.lines:
            who = self.persons[line.person].full_name
            end = None if line.group is not None else line.valid_to
            for start, stop in held.get((line.person, line.role.pk, line.unit.pk), []):
                if _overlaps(line.valid_from, end, start, stop):
                    line.row.fail(
                        "valid_from",
                        _("%(name)s already holds this role in %(unit)s from %(day)s")
                        % {"name": who, "unit": line.unit.code, "day": day_text(start)},
                    )
                    break
            if line.group is not None:
                for start, stop in member.get((line.person, line.group.pk), []):
                    if stop is None or stop > line.valid_from:
                        line.row.fail(
                            "group",
                            _("%(name)s is already a member of %(group)s from %(day)s")
                            % {"name": who, "group": line.group.name, "day": day_text(start)},
                        )
                        break
        seen_roles: dict[tuple[int, int, int], list[_Line]] = defaultdict(list)
        seen_groups: dict[tuple[int, int], list[_Line]] = defaultdict(list)
        for line in sorted(self.lines, key=lambda line: line.valid_from):
            for other in seen_roles[(line.person, line.role.pk, line.unit.pk)]:
                if other.valid_to is None or other.valid_to > line.valid_from:
                    line.row.fail(
                        "valid_from",
                        _("the same person holds this role here in %(where)s, for an overlapping period")
                        % {"where": _where(other.row)},
                    )
                    break
            seen_roles[(line.person, line.role.pk, line.unit.pk)].append(line)
            if line.group is None:
                continue
            for other in seen_groups[(line.person, line.group.pk)]:
                if other.valid_to is None or other.valid_to > line.valid_from:
                    line.row.fail(
                        "group",
                        _("the same person joins this group in %(where)s, for an overlapping period")
                        % {"where": _where(other.row)},
                    )
                    break
            seen_groups[(line.person, line.group.pk)].append(line)


def roster_import(*, by: Any, unit: Unit, file: IO[bytes] | bytes, role: NetworkRoleKind | None = None) -> ImportResult:
    """Record every row of ``file`` under ``unit``, or nothing (ImportRejected lists every problem).

    ``by`` must record the work of ``unit`` (the view's gate); each row's unit must lie under it
    and in ``by``'s scope. ``role`` is the role of a CSV file without a role column.
    """
    lookup = _role_lookup()

    def check_name(name: str) -> str | None:
        if fold(name) in lookup:
            return None
        names = ", ".join(r.name for r in role_kinds())
        return _("the sheet's name is not a network role; name each sheet after one of: %(roles)s") % {"roles": names}

    tables = read_sheets(file, columns=IMPORT_COLUMNS, max_rows=MAX_ROWS, check_name=check_name)
    if role is None and any(not name and "role" not in table.headers for name, table in tables):
        raise ValidationFailed(
            _('A CSV file carries one role: choose it, or add a "Vai trò" column.'), extra={"field": "role"}
        )
    check = _Check(by, unit, tables, lookup)
    for name, table in tables:
        sheet_role = lookup[fold(name)] if name else role
        for row in table.rows:
            check.row(row, sheet_role)
    check.same_persons()
    check.overlaps()
    lines = {(line.row.sheet, line.row.number): line for line in check.lines}
    rows = [row for _name, table in tables for row in table.rows]

    def apply(cleaned: list[_Line]) -> ImportResult:
        result = ImportResult(rows=len(cleaned))
        made: dict[int, Person] = {}
        current: _Line | None = None
        try:
            # In date order, so a later period of the same person follows an earlier one.
            for current in sorted(cleaned, key=lambda line: line.valid_from):
                planned = check.persons[current.person]
                person = made.get(current.person)
                if person is None:
                    if planned.existing is not None:
                        person = planned.existing
                        result.persons_reused += 1
                    else:
                        person = person_create(by=by, data=planned.data, allow_duplicate=True)
                        result.persons_created += 1
                    made[current.person] = person
                _apply_line(by, current, person)
                result.roles += 1
                result.memberships += current.group is not None
        except ApplicationError as error:  # something changed since the check: nothing is kept
            row = current.row if current is not None else rows[0]
            raise reject([RowError(row.number, "", error.message, row.sheet)]) from error
        audit_record(
            action="lantoa.people.roster.imported",
            by=by,
            target=unit,
            unit=unit,
            changed=["persons", "roles", "memberships"],
        )
        return result

    return run_import(rows, validate=lambda row: lines.get((row.sheet, row.number)), apply=apply)


def _apply_line(by: Any, line: _Line, person: Person) -> None:
    if line.group is None:
        role_assign(
            by=by,
            person=person,
            role=line.role,
            unit=line.unit,
            valid_from=line.valid_from,
            valid_to=line.valid_to,
            decision_ref=line.decision_ref,
        )
        return
    membership = group_member_add(
        by=by, group=line.group, person=person, valid_from=line.valid_from, decision_ref=line.decision_ref
    )
    if not MEMBER_ROLES.get(line.group.kind.code):  # a group that carries no role: the row's role
        role_assign(
            by=by,
            person=person,
            role=line.role,
            unit=line.unit,
            valid_from=line.valid_from,
            valid_to=line.valid_to,
            decision_ref=line.decision_ref,
        )
    if line.valid_to is not None:
        group_member_end(by=by, membership=membership, on=line.valid_to)
