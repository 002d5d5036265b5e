"""The network roster in a spreadsheet: one sheet per role, as offices keep it.

**Import.** A workbook names each sheet after a network role (its Vietnamese or English name,
or its code); a CSV file carries one role, chosen in the form, or a "Vai trò" column. One row
per person holding the role, with the columns of :data:`COLUMNS` (Vietnamese or English
headers). The unit column is the Lantoa code of the unit where the role is held; it must lie
under the page's unit, where the user records the network's work. A row naming an open group
of that unit ("Tổ/Ban") makes the person a member, which gives them the role the group carries.

A row about someone already recorded (same name, year of birth and unit, or the same phone:
see :func:`lantoa.people.services.person_duplicates`) reuses that person, and rows of the file
about the same person are one person; a reused person's record is not changed by the file.
Every row is checked first; if any has a problem, every problem is listed (sheet, row,
column) and nothing is written (:mod:`lantoa.core.importing`). The writes go through the
services, which audit each one.

**Export.** The roles held in a unit's subtree on a day, in Vietnamese name order, with the
same columns, so an export can be imported again: XLSX with one sheet per role, or CSV with a
role column. Contacts pass through :func:`lantoa.people.presenters.person_views`, so a viewer
who may not see them gets them masked in the file. Every export is audited.
"""

from lantoa.people.roster_io.columns import COLUMNS, IMPORT_COLUMNS, ROLE_COLUMN, sheet_title
from lantoa.people.roster_io.reading import MAX_ROWS, ImportResult, roster_import
from lantoa.people.roster_io.writing import (
    CSV_TYPE,
    XLSX_TYPE,
    ExportedFile,
    RosterRow,
    access_roster,
    roster_csv,
    roster_export,
    roster_rows,
    roster_template,
    roster_xlsx,
)

__all__ = [
    "COLUMNS",
    "CSV_TYPE",
    "IMPORT_COLUMNS",
    "MAX_ROWS",
    "ROLE_COLUMN",
    "XLSX_TYPE",
    "ExportedFile",
    "ImportResult",
    "RosterRow",
    "access_roster",
    "roster_csv",
    "roster_export",
    "roster_import",
    "roster_rows",
    "roster_template",
    "roster_xlsx",
    "sheet_title",
]
