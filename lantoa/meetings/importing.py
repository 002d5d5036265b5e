"""Past conferences from a spreadsheet, as offices keep them.

An XLSX workbook with two sheets, named in Vietnamese or English:

* **"Hội nghị" / "Conferences"** — one row per conference (:data:`CONFERENCE_COLUMNS`): the
  office's own key for the row ("Mã hội nghị"), title, kind (code or name), organising unit
  (its Lantoa code), level, date, start and end time, format, mandatory, status.
* **"Điểm cầu" / "Sites"** — one row per site (:data:`SITE_COLUMNS`): the key of its
  conference, the unit, whether it is the host site, its level and location, the people
  present per category and the denominators. A conference without site rows is hosted by its
  organiser, with no attendance recorded.

Every row of both sheets is checked first (units known to the user and open on the date, the
user's right to record for the organiser, dates, times, numbers, one site per unit, one host,
an in-person conference with one site, late ≤ present, exempt ≤ summoned…); if anything is
wrong, every problem is reported (sheet, row, column) and nothing is written
(:mod:`lantoa.core.importing`). Otherwise the conferences are created through the services
with a key made of the row key and the date, so importing the same file again creates nothing
new; the conferences whose status says so are marked held and the attendance of every site is
recorded with :func:`lantoa.meetings.services.attendance_record_many`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lantoa.accounts.permissions import has_capability
from lantoa.accounts.roles import Capability
from lantoa.core.errors import ApplicationError, NotFound, ValidationFailed
from lantoa.core.importing import Column, Row, RowError, Table, read_sheets, reject, run_import, show
from lantoa.core.text import fold
from lantoa.meetings.models import BridgePoint, Category, Conference, ConferenceKind, Format, Level
from lantoa.meetings.permissions import may_plan, units_ever_within
from lantoa.meetings.schemas import FIRST_YEAR, LAST_YEAR
from lantoa.meetings.services import (
    ConferenceData,
    Headcount,
    SiteData,
    attendance_record_many,
    conference_create,
    conference_mark_held,
    conference_validate,
    headcount_validate,
)
from lantoa.org.models import Unit

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20_000  # both sheets together
MAX_COUNT = 2_000_000_000  # people at one site: fits every database's integer column
REF_LENGTH = 40
KEY_PREFIX = "import"

CONFERENCE_COLUMNS = (
    Column("ref", ("Mã hội nghị", "Ref")),
    Column("title", ("Tên hội nghị", "Title")),
    Column("kind", ("Loại hội nghị", "Kind")),
    Column("organiser", ("Đơn vị tổ chức", "Organiser")),
    Column("level", ("Cấp", "Level")),
    Column("date", ("Ngày", "Date")),
    Column("start", ("Giờ bắt đầu", "Start time")),
    Column("end", ("Giờ kết thúc", "End time")),
    Column("format", ("Hình thức", "Format")),
    Column("mandatory", ("Bắt buộc", "Mandatory")),
    Column("status", ("Trạng thái", "Status")),
    Column("notes", ("Ghi chú", "Notes"), required=False),
)
# Present per category: the column key is the category's code.
PRESENT_COLUMNS = (
    Column(Category.PARTY_MEMBERS, ("Đảng viên dự", "Party members present")),
    Column(Category.CADRES, ("Cán bộ dự", "Cadres present")),
    Column(Category.NON_MEMBERS, ("Quần chúng dự", "Non-members present")),
    Column(Category.STUDENTS, ("Học sinh, sinh viên dự", "Students present")),
    Column(Category.OTHERS, ("Người khác dự", "Others present")),
)
DENOMINATOR_COLUMNS = (
    Column("members_summoned", ("Đảng viên được triệu tập", "Members summoned")),
    Column("members_exempt", ("Đảng viên miễn sinh hoạt", "Members exempt")),
    Column("summoned", ("Tổng số triệu tập", "Summoned")),
)
# Of whom late, per category: optional columns.
LATE_COLUMNS = (
    Column(f"late_{Category.PARTY_MEMBERS}", ("Đảng viên đến muộn", "Party members late"), required=False),
    Column(f"late_{Category.CADRES}", ("Cán bộ đến muộn", "Cadres late"), required=False),
    Column(f"late_{Category.NON_MEMBERS}", ("Quần chúng đến muộn", "Non-members late"), required=False),
    Column(f"late_{Category.STUDENTS}", ("Học sinh, sinh viên đến muộn", "Students late"), required=False),
    Column(f"late_{Category.OTHERS}", ("Người khác đến muộn", "Others late"), required=False),
)
SITE_COLUMNS = (
    Column("ref", ("Mã hội nghị", "Conference ref")),
    Column("unit", ("Mã đơn vị", "Unit code")),
    Column("host", ("Điểm cầu chính", "Host")),
    Column("level", ("Cấp", "Level")),
    Column("location", ("Địa điểm", "Location")),
    *PRESENT_COLUMNS,
    *DENOMINATOR_COLUMNS,
    *LATE_COLUMNS,
)
# Other spellings a header may have, by column key.
_ALIASES = {
    "ref": ("Số hiệu", "Conference ref", "Ref"),
    "organiser": ("Đơn vị chủ trì", "Organising unit", "Organizer"),
    "unit": ("Đơn vị", "Unit"),
    "host": ("Chủ trì", "Host site"),
}

CONFERENCES, SITES = "conferences", "sites"
SHEET_NAMES = {CONFERENCES: ("Hội nghị", "Conferences"), SITES: ("Điểm cầu", "Sites")}
_SHEET_SPELLINGS = {
    CONFERENCES: ("Hội nghị", "Conferences", "Conference", "Danh sách hội nghị"),
    SITES: ("Điểm cầu", "Sites", "Site", "Bridge points", "Các điểm cầu"),
}
_SHEET_OF = {fold(name): key for key, names in _SHEET_SPELLINGS.items() for name in names}

_YES = {"co", "x", "yes", "y", "true", "1", "dung"}
_NO = {"khong", "no", "n", "false", "0", "sai"}
_LEVELS: dict[str, tuple[str, ...]] = {
    Level.CENTRAL: ("trung ương", "cấp trung ương", "central", "central level"),
    Level.PROVINCE: ("tỉnh", "cấp tỉnh", "province", "provincial", "province level"),
    Level.DISTRICT: ("huyện", "cấp huyện", "district", "district level"),
    Level.COMMUNE: ("xã", "cấp xã", "commune", "commune level"),
    Level.GRASSROOTS: ("cơ sở", "cấp cơ sở", "grassroots", "grassroots level"),
}
_FORMATS: dict[str, tuple[str, ...]] = {
    Format.IN_PERSON: ("trực tiếp", "in person", "in-person", "in_person"),
    Format.ONLINE: ("trực tuyến", "online"),
    Format.HYBRID: ("kết hợp", "trực tiếp kết hợp trực tuyến", "hybrid"),
}
HELD, PLANNED, CANCELLED = "held", "planned", "cancelled"
_STATUSES: dict[str, tuple[str, ...]] = {
    HELD: ("đã tổ chức", "tổ chức", "đã họp", "held"),
    PLANNED: ("kế hoạch", "dự kiến", "chưa tổ chức", "planned"),
    CANCELLED: ("đã hủy", "hủy", "đã huỷ", "huỷ", "cancelled", "canceled"),
}
# What a file says, in each language, for the choices (the first spelling of each above).
_SHOWN = {
    "vi": {"yes": "Có", "no": "Không", "level": "Cấp tỉnh", "format": "Kết hợp", "status": "Đã tổ chức"},
    "en": {"yes": "yes", "no": "no", "level": "province", "format": "hybrid", "status": "held"},
}
_TIME_TEXT = re.compile(r"^(\d{1,2})\s*(?:[:hHgG.]\s*(\d{1,2})?)?(?:\s*:\s*(\d{1,2}))?\s*(?:phút|')?$")
_GROUPED = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$")


def _lookup(choices: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(spelling): value for value, spellings in choices.items() for spelling in (value, *spellings)}


_LEVEL_OF = _lookup(_LEVELS)
_FORMAT_OF = _lookup(_FORMATS)
_STATUS_OF = _lookup(_STATUSES)


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _choices(choices: dict[str, tuple[str, ...]]) -> str:
    """The spellings to suggest: the Vietnamese word, or the English one."""
    english = _english()
    return ", ".join(spellings[-1] if english else spellings[0] for spellings in choices.values())


def _reading_columns() -> tuple[Column, ...]:
    """Every column of both sheets, each with every accepted spelling; whether a column is
    required is checked sheet by sheet (:func:`_missing_columns`)."""
    spellings: dict[str, list[str]] = {}
    for column in (*CONFERENCE_COLUMNS, *SITE_COLUMNS):
        names = spellings.setdefault(column.key, [])
        for header in (*column.headers, *_ALIASES.get(column.key, ())):
            if header not in names:
                names.append(header)
    return tuple(Column(key, tuple(names), required=False) for key, names in spellings.items())


def _missing_columns(name: str, table: Table, columns: tuple[Column, ...]) -> list[RowError]:
    return [
        RowError(
            1,
            "",
            _('column "%(vi)s" (or "%(en)s") is missing') % {"vi": column.vietnamese, "en": column.english},
            name,
        )
        for column in columns
        if column.required and column.key not in table.headers
    ]


# --- Who may import ---------------------------------------------------------------------------


def require_importer(by: Any) -> None:
    """The import exists for users who record some unit's work; for anyone else it does not."""
    if not has_capability(by, Capability.EDIT_RECORDS):
        raise NotFound(_("Page not found."))


