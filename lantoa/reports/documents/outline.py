"""A report template's outline: its ordered sections, each either text the officer writes or a
block generated from indicators — a narrative sentence, a table of the indicators by child unit,
or a bar chart of one indicator by child unit. Templates keep their outline as JSON; this module
is the one place that reads and checks it (:func:`parse_outline`)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationFailed
from lantoa.core.indicators import get_indicator
from lantoa.core.text import clean_text

KINDS = ("text", "narrative", "table", "chart")
MAX_SECTIONS = 40
MAX_INDICATORS = 12  # in one narrative or table
TABLE_MAX_INDICATORS = 6  # columns after the unit's name, so the table fits an A4 page
TITLE_MAX = 200
TEXT_MAX = 20_000
LEAD_MAX = 300
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class Section:
    key: str  # stable: the officer's text for the section is kept under it
    kind: str  # one of KINDS
    title: str = ""  # printed as a heading when given
    text: str = ""  # a text section's starting text (the officer edits it in each report)
    indicators: list[str] = field(default_factory=list)
    lead: str = ""  # a narrative's opening, when the default (period, unit "đã") will not do

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {name: value for name, value in data.items() if value or name in ("key", "kind")}


def _text(raw: Any, *, limit: int, where: str, name: str, problems: dict[str, str]) -> str:
    if raw in (None, ""):
        return ""
    if not isinstance(raw, str):
        problems[f"{where}.{name}"] = _("Must be text.")
        return ""
    text = clean_text(raw, multiline=True) if name == "text" else clean_text(raw)
    if len(text) > limit:
        problems[f"{where}.{name}"] = _("At most %(limit)s characters.") % {"limit": limit}
    return text


def parse_outline(raw: Any) -> list[Section]:
    """The sections of ``raw`` (a list of objects), checked: known kinds, unique keys, registered
    indicators (a chart names exactly one; a table at most TABLE_MAX_INDICATORS), bounded texts.
    Every problem is listed in one :class:`ValidationFailed` (``extra["problems"]``, by
    "sections[i].field")."""
    if not isinstance(raw, list) or not raw:
        raise ValidationFailed(_("An outline is a non-empty list of sections."), extra={"problems": {}})
    if len(raw) > MAX_SECTIONS:
        raise ValidationFailed(
            _("An outline has at most %(limit)s sections.") % {"limit": MAX_SECTIONS}, extra={"problems": {}}
        )
    problems: dict[str, str] = {}
    sections: list[Section] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"sections[{index}]"
        if not isinstance(item, dict):
            problems[where] = _("Each section is an object.")
            continue
        unknown = set(item) - {"key", "kind", "title", "text", "indicators", "lead"}
        if unknown:
            problems[where] = _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(map(str, unknown)))}
        key = item.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems[f"{where}.key"] = _("A key is 1–40 lower-case letters, digits, '-' or '_'.")
            key = f"section-{index}"
        elif key in seen:
            problems[f"{where}.key"] = _("Two sections have the key %(key)s.") % {"key": key}
        seen.add(key)
        kind = item.get("kind")
        if kind not in KINDS:
            problems[f"{where}.kind"] = _("The kind is one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)}
            continue
        title = _text(item.get("title"), limit=TITLE_MAX, where=where, name="title", problems=problems)
        text = _text(item.get("text"), limit=TEXT_MAX, where=where, name="text", problems=problems)
        lead = _text(item.get("lead"), limit=LEAD_MAX, where=where, name="lead", problems=problems)
        codes = item.get("indicators") or []
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            problems[f"{where}.indicators"] = _("Indicators are a list of codes.")
            codes = []
        unknown_codes = [code for code in codes if get_indicator(code) is None]
        if unknown_codes:
            problems[f"{where}.indicators"] = _("Unknown indicator: %(codes)s.") % {"codes": ", ".join(unknown_codes)}
        if len(set(codes)) != len(codes):
            problems[f"{where}.indicators"] = _("An indicator is named twice.")
        if kind == "text" and codes:
            problems[f"{where}.indicators"] = _("A text section names no indicator.")
        if kind != "text" and not codes:
            problems[f"{where}.indicators"] = _("Name at least one indicator.")
        if kind == "narrative" and len(codes) > MAX_INDICATORS:
            problems[f"{where}.indicators"] = _("At most %(limit)s indicators.") % {"limit": MAX_INDICATORS}
        if kind == "table" and len(codes) > TABLE_MAX_INDICATORS:
            problems[f"{where}.indicators"] = _("A table has at most %(limit)s indicators.") % {
                "limit": TABLE_MAX_INDICATORS
            }
        if kind == "chart" and len(codes) > 1:
            problems[f"{where}.indicators"] = _("A chart shows exactly one indicator.")
        sections.append(Section(key=key, kind=kind, title=title, text=text, indicators=list(codes), lead=lead))
    if problems:
        raise ValidationFailed(_("The outline has problems; nothing was saved."), extra={"problems": problems})
    return sections


def dump_outline(sections: list[Section]) -> list[dict[str, Any]]:
    return [section.as_dict() for section in sections]


# The default template: a report on studying and carrying out a resolution, in Vietnamese.
DEFAULT_TITLE = "BÁO CÁO"
DEFAULT_SUBTITLE = "Kết quả công tác tuyên truyền, học tập, quán triệt nghị quyết"
DEFAULT_OUTLINE: list[dict[str, Any]] = [
    {
        "key": "mo-dau",
        "kind": "text",
        "text": (
            "Thực hiện sự chỉ đạo của cấp trên về việc tổ chức nghiên cứu, học tập, quán triệt và "
            "triển khai thực hiện nghị quyết, báo cáo kết quả thực hiện như sau:"
        ),
    },
    {"key": "ket-qua", "kind": "text", "title": "I. KẾT QUẢ THỰC HIỆN"},
    {
        "key": "hoc-tap",
        "kind": "text",
        "title": "1. Công tác tổ chức học tập, quán triệt",
        "text": (
            "Các cấp ủy, tổ chức đảng đã chủ động xây dựng kế hoạch, tổ chức hội nghị học tập, quán "
            "triệt nghị quyết bằng hình thức trực tiếp kết hợp trực tuyến, bảo đảm nghiêm túc, đúng "
            "thời gian quy định."
        ),
    },
    {
        "key": "so-lieu-hoi-nghi",
        "kind": "narrative",
        "indicators": ["conferences_held", "online_bridge_points", "conference_attendances"],
    },
    {
        "key": "bang-hoi-nghi",
        "kind": "table",
        "title": "Số hội nghị, điểm cầu và lượt người tham dự theo đơn vị",
        "indicators": ["conferences_held", "online_bridge_points", "conference_attendances"],
    },
    {
        "key": "bieu-do-hoi-nghi",
        "kind": "chart",
        "title": "Số hội nghị theo đơn vị",
        "indicators": ["conferences_held"],
    },
    {"key": "tuyen-truyen", "kind": "text", "title": "2. Công tác tuyên truyền, biên soạn tài liệu"},
    {"key": "so-lieu-tai-lieu", "kind": "narrative", "indicators": ["copies_printed"]},
    {"key": "mang-luoi", "kind": "text", "title": "3. Kiện toàn đội ngũ làm công tác tuyên truyền, dân vận"},
    {
        "key": "so-lieu-mang-luoi",
        "kind": "narrative",
        "indicators": ["outreach_boards", "outreach_teams", "outreach_commune_cadres", "village_propagandists"],
        "lead": "Đến nay, toàn tỉnh",
    },
    {"key": "danh-gia", "kind": "text", "title": "II. ĐÁNH GIÁ CHUNG"},
    {"key": "uu-diem", "kind": "text", "title": "1. Ưu điểm"},
    {"key": "han-che", "kind": "text", "title": "2. Hạn chế, nguyên nhân"},
    {"key": "phuong-huong", "kind": "text", "title": "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"},
]
DEFAULT_RECIPIENTS = "Ban Tuyên giáo và Dân vận Trung ương (b/c),\nThường trực cấp ủy (b/c),\nLưu Văn phòng."
