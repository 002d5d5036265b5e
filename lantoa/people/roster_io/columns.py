"""What the roster's reader and writer share: the columns, the words for each sex, the start of
a formula, sheet names and how a date is written."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import get_language

from lantoa.core.importing import Column

COLUMNS = (
    Column("full_name", ("Họ và tên", "Full name")),
    Column("sex", ("Giới tính", "Sex"), required=False),
    Column("birth_year", ("Năm sinh", "Year of birth"), required=False),
    Column("unit", ("Đơn vị", "Unit")),
    Column("phone", ("Điện thoại", "Phone"), required=False),
    Column("email", ("Email", "Thư điện tử", "E-mail", "Email"), required=False),
    Column("valid_from", ("Từ ngày", "From")),
    Column("valid_to", ("Đến ngày", "Until"), required=False),
    Column("decision_ref", ("Số quyết định", "Decision"), required=False),
    Column("group", ("Tổ/Ban", "Group"), required=False),
)
# In a CSV file (one role per file, or all roles in one): the role of each row.
ROLE_COLUMN = Column("role", ("Vai trò", "Role"), required=False)
IMPORT_COLUMNS = (*COLUMNS, ROLE_COLUMN)


# What a file says for each value of Person.sex; the import reads both languages.
SEX_LABELS = {
    "vi": {"male": "Nam", "female": "Nữ", "other": "Khác"},
    "en": {"male": "Male", "female": "Female", "other": "Other"},
}

# A cell a spreadsheet program would run as a formula; a plain number (a phone) is harmless.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def in_english() -> bool:
    return (get_language() or "vi").startswith("en")


def sheet_title(name: str) -> str:
    """A role's name as a worksheet name (at most 31 characters, none of ``[]:*?/\\``)."""
    return _SHEET_FORBIDDEN.sub(" ", name).strip()[:31].strip()


def day_text(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")
