"""Bulk creation of officer accounts from a spreadsheet (XLSX or UTF-8 CSV).

One row per new user: username, full name, email, unit code, role and an optional start
date. Every row is checked first (see :mod:`lantoa.core.importing`); nothing is created
unless every row is good. Each new user gets an unusable password and an email with a link
to choose their own, sent once the import is committed.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lantoa.accounts.models import User
from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability, Role
from lantoa.accounts.services import assignment_create, may_grant, user_create
from lantoa.accounts.tasks import send_password_set_email
from lantoa.core.errors import PermissionDenied
from lantoa.core.importing import Column, Row, read_rows, run_import, template_workbook
from lantoa.core.text import fold
from lantoa.org import selectors as org_selectors
from lantoa.org.models import Unit

COLUMNS = (
    Column("username", ("tên đăng nhập", "username")),
    Column("full_name", ("họ và tên", "full name")),
    Column("email", ("email",)),
    Column("unit_code", ("mã đơn vị", "unit code")),
    Column("role", ("vai trò", "role")),
    Column("valid_from", ("từ ngày", "valid from"), required=False),
)

# Vietnamese names for roles accepted in files whatever the interface language.
_ROLE_ALIASES = {
    "quan tri": Role.ADMINISTRATOR,
    "quan tri vien": Role.ADMINISTRATOR,
    "quan ly": Role.MANAGER,
    "can bo": Role.OFFICER,
    "kiem tra": Role.INSPECTOR,
    "thanh tra": Role.INSPECTOR,
    "nguoi xem": Role.VIEWER,
    "xem": Role.VIEWER,
}


@functools.cache
def _role_names() -> dict[str, str]:
    """Folded spelling -> role: the code, the label in each language, and the aliases."""
    names: dict[str, str] = {alias: role.value for alias, role in _ROLE_ALIASES.items()}
    for role in Role:
        names[fold(role.value)] = role.value
        for language in ("vi", "en"):
            with translation.override(language):
                names[fold(str(role.label))] = role.value
    return names


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    email: str
    unit: Unit
    role: str
    valid_from: dt.date


class _RowCheck:
    """Checks one row at a time, remembering what earlier rows used (usernames, units)."""

    def __init__(self, by: Any):
        self.by = by
        self.today = org_selectors.today()
        self.first_row_of: dict[str, int] = {}
        self.units: dict[str, Unit | None] = {}
        self.username_validator = UnicodeUsernameValidator()

    def __call__(self, row: Row) -> NewUser | None:
        username = self.username(row)
        full_name = row.text("full_name", max_length=150)
        email = self.email(row)
        unit = self.unit(row)
        role = self.role(row)
        valid_from = row.date("valid_from", required=False) or self.today
        if unit is not None and role and not may_grant(self.by, unit, role):
            row.fail("role", _('you may not give the role "%(value)s"') % {"value": row.text("role")})
        if row.errors or unit is None:
            return None
        return NewUser(username, full_name, email, unit, role, valid_from)

    def username(self, row: Row) -> str:
        username = row.text("username", max_length=150)
        if not username:
            return ""
        try:
            self.username_validator(username)
        except DjangoValidationError:
            row.fail("username", _('"%(value)s" may contain only letters, digits and @ . + - _') % {"value": username})
            return username
        key = username.casefold()
        if key in self.first_row_of:
            message = _('"%(value)s" already appears in row %(row)s') % {
                "value": username,
                "row": self.first_row_of[key],
            }
            row.fail("username", message)
        elif User.objects.filter(username__iexact=username).exists():
            row.fail("username", _('"%(value)s" is already taken') % {"value": username})
        self.first_row_of.setdefault(key, row.number)
        return username

    def email(self, row: Row) -> str:
        email = row.text("email", max_length=254)
        if email:
            try:
                validate_email(email)
            except DjangoValidationError:
                row.fail("email", _('"%(value)s" is not an email address') % {"value": email})
        return email

    def unit(self, row: Row) -> Unit | None:
        code = row.text("unit_code")
        if not code:
            return None
        if code not in self.units:
            self.units[code] = self._unit_in_scope(code)
        unit = self.units[code]
        if unit is None:
            # Unknown and out-of-scope units read the same, so nobody learns what exists elsewhere.
            row.fail("unit_code", _('no unit with code "%(value)s" in your scope') % {"value": code})
        return unit

    def _unit_in_scope(self, code: str) -> Unit | None:
        unit = org_selectors.unit_by_code(code)
        if unit is None or not unit.is_open_on(self.today):
            return None
        if self.by is not None and not has_capability(self.by, Capability.MANAGE_ACCOUNTS, unit):
            return None
        return unit

    def role(self, row: Row) -> str:
        text = row.text("role")
        if not text:
            return ""
        role = _role_names().get(fold(text))
        if role is None:
            row.fail("role", _('"%(value)s" is not a role') % {"value": text})
            return ""
        return role


def users_import(*, by: Any, file: IO[bytes] | bytes, site_url: str) -> list[User]:
    """Create every user in ``file`` with their assignment, or nothing (raises ImportRejected).

    ``site_url`` (e.g. ``https://lantoa.example.org/``) is where the password links point.
    """
    if by is not None and not has_capability(by, Capability.MANAGE_ACCOUNTS):
        raise PermissionDenied(_("You may not create accounts."))
    table = read_rows(file, columns=COLUMNS)

    def create_all(rows: list[NewUser]) -> list[User]:
        return [_create(by=by, row=row, site_url=site_url) for row in rows]

    return run_import(table.rows, validate=_RowCheck(by), apply=create_all)


def _create(*, by: Any, row: NewUser, site_url: str) -> User:
    user = user_create(by=by, username=row.username, full_name=row.full_name, email=row.email)
    assignment_create(by=by, user=user, unit=row.unit, role=row.role, valid_from=row.valid_from)
    user_id = user.pk
    transaction.on_commit(lambda: send_password_set_email.enqueue(user_id, site_url))
    return user


def users_import_template(*, english: bool) -> bytes:
    """The XLSX file to fill in, with one example row."""
    example = ["nguyenvana", "Nguyễn Văn A", "nguyenvana@example.org", "XA-001", "cán bộ" if not english else "officer"]
    return template_workbook(COLUMNS, english=english, example=[*example, "01/07/2025"])