# --- Reading cells ----------------------------------------------------------------------------


def _yes_no(row: Row, key: str) -> bool:
    written = row.text(key, required=False)
    folded = fold(written)
    if folded in _YES:
        return True
    if folded in _NO or not folded:
        return False
    shown = _SHOWN["en" if _english() else "vi"]
    row.fail(
        key,
        _('"%(value)s" is not one of %(choices)s') % {"value": written, "choices": f"{shown['yes']}, {shown['no']}"},
    )
    return False


def _choice(row: Row, key: str, lookup: dict[str, str], choices: dict[str, tuple[str, ...]], *, required: bool) -> str:
    written = row.text(key, required=required)
    if not written:
        return ""
    value = lookup.get(fold(written))
    if value is None:
        row.fail(key, _('"%(value)s" is not one of %(choices)s') % {"value": written, "choices": _choices(choices)})
        return ""
    return value


def _time(row: Row, key: str) -> dt.time | None:
    """A time as a time cell, a fraction of a day, or text such as 7:30, 07:30 or 7h30."""
    value = row.raw(key)
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    written = show(value)
    if not written:
        row.fail(key, _("is empty"))
        return None
    match = _TIME_TEXT.match(written)
    if match is not None:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    row.fail(key, _('"%(value)s" is not a time (write it as 07:30)') % {"value": written})
    return None


