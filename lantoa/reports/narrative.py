"""Narrative sentences generated from indicator values, in the Vietnamese of an official report.

Pure functions: they take the values (read elsewhere, through the rollup) and return text made of
plain strings and :class:`Num` parts. Each :class:`Num` keeps the indicator it states and the
address of the records behind it, so a page draws it as a link and a DOCX or PDF as a hyperlink.

Rules (``docs/guide-reports.md``, "Official reports"):

- **Numbers** are written the Vietnamese way: ``.`` groups thousands, ``,`` marks decimals
  (``118.000``, ``92,5%``).
- **Rounding words.** A figure below :data:`ROUND_FROM` (10.000) is written exactly (``688``,
  ``5.123``). From 10.000 up it is rounded to the nearest multiple of a *step* that keeps three
  significant digits, at least a thousand (118.437 → step 1.000; 1.234.567 → step 10.000):
  a figure above the rounded one reads "trên" (118.437 → "trên 118.000"), below it "gần"
  (117.960 → "gần 118.000"), equal to it needs no word (118.000). When some units under the
  unit have no data for the indicator (incomplete coverage) the total is partial, so no
  direction can be claimed: the rounded figure reads "khoảng" (≈ 118.437 → "khoảng 118.000").
- **Attendances are never people.** An indicator that counts attendances (the registry's
  ``Counting.ATTENDANCES``) is written with "lượt" ("118.215 lượt cán bộ, đảng viên"); only one
  that counts distinct people says "người".
- **No data is not 0.** A missing value never becomes "0": its clause is dropped and the
  sentence says "chưa có số liệu về …" for it. A real 0 is stated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

ROUND_FROM = 10_000  # figures below this are written exactly
SIGNIFICANT_DIGITS = 3  # rounded figures keep this many significant digits…
MIN_STEP = 1_000  # …but are never rounded to less than a thousand

Word = Literal["", "trên", "gần", "khoảng"]


# --- Numbers ---------------------------------------------------------------------------------


def _group(digits: str) -> str:
    """``118437`` → ``118.437``."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(parts)


def format_number(value: int | Decimal | float, *, decimals: int | None = None) -> str:
    """A number written the Vietnamese way: ``118.000``, ``5.123``, ``92,5``, ``-1.204``.

    Whole values have no decimals; other values keep at most ``decimals`` places (2 when not
    given), trailing zeros dropped."""
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    places = 2 if decimals is None else decimals
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) if places else number.quantize(1)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    fraction = fraction.rstrip("0")
    return sign + _group(whole) + ("," + fraction if fraction else "")


def format_percent(value: int | Decimal | float) -> str:
    """``92.54`` → ``92,5%`` (one decimal, none when whole)."""
    return format_number(value, decimals=1) + "%"


def rounding_step(value: int) -> int:
    """The step a figure of this size is rounded to: three significant digits, at least 1.000."""
    digits = len(str(abs(value)))
    return max(MIN_STEP, 10 ** max(digits - SIGNIFICANT_DIGITS, 0))


@dataclass(frozen=True)
class Approximation:
    word: Word  # "" when the figure is written exactly
    shown: int | Decimal  # the figure written after the word

    @property
    def text(self) -> str:
        number = format_number(self.shown)
        return f"{self.word} {number}" if self.word else number


def approximate(value: int | Decimal, *, complete: bool = True) -> Approximation:
    """The figure as a report writes it, with its rounding word (see the module's rules)."""
    if abs(Decimal(value)) < ROUND_FROM:
        return Approximation("", value)
    whole = int(Decimal(value).to_integral_value(rounding=ROUND_HALF_UP))
    step = rounding_step(whole)
    rounded = int((Decimal(value) / step).to_integral_value(rounding=ROUND_HALF_UP)) * step
    if not complete:
        return Approximation("khoảng", rounded)
    if Decimal(value) == rounded:
        return Approximation("", rounded)
    return Approximation("trên" if Decimal(value) > rounded else "gần", rounded)


# --- Values in, text out ---------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One indicator's value for the report's unit and period, as the rollup gave it.
    ``value`` None is no data."""

    code: str
    value: int | Decimal | None
    counting: str = "items"  # the registry's Counting: people, attendances, units, items, other
    measure: str = ""  # the registry's Vietnamese unit of measure ("hội nghị", "lượt người", "%")
    name: str = ""  # the registry's Vietnamese name
    rate: bool = False  # a ratio (a percentage)
    complete: bool = True  # every unit below has data
    missing_count: int = 0


@dataclass(frozen=True)
class Num:
    """A generated number: its text ("trên 118.000"), the indicator and the records' address."""

    text: str
    code: str
    value: int | Decimal
    url: str = ""


Part = str | Num
Linker = Callable[[str], str]  # indicator code → the address of the records behind it