def _count(row: Row, key: str) -> int:
    """A whole number of people; an empty cell is zero."""
    value = row.raw(key)
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if value.is_integer() else None
    else:
        written = show(value)
        if not written:
            return 0
        if written.isdigit():
            number = int(written)
        elif _GROUPED.match(written):  # 1.200 or 1,200 or 1 200
            number = int(re.sub(r"\D", "", written))
    if number is None or number < 0 or number > MAX_COUNT:
        row.fail(key, _('"%(value)s" is not a whole number, zero or more') % {"value": show(value)})
        return 0
    return number


# --- Checking ---------------------------------------------------------------------------------


@dataclass
class _Site:
    row: Row
    unit: Unit
    is_host: bool
    level: str
    location: str
    counts: Headcount


@dataclass
class _Conference:
    row: Row
    ref: str
    data: ConferenceData
    status: str
    sites: list[_Site] = field(default_factory=list)
    exists: bool = False


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)  # ids of the conferences created
    already_imported: int = 0  # rows whose conference an earlier import created: left unchanged
    sites: int = 0
    held: int = 0

    def summary(self) -> str:
        return _(
            "%(created)s conference(s) imported with %(sites)s site(s), %(held)s of them marked as held; "
            "%(existing)s already imported earlier were left unchanged."
        ) % {"created": len(self.created), "sites": self.sites, "held": self.held, "existing": self.already_imported}


def client_key(ref: str, day: dt.date) -> str:
    """The key a conference of the file is created with: the same row imported again is the
    same conference."""
    return f"{KEY_PREFIX}:{day.isoformat()}:{ref}"[:64]


class _Check:
    """Reads and checks every row of both sheets, then what the rows say together."""

    def __init__(self, by: Any, conference_rows: list[Row], site_rows: list[Row]):
        self.by = by
        codes = {show(row.raw("organiser")) for row in conference_rows} | {show(row.raw("unit")) for row in site_rows}
        # Units the user sees, as the tree stood at any time (past conferences of closed units).
        visible = Unit.objects.filter(code__in=codes - {""}, pk__in=units_ever_within(by, Capability.VIEW_UNITS))
        self.units = {u.code: u for u in visible.select_related("kind__tier")}
        self.kinds: dict[str, ConferenceKind] = {}
        for kind in ConferenceKind.objects.order_by("-is_active", "rank"):
            for spelling in (kind.code, kind.name_vi, kind.name_en):
                if spelling:
                    self.kinds.setdefault(fold(spelling), kind)
        self.plannable: dict[int, bool] = {}
        self.conferences: dict[str, _Conference] = {}
        self.refs: dict[str, Row] = {}

    def unit(self, row: Row, key: str) -> Unit | None:
        code = row.text(key)
        if not code:
            return None
        unit = self.units.get(code)
        if unit is None:
            # The same words for a code nobody uses and for a unit outside the user's scope.
            row.fail(
                key, _('unknown unit "%(value)s": write the Lantoa code of a unit you work with') % {"value": code}
            )
        return unit

    def may_plan(self, unit: Unit) -> bool:
        if unit.pk not in self.plannable:
            self.plannable[unit.pk] = may_plan(self.by, unit)
        return self.plannable[unit.pk]

    def conference(self, row: Row) -> None:
        ref = row.text("ref", max_length=REF_LENGTH)
        if ref and ref in self.refs:
            row.fail("ref", _("the same ref is used in row %(row)s") % {"row": self.refs[ref].number})
            ref = ""
        elif ref:
            self.refs[ref] = row
        title = row.text("title", max_length=255)
        kind = self.kind(row)
        organiser = self.unit(row, "organiser")
        if organiser is not None and not self.may_plan(organiser):
            row.fail(
                "organiser", _("your role does not allow recording conferences of %(unit)s") % {"unit": organiser.name}
            )
        level = _choice(row, "level", _LEVEL_OF, _LEVELS, required=True)
        day = row.date("date")
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            row.fail("date", _('"%(value)s" is not a plausible date') % {"value": _day(day)})
            day = None
        start, end = _time(row, "start"), _time(row, "end")
        conference_format = _choice(row, "format", _FORMAT_OF, _FORMATS, required=True)
        mandatory = _yes_no(row, "mandatory")
        status = _choice(row, "status", _STATUS_OF, _STATUSES, required=True)
        if status == CANCELLED:
            row.fail("status", _("cancelled conferences are not imported; leave the row out"))
        notes = row.text("notes", required=False, max_length=5000, multiline=True)
        if organiser is not None and day is not None and not organiser.is_open_on(day):
            row.fail("organiser", _("%(unit)s was not open on %(day)s") % {"unit": organiser.code, "day": _day(day)})
        if start is not None and end is not None and end < start:
            row.fail("end", _("is before the start time"))
        if row.errors or kind is None or organiser is None or day is None or start is None or end is None:
            return
        starts_at = timezone.make_aware(dt.datetime.combine(day, start))
        data = ConferenceData(
            title=title,
            kind=kind,
            organiser=organiser,
            level=level,
            starts_at=starts_at,
            ends_at=timezone.make_aware(dt.datetime.combine(day, end)),
            format=conference_format,
            is_mandatory=mandatory,
            notes=notes,
            client_key=client_key(ref, day),
        )
        try:
            conference_validate(data)
        except ValidationFailed as problem:
            columns = {
                "title": "title",
                "level": "level",
                "format": "format",
                "ends_at": "end",
                "organiser": "organiser",
            }
            row.fail(columns.get(problem.extra.get("field", ""), "title"), problem.message)
            return
        self.conferences[ref] = _Conference(row=row, ref=ref, data=data, status=status)

    def kind(self, row: Row) -> ConferenceKind | None:
        written = row.text("kind")
        if not written:
            return None
        kind = self.kinds.get(fold(written))
        if kind is None:
            names = "; ".join(k.name for k in ConferenceKind.objects.filter(is_active=True))
            row.fail(
                "kind",
                _('"%(value)s" is not a conference kind; write one of: %(kinds)s') % {"value": written, "kinds": names},
            )
        return kind

    def site(self, row: Row, seen: dict[tuple[str, int], Row], hosts: dict[str, Row]) -> None:
        ref = row.text("ref")
        conference = self.conferences.get(ref) if ref else None
        if ref and conference is None and ref not in self.refs:
            row.fail("ref", _('no conference on the first sheet has the ref "%(value)s"') % {"value": ref})
        unit = self.unit(row, "unit")
        is_host = _yes_no(row, "host")
        level = _choice(row, "level", _LEVEL_OF, _LEVELS, required=False)
        location = row.text("location", required=False, max_length=255)
        present = {column.key: _count(row, column.key) for column in PRESENT_COLUMNS}
        late = {column.key[len("late_") :]: _count(row, column.key) for column in LATE_COLUMNS}
        summoned = {column.key: _count(row, column.key) for column in DENOMINATOR_COLUMNS}
        for category, number in late.items():
            if number > present[category]:
                row.fail(
                    f"late_{category}",
                    _("more late arrivals than people present (%(present)s)") % {"present": present[category]},
                )
        if summoned["members_exempt"] > summoned["members_summoned"]:
            row.fail(
                "members_exempt",
                _("more exempt than party members summoned (%(n)s)") % {"n": summoned["members_summoned"]},
            )
        members = present[Category.PARTY_MEMBERS]
        if summoned["members_summoned"] and members > summoned["members_summoned"]:
            row.fail(
                Category.PARTY_MEMBERS,
                _("more party members present than summoned (%(n)s)") % {"n": summoned["members_summoned"]},
            )
        if summoned["summoned"] and sum(present.values()) > summoned["summoned"]:
            row.fail("summoned", _("fewer people summoned than present (%(n)s)") % {"n": sum(present.values())})
        if conference is not None and unit is not None:
            day = timezone.localdate(conference.data.starts_at)
            if not unit.is_open_on(day):
                row.fail("unit", _("%(unit)s was not open on %(day)s") % {"unit": unit.code, "day": _day(day)})
            earlier = seen.get((ref, unit.pk))
            if earlier is not None:
                row.fail(
                    "unit",
                    _("%(unit)s is already a site of this conference in row %(row)s")
                    % {"unit": unit.code, "row": earlier.number},
                )
            else:
                seen[(ref, unit.pk)] = row
            if is_host and ref in hosts:
                row.fail(
                    "host", _("this conference already has its host site in row %(row)s") % {"row": hosts[ref].number}
                )
            elif is_host:
                hosts[ref] = row
        counts = Headcount(
            present={k: v for k, v in present.items() if v}, late={k: v for k, v in late.items() if v}, **summoned
        )
        if not row.errors:
            try:
                headcount_validate(counts)
            except ValidationFailed as problem:
                column = problem.extra.get("field", "")
                column = column[len("present_") :] if column.startswith("present_") else column
                row.fail(column if column in row.headers else Category.PARTY_MEMBERS, problem.message)
        if row.errors or conference is None or unit is None:
            return
        conference.sites.append(
            _Site(row=row, unit=unit, is_host=is_host, level=level, location=location, counts=counts)
        )

    def together(self) -> None:
        """What the rows of a conference say together, and which were imported before."""
        for conference in self.conferences.values():
            if conference.data.format == Format.IN_PERSON and len(conference.sites) > 1:
                conference.row.fail(
                    "format",
                    _("an in-person conference has one site, and %(count)s are listed for it; choose online or hybrid")
                    % {"count": len(conference.sites)},
                )
        keys = {conference.data.client_key for conference in self.conferences.values()}
        existing = set(Conference.objects.filter(client_key__in=keys).values_list("organiser_id", "client_key"))
        for conference in self.conferences.values():
            conference.exists = (conference.data.organiser.pk, conference.data.client_key) in existing