def _no_link(_code: str) -> str:
    return ""


def plain(parts: Iterable[Part]) -> str:
    """The text without links."""
    return "".join(part.text if isinstance(part, Num) else part for part in parts)


# What each known indicator reads as in a sentence: the words before and after the number.
# Attendances always carry "lượt"; people "người" or the role's own noun.
PHRASES: dict[str, tuple[str, str]] = {
    "conferences_held": ("", "hội nghị"),
    "online_bridge_points": ("", "điểm cầu"),
    "conference_attendances": ("", "lượt cán bộ, đảng viên tham gia"),
    "member_attendance_rate": ("tỷ lệ đảng viên tham dự đạt", ""),
    "study_reflections_submitted": ("", "bài thu hoạch được nộp"),
    "outreach_boards": ("", "ban tuyên vận xã"),
    "outreach_teams": ("", "tổ tuyên vận thôn, tổ dân phố"),
    "outreach_commune_cadres": ("", "cán bộ tuyên vận cấp xã"),
    "village_propagandists": ("", "tuyên truyền viên ở thôn, tổ dân phố"),
    "reporters": ("", "báo cáo viên"),
    "outreach_activities": ("tổ chức", "buổi tuyên truyền, vận động"),
    "people_reached": ("", "lượt người được tuyên truyền"),
    "copies_printed": ("in, phát hành", "bản tài liệu"),
    "copies_allocated": ("cấp phát", "bản tài liệu"),
    "documents_published": ("xuất bản", "tài liệu"),
    "qr_reads": ("", "lượt đọc tài liệu qua mã QR"),
    "contest_entries": ("", "lượt dự thi trực tuyến"),
    "contest_participants": ("", "người dự thi trực tuyến"),
    "contest_participation_rate": ("tỷ lệ đảng viên dự thi trực tuyến đạt", ""),
    "staged_contest_committees": ("", "đảng bộ trực thuộc tổ chức hội thi sân khấu hóa"),
    "best_reporter_entries": ("", "báo cáo viên tham gia hội thi báo cáo viên giỏi"),
}
# Indicators written together, in this order, as one clause.
CONFERENCES = ("conferences_held", "online_bridge_points", "conference_attendances")
NETWORK = ("outreach_boards", "outreach_teams", "outreach_commune_cadres", "village_propagandists", "reporters")
# What "chưa có số liệu về …" names for a known indicator.
ABOUT: dict[str, str] = {
    "conferences_held": "số hội nghị đã tổ chức",
    "online_bridge_points": "số điểm cầu trực tuyến",
    "conference_attendances": "số lượt cán bộ, đảng viên tham gia",
}


def _noun(value: Value) -> str:
    """The words after a number for an indicator the phrases do not know: its unit of measure,
    with "lượt" for attendances and never "người" alone for them."""
    measure = value.measure.strip()
    if value.counting == "attendances" and not measure.startswith("lượt"):
        measure = f"lượt {measure}".strip()
    return measure


def number(value: Value, link: Linker = _no_link) -> Num:
    """A value (that exists) as a :class:`Num` with its rounding word."""
    assert value.value is not None
    text = format_percent(value.value) if value.rate else approximate(value.value, complete=value.complete).text
    return Num(text, value.code, value.value, link(value.code))


def phrase(value: Value, link: Linker = _no_link) -> list[Part]:
    """One indicator as words: "trên 118.000 lượt cán bộ, đảng viên tham gia", "688 hội nghị"."""
    before, after = PHRASES.get(value.code, ("", ""))
    if value.code not in PHRASES:
        if value.rate:
            before = f"{_lower_first(value.name)} đạt"
        else:
            after = _noun(value)
            name = _lower_first(value.name)
            if name and name != after:
                after = f"{after} ({name})" if after else name
    parts: list[Part] = []
    if before:
        parts.append(before + " ")
    parts.append(number(value, link))
    if after:
        parts.append(" " + after)
    return parts


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def about(value: Value) -> str:
    """What "chưa có số liệu về …" names for an indicator."""
    if value.code in ABOUT:
        return ABOUT[value.code]
    if value.code in PHRASES and PHRASES[value.code][1] and not value.rate:
        return "số " + PHRASES[value.code][1]
    return _lower_first(value.name) or value.code


def join(items: Sequence[list[Part]], *, last: str = " và ") -> list[Part]:
    """``a``, ``a và b``, ``a, b và c``."""
    out: list[Part] = []
    for index, item in enumerate(items):
        if index:
            out.append(last if index == len(items) - 1 else ", ")
        out.extend(item)
    return out


def _no_data(values: Sequence[Value]) -> list[Part]:
    return ["chưa có số liệu về " + _join_words([about(v) for v in values])]