def _sheets(file: IO[bytes] | bytes) -> dict[str, tuple[str, Table]]:
    """The two sheets of the workbook, by kind; every problem of their names or headers at once."""
    content = file if isinstance(file, bytes) else file.read()
    if not content.startswith(b"PK\x03\x04"):
        raise reject([RowError(1, "", _('the file is not an XLSX workbook with the sheets "Hội nghị" and "Điểm cầu"'))])

    def check_name(name: str) -> str | None:
        if fold(name) in _SHEET_OF:
            return None
        return _(
            'the sheet\'s name is neither "%(conferences)s" nor "%(sites)s" (or "%(conferences_en)s", "%(sites_en)s")'
        ) % {
            "conferences": SHEET_NAMES[CONFERENCES][0],
            "sites": SHEET_NAMES[SITES][0],
            "conferences_en": SHEET_NAMES[CONFERENCES][1],
            "sites_en": SHEET_NAMES[SITES][1],
        }

    tables = read_sheets(content, columns=_reading_columns(), max_rows=MAX_ROWS, check_name=check_name)
    found: dict[str, tuple[str, Table]] = {}
    errors: list[RowError] = []
    for name, table in tables:
        kind = _SHEET_OF[fold(name)]
        if kind in found:
            errors.append(
                RowError(1, "", _('a second sheet of the same kind as "%(other)s"') % {"other": found[kind][0]}, name)
            )
            continue
        found[kind] = (name, table)
        errors += _missing_columns(name, table, CONFERENCE_COLUMNS if kind == CONFERENCES else SITE_COLUMNS)
    if CONFERENCES not in found:
        errors.append(
            RowError(
                1,
                "",
                _('the sheet "%(name)s" (or "%(en)s") with the conferences is missing or empty')
                % {"name": SHEET_NAMES[CONFERENCES][0], "en": SHEET_NAMES[CONFERENCES][1]},
            )
        )
    if errors:
        raise reject(errors)
    return found


def conferences_import(*, by: Any, file: IO[bytes] | bytes) -> ImportResult:
    """Create every conference of ``file`` with its sites and attendance, or nothing
    (ImportRejected lists every problem). A conference imported before from the same row (same
    key and date, same organiser) is left as it is and counted in ``already_imported``."""
    sheets = _sheets(file)
    conference_rows = sheets[CONFERENCES][1].rows
    site_rows = sheets[SITES][1].rows if SITES in sheets else []
    check = _Check(by, conference_rows, site_rows)
    for row in conference_rows:
        check.conference(row)
    seen: dict[tuple[str, int], Row] = {}
    hosts: dict[str, Row] = {}
    for row in site_rows:
        check.site(row, seen, hosts)
    check.together()
    planned = {(c.row.sheet, c.row.number): c for c in check.conferences.values()}

    def apply(conferences: list[_Conference]) -> ImportResult:
        result = ImportResult()
        attendance: list[tuple[BridgePoint, Headcount]] = []
        current: _Conference | None = None
        try:
            for current in conferences:
                if current.exists:
                    result.already_imported += 1
                    continue
                conference = conference_create(by=by, data=current.data, sites=_site_data(current)).obj
                if current.status == HELD:
                    conference_mark_held(by=by, conference=conference)
                    result.held += 1
                points = {point.unit_id: point for point in conference.points.all()}
                attendance += [(points[site.unit.pk], site.counts) for site in current.sites]
                result.created.append(conference.pk)
                result.sites += len(points)
            current = None
            if attendance:
                attendance_record_many(by=by, rows=attendance)
        except ApplicationError as error:  # something changed since the check: nothing is kept
            row = current.row if current is not None else conference_rows[0]
            raise reject([RowError(row.number, "", error.message, row.sheet)]) from error
        return result

    return run_import(
        [*conference_rows, *site_rows], validate=lambda row: planned.get((row.sheet, row.number)), apply=apply
    )