def _join_words(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " và " + words[-1]


def conferences_clause(values: dict[str, Value], link: Linker = _no_link) -> list[Part]:
    """ "tổ chức 688 hội nghị, trong đó có hình thức trực tuyến với 577 điểm cầu và trên 118.000
    lượt cán bộ, đảng viên tham gia", each part dropped when it has no data and named after
    "chưa có số liệu về"."""
    held = values.get("conferences_held")
    points = values.get("online_bridge_points")
    present = values.get("conference_attendances")
    missing = [v for v in (held, points, present) if v is not None and v.value is None]
    parts: list[Part] = []
    if held is not None and held.value is not None:
        if held.value == 0:
            parts.append("chưa tổ chức hội nghị nào")
        else:
            parts += ["tổ chức ", *phrase(held, link)]
            online = points is not None and points.value
            attended = present is not None and present.value is not None
            if online:
                assert points is not None
                parts += [", trong đó có hình thức trực tuyến với ", *phrase(points, link)]
            if attended:
                assert present is not None
                parts += [" và " if online else " với ", *phrase(present, link)]
    else:
        known = [v for v in (points, present) if v is not None and v.value is not None]
        if known:
            items = [phrase(points, link)] if points is not None and points.value is not None else []
            if points is not None and points.value is not None:
                items[0] = [*items[0], " trực tuyến"]
            if present is not None and present.value is not None:
                items.append(phrase(present, link))
            parts += ["ghi nhận ", *join(items)]
    if missing:
        parts += ["; " if parts else "", *_no_data(missing)]
    return parts


def list_clause(values: Sequence[Value], link: Linker = _no_link, *, lead: str = "") -> list[Part]:
    """Indicators that read as a list: "có 152 ban tuyên vận xã, 1.536 tổ … và 4.068 …";
    those without data named after "chưa có số liệu về"."""
    known = [v for v in values if v.value is not None]
    missing = [v for v in values if v.value is None]
    parts: list[Part] = []
    if known:
        parts += [lead + " " if lead else "", *join([phrase(v, link) for v in known])]
    if missing:
        parts += ["; " if parts else "", *_no_data(missing)]
    return parts


def period_phrase(start: dt.date, end: dt.date) -> str:
    """ "Từ tháng 3/2021 đến tháng 7/2022" for whole months, otherwise
    "Từ ngày 05/3/2021 đến ngày 31/7/2022"."""
    whole = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    if whole:
        if (start.year, start.month) == (end.year, end.month):
            return f"Trong tháng {start.month}/{start.year}"
        return f"Từ tháng {start.month}/{start.year} đến tháng {end.month}/{end.year}"
    return f"Từ ngày {start.day:02d}/{start.month}/{start.year} đến ngày {end.day:02d}/{end.month}/{end.year}"


def clauses(values: Sequence[Value], link: Linker = _no_link) -> list[list[Part]]:
    """The clauses for ``values`` in their order: the conference figures as one clause, the
    outreach network as one list ("có …"), every other indicator a clause of its own."""
    by_code = {v.code: v for v in values}
    done: set[str] = set()
    out: list[list[Part]] = []
    for value in values:
        if value.code in done:
            continue
        if value.code in CONFERENCES:
            group = {code: by_code[code] for code in CONFERENCES if code in by_code}
            done |= set(group)
            out.append(conferences_clause(group, link))
        elif value.code in NETWORK:
            members = [by_code[code] for code in NETWORK if code in by_code]
            done |= {v.code for v in members}
            out.append(list_clause(members, link, lead="có"))
        else:
            done.add(value.code)
            out.append(list_clause([value], link))
    return [clause for clause in out if clause]


def sentence(
    values: Sequence[Value],
    *,
    subject: str,
    start: dt.date,
    end: dt.date,
    link: Linker = _no_link,
    lead: str = "",
) -> list[Part]:
    """One sentence: "Từ tháng 3/2021 đến tháng 7/2022, <subject> đã tổ chức 688 hội nghị, …; có
    152 ban tuyên vận xã, …." ``lead`` (written by the officer) replaces the period and subject
    when given ("Ban Tuyên giáo Tỉnh ủy đã tham mưu Tỉnh ủy")."""
    body = clauses(values, link)
    if not body:
        return []
    opening = lead.strip() if lead.strip() else f"{period_phrase(start, end)}, {subject} đã"
    parts: list[Part] = [opening + " "]
    for index, clause in enumerate(body):
        if index:
            parts.append("; ")
        parts.extend(clause)
    parts.append(".")
    return _merge(parts)


def _merge(parts: list[Part]) -> list[Part]:
    """Adjacent strings joined, empty ones dropped."""
    out: list[Part] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + part
                continue
        out.append(part)
    return out