def _site_data(conference: _Conference) -> list[SiteData]:
    sites = [
        SiteData(unit=site.unit, is_host=site.is_host, level=site.level, location=site.location)
        for site in conference.sites
    ]
    if sites and not any(site.is_host for site in sites):
        # No host marked: the organiser's own site hosts, if it is one; else the first site.
        for site in sites:
            if site.unit.pk == conference.data.organiser.pk:
                site.is_host = True
                break
    return sites


# --- The template -----------------------------------------------------------------------------


def conferences_import_template(*, english: bool) -> bytes:
    """The two sheets with their headers (in the user's language) and an example row each."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    language = "en" if english else "vi"
    shown = _SHOWN[language]
    kind = ConferenceKind.objects.filter(is_active=True).order_by("rank", "code").first()
    kind_name = (kind.name_en or kind.name_vi if english else kind.name_vi) if kind is not None else "resolution_study"
    unit_code = "UNIT-CODE" if english else "MA-DON-VI"
    ref = "HN-2021-01"
    conference = {
        "ref": ref,
        "title": "Study conference on the Resolution of the 13th Party Congress"
        if english
        else "Hội nghị học tập, quán triệt Nghị quyết Đại hội XIII của Đảng",
        "kind": kind_name,
        "organiser": unit_code,
        "level": shown["level"],
        "date": dt.date(2021, 5, 10),
        "start": dt.time(7, 30),
        "end": dt.time(11, 0),
        "format": shown["format"],
        "mandatory": shown["yes"],
        "status": shown["status"],
        "notes": "",
    }
    site = {
        "ref": ref,
        "unit": unit_code,
        "host": shown["yes"],
        "level": shown["level"],
        "location": "Provincial committee hall" if english else "Hội trường Tỉnh ủy",
        Category.PARTY_MEMBERS: 120,
        Category.CADRES: 15,
        Category.NON_MEMBERS: 30,
        Category.STUDENTS: 0,
        Category.OTHERS: 0,
        "members_summoned": 130,
        "members_exempt": 5,
        "summoned": 180,
        f"late_{Category.PARTY_MEMBERS}": 3,
    }
    workbook = Workbook()
    default = workbook.active
    for kind_key, columns, example in ((CONFERENCES, CONFERENCE_COLUMNS, conference), (SITES, SITE_COLUMNS, site)):
        sheet = workbook.create_sheet(SHEET_NAMES[kind_key][1 if english else 0])
        sheet.append([column.english if english else column.vietnamese for column in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.append([example.get(column.key) for column in columns])
        for position, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(position)].width = max(14, len(column.vietnamese) + 4)
            cell = sheet.cell(row=2, column=position)
            if column.key == "date":
                cell.number_format = "DD/MM/YYYY"
            elif column.key in ("start", "end"):
                cell.number_format = "HH:MM"
            elif not isinstance(cell.value, int):
                cell.number_format = "@"  # codes stay text
        sheet.freeze_panes = "A2"
    if default is not None:
        workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_filename(*, english: bool) -> str:
    return "lantoa-conferences.xlsx" if english else "lantoa-hoi-nghi.xlsx"
